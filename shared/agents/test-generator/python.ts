/**
 * Reads a Python module through the shared tree-sitter loader
 * (analysis/source/treesitter.ts): public top-level
 * functions and classes with their public methods, parameters with their
 * annotations and defaults, and every `raise` with the `if` conditions that
 * guard it.
 */
import {
  type SyntaxNode as Node,
  namedChildren,
  type ParseError,
  syntaxErrorsOf,
  withSyntaxTree,
} from '../../analysis/source/treesitter.js';
import {
  type CallableModel,
  type ClassModel,
  type Expr,
  type GuardStep,
  type ModuleModel,
  type ParamModel,
  PY_BUILTIN_ERRORS,
  type ThrowSite,
  type ValueType,
  withHint,
} from './model.js';

export interface PythonParseResult {
  model: ModuleModel;
  syntaxErrors: ParseError[];
}

export async function readPythonModule(content: string): Promise<PythonParseResult> {
  const result = await withSyntaxTree('python', content, (root) => ({
    model: moduleModel(root),
    syntaxErrors: syntaxErrorsOf(root),
  }));
  if (result === undefined) throw new Error('tree-sitter gave up parsing the module within its time budget');
  return result;
}

function moduleModel(root: Node): ModuleModel {
  const functions: CallableModel[] = [];
  const classes: ClassModel[] = [];
  const importableErrors = new Set(PY_BUILTIN_ERRORS);
  for (const child of root.namedChildren) {
    if (child === null) continue;
    const node = child.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
    if (node === null) continue;
    const name = node.childForFieldName('name')?.text ?? '';
    if (node.type === 'function_definition' && !name.startsWith('_')) functions.push(callable(node, false));
    if (node.type === 'class_definition') {
      // Any class of the module (also one it imports) is an attribute the test can import.
      importableErrors.add(name);
      if (!name.startsWith('_')) classes.push(classModel(node));
    }
    if (child.type === 'import_from_statement') {
      for (const imported of child.childrenForFieldName('name')) {
        const alias = imported?.type === 'aliased_import' ? imported.childForFieldName('alias') : imported;
        if (alias?.text !== undefined) importableErrors.add(alias.text);
      }
    }
  }
  return { language: 'python', functions, classes, importableErrors, importedErrors: new Map(), skipped: [] };
}

function classModel(node: Node): ClassModel {
  const name = node.childForFieldName('name')?.text ?? 'Unnamed';
  const body = node.childForFieldName('body');
  const methods: CallableModel[] = [];
  let constructorParams: ParamModel[] = [];
  let constructorThrows: ThrowSite[] = [];
  const fields = new Map<string, number>();
  for (const child of body?.namedChildren ?? []) {
    if (child === null) continue;
    const decorated = child.type === 'decorated_definition';
    const definition = decorated ? child.childForFieldName('definition') : child;
    if (definition?.type !== 'function_definition') continue;
    const decorators = decorated
      ? child.namedChildren.filter((c) => c?.type === 'decorator').map((c) => c?.text)
      : [];
    if (decorators.some((d) => d === '@property' || d?.endsWith('.setter'))) continue;
    const isStatic = decorators.includes('@staticmethod');
    const methodName = definition.childForFieldName('name')?.text ?? '';
    if (methodName === '__init__') {
      const model = callable(definition, true);
      constructorParams = [...model.params];
      constructorThrows = [...model.throws];
      for (const statement of definition.childForFieldName('body')?.namedChildren ?? []) {
        const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : null;
        if (assignment?.type !== 'assignment') continue;
        const left = assignment.childForFieldName('left');
        const right = assignment.childForFieldName('right');
        if (
          left?.type !== 'attribute' ||
          left.childForFieldName('object')?.text !== 'self' ||
          right?.type !== 'identifier'
        )
          continue;
        const index = constructorParams.findIndex((p) => p.name === right.text);
        const field = left.childForFieldName('attribute')?.text;
        if (index >= 0 && field !== undefined) fields.set(field, index);
      }
      continue;
    }
    if (methodName.startsWith('_') || decorators.includes('@classmethod')) continue;
    const model = callable(definition, !isStatic);
    methods.push(isStatic ? { ...model, static: true } : model);
  }
  return {
    name,
    constructorParams,
    constructorThrows,
    methods,
    line: node.startPosition.row + 1,
    fieldsFromParams: fields,
  };
}

