/**
 * Unified diffs (`git diff`, `diff -u`, parsed by parse-diff): which files a change touches, which
 * lines of their post-image it adds, and enough of each file to parse. With
 * the whole post-image at hand the pre-image is rebuilt exactly by reversing
 * the hunks; without it, the hunks' context and added lines are placed at
 * their line numbers in an otherwise blank text (a conservative fragment).
 */
import parseDiff from 'parse-diff';
import { ValidationError } from '../../core/errors.js';

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Each line with its marker: ' ' context, '+' added, '-' removed. */
  lines: { marker: ' ' | '+' | '-'; text: string }[];
}

export interface FileDiff {
  /** The post-image path (the pre-image path for a deletion). */
  path: string;
  oldPath?: string;
  status: 'added' | 'deleted' | 'modified' | 'renamed';
  hunks: Hunk[];
  /** Post-image line numbers of added lines. */
  added: Set<number>;
  /** Text of the removed lines (for debt the change removes). */
  removed: string[];
}

/** `diff --git a/x b/x`, `--- a/x` / `+++ b/x`: the path, or undefined for /dev/null. */
function pathOf(name: string | undefined): string | undefined {
  return name === undefined || name === '/dev/null' ? undefined : name;
}

function statusOf(
  file: parseDiff.File,
  from: string | undefined,
  to: string | undefined,
): FileDiff['status'] {
  if (file.new === true || from === undefined) return 'added';
  if (file.deleted === true || to === undefined) return 'deleted';
  return from === to ? 'modified' : 'renamed';
}

function hunkOf(chunk: parseDiff.Chunk): Hunk {
  return {
    oldStart: chunk.oldStart,
    oldLines: chunk.oldLines,
    newStart: chunk.newStart,
    newLines: chunk.newLines,
    // "\ No newline at end of file" is a note about the line before it, not a line.
    lines: chunk.changes
      .filter((change) => !change.content.startsWith('\\'))
      .map((change) => ({ marker: MARKERS[change.type], text: change.content.slice(1) })),
  };
}

const MARKERS = { add: '+', del: '-', normal: ' ' } as const;

function fileDiffOf(file: parseDiff.File): FileDiff {
  const from = pathOf(file.from);
  const to = pathOf(file.to);
  const status = statusOf(file, from, to);
  const changes = file.chunks.flatMap((chunk) => chunk.changes);
  return {
    path: to ?? from ?? '?',
    ...(status === 'renamed' && from !== undefined ? { oldPath: from } : {}),
    status,
    hunks: file.chunks.map(hunkOf),
    added: new Set(changes.flatMap((c) => (c.type === 'add' ? [c.ln] : []))),
    removed: changes.flatMap((c) => (c.type === 'del' ? [c.content.slice(1)] : [])),
  };
}

/**
 * The files of a unified diff, read by parse-diff (lenient, as pasted and
 * hand-trimmed diffs need). A file without hunks (a binary file, a pure
 * rename or mode change) is listed with none.
 */
export function parseUnifiedDiff(text: string): FileDiff[] {
  const files = parseDiff(text);
  if (files.length === 0 && text.trim() !== '') {
    throw new ValidationError('The diff holds no file: expected `git diff` / `diff -u` output', [
      { path: 'input.diff', message: 'no `diff --git` or `---`/`+++` header found' },
    ]);
  }
  return files.map(fileDiffOf);
}

/** The post-image lines a diff shows (context and added), at their line numbers; other lines blank. */
export function fragmentOf(diff: FileDiff): string {
  const out: string[] = [];
  for (const hunk of diff.hunks) {
    let n = hunk.newStart;
    for (const line of hunk.lines) {
      if (line.marker === '-') continue;
      while (out.length < n - 1) out.push('');
      out[n - 1] = line.text;
      n++;
    }
  }
  return out.join('\n');
}

/** Whether the post-image agrees with the diff (its context and added lines are where the hunks say). */
export function matchesPostImage(diff: FileDiff, content: string): boolean {
  const lines = content.split(/\r?\n/);
  return diff.hunks.every((hunk) => {
    let n = hunk.newStart;
    return hunk.lines.every((line) => {
      if (line.marker === '-') return true;
      const ok = lines[n - 1] === line.text;
      n++;
      return ok;
    });
  });
}

/** The pre-image from the post-image, by reversing the hunks (the caller checked matchesPostImage). */
export function preImageOf(diff: FileDiff, content: string): string {
  const lines = content.split(/\r?\n/);
  const out: string[] = [];
  let next = 1;
  for (const hunk of diff.hunks) {
    const first = hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
    while (next < first) out.push(lines[next++ - 1] ?? '');
    for (const line of hunk.lines) if (line.marker !== '+') out.push(line.text);
    next = first + hunk.newLines;
  }
  while (next <= lines.length) out.push(lines[next++ - 1] ?? '');
  return out.join('\n');
}
