/**
 * The code-reviewer's TS/JS front-end: the facts of a file (functions with
 * their complexity and nesting, debugging leftovers, swallowed errors, eval,
 * SQL built from strings, comments and tokens) read from the tree the shared
 * TypeScript front-end (analysis/source/typescript.ts) parses.
 */
import ts from 'typescript';
import {
  calleeName,
  calleeText,
  decisionPoints,
  functionNameOf,
  isElseIf,
  isFunctionLike,
  isStringLiteralLike,
  opensNesting,
  parseScript,
  type Script,
} from '../../analysis/source/typescript.js';
import {
  type CommentFact,
  DEBUG_CONSOLE,
  deepen,
  type FileModel,
  type FunctionFact,
  functionFact,
  isScriptPath,
  looksLikeSql,
  MIN_DATA_TABLE_LINES,
  QUERY_CALLS,
  type SiteFact,
  TEST_CASE_CALLEES,
  TEST_GROUP_CALLEES,
  type TokenFact,
} from './model.js';

/** The literal parts and whether a non-literal part is spliced in, for `+` chains and template literals. */
function builtString(node: ts.Node): { literals: string[]; dynamic: boolean } | undefined {
  if (ts.isParenthesizedExpression(node)) return builtString(node.expression);
  if (ts.isTemplateExpression(node)) {
    if (ts.isTaggedTemplateExpression(node.parent)) return undefined;
    return {
      literals: [node.head.text, ...node.templateSpans.map((s) => s.literal.text)],
      dynamic: node.templateSpans.length > 0,
    };
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const parts: ts.Expression[] = [];
    const flatten = (e: ts.Expression) => {
      const inner = ts.isParenthesizedExpression(e) ? e.expression : e;
      if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        flatten(inner.left);
        flatten(inner.right);
      } else parts.push(inner);
    };
    flatten(node);
    const literals: string[] = [];
    let dynamic = false;
    let hasString = false;
    for (const part of parts) {
      if (isStringLiteralLike(part)) {
        hasString = true;
        literals.push(part.text);
      } else if (ts.isTemplateExpression(part)) {
        hasString = true;
        literals.push(part.head.text, ...part.templateSpans.map((s) => s.literal.text));
        dynamic ||= part.templateSpans.length > 0;
      } else if (!ts.isNumericLiteral(part)) dynamic = true;
    }
    return hasString ? { literals, dynamic } : undefined;
  }
  return undefined;
}

function dynamicSql(node: ts.Node): boolean {
  const built = builtString(node);
  return built?.dynamic === true && looksLikeSql(built.literals);
}