function callable(node: Node, isMethod: boolean): CallableModel {
  const name = node.childForFieldName('name')?.text ?? 'unnamed';
  const isAsync = node.children.some((c) => c?.type === 'async');
  const params: ParamModel[] = [];
  let keywordOnly = false;
  const list = node.childForFieldName('parameters')?.namedChildren ?? [];
  list.forEach((p, index) => {
    if (p === null) return;
    if (isMethod && index === 0 && (p.type === 'identifier' || p.type === 'typed_parameter')) return;
    if (
      p.type === 'keyword_separator' ||
      p.type === 'list_splat_pattern' ||
      p.type === 'dictionary_splat_pattern'
    ) {
      if (p.type !== 'dictionary_splat_pattern') keywordOnly = true;
      return;
    }
    if (p.type === 'typed_parameter' && p.namedChildren[0]?.type !== 'identifier') {
      keywordOnly = true; // *args: int or **kwargs: str
      return;
    }
    const paramName =
      p.type === 'identifier'
        ? p.text
        : (p.childForFieldName('name')?.text ?? p.namedChildren[0]?.text ?? 'arg');
    const annotation = p.childForFieldName('type');
    const value = p.childForFieldName('value');
    const model: ParamModel = {
      name: paramName,
      type: withHint(annotation === null ? { kind: 'unknown' } : describeAnnotation(annotation), paramName),
      optional: value !== null,
      rest: false,
    };
    if (value !== null) model.defaultValue = toExpr(value);
    if (keywordOnly) model.keywordOnly = true;
    params.push(model);
  });
  const returnType = node.childForFieldName('return_type');
  const body = node.childForFieldName('body');
  return {
    name,
    params,
    returns: returnType === null ? { kind: 'unknown' } : describeAnnotation(returnType),
    async: isAsync,
    returnsPromise: isAsync,
    throws: body === null ? [] : collectRaises(body),
    line: node.startPosition.row + 1,
  };
}

/** A type annotation as a value type (int, str, list[int], Optional[X], X | None, Literal[...], dict[...]). */
export function describeAnnotation(node: Node): ValueType {
  const inner = node.type === 'type' ? node.namedChildren[0] : node;
  if (inner === null || inner === undefined) return { kind: 'unknown' };
  switch (inner.type) {
    case 'identifier':
    case 'attribute':
      return simpleType(inner.text);
    case 'none':
      return { kind: 'void' };
    case 'union_type':
    case 'binary_operator': {
      const members = inner.namedChildren.filter((c): c is Node => c !== null).map(describeAnnotation);
      const nonNull = members.filter((m) => m.kind !== 'void');
      const nullable = nonNull.length < members.length;
      const first = nonNull[0] ?? { kind: 'unknown' };
      return nullable ? { ...first, nullable: true } : first;
    }
    case 'generic_type':
    case 'subscript': {
      const base = (inner.namedChildren[0]?.text ?? '').replace(/^typing\./, '');
      const args = (inner.namedChildren.slice(1) as (Node | null)[])
        .flatMap((c) => (c?.type === 'type_parameter' ? c.namedChildren : [c]))
        .filter((c): c is Node => c !== null);
      switch (base) {
        case 'list':
        case 'List':
        case 'Sequence':
        case 'Iterable':
        case 'set':
        case 'Set':
        case 'tuple':
        case 'Tuple':
          return {
            kind: 'array',
            element: args[0] === undefined ? { kind: 'unknown' } : describeAnnotation(args[0]),
          };
        case 'dict':
        case 'Dict':
        case 'Mapping':
          return { kind: 'object', properties: [], dict: true };
        case 'Optional': {
          const of = args[0] === undefined ? ({ kind: 'unknown' } as ValueType) : describeAnnotation(args[0]);
          return { ...of, nullable: true };
        }
        case 'Literal': {
          const values = args
            .map((a) => toExpr(a.type === 'type' ? (a.namedChildren[0] ?? a) : a))
            .flatMap((e) =>
              e.op === 'lit' && ['string', 'number', 'boolean'].includes(typeof e.value)
                ? [e.value as string]
                : [],
            );
          return values.length === 0 ? { kind: 'unknown' } : { kind: 'literal', values };
        }
        default:
          return { kind: 'unknown' };
      }
    }
    default:
      return { kind: 'unknown' };
  }
}

