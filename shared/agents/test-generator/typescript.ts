/**
 * Reads a TypeScript / JavaScript module with the TypeScript compiler API (a
 * real program with the standard library, so aliases, interfaces, unions and
 * arrays resolve through the type checker): every exported function, arrow
 * function constant and class with its public methods, their parameter and
 * return types, and the `throw new X(...)` statements of each body with the
 * conditions that guard them.
 */
import ts from 'typescript';
import {
  namedImports,
  openScriptProgram,
  type ParseError,
  type ScriptSource,
  unwrapExpression as unwrap,
} from '../../analysis/source/typescript.js';
import {
  type CallableModel,
  type ClassModel,
  type Expr,
  type GuardStep,
  JS_BUILTIN_ERRORS,
  type ModuleModel,
  type ParamModel,
  type PropertyModel,
  type StringHint,
  type ThrowSite,
  type ValueType,
  withHint,
} from './model.js';

const MAX_TYPE_DEPTH = 4;

export type TsSource = ScriptSource;

export interface TsParseResult {
  model: ModuleModel;
  syntaxErrors: ParseError[];
}

/** Reads `target` (one of `files`) in a program holding all of `files`, so imported types resolve. */
export function readTypeScriptModule(files: readonly TsSource[], target: TsSource): TsParseResult {
  const program = openScriptProgram(files, target);
  const reader = new ModuleReader(program.file, program.checker, program.language === 'javascript');
  return { model: reader.read(), syntaxErrors: program.syntaxErrors };
}

class ModuleReader {
  private readonly functions: (CallableModel & { exportedAsDefault?: boolean })[] = [];
  private readonly classes: ClassModel[] = [];
  private readonly skipped: { name: string; line: number; reason: string }[] = [];
  private readonly exportedNames = new Set<string>();
  private readonly importedErrors = new Map<string, string>();

  constructor(
    private readonly file: ts.SourceFile,
    private readonly checker: ts.TypeChecker,
    private readonly javascript: boolean,
  ) {}

  read(): ModuleModel {
    const moduleSymbol = this.checker.getSymbolAtLocation(this.file);
    const exports = moduleSymbol === undefined ? [] : this.checker.getExportsOfModule(moduleSymbol);
    for (const [name, specifier] of namedImports(this.file)) this.importedErrors.set(name, specifier);
    for (const symbol of exports) this.exportedNames.add(symbol.name);
    for (const symbol of exports) this.readExport(symbol);
    const importableErrors = new Set(JS_BUILTIN_ERRORS);
    for (const name of this.exportedNames) importableErrors.add(name);
    return {
      language: this.javascript ? 'javascript' : 'typescript',
      functions: this.functions,
      classes: this.classes,
      importableErrors,
      importedErrors: this.importedErrors,
      skipped: this.skipped,
    };
  }

  private line(node: ts.Node): number {
    return this.file.getLineAndCharacterOfPosition(node.getStart(this.file)).line + 1;
  }

  private readExport(exported: ts.Symbol): void {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (declaration === undefined || declaration.getSourceFile() !== this.file) return;
    const isDefault = exported.name === 'default';
    if (ts.isFunctionDeclaration(declaration) && declaration.body !== undefined) {
      const name = declaration.name?.text ?? 'defaultExport';
      this.functions.push({ ...this.callable(name, declaration), exportedAsDefault: isDefault });
      return;
    }
    if (ts.isClassDeclaration(declaration)) {
      this.classes.push(this.classModel(declaration, isDefault));
      return;
    }
    if (ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
      const init = unwrap(declaration.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
        const name = ts.isIdentifier(declaration.name) ? declaration.name.text : exported.name;
        this.functions.push({ ...this.callable(name, init), exportedAsDefault: isDefault });
      }
    }
  }

