/**
 * TS/JS front-end through the TypeScript compiler API: functions with their
 * complexity and nesting, debugging leftovers, swallowed errors, eval, SQL
 * built from strings, comments and tokens.
 */
import ts from 'typescript';
import {
  type CommentFact,
  DEBUG_CONSOLE,
  type FileModel,
  type FunctionFact,
  isScriptPath,
  looksLikeSql,
  QUERY_CALLS,
  type SiteFact,
  type TokenFact,
} from './model.js';

function scriptKind(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.[mc]?ts$/i.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

function isFunctionLike(node: ts.Node): node is ts.SignatureDeclaration & { body?: ts.Node } {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

const DECISION_OPERATORS = new Set([
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

function decisions(node: ts.Node): number {
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

function nests(node: ts.Node): boolean {
  if (ts.isIfStatement(node)) return !(ts.isIfStatement(node.parent) && node.parent.elseStatement === node);
  return (
    ts.isForStatement(node) ||
    ts.isForInStatement(node) ||
    ts.isForOfStatement(node) ||
    ts.isWhileStatement(node) ||
    ts.isDoStatement(node) ||
    ts.isSwitchStatement(node) ||
    ts.isTryStatement(node)
  );
}

function nameOf(node: ts.Node): string | undefined {
  const named = node as { name?: ts.Node };
  if (
    named.name !== undefined &&
    (ts.isIdentifier(named.name) || ts.isPrivateIdentifier(named.name) || ts.isStringLiteral(named.name))
  )
    return named.name.text;
  return undefined;
}

function functionName(node: ts.Node): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  let name = nameOf(node);
  const parent = node.parent;
  if (name === undefined && parent !== undefined) {
    if (
      ts.isVariableDeclaration(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent)
    )
      name = nameOf(parent);
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
function calleeText(expression: ts.Expression): string {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression))
    return `${calleeText(expression.expression)}.${expression.name.text}`;
  if (ts.isCallExpression(expression)) return `${calleeText(expression.expression)}()`;
  if (ts.isParenthesizedExpression(expression) || ts.isNonNullExpression(expression))
    return calleeText(expression.expression);
  if (expression.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return '?';
}

function calleeName(expression: ts.Expression): string {
  const text = calleeText(expression);
  return text.slice(text.lastIndexOf('.') + 1);
}

function isStringy(node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

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
      if (isStringy(part)) {
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
  const source = ts.createSourceFile(path, content, ts.ScriptTarget.Latest, true, scriptKind(path));
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const functions: FunctionFact[] = [];
  const sites: SiteFact[] = [];
  const comments: CommentFact[] = [];
  const tokens: TokenFact[] = [];
  const script = isScriptPath(path);
  /** Variables assigned SQL built from strings: name → line. */
  const sqlVariables = new Map<string, number>();

  const site = (node: ts.Node, ruleId: SiteFact['ruleId'], what: string, extra: Partial<SiteFact> = {}) =>
    sites.push({ ruleId, line: lineOf(node.getStart(source)), what, ...extra });

  interface Frame {
    fact: FunctionFact;
  }

  const visit = (node: ts.Node, frame: Frame | undefined, depth: number) => {
    if (isFunctionLike(node) && node.body !== undefined) {
      const fact: FunctionFact = {
        name: functionName(node),
        line: lineOf(node.getStart(source)),
        endLine: lineOf(node.end),
        complexity: 1,
        nesting: 0,
        nestingLine: lineOf(node.getStart(source)),
      };
      functions.push(fact);
      ts.forEachChild(node, (child) => visit(child, { fact }, 0));
      return;
    }
    let childDepth = depth;
    if (frame !== undefined) {
      frame.fact.complexity += decisions(node);
      if (nests(node)) {
        childDepth = depth + 1;
        if (childDepth > frame.fact.nesting) {
          frame.fact.nesting = childDepth;
          frame.fact.nestingLine = lineOf(node.getStart(source));
        }
      }
    }
    inspect(node);
    ts.forEachChild(node, (child) => {
      // `else if` stays at the level of its `if`.
      const elseIf = ts.isIfStatement(node) && child === node.elseStatement && ts.isIfStatement(child);
      visit(child, frame, elseIf ? depth : childDepth);
    });
  };

  const inspect = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.DebuggerStatement) {
      site(node, 'CR005', 'debugger', { severity: 'medium' });
      return;
    }
    if (ts.isCatchClause(node)) {
      const block = node.block;
      if (block.statements.length === 0 && !/\/[/*]/.test(block.getText(source)))
        site(node, 'CR006', 'empty catch block');
      return;
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') {
      site(node, 'CR007', 'new Function');
      return;
    }
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      dynamicSql(node.initializer)
    ) {
      sqlVariables.set(node.name.text, lineOf(node.getStart(source)));
      return;
    }
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
        node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) &&
      ts.isIdentifier(node.left) &&
      dynamicSql(node.right)
    ) {
      sqlVariables.set(node.left.text, lineOf(node.getStart(source)));
      return;
    }
    if (!ts.isCallExpression(node)) return;
    const callee = calleeText(node.expression);
    const name = calleeName(node.expression);
    const [first] = node.arguments;
    if (/^console\.\w+$/.test(callee) && DEBUG_CONSOLE.has(name) && !script) site(node, 'CR005', callee);
    else if (
      callee === 'eval' ||
      callee === 'window.eval' ||
      callee === 'globalThis.eval' ||
      callee === 'Function'
    )
      site(node, 'CR007', callee);
    else if (
      (callee === 'setTimeout' || callee === 'setInterval') &&
      first !== undefined &&
      (isStringy(first) || builtString(first) !== undefined)
    )
      site(node, 'CR007', `${callee} with a string`);
    else if (name === 'catch' && first !== undefined && isEmptyFunction(first))
      site(node, 'CR006', '.catch with an empty handler');
    else if (QUERY_CALLS.has(name) && first !== undefined) {
      if (dynamicSql(first))
        site(node, 'CR008', `${callee}(SQL built from strings)`, { detail: { call: callee } });
      else if (ts.isIdentifier(first) && sqlVariables.has(first.text))
        site(node, 'CR008', `${callee}(${first.text})`, {
          detail: { call: callee, variable: first.text, builtAt: sqlVariables.get(first.text) },
        });
    }
  };

  visit(source, undefined, 0);

  // Tokens for duplicate detection: the leaves of the tree, literals normalised; comments from their trivia.
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
    if (
      ts.isStringLiteral(node) ||
      ts.isNumericLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateLiteralToken(node) ||
      ts.isRegularExpressionLiteral(node) ||
      ts.isBigIntLiteral(node)
    ) {
      collectComments(node.pos);
      tokens.push({ line: lineOf(node.getStart(source)), text: '$LIT' });
      return;
    }
    const children = node.getChildren(source);
    if (children.length === 0) {
      collectComments(node.pos);
      if (node.kind !== ts.SyntaxKind.EndOfFileToken && node.end > node.pos)
        tokens.push({ line: lineOf(node.getStart(source)), text: node.getText(source) });
      return;
    }
    for (const child of children) leaves(child);
  };
  leaves(source);

  const syntaxErrors = (source as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0;
  return {
    language: /\.[mc]?tsx?$/i.test(path) ? 'typescript' : 'javascript',
    functions,
    sites,
    comments,
    tokens,
    syntaxErrors,
  };
}
