/**
 * What the code-reviewer reads: each input file or diffed file becomes a
 * unit — reviewed whole (`file`), parsed whole with only the added lines
 * reported (`diff`, the post-image at hand), or rebuilt from the hunks alone
 * (`fragment`); files a diff does not touch are read only for duplicates.
 * Each unit is parsed by its language's front-end.
 */
import { basename, extname } from 'node:path';
import { isTestPath, languageOf as sourceLanguageOf } from '../../analysis/source/files.js';
import { scriptLanguageOf } from '../../analysis/source/typescript.js';
import { type FileDiff, fragmentOf, matchesPostImage, preImageOf } from './diff.js';
import type { FileModel, LanguageId } from './model.js';
import type { FileSummary } from './schema.js';
import { parseWithTreeSitter } from './treesitter.js';
import { parseTypeScript } from './typescript.js';

/** The parser a file gets: the TypeScript compiler for TS/JS, a tree-sitter grammar for Python, Go and Java. */
export function languageOf(path: string): LanguageId | undefined {
  const family = sourceLanguageOf(path);
  if (family === 'javascript') return scriptLanguageOf(path);
  // Kotlin shares Java's comment syntax but not its grammar.
  if (family === 'java' && extname(path).toLowerCase() !== '.java') return undefined;
  return family;
}

export async function parse(path: string, content: string, language: LanguageId): Promise<FileModel> {
  if (language === 'typescript' || language === 'javascript') return parseTypeScript(path, content);
  return parseWithTreeSitter(path, content, language);
}

/** Tests by path (the shared notion), plus Java's `*Test.java` / `*IT.java`. */
export function isTestFile(path: string): boolean {
  return isTestPath(path) || /(?:Tests?|IT)\.java$/.test(path);
}

/** `src/billing/invoice.service.ts` → `invoice`; `test_invoice.py` → `invoice`. */
export function stem(path: string): string {
  return basename(path)
    .replace(/\.[^.]+$/, '')
    .replace(/(?:[._-](?:test|spec|service|controller|handler|impl))+$/i, '')
    .replace(/^test_/, '')
    .replace(/(?:_test|Tests?|IT)$/, '')
    .toLowerCase();
}

export interface Unit {
  path: string;
  content: string;
  mode: FileSummary['mode'];
  /** Lines findings may be reported on (undefined: all). */
  added?: Set<number>;
  preImage?: string;
  /** Fragment mode: the post-image line ranges the hunks cover. */
  spans?: [number, number][];
  /** Reviewed (true) or only read for duplicates and suppressions (false). */
  reviewed: boolean;
}

export interface SourceText {
  path: string;
  content: string;
}

const withoutDot = (path: string) => path.replace(/^\.\//, '');

/** A diffed file: its whole post-image when the input has it and it agrees, else a fragment of the hunks. */
function diffUnit(diff: FileDiff, full: SourceText | undefined): Unit {
  if (full !== undefined && matchesPostImage(diff, full.content)) {
    return {
      path: diff.path,
      content: full.content,
      mode: 'diff',
      added: diff.added,
      ...(diff.status === 'added' ? {} : { preImage: preImageOf(diff, full.content) }),
      reviewed: true,
    };
  }
  return {
    path: diff.path,
    content: fragmentOf(diff),
    mode: 'fragment',
    added: diff.added,
    spans: diff.hunks.map((h) => [h.newStart, h.newStart + h.newLines - 1]),
    reviewed: true,
  };
}

/** The units of an item: every file without a diff; with one, the diffed files, then the others unreviewed. */
export function unitsOf(files: readonly SourceText[], diffs: readonly FileDiff[]): Unit[] {
  if (diffs.length === 0) return files.map((f) => ({ ...f, mode: 'file', reviewed: true }));
  const byPath = new Map(files.map((f) => [withoutDot(f.path), f]));
  const result: Unit[] = [];
  const inDiff = new Set<string>();
  for (const diff of diffs) {
    inDiff.add(diff.path);
    // Deleted, binary or only renamed: no line to review.
    if (diff.status === 'deleted' || diff.hunks.length === 0) continue;
    result.push(diffUnit(diff, byPath.get(diff.path)));
  }
  for (const file of files) {
    const path = withoutDot(file.path);
    if (!inDiff.has(path)) result.push({ path, content: file.content, mode: 'file', reviewed: false });
  }
  return result;
}