  private classModel(declaration: ts.ClassDeclaration, isDefault: boolean): ClassModel {
    const name = declaration.name?.text ?? 'DefaultExport';
    const ctor = declaration.members.find(ts.isConstructorDeclaration);
    const methods: CallableModel[] = [];
    for (const member of declaration.members) {
      if (!ts.isMethodDeclaration(member) || member.body === undefined) continue;
      if (!ts.isIdentifier(member.name)) continue;
      const modifiers = ts.getCombinedModifierFlags(member);
      if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      if (member.name.text.startsWith('_')) continue;
      const model = this.callable(member.name.text, member);
      methods.push(modifiers & ts.ModifierFlags.Static ? { ...model, static: true } : model);
    }
    const fields = new Map<string, number>();
    ctor?.parameters.forEach((p, index) => {
      const flags = ts.getCombinedModifierFlags(p);
      if (
        ts.isIdentifier(p.name) &&
        flags & (ts.ModifierFlags.ParameterPropertyModifier | ts.ModifierFlags.Readonly)
      ) {
        fields.set(p.name.text, index);
      }
    });
    for (const statement of ctor?.body?.statements ?? []) {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left)) continue;
      if (left.expression.kind !== ts.SyntaxKind.ThisKeyword || !ts.isIdentifier(right)) continue;
      const index =
        ctor?.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === right.text) ?? -1;
      if (index >= 0) fields.set(left.name.text, index);
    }
    const model: ClassModel = {
      fieldsFromParams: fields,
      name,
      constructorParams: ctor === undefined ? [] : ctor.parameters.map((p) => this.param(p, ctor)),
      constructorThrows: ctor?.body === undefined ? [] : collectThrows(ctor.body, this.file),
      methods,
      line: this.line(declaration),
    };
    return isDefault ? { ...model, exportedAsDefault: true } : model;
  }

  private callable(name: string, node: ts.SignatureDeclaration & { body?: ts.ConciseBody }): CallableModel {
    const signature = this.checker.getSignatureFromDeclaration(node);
    const isAsync = ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Async;
    let returns: ValueType = { kind: 'unknown' };
    let returnsPromise = Boolean(isAsync);
    if (signature !== undefined) {
      const raw = this.checker.getReturnTypeOfSignature(signature);
      if (raw.getSymbol()?.name === 'Promise') returnsPromise = true;
      const awaited = returnsPromise ? (this.checker.getAwaitedType(raw) ?? raw) : raw;
      returns = this.describe(awaited, node, 0);
    }
    const body = node.body;
    const throws = body === undefined || !ts.isBlock(body) ? [] : collectThrows(body, this.file);
    const params = node.parameters.filter((p) => !isThisParameter(p)).map((p) => this.param(p, node));
    if (body !== undefined) {
      hintStringsFromUse(params, body);
      typesFromGuards(params, body);
    }
    return {
      name,
      params,
      returns,
      async: Boolean(isAsync),
      returnsPromise,
      throws,
      line: this.line(node),
    };
  }

  private param(p: ts.ParameterDeclaration, owner: ts.Node): ParamModel {
    const declared = this.checker.getTypeAtLocation(p);
    // An unconstrained type parameter (`push(item: T)`) takes any value: a number is inferred or accepted.
    const free =
      declared.flags & ts.TypeFlags.TypeParameter &&
      (this.checker.getBaseConstraintOfType(declared)?.flags ?? ts.TypeFlags.Unknown) & ts.TypeFlags.Unknown;
    const type: ValueType = free ? { kind: 'number' } : this.describe(declared, owner, 0);
    const rest = p.dotDotDotToken !== undefined;
    let name: string;
    let bindings: string[] | undefined;
    if (ts.isIdentifier(p.name)) {
      name = p.name.text;
    } else {
      name = 'options';
      if (ts.isObjectBindingPattern(p.name)) {
        bindings = p.name.elements
          .map((e) => (ts.isIdentifier(e.name) ? e.name.text : ''))
          .filter((n) => n !== '');
      }
    }
    const optional = p.questionToken !== undefined || p.initializer !== undefined || rest;
    const model: ParamModel = {
      name,
      type: withHint(type, name),
      optional,
      rest,
    };
    if (bindings !== undefined) model.bindings = bindings;
    if (p.initializer !== undefined) model.defaultValue = toExpr(p.initializer);
    return model;
  }

  private describe(type: ts.Type, at: ts.Node, depth: number): ValueType {
    const c = this.checker;
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return { kind: 'unknown' };
    if (f & ts.TypeFlags.TypeParameter) {
      const constraint = c.getBaseConstraintOfType(type);
      return constraint === undefined || constraint === type
        ? { kind: 'unknown' }
        : this.describe(constraint, at, depth);
    }
    if (f & ts.TypeFlags.Void) return { kind: 'void' };
    if (f & ts.TypeFlags.Undefined) return { kind: 'void' };
    if (f & ts.TypeFlags.Null) return { kind: 'null' };
    if (f & ts.TypeFlags.EnumLiteral) return { kind: 'unknown' };
    if (f & ts.TypeFlags.StringLiteral)
      return { kind: 'literal', values: [(type as ts.StringLiteralType).value] };
    if (f & ts.TypeFlags.NumberLiteral)
      return { kind: 'literal', values: [(type as ts.NumberLiteralType).value] };
    if (f & ts.TypeFlags.BooleanLiteral) {
      return {
        kind: 'literal',
        values: [(type as unknown as { intrinsicName: string }).intrinsicName === 'true'],
      };
    }
    if (f & ts.TypeFlags.String) return { kind: 'string' };
    if (f & ts.TypeFlags.Number) return { kind: 'number' };
    if (f & ts.TypeFlags.BigInt) return { kind: 'bigint' };
    if (f & ts.TypeFlags.Boolean) return { kind: 'boolean' };
    if (type.isUnion()) return this.describeUnion(type, at, depth);
    if (depth > MAX_TYPE_DEPTH) return { kind: 'unknown' };
    if (c.isArrayType(type)) {
      const [element] = c.getTypeArguments(type as ts.TypeReference);
      return {
        kind: 'array',
        element: element === undefined ? { kind: 'unknown' } : this.describe(element, at, depth + 1),
      };
    }
    if (c.isTupleType(type)) {
      return {
        kind: 'tuple',
        elements: c.getTypeArguments(type as ts.TypeReference).map((t) => this.describe(t, at, depth + 1)),
      };
    }
    const symbol = type.getSymbol();
    const symbolName = symbol?.name;
    if (symbolName === 'Date') return { kind: 'date' };
    if (symbolName === 'Map') return { kind: 'code', ts: 'new Map()' };
    if (symbolName === 'Set') return { kind: 'code', ts: 'new Set()' };
    if (symbolName === 'RegExp') return { kind: 'code', ts: '/example/' };
    if (symbolName === 'Promise') return { kind: 'unknown' };
    const calls = type.getCallSignatures();
    if (calls.length > 0) {
      const returns = c.getReturnTypeOfSignature(calls[0] as ts.Signature);
      return { kind: 'function', returns: this.describe(returns, at, depth + 1) };
    }
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Class) {
      return this.exportedNames.has(symbol.name) && symbol.valueDeclaration?.getSourceFile() === this.file
        ? { kind: 'instance', className: symbol.name }
        : { kind: 'unknown' };
    }
    if (f & ts.TypeFlags.Object || type.isIntersection()) return this.describeObject(type, at, depth);
    return { kind: 'unknown' };
  }

  private describeObject(type: ts.Type, at: ts.Node, depth: number): ValueType {
    const c = this.checker;
    if (c.getIndexInfosOfType(type).length > 0 && c.getPropertiesOfType(type).length === 0) {
      return { kind: 'object', properties: [], dict: true };
    }
    const properties: PropertyModel[] = [];
    for (const property of c.getPropertiesOfType(type)) {
      const name = propertyKey(property);
      // A member keyed by a symbol the test cannot name (`unique symbol`, a private brand) is left out.
      if (name === undefined) continue;
      const propertyType = c.getTypeOfSymbolAtLocation(property, at);
      const optional = Boolean(property.flags & ts.SymbolFlags.Optional);
      const described = this.describe(propertyType, at, depth + 1);
      properties.push({
        name,
        optional: optional || described.kind === 'void',
        type: withHint(described, property.name),
      });
    }
    return { kind: 'object', properties };
  }

  private describeUnion(type: ts.UnionType, at: ts.Node, depth: number): ValueType {
    let nullable = false;
    let undefinable = false;
    const members: ValueType[] = [];
    let trues = 0;
    for (const member of type.types) {
      if (member.flags & ts.TypeFlags.Null) nullable = true;
      else if (member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) undefinable = true;
      else {
        const described = this.describe(member, at, depth);
        if (described.kind === 'literal' && typeof described.values[0] === 'boolean') trues += 1;
        members.push(described);
      }
    }
    let result: ValueType;
    if (members.length === 0) result = nullable ? { kind: 'null' } : { kind: 'void' };
    else if (trues === 2 && members.length === 2) result = { kind: 'boolean' };
    else if (members.every((m) => m.kind === 'literal')) {
      result = { kind: 'literal', values: members.flatMap((m) => (m.kind === 'literal' ? m.values : [])) };
    } else if (members.length === 1) result = members[0] as ValueType;
    else {
      // A mixed union: values of its first buildable member still type-check.
      result = members.find((m) => m.kind !== 'unknown') ?? { kind: 'unknown' };
    }
    if (nullable && result.kind !== 'null' && result.kind !== 'void') result = { ...result, nullable: true };
    if (undefinable && result.kind !== 'void' && result.kind !== 'null') {
      return { ...result, undefinable: true };
    }
    return result;
  }
}