function simpleType(name: string): ValueType {
  switch (name) {
    case 'int':
    case 'float':
      return { kind: 'number' };
    case 'str':
      return { kind: 'string' };
    case 'bool':
      return { kind: 'boolean' };
    case 'list':
      return { kind: 'array', element: { kind: 'unknown' } };
    case 'dict':
      return { kind: 'object', properties: [], dict: true };
    case 'datetime':
    case 'datetime.datetime':
      return { kind: 'date' };
    default:
      return { kind: 'unknown' };
  }
}

/** Raises of a body with their guards; try blocks and nested definitions are left out (their raises are not this call's). */
/** The module's top-level `NAME = <literal>` / `NAME = re.compile(r'…')`: guards read them. */
function moduleConstants(body: Node): Map<string, Expr> {
  const constants = new Map<string, Expr>();
  let root: Node = body;
  while (root.parent !== null) root = root.parent;
  for (const statement of root.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'identifier' || right === null) continue;
    const value = toExpr(right);
    if (value.op === 'lit') constants.set(left.text, value);
  }
  return constants;
}

function collectRaises(body: Node): ThrowSite[] {
  const collector = new RaiseCollector(moduleConstants(body));
  collector.block(body, []);
  return collector.sites;
}

class RaiseCollector {
  readonly sites: ThrowSite[] = [];

  constructor(private readonly constants: ReadonlyMap<string, Expr>) {}

  /** The statements of a block; code after `if c: return/raise` runs only when c is false. */
  block(block: Node, path: GuardStep[], condition?: string): void {
    const current = [...path];
    for (const statement of namedChildren(block)) {
      this.#statement(statement, current, condition);
      const exit = exitGuard(statement);
      if (exit !== undefined) current.push({ kind: 'cond', expr: toExpr(exit), negate: true });
      if (statement.type === 'return_statement' || statement.type === 'raise_statement') break;
    }
  }

  #statement(node: Node, path: GuardStep[], condition?: string): void {
    if (node.type === 'raise_statement') this.#raise(node, path, condition);
    else if (node.type === 'if_statement') this.#if(node, path);
    else if (node.type === 'for_statement') this.#for(node, path, condition);
    else if (node.type === 'while_statement' || node.type === 'with_statement') {
      const inner = node.childForFieldName('body');
      if (inner !== null) this.block(inner, [...path, { kind: 'opaque' }], condition);
    }
  }

  #raise(node: Node, path: GuardStep[], condition?: string): void {
    const raised = node.namedChildren[0];
    const callee = raised?.type === 'call' ? raised.childForFieldName('function') : raised;
    const site: ThrowSite = {
      path: [...path],
      locals: new Map(this.constants),
      line: node.startPosition.row + 1,
    };
    if (callee?.type === 'identifier') site.errorClass = callee.text;
    if (condition !== undefined) site.conditionText = condition;
    this.sites.push(site);
  }

  #if(node: Node, path: GuardStep[]): void {
    const test = node.childForFieldName('condition');
    if (test === null) return;
    const expr = toExpr(test);
    const consequence = node.childForFieldName('consequence');
    if (consequence !== null)
      this.block(consequence, [...path, { kind: 'cond', expr, negate: false }], test.text);
    const negated: GuardStep[] = [...path, { kind: 'cond', expr, negate: true }];
    for (const alternative of node.childrenForFieldName('alternative')) {
      if (alternative?.type === 'else_clause') {
        const elseBody = alternative.childForFieldName('body');
        if (elseBody !== null) this.block(elseBody, [...negated], `not (${test.text})`);
      } else if (alternative?.type === 'elif_clause') {
        const elifTest = alternative.childForFieldName('condition');
        const elifBody = alternative.childForFieldName('consequence');
        if (elifTest === null || elifBody === null) continue;
        const elifExpr = toExpr(elifTest);
        this.block(elifBody, [...negated, { kind: 'cond', expr: elifExpr, negate: false }], elifTest.text);
        negated.push({ kind: 'cond', expr: elifExpr, negate: true });
      }
    }
  }

  #for(node: Node, path: GuardStep[], condition?: string): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const step: GuardStep =
      left?.type === 'identifier' && right !== null
        ? { kind: 'each', name: left.text, iterable: toExpr(right) }
        : { kind: 'opaque' };
    const inner = node.childForFieldName('body');
    if (inner !== null) this.block(inner, [...path, step], condition);
  }
}