function isEmptyFunction(node: ts.Node): boolean {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  const body = node.body;
  if (ts.isBlock(body)) return body.statements.length === 0 && !/\/[/*]/.test(body.getText());
  return body.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(body) && body.text === 'undefined');
}

export function parseTypeScript(path: string, content: string): FileModel {
  const script = parseScript(path, content);
  const facts = new FactReader(script, isScriptPath(path));
  facts.visit(script.file, undefined, 0);
  const { tokens, comments } = tokensOf(script);
  return {
    language: script.language,
    functions: facts.functions,
    sites: facts.sites,
    comments,
    tokens,
    syntaxErrors: script.syntaxErrors.length,
    dataSpans: facts.dataSpans,
  };
}

/** `describe(…, fn)`, `it.each(rows)(…, fn)`, `test.only(…, fn)`: the root name of the callee. */
function testCallbackKind(node: ts.Node): FunctionFact['test'] {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return undefined;
  const call = node.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return undefined;
  let callee: ts.Expression = call.expression;
  while (
    ts.isCallExpression(callee) ||
    ts.isPropertyAccessExpression(callee) ||
    ts.isTaggedTemplateExpression(callee)
  )
    callee = ts.isTaggedTemplateExpression(callee) ? callee.tag : callee.expression;
  if (!ts.isIdentifier(callee)) return undefined;
  if (TEST_GROUP_CALLEES.has(callee.text)) return 'group';
  return TEST_CASE_CALLEES.has(callee.text) ? 'case' : undefined;
}

const unparenthesized = (node: ts.Node): ts.Node =>
  ts.isParenthesizedExpression(node) ? unparenthesized(node.parent) : node;

/** `a && b && c`: the inner `&&` continues its parent's chain of one operator, which counts once. */
function continuesChain(node: ts.Node): boolean {
  if (!ts.isBinaryExpression(node)) return false;
  const parent = unparenthesized(node.parent);
  return ts.isBinaryExpression(parent) && parent.operatorToken.kind === node.operatorToken.kind;
}

/** An array or object literal of literals (nested ones, names, `-1`, `as const`): a table of data. */
function isDataLiteral(node: ts.Node): boolean {
  if (ts.isArrayLiteralExpression(node)) return node.elements.every(isDataLiteral);
  if (ts.isObjectLiteralExpression(node))
    return node.properties.every(
      (p) =>
        ts.isShorthandPropertyAssignment(p) ||
        (ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && isDataLiteral(p.initializer)),
    );
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    return isDataLiteral(node.expression);
  if (ts.isPrefixUnaryExpression(node)) return isDataLiteral(node.operand);
  if (ts.isPropertyAccessExpression(node)) return isDataLiteral(node.expression);
  return (
    isLiteralToken(node) ||
    ts.isIdentifier(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword
  );
}

/** Functions and line-level sites, in one walk of the tree. */
class FactReader {
  readonly functions: FunctionFact[] = [];
  readonly sites: SiteFact[] = [];
  readonly dataSpans: [number, number][] = [];
  /** Variables assigned SQL built from strings: name → line. */
  readonly #sqlVariables = new Map<string, number>();

  constructor(
    private readonly script: Script,
    private readonly entryPoint: boolean,
  ) {}

  visit(node: ts.Node, frame: FunctionFact | undefined, depth: number): void {
    if (isFunctionLike(node) && node.body !== undefined) {
      const fact = this.#function(node);
      ts.forEachChild(node, (child) => this.visit(child, fact, 0));
      return;
    }
    if ((ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node)) && isDataLiteral(node)) {
      const span: [number, number] = [this.script.lineOf(node), this.script.lineOf(node.end)];
      // A table holds no function, decision or site: nothing below it to visit.
      if (span[1] - span[0] + 1 >= MIN_DATA_TABLE_LINES) this.dataSpans.push(span);
      return;
    }
    const childDepth = frame === undefined ? depth : this.#measure(node, frame, depth);
    this.#inspect(node);
    ts.forEachChild(node, (child) => this.visit(child, frame, isElseIf(child) ? depth : childDepth));
  }

  #function(node: ts.Node): FunctionFact {
    const fact = functionFact(functionNameOf(node), this.script.lineOf(node), this.script.lineOf(node.end));
    const test = testCallbackKind(node);
    if (test !== undefined) fact.test = test;
    this.functions.push(fact);
    return fact;
  }

  /** Adds the node's decisions to its function and returns the nesting depth of its children. */
  #measure(node: ts.Node, frame: FunctionFact, depth: number): number {
    if (!continuesChain(node)) frame.complexity += decisionPoints(node);
    return opensNesting(node) ? deepen(frame, depth, this.script.lineOf(node)) : depth;
  }

  #site(node: ts.Node, ruleId: SiteFact['ruleId'], what: string, extra: Partial<SiteFact> = {}): void {
    this.sites.push({ ruleId, line: this.script.lineOf(node), what, ...extra });
  }

  #inspect(node: ts.Node): void {
    if (node.kind === ts.SyntaxKind.DebuggerStatement) {
      this.#site(node, 'CR005', 'debugger', { severity: 'medium' });
    } else if (ts.isCatchClause(node)) {
      const block = node.block;
      if (block.statements.length === 0 && !/\/[/*]/.test(block.getText(this.script.file)))
        this.#site(node, 'CR006', 'empty catch block');
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Function'
    ) {
      this.#site(node, 'CR007', 'new Function');
    } else if (!this.#recordSqlVariable(node) && ts.isCallExpression(node)) this.#inspectCall(node);
  }

  /** `const q = "SELECT …" + id` or `q = …` / `q += …`: remembered for a later query call. */
  #recordSqlVariable(node: ts.Node): boolean {
    let name: string | undefined;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      if (dynamicSql(node.initializer)) name = node.name.text;
    } else if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
        node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) &&
      ts.isIdentifier(node.left) &&
      dynamicSql(node.right)
    )
      name = node.left.text;
    if (name === undefined) return false;
    this.#sqlVariables.set(name, this.script.lineOf(node));
    return true;
  }

  #inspectCall(node: ts.CallExpression): void {
    const callee = calleeText(node.expression);
    const name = calleeName(node.expression);
    const [first] = node.arguments;
    if (/^console\.\w+$/.test(callee) && DEBUG_CONSOLE.has(name) && !this.entryPoint)
      this.#site(node, 'CR005', callee);
    else if (EVAL_CALLEES.has(callee)) this.#site(node, 'CR007', callee);
    else if (
      (callee === 'setTimeout' || callee === 'setInterval') &&
      first !== undefined &&
      (isStringLiteralLike(first) || builtString(first) !== undefined)
    )
      this.#site(node, 'CR007', `${callee} with a string`);
    else if (name === 'catch' && first !== undefined && isEmptyFunction(first))
      this.#site(node, 'CR006', '.catch with an empty handler');
    else if (QUERY_CALLS.has(name) && first !== undefined) this.#inspectQuery(node, callee, first);
  }

  #inspectQuery(node: ts.CallExpression, callee: string, first: ts.Expression): void {
    if (dynamicSql(first))
      this.#site(node, 'CR008', `${callee}(SQL built from strings)`, { detail: { call: callee } });
    else if (ts.isIdentifier(first) && this.#sqlVariables.has(first.text))
      this.#site(node, 'CR008', `${callee}(${first.text})`, {
        detail: { call: callee, variable: first.text, builtAt: this.#sqlVariables.get(first.text) },
      });
  }
}