/** Symbols every runtime has, by the name `Symbol.<name>` reads them with. */
const WELL_KNOWN_SYMBOLS = new Set([
  'asyncDispose',
  'asyncIterator',
  'dispose',
  'hasInstance',
  'isConcatSpreadable',
  'iterator',
  'match',
  'matchAll',
  'replace',
  'search',
  'species',
  'split',
  'toPrimitive',
  'toStringTag',
  'unscopables',
]);

/**
 * The key a test writes for a property: its name, `[Symbol.iterator]` for a well-known symbol (the compiler
 * names it `__@iterator@29` inside), undefined for any other symbol.
 */
export function propertyKey(property: ts.Symbol): string | undefined {
  const escaped = property.escapedName as string;
  if (!escaped.startsWith('__@')) return property.name;
  const declared = property.valueDeclaration ?? property.declarations?.[0];
  const name = declared === undefined ? undefined : ts.getNameOfDeclaration(declared);
  if (name !== undefined && ts.isComputedPropertyName(name)) {
    const text = name.expression.getText();
    const match = /^Symbol\.(\w+)$/.exec(text);
    return match !== null && WELL_KNOWN_SYMBOLS.has(match[1] as string) ? `[${text}]` : undefined;
  }
  const internal = /^__@(\w+)@\d+$/.exec(escaped);
  return internal !== null && WELL_KNOWN_SYMBOLS.has(internal[1] as string)
    ? `[Symbol.${internal[1]}]`
    : undefined;
}