/** The condition of an `if` without else whose body ends in return or raise. */
function exitGuard(statement: Node): Node | undefined {
  if (statement.type !== 'if_statement' || statement.childrenForFieldName('alternative').length > 0)
    return undefined;
  const last = statement.childForFieldName('consequence')?.namedChildren.at(-1);
  const test = statement.childForFieldName('condition');
  return test !== null && (last?.type === 'return_statement' || last?.type === 'raise_statement')
    ? test
    : undefined;
}

const COMPARISONS: Record<string, string> = {
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '==': '===',
  '!=': '!==',
  in: 'in',
  'not in': 'not in',
  is: '===',
  'is not': '!==',
};

const UNKNOWN_EXPR: Expr = { op: 'unknown' };

/** An expression in the evaluator's terms; anything else is `unknown`. */
export function toExpr(node: Node): Expr {
  return Object.hasOwn(EXPRESSIONS, node.type)
    ? (EXPRESSIONS[node.type]?.(node) ?? UNKNOWN_EXPR)
    : UNKNOWN_EXPR;
}

const literal = (value: unknown): Expr => ({ op: 'lit', value });

function stringExpr(node: Node): Expr {
  const content = node.namedChildren.filter((c) => c?.type === 'string_content');
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return UNKNOWN_EXPR;
  return literal(content.map((c) => c?.text ?? '').join(''));
}

function sequenceExpr(node: Node): Expr {
  const values = namedChildren(node).map(toExpr);
  if (values.every((v) => v.op === 'lit'))
    return literal(values.map((v) => (v.op === 'lit' ? v.value : null)));
  return UNKNOWN_EXPR;
}

function attributeExpr(node: Node): Expr {
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute');
  return object === null || attribute === null
    ? UNKNOWN_EXPR
    : { op: 'prop', object: toExpr(object), name: attribute.text };
}

function subscriptExpr(node: Node): Expr {
  const value = node.childForFieldName('value');
  const index = node.childForFieldName('subscript');
  if (value === null || index === null) return UNKNOWN_EXPR;
  if (index.type !== 'string') return { op: 'index', object: toExpr(value), index: toExpr(index) };
  const key = toExpr(index);
  return key.op === 'lit' ? { op: 'prop', object: toExpr(value), name: String(key.value) } : UNKNOWN_EXPR;
}

function unaryExpr(node: Node): Expr {
  const argument = node.childForFieldName('argument');
  const operator = node.child(0)?.type;
  if (argument === null) return UNKNOWN_EXPR;
  if (operator === '-') return { op: 'neg', arg: toExpr(argument) };
  return operator === '+' ? toExpr(argument) : UNKNOWN_EXPR;
}

function booleanExpr(node: Node): Expr {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.type ?? node.child(1)?.type;
  if (left === null || right === null) return UNKNOWN_EXPR;
  return {
    op: 'binary',
    operator: operator === 'and' ? '&&' : '||',
    left: toExpr(left),
    right: toExpr(right),
  };
}

function arithmeticExpr(node: Node): Expr {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.type;
  if (
    left === null ||
    right === null ||
    operator === undefined ||
    !['+', '-', '*', '/', '%'].includes(operator)
  )
    return UNKNOWN_EXPR;
  return { op: 'binary', operator, left: toExpr(left), right: toExpr(right) };
}