const EVAL_CALLEES = new Set(['eval', 'window.eval', 'globalThis.eval', 'Function']);

const LITERAL_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
]);

function isLiteralToken(node: ts.Node): boolean {
  return LITERAL_KINDS.has(node.kind);
}

/** Tokens for duplicate detection (the leaves of the tree, literals normalised) and the comments from their trivia. */
function tokensOf(script: Script): { tokens: TokenFact[]; comments: CommentFact[] } {
  const { file, lineOf } = script;
  const content = file.text;
  const tokens: TokenFact[] = [];
  const comments: CommentFact[] = [];
  const seenComments = new Set<number>();
  /** Comments are the trivia before a token (the end-of-file token holds the last ones). */
  const collectComments = (pos: number) => {
    const ranges = [
      ...(ts.getTrailingCommentRanges(content, pos) ?? []),
      ...(ts.getLeadingCommentRanges(content, pos) ?? []),
    ];
    for (const range of ranges) {
      if (seenComments.has(range.pos)) continue;
      seenComments.add(range.pos);
      content
        .slice(range.pos, range.end)
        .split('\n')
        .forEach((text, i) => {
          comments.push({ line: lineOf(range.pos) + i, text });
        });
    }
  };
  const leaves = (node: ts.Node) => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    if (isLiteralToken(node)) {
      collectComments(node.pos);
      tokens.push({ line: lineOf(node), text: '$LIT' });
      return;
    }
    const children = node.getChildren(file);
    if (children.length === 0) {
      collectComments(node.pos);
      if (node.kind !== ts.SyntaxKind.EndOfFileToken && node.end > node.pos)
        tokens.push({ line: lineOf(node), text: node.getText(file) });
      return;
    }
    for (const child of children) leaves(child);
  };
  leaves(file);
  return { tokens, comments };
}