function isThisParameter(p: ts.ParameterDeclaration): boolean {
  return ts.isIdentifier(p.name) && p.name.text === 'this';
}

/**
 * A parameter typed `unknown` (or `any`) that the body narrows with `typeof x === 'number'` takes the first
 * type it is checked for: a value of that type reaches the code behind the check.
 */
function typesFromGuards(params: ParamModel[], body: ts.Node): void {
  const open = new Map(params.filter((p) => p.type.kind === 'unknown').map((p) => [p.name, p]));
  if (open.size === 0) return;
  const seen = new Map<string, ValueType[]>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      /^[!=]==?$/.test(node.operatorToken.getText()) &&
      ts.isTypeOfExpression(node.left) &&
      ts.isIdentifier(node.left.expression) &&
      ts.isStringLiteral(node.right)
    ) {
      const param = open.get(node.left.expression.text);
      const kind = node.right.text;
      if (param !== undefined && (kind === 'number' || kind === 'string' || kind === 'boolean')) {
        const kinds = seen.get(param.name) ?? [];
        if (!kinds.some((k) => k.kind === kind)) kinds.push({ kind });
        seen.set(param.name, kinds);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  for (const [name, [first, ...others]] of seen) {
    const param = open.get(name);
    if (param === undefined || first === undefined) continue;
    param.type = first;
    param.otherTypes = [...others, { kind: 'null' }];
  }
}

/** Strings passed to JSON.parse, new URL or new Date get values those accept. */
function hintStringsFromUse(params: ParamModel[], body: ts.Node): void {
  const byName = new Map(params.filter((p) => p.type.kind === 'string').map((p) => [p.name, p]));
  if (byName.size === 0) return;
  const visit = (node: ts.Node): void => {
    let callee: string | undefined;
    let args: readonly ts.Expression[] | undefined;
    if (ts.isCallExpression(node)) {
      callee = node.expression.getText();
      args = node.arguments;
    } else if (ts.isNewExpression(node)) {
      callee = `new ${node.expression.getText()}`;
      args = node.arguments;
    }
    const first = args?.[0];
    if (callee !== undefined && first !== undefined && ts.isIdentifier(first)) {
      const param = byName.get(first.text);
      const hint: StringHint | undefined =
        callee === 'JSON.parse'
          ? 'json'
          : callee === 'new URL'
            ? 'url'
            : callee === 'new Date' || callee === 'Date.parse'
              ? 'date'
              : undefined;
      if (param !== undefined && hint !== undefined && param.type.kind === 'string') {
        param.type = { ...param.type, hint };
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
}

/** The module's top-level `const NAME = <literal>` (a regex, a string, a number, an array of them): guards read them. */
function moduleConstants(file: ts.SourceFile): Map<string, Expr> {
  const constants = new Map<string, Expr>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const))
      continue;
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.initializer === undefined) continue;
      const value = toExpr(d.initializer);
      if (value.op === 'lit') constants.set(d.name.text, value);
    }
  }
  return constants;
}