/** The operators of a comparison chain, two-word ones (`not in`, `is not`) joined. */
function comparisonOperators(node: Node): string[] {
  const operators = node.children.filter((c): c is Node => c !== null && !c.isNamed).map((c) => c.text);
  const joined: string[] = [];
  for (let i = 0; i < operators.length; i++) {
    const op = operators[i] as string;
    if ((op === 'not' && operators[i + 1] === 'in') || (op === 'is' && operators[i + 1] === 'not')) {
      joined.push(`${op} ${operators[i + 1]}`);
      i += 1;
    } else joined.push(op);
  }
  return joined;
}

/** `a < b < c`: each pair, joined by and. */
function comparisonExpr(node: Node): Expr {
  const operands = namedChildren(node);
  let result: Expr | undefined;
  comparisonOperators(node).forEach((op, i) => {
    const left = operands[i];
    const right = operands[i + 1];
    const operator = COMPARISONS[op];
    const pair: Expr =
      left === undefined || right === undefined || operator === undefined
        ? UNKNOWN_EXPR
        : { op: 'binary', operator, left: toExpr(left), right: toExpr(right) };
    result = result === undefined ? pair : { op: 'binary', operator: '&&', left: result, right: pair };
  });
  return result ?? UNKNOWN_EXPR;
}

/** Python's `re` syntax where it differs from JavaScript's (named groups), as a RegExp; undefined when it will not compile. */
export function pythonRegex(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== 'string') return undefined;
  try {
    return new RegExp(pattern.replaceAll('(?P<', '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
  } catch {
    return undefined;
  }
}

/** `re.compile(p)`, `re.match(p, s)`, `re.fullmatch(p, s)`, `re.search(p, s)` with a literal pattern. */
function regexCall(name: string, args: readonly Expr[]): Expr {
  const [pattern, subject] = args;
  const regex = pattern?.op === 'lit' ? pythonRegex(pattern.value) : undefined;
  if (regex === undefined) return UNKNOWN_EXPR;
  if (name === 'compile') return literal(regex);
  if ((name === 'match' || name === 'fullmatch' || name === 'search') && subject !== undefined)
    return { op: 'method', object: literal(regex), name, args: [subject] };
  return UNKNOWN_EXPR;
}

function callExpr(node: Node): Expr {
  const fn = node.childForFieldName('function');
  const args = (node.childForFieldName('arguments')?.namedChildren ?? [])
    .filter((c): c is Node => c !== null && c.type !== 'keyword_argument')
    .map(toExpr);
  if (fn?.type === 'identifier') return { op: 'call', callee: fn.text, args };
  if (fn?.type !== 'attribute') return UNKNOWN_EXPR;
  const object = fn.childForFieldName('object');
  const attribute = fn.childForFieldName('attribute')?.text ?? '';
  if (object?.type === 'identifier' && object.text === 'math')
    return { op: 'call', callee: `math.${attribute}`, args };
  if (object?.type === 'identifier' && object.text === 're') return regexCall(attribute, args);
  return object === null ? UNKNOWN_EXPR : { op: 'method', object: toExpr(object), name: attribute, args };
}

const EXPRESSIONS: Readonly<Record<string, (node: Node) => Expr>> = {
  integer: (node) => literal(Number(node.text.replaceAll('_', ''))),
  float: (node) => literal(Number(node.text.replaceAll('_', ''))),
  string: stringExpr,
  true: () => literal(true),
  false: () => literal(false),
  none: () => literal(null),
  identifier: (node) => ({ op: 'var', name: node.text }),
  parenthesized_expression: (node) => (node.namedChildren[0] ? toExpr(node.namedChildren[0]) : UNKNOWN_EXPR),
  list: sequenceExpr,
  tuple: sequenceExpr,
  set: sequenceExpr,
  attribute: attributeExpr,
  subscript: subscriptExpr,
  not_operator: (node) => {
    const argument = node.childForFieldName('argument');
    return argument === null ? UNKNOWN_EXPR : { op: 'not', arg: toExpr(argument) };
  },
  unary_operator: unaryExpr,
  boolean_operator: booleanExpr,
  binary_operator: arithmeticExpr,
  comparison_operator: comparisonExpr,
  call: callExpr,
};
