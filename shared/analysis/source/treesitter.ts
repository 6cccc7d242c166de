/**
 * The one tree-sitter loader: the web-tree-sitter runtime and the Python, Go
 * and Java grammars compiled to WASM (@vscode/tree-sitter-wasm ships them),
 * each loaded once per process from node_modules (agents that use it ship the
 * package unbundled, their meta.ts says so). `withSyntaxTree` parses under a
 * wall-clock budget and frees the tree after the reader is done, so no caller
 * handles WASM memory itself.
 */
import { createRequire } from 'node:module';
import type { Language, Node, Parser } from '@vscode/tree-sitter-wasm';
import type { ParseError } from './parse-error.js';

export type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
export type { ParseError } from './parse-error.js';

export type TreeSitterLanguage = 'python' | 'go' | 'java';

const require = createRequire(import.meta.url);
type Runtime = typeof import('@vscode/tree-sitter-wasm');

let runtime: Promise<Runtime> | undefined;
const grammars = new Map<TreeSitterLanguage, Promise<Language>>();

function loadRuntime(): Promise<Runtime> {
  runtime ??= (async () => {
    const module = require('@vscode/tree-sitter-wasm') as Runtime;
    const wasm = require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm');
    await module.Parser.init({ locateFile: () => wasm });
    return module;
  })();
  return runtime;
}

/** A parser for one grammar; the caller deletes it (withSyntaxTree does). */
export async function parserFor(language: TreeSitterLanguage): Promise<Parser> {
  const module = await loadRuntime();
  let grammar = grammars.get(language);
  if (grammar === undefined) {
    grammar = module.Language.load(
      require.resolve(`@vscode/tree-sitter-wasm/wasm/tree-sitter-${language}.wasm`),
    );
    grammars.set(language, grammar);
  }
  const parser = new module.Parser();
  parser.setLanguage(await grammar);
  return parser;
}

/** Wall-clock time one file may take to parse; real source files take milliseconds. */
export const PARSE_BUDGET_MS = 3000;

export interface ParseOptions {
  /** Give up after this many milliseconds (default PARSE_BUDGET_MS). */
  budgetMs?: number;
}

/**
 * Parses `content` and hands the root node to `read`; the tree is freed
 * afterwards. `undefined` when the parser gave up within the budget:
 * tree-sitter's error recovery is quadratic on some garbage (100,000 dots
 * took minutes in Python), so a file it cannot finish is reported as not
 * parsed, never a frozen run.
 */
export async function withSyntaxTree<T>(
  language: TreeSitterLanguage,
  content: string,
  read: (root: Node) => T,
  options: ParseOptions = {},
): Promise<T | undefined> {
  const parser = await parserFor(language);
  const deadline = performance.now() + (options.budgetMs ?? PARSE_BUDGET_MS);
  const tree = parser.parse(content, null, { progressCallback: () => performance.now() > deadline });
  parser.delete();
  if (tree === null) return undefined;
  try {
    return read(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** 1-based line of a node's start. */
export function nodeLine(node: Node): number {
  return node.startPosition.row + 1;
}

/** The named children of a node, without the runtime's nulls. */
export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

/** The ERROR and MISSING nodes of a tree, outermost only, with a short excerpt. */
export function syntaxErrorsOf(root: Node): ParseError[] {
  const errors: ParseError[] = [];
  const visit = (node: Node): void => {
    if (node.type === 'ERROR' || node.isMissing) {
      errors.push({ line: nodeLine(node), message: `syntax error near "${node.text.slice(0, 40)}"` });
      return;
    }
    for (const child of namedChildren(node)) if (child.hasError) visit(child);
  };
  if (root.hasError) visit(root);
  return errors;
}