/** Throws of a body with their guards; nested functions and try blocks are left out (their throws are not this call's). */
export function collectThrows(
  body: ts.Block,
  file: ts.SourceFile,
  followed: readonly ts.Node[] = [],
): ThrowSite[] {
  const collector = new ThrowCollector(file, body.parent, [...followed, body.parent]);
  collector.block(body.statements, [], moduleConstants(file));
  return collector.sites;
}

/** Parameter names of a function-like node. */
function parameterNames(node: ts.Node): string[] {
  if (!ts.isFunctionLike(node)) return [];
  return node.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : []));
}

/** The module's own function or class constructor a call or `new` runs, with a body to read. */
function calleeIn(
  file: ts.SourceFile,
  call: ts.CallExpression | ts.NewExpression,
): ts.FunctionLikeDeclaration | undefined {
  if (!ts.isIdentifier(call.expression)) return undefined;
  const name = call.expression.text;
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body !== undefined)
      return ts.isCallExpression(call) ? statement : undefined;
    if (ts.isClassDeclaration(statement) && statement.name?.text === name && ts.isNewExpression(call))
      return statement.members.find(
        (m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined,
      );
  }
  return undefined;
}

/** Whether an expression reads nothing but these names and literals (no call, no other variable). */
function readsOnly(node: ts.Expression, names: ReadonlySet<string>): boolean {
  let only = true;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isFunctionLike(n)) only = false;
    else if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n))
      only &&= names.has(n.text) || n.text === 'undefined';
    if (only) ts.forEachChild(n, visit);
  };
  visit(node);
  return only;
}

class ThrowCollector {
  readonly sites: ThrowSite[] = [];
  readonly #params: ReadonlySet<string>;

