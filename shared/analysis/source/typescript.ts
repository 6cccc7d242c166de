/**
 * The one TypeScript / JavaScript front-end (the TypeScript compiler API):
 * a file parsed once on its own (`parseScript`, syntax only, what a reviewer
 * needs) or inside a type-checked program of the given files
 * (`openScriptProgram`, what a test generator needs to resolve parameter
 * types), plus the questions both ask of the tree — which nodes are
 * functions and what they are called, what a call calls, which branches add
 * to complexity and nesting, which names a module imports from where.
 */
import { posix } from 'node:path';
import ts from 'typescript';
import type { ParseError } from './parse-error.js';

export type { ParseError } from './parse-error.js';

export type ScriptLanguage = 'typescript' | 'javascript';

/** JavaScript for .js / .mjs / .cjs / .jsx, TypeScript otherwise. */
export function scriptLanguageOf(path: string): ScriptLanguage {
  return /\.[mc]?jsx?$/i.test(path) ? 'javascript' : 'typescript';
}

export function scriptKindOf(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.[mc]?ts$/i.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

export interface Script {
  path: string;
  language: ScriptLanguage;
  file: ts.SourceFile;
  syntaxErrors: ParseError[];
  /** 1-based line of a node's first token, or of an offset. */
  lineOf(at: ts.Node | number): number;
}

function lineReader(file: ts.SourceFile): (at: ts.Node | number) => number {
  return (at) => {
    const offset = typeof at === 'number' ? at : at.getStart(file);
    return file.getLineAndCharacterOfPosition(offset).line + 1;
  };
}

function parseErrors(file: ts.SourceFile, diagnostics: readonly ts.Diagnostic[]): ParseError[] {
  return diagnostics.map((d) => ({
    line: d.start === undefined ? 1 : file.getLineAndCharacterOfPosition(d.start).line + 1,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

/** One file parsed on its own, with parent pointers; the script kind follows the extension. */
export function parseScript(path: string, content: string): Script {
  const file = ts.createSourceFile(path, content, ts.ScriptTarget.Latest, true, scriptKindOf(path));
  const diagnostics = (file as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics;
  return {
    path,
    language: scriptLanguageOf(path),
    file,
    syntaxErrors: parseErrors(file, diagnostics ?? []),
    lineOf: lineReader(file),
  };
}

export interface ScriptSource {
  path: string;
  content: string;
}

export interface ScriptProgram extends Script {
  checker: ts.TypeChecker;
}

const VIRTUAL_ROOT = '/__aiops_source__';

const PROGRAM_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  allowJs: true,
  checkJs: false,
  noEmit: true,
  skipLibCheck: true,
  lib: ['lib.es2023.d.ts'],
  types: [],
};

function virtualPath(path: string): string {
  return posix.join(VIRTUAL_ROOT, path.replaceAll('\\', '/').replace(/^\/+/, ''));
}

/** A compiler host that serves `files` from memory under a virtual root and the standard library from disk. */
function memoryHost(files: readonly ScriptSource[]): ts.CompilerHost {
  const virtual = new Map(files.map((file) => [virtualPath(file.path), file.content]));
  const host = ts.createCompilerHost(PROGRAM_OPTIONS, true);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const isVirtual = (name: string) => name.startsWith(VIRTUAL_ROOT);
  host.fileExists = (name) => virtual.has(name) || (!isVirtual(name) && fileExists(name));
  host.readFile = (name) => virtual.get(name) ?? (isVirtual(name) ? undefined : readFile(name));
  host.getSourceFile = (name, languageVersion, onError) => {
    const text = virtual.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, languageVersion, true);
    return getSourceFile(name, languageVersion, onError);
  };
  host.getCurrentDirectory = () => VIRTUAL_ROOT;
  host.directoryExists = (name) => isVirtual(name) || ts.sys.directoryExists(name);
  host.getDirectories = (name) => (isVirtual(name) ? [] : ts.sys.getDirectories(name));
  host.writeFile = () => undefined;
  return host;
}

/**
 * `target` parsed in a program holding all of `files` (and the ES2023
 * library), so imported types, aliases and unions resolve through the type
 * checker. Nothing is read from or written to the disk but the library.
 */
export function openScriptProgram(files: readonly ScriptSource[], target: ScriptSource): ScriptProgram {
  const all = files.some((f) => f.path === target.path) ? files : [...files, target];
  const targetPath = virtualPath(target.path);
  const program = ts.createProgram({
    rootNames: [targetPath],
    options: PROGRAM_OPTIONS,
    host: memoryHost(all),
  });
  const file = program.getSourceFile(targetPath);
  if (file === undefined) throw new Error(`The TypeScript program lost ${target.path}`);
  return {
    path: target.path,
    language: scriptLanguageOf(target.path),
    file,
    checker: program.getTypeChecker(),
    syntaxErrors: parseErrors(file, program.getSyntacticDiagnostics(file)),
    lineOf: lineReader(file),
  };
}

export type FunctionNode = ts.SignatureDeclaration & { body?: ts.Node };

/** Declarations and expressions with a body of their own: functions, arrows, methods, constructors, accessors. */
const FUNCTION_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

export function isFunctionLike(node: ts.Node): node is FunctionNode {
  return FUNCTION_KINDS.has(node.kind);
}

function ownName(node: ts.Node): string | undefined {
  const named = node as { name?: ts.Node };
  if (
    named.name !== undefined &&
    (ts.isIdentifier(named.name) || ts.isPrivateIdentifier(named.name) || ts.isStringLiteral(named.name))
  )
    return named.name.text;
  return undefined;
}

/**
 * What a function is called: its own name, the variable or property it is
 * assigned to, `<callback of map>`, qualified by its class (`Cart.total`).
 */
export function functionNameOf(node: ts.Node): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  let name = ownName(node);
  const parent = node.parent;
  if (name === undefined && parent !== undefined) {
    if (
      ts.isVariableDeclaration(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent)
    )
      name = ownName(parent);
    else if (ts.isCallExpression(parent)) name = `<callback of ${calleeName(parent.expression)}>`;
  }
  name ??= '<anonymous>';
  for (let up: ts.Node | undefined = node.parent; up !== undefined; up = up.parent) {
    if (ts.isClassLike(up)) return `${up.name?.text ?? '<class>'}.${name}`;
    if (isFunctionLike(up)) break;
  }
  return name;
}

/** `db.pool.query` → `db.pool.query`; calls and element access collapse. */
export function calleeText(expression: ts.Expression): string {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression))
    return `${calleeText(expression.expression)}.${expression.name.text}`;
  if (ts.isCallExpression(expression)) return `${calleeText(expression.expression)}()`;
  if (ts.isParenthesizedExpression(expression) || ts.isNonNullExpression(expression))
    return calleeText(expression.expression);
  if (expression.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return '?';
}

/** The last member of a callee: `query` of `db.pool.query`. */
export function calleeName(expression: ts.Expression): string {
  const text = calleeText(expression);
  return text.slice(text.lastIndexOf('.') + 1);
}

/** The expression inside parentheses, `as` and `satisfies`. */
export function unwrapExpression(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** A string with no substitution: `'a'`, `"a"`, `` `a` ``. */
export function isStringLiteralLike(
  node: ts.Node,
): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

const DECISION_OPERATORS = new Set([
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

/** Decision points a node adds to its function's cyclomatic complexity (McCabe). */
export function decisionPoints(node: ts.Node): number {
  switch (node.kind) {
    case ts.SyntaxKind.IfStatement:
    case ts.SyntaxKind.ConditionalExpression:
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
    case ts.SyntaxKind.CatchClause:
    case ts.SyntaxKind.CaseClause:
      return 1;
    case ts.SyntaxKind.BinaryExpression:
      return DECISION_OPERATORS.has((node as ts.BinaryExpression).operatorToken.kind) ? 1 : 0;
    default:
      return 0;
  }
}

const NESTING_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.SwitchStatement,
  ts.SyntaxKind.TryStatement,
]);

/** Whether a node opens a level of control-block nesting; an `else if` stays at its `if`'s level. */
export function opensNesting(node: ts.Node): boolean {
  if (ts.isIfStatement(node)) return !isElseIf(node);
  return NESTING_KINDS.has(node.kind);
}

/** The `if` of an `else if`. */
export function isElseIf(node: ts.Node): boolean {
  return ts.isIfStatement(node) && ts.isIfStatement(node.parent) && node.parent.elseStatement === node;
}

/** Value (not type-only) names a module imports by name: local name → module specifier. */
export function namedImports(file: ts.SourceFile): Map<string, string> {
  const imports = new Map<string, string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const bindings = clause?.namedBindings;
    if (clause?.isTypeOnly || bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements)
      if (!element.isTypeOnly) imports.set(element.name.text, statement.moduleSpecifier.text);
  }
  return imports;
}
