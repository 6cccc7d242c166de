/**
 * Unified diffs (`git diff`, `diff -u`): which files a change touches, which
 * lines of their post-image it adds, and enough of each file to parse. With
 * the whole post-image at hand the pre-image is rebuilt exactly by reversing
 * the hunks; without it, the hunks' context and added lines are placed at
 * their line numbers in an otherwise blank text (a conservative fragment).
 */
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
  binary: boolean;
  hunks: Hunk[];
  /** Post-image line numbers of added lines. */
  added: Set<number>;
  /** Text of the removed lines (for debt the change removes). */
  removed: string[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

function stripPrefix(path: string): string | undefined {
  const trimmed = path
    .replace(/\t.*$/, '')
    .trim()
    .replace(/^"(.*)"$/, '$1');
  if (trimmed === '/dev/null') return undefined;
  return trimmed.replace(/^[ab]\//, '');
}

export function parseUnifiedDiff(text: string): FileDiff[] {
  const files: FileDiff[] = [];
  const lines = text.split(/\r?\n/);
  let current: FileDiff | undefined;
  let hunk: Hunk | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  const start = (path: string): FileDiff => {
    const file: FileDiff = {
      path,
      status: 'modified',
      binary: false,
      hunks: [],
      added: new Set(),
      removed: [],
    };
    files.push(file);
    hunk = undefined;
    return file;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (hunk !== undefined && (oldLeft > 0 || newLeft > 0)) {
      const marker = line.charAt(0);
      if (marker === '\\') continue; // "\ No newline at end of file"
      if (marker === '+' || marker === '-' || marker === ' ' || line === '') {
        const m = (line === '' ? ' ' : marker) as ' ' | '+' | '-';
        const body = line.slice(1);
        if (m === '+' && current !== undefined)
          current.added.add(hunk.newStart + hunk.lines.filter((l) => l.marker !== '-').length);
        if (m === '-') current?.removed.push(body);
        hunk.lines.push({ marker: m, text: body });
        if (m !== '+') oldLeft--;
        if (m !== '-') newLeft--;
        continue;
      }
    }
    const git = /^diff --git a\/(.*) b\/(.*)$/.exec(line);
    if (git) {
      current = start(git[2] as string);
      if (git[1] !== git[2]) current.oldPath = git[1] as string;
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const oldPath = stripPrefix(line.slice(4));
      const newPath = stripPrefix((lines[i + 1] as string).slice(4));
      if (current === undefined || current.hunks.length > 0) current = start(newPath ?? oldPath ?? '?');
      if (newPath === undefined) {
        current.status = 'deleted';
        current.path = oldPath ?? current.path;
      } else current.path = newPath;
      if (oldPath === undefined) current.status = 'added';
      else if (newPath !== undefined && oldPath !== newPath) {
        current.oldPath = oldPath;
        current.status = 'renamed';
      }
      i++;
      continue;
    }
    if (current === undefined) continue;
    if (line.startsWith('new file mode')) current.status = 'added';
    else if (line.startsWith('deleted file mode')) current.status = 'deleted';
    else if (line.startsWith('rename from ')) {
      current.oldPath = line.slice('rename from '.length);
      current.status = 'renamed';
    } else if (line.startsWith('Binary files ') || line.startsWith('GIT binary patch')) current.binary = true;
    else {
      const h = HUNK.exec(line);
      if (h) {
        hunk = {
          oldStart: Number(h[1]),
          oldLines: h[2] === undefined ? 1 : Number(h[2]),
          newStart: Number(h[3]),
          newLines: h[4] === undefined ? 1 : Number(h[4]),
          lines: [],
        };
        oldLeft = hunk.oldLines;
        newLeft = hunk.newLines;
        current.hunks.push(hunk);
      }
    }
  }
  if (files.length === 0 && text.trim() !== '') {
    throw new ValidationError('The diff holds no file: expected `git diff` / `diff -u` output', [
      { path: 'input.diff', message: 'no `diff --git` or `---`/`+++` header found' },
    ]);
  }
  return files;
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