  /** `followed`: the functions on the way here (a call is followed one level deep, never back into them). */
  constructor(
    private readonly file: ts.SourceFile,
    owner: ts.Node,
    private readonly followed: readonly ts.Node[],
  ) {
    this.#params = new Set(parameterNames(owner));
  }

  /**
   * The throws of this module's functions and constructors the statement calls, under the caller's guards:
   * `toHex` calling `decodeBase64(text)` throws what it throws. A callee is left out when its names would
   * be read as the caller's (a parameter passed under another caller parameter's name).
   */
  #calls(node: ts.Node, path: GuardStep[], locals: Map<string, Expr>): void {
    if (this.followed.length > 1) return;
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        const callee = calleeIn(this.file, n);
        if (callee?.body !== undefined && ts.isBlock(callee.body) && !this.followed.includes(callee))
          this.#inline(callee, callee.body, n.arguments ?? [], path, locals);
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
  }

  #inline(
    callee: ts.FunctionLikeDeclaration,
    body: ts.Block,
    args: readonly ts.Expression[],
    path: GuardStep[],
    locals: Map<string, Expr>,
  ): void {
    const bindings = new Map<string, Expr>();
    for (const [i, p] of callee.parameters.entries()) {
      if (!ts.isIdentifier(p.name) || p.dotDotDotToken !== undefined) return;
      const arg = args[i];
      const name = p.name.text;
      // Only arguments read from the caller's parameters and literals: a callee guard over a value the caller
      // computed would leave the caller's every case unknown.
      if (arg !== undefined && !readsOnly(arg, this.#params)) return;
      if (arg !== undefined && ts.isIdentifier(arg) && arg.text === name) continue;
      if (this.#params.has(name)) return;
      bindings.set(name, arg === undefined ? { op: 'lit', value: undefined } : toExpr(arg));
    }
    for (const site of collectThrows(body, this.file, this.followed)) {
      const own = [...site.locals.keys()].filter((k) => !bindings.has(k) && this.#params.has(k));
      if (own.length > 0) return;
      this.sites.push({
        ...site,
        path: [...path, ...site.path],
        locals: new Map([...locals, ...site.locals, ...bindings]),
      });
    }
  }

  /** The statements of a block: const locals are known after their declaration; code after `if (c) return/throw` runs only when c is false. */
  block(
    statements: readonly ts.Statement[],
    path: GuardStep[],
    locals: Map<string, Expr>,
    condition?: string,
  ): void {
    const current = [...path];
    const scope = new Map(locals);
    for (const statement of statements) {
      this.#statement(statement, current, scope, condition);
      if (ts.isVariableStatement(statement) && statement.declarationList.flags & ts.NodeFlags.Const) {
        for (const d of statement.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && d.initializer !== undefined)
            scope.set(d.name.text, toExpr(d.initializer));
        }
      }
      if (
        ts.isIfStatement(statement) &&
        statement.elseStatement === undefined &&
        exits(statement.thenStatement)
      )
        current.push({ kind: 'cond', expr: toExpr(statement.expression), negate: true });
      if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) break;
    }
  }

  #statement(node: ts.Statement, path: GuardStep[], locals: Map<string, Expr>, condition?: string): void {
    if (ts.isExpressionStatement(node) || ts.isReturnStatement(node) || ts.isVariableStatement(node))
      this.#calls(node, path, locals);
    if (ts.isBlock(node)) this.block(node.statements, path, locals, condition);
    else if (ts.isThrowStatement(node)) this.#throw(node, path, locals, condition);
    else if (ts.isIfStatement(node)) this.#if(node, path, locals);
    else if (ts.isForOfStatement(node)) this.#forOf(node, path, locals, condition);
    else if (ts.isIterationStatement(node, false))
      this.#statement(node.statement, [...path, { kind: 'opaque' }], new Map(locals), condition);
    else if (ts.isSwitchStatement(node)) this.#switch(node, path, locals, condition);
    else if (ts.isLabeledStatement(node)) this.#statement(node.statement, path, locals, condition);
    // try/catch: a throw in the try block is caught; one in catch depends on what failed.
  }

  #throw(node: ts.ThrowStatement, path: GuardStep[], locals: Map<string, Expr>, condition?: string): void {
    const site: ThrowSite = {
      path: [...path],
      locals: new Map(locals),
      line: this.file.getLineAndCharacterOfPosition(node.getStart(this.file)).line + 1,
    };
    const errorClass = errorClassOf(node.expression);
    if (errorClass !== undefined) site.errorClass = errorClass;
    if (condition !== undefined) site.conditionText = condition;
    this.sites.push(site);
  }

  #if(node: ts.IfStatement, path: GuardStep[], locals: Map<string, Expr>): void {
    const expr = toExpr(node.expression);
    const text = node.expression.getText(this.file);
    this.#statement(
      node.thenStatement,
      [...path, { kind: 'cond', expr, negate: false }],
      new Map(locals),
      text,
    );
    if (node.elseStatement !== undefined)
      this.#statement(
        node.elseStatement,
        [...path, { kind: 'cond', expr, negate: true }],
        new Map(locals),
        `!(${text})`,
      );
  }

  #forOf(node: ts.ForOfStatement, path: GuardStep[], locals: Map<string, Expr>, condition?: string): void {
    const init = node.initializer;
    const declared =
      ts.isVariableDeclarationList(init) && init.declarations.length === 1
        ? init.declarations[0]?.name
        : undefined;
    const step: GuardStep =
      declared !== undefined && ts.isIdentifier(declared)
        ? { kind: 'each', name: declared.text, iterable: toExpr(node.expression) }
        : { kind: 'opaque' };
    this.#statement(node.statement, [...path, step], new Map(locals), condition);
  }

  /** Each case under `subject === value`; default under none of the values. */
  #switch(node: ts.SwitchStatement, path: GuardStep[], locals: Map<string, Expr>, condition?: string): void {
    const subject = toExpr(node.expression);
    const equals = (value: Expr, negate: boolean): GuardStep => ({
      kind: 'cond',
      expr: { op: 'binary', operator: '===', left: subject, right: value },
      negate,
    });
    const cases: Expr[] = [];
    for (const clause of node.caseBlock.clauses) {
      if (ts.isCaseClause(clause)) {
        const value = toExpr(clause.expression);
        cases.push(value);
        this.block(clause.statements, [...path, equals(value, false)], new Map(locals), condition);
      } else {
        const unhandled = `unhandled ${node.expression.getText(this.file)}`;
        this.block(
          clause.statements,
          [...path, ...cases.map((v) => equals(v, true))],
          new Map(locals),
          unhandled,
        );
      }
    }
  }
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements.at(-1);
    return last !== undefined && exits(last);
  }
  return false;
}

function errorClassOf(expression: ts.Expression): string | undefined {
  const e = unwrap(expression);
  if ((ts.isNewExpression(e) || ts.isCallExpression(e)) && ts.isIdentifier(e.expression))
    return e.expression.text;
  return undefined;
}

const BINARY: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.LessThanToken]: '<',
  [ts.SyntaxKind.LessThanEqualsToken]: '<=',
  [ts.SyntaxKind.GreaterThanToken]: '>',
  [ts.SyntaxKind.GreaterThanEqualsToken]: '>=',
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: '===',
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '!==',
  [ts.SyntaxKind.EqualsEqualsToken]: '==',
  [ts.SyntaxKind.ExclamationEqualsToken]: '!=',
  [ts.SyntaxKind.AmpersandAmpersandToken]: '&&',
  [ts.SyntaxKind.BarBarToken]: '||',
  [ts.SyntaxKind.PlusToken]: '+',
  [ts.SyntaxKind.MinusToken]: '-',
  [ts.SyntaxKind.AsteriskToken]: '*',
  [ts.SyntaxKind.SlashToken]: '/',
  [ts.SyntaxKind.PercentToken]: '%',
};

/** An expression in the evaluator's terms; anything else is `unknown`. */
export function toExpr(node: ts.Expression): Expr {
  const e = unwrap(node);
  if (ts.isNumericLiteral(e)) return { op: 'lit', value: Number(e.text) };
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { op: 'lit', value: e.text };
  if (e.kind === ts.SyntaxKind.TrueKeyword) return { op: 'lit', value: true };
  if (e.kind === ts.SyntaxKind.FalseKeyword) return { op: 'lit', value: false };
  if (e.kind === ts.SyntaxKind.NullKeyword) return { op: 'lit', value: null };
  if (ts.isRegularExpressionLiteral(e)) {
    const match = /^\/(.*)\/([a-z]*)$/s.exec(e.text);
    try {
      return match === null
        ? { op: 'unknown' }
        : { op: 'lit', value: new RegExp(match[1] as string, match[2]) };
    } catch {
      // A flag or syntax this runtime does not know.
      return { op: 'unknown' };
    }
  }
  if (e.kind === ts.SyntaxKind.ThisKeyword) return { op: 'var', name: 'this' };
  if (ts.isIdentifier(e)) {
    if (e.text === 'undefined') return { op: 'lit', value: undefined };
    if (e.text === 'NaN') return { op: 'lit', value: Number.NaN };
    if (e.text === 'Infinity') return { op: 'lit', value: Number.POSITIVE_INFINITY };
    return { op: 'var', name: e.text };
  }
  if (ts.isArrayLiteralExpression(e)) {
    const values = e.elements.map((el) => toExpr(el));
    if (values.every((v) => v.op === 'lit')) {
      return { op: 'lit', value: values.map((v) => (v.op === 'lit' ? v.value : undefined)) };
    }
    return { op: 'unknown' };
  }
  if (ts.isPropertyAccessExpression(e)) {
    const text = e.getText();
    const constants: Record<string, number> = {
      'Number.MAX_SAFE_INTEGER': Number.MAX_SAFE_INTEGER,
      'Number.MIN_SAFE_INTEGER': Number.MIN_SAFE_INTEGER,
      'Number.POSITIVE_INFINITY': Number.POSITIVE_INFINITY,
      'Number.NEGATIVE_INFINITY': Number.NEGATIVE_INFINITY,
      'Number.EPSILON': Number.EPSILON,
    };
    if (Object.hasOwn(constants, text)) return { op: 'lit', value: constants[text] };
    return { op: 'prop', object: toExpr(e.expression), name: e.name.text };
  }
  if (ts.isElementAccessExpression(e)) {
    return { op: 'index', object: toExpr(e.expression), index: toExpr(e.argumentExpression) };
  }
  if (ts.isPrefixUnaryExpression(e)) {
    const arg = toExpr(e.operand);
    if (e.operator === ts.SyntaxKind.ExclamationToken) return { op: 'not', arg };
    if (e.operator === ts.SyntaxKind.MinusToken) return { op: 'neg', arg };
    if (e.operator === ts.SyntaxKind.PlusToken) return arg;
    return { op: 'unknown' };
  }
  if (ts.isTypeOfExpression(e)) return { op: 'typeof', arg: toExpr(e.expression) };
  if (ts.isBinaryExpression(e)) {
    const operator = BINARY[e.operatorToken.kind];
    if (operator === undefined) return { op: 'unknown' };
    return { op: 'binary', operator, left: toExpr(e.left), right: toExpr(e.right) };
  }
  if (ts.isCallExpression(e)) {
    const args = e.arguments.map((a) => toExpr(a));
    const callee = e.expression;
    if (ts.isIdentifier(callee)) return { op: 'call', callee: callee.text, args };
    if (ts.isPropertyAccessExpression(callee)) {
      if (ts.isIdentifier(callee.expression) && /^(Number|Array|Math|Object)$/.test(callee.expression.text)) {
        return { op: 'call', callee: `${callee.expression.text}.${callee.name.text}`, args };
      }
      return { op: 'method', object: toExpr(callee.expression), name: callee.name.text, args };
    }
  }
  return { op: 'unknown' };
}
