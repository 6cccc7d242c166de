/**
 * Change sets as text: `git diff --numstat`, `git diff --stat` and unified
 * diffs (`git diff`, `git show`, a `.patch`), each file with its added and
 * removed lines where the text has them, and the line it was read at.
 */
import type { InputProblem } from '../../analysis/documents/structured.js';
import type { ChangedFile, DiffLine, Where } from './model.js';

export interface ParsedChanges {
  files: ChangedFile[];
  problems: InputProblem[];
}

/** `a/{old => new}/b` or `old => new` (renames in numstat and stat): the new path. */
function renamedPath(path: string): string {
  const braces = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(path);
  if (braces !== null) return `${braces[1]}${braces[3]}${braces[4]}`.replaceAll('//', '/');
  const arrow = /^(.*) => (.*)$/.exec(path);
  return arrow === null ? path : (arrow[2] as string);
}

const NUMSTAT = /^(\d+|-)\t(\d+|-)\t(.+)$/;
const STAT = /^\s*(\S.*?)\s+\|\s+(?:(\d+)\s*([+-]*)|Bin\b.*)$/;
const SUMMARY = /^\s*\d+ files? changed\b/;
/** Lines `git log --numstat / --stat` puts between the files: commit headers and messages. */
const LOG_LINE = /^(commit [0-9a-f]{7,40}|Author:|Date:|Merge:| {4}\S)/;

function where(file: string | undefined, line: number): Where {
  return file === undefined ? { line } : { file, line };
}

/** Whether the text is a unified diff rather than numstat or stat output. */
export function isUnifiedDiff(text: string): boolean {
  return /^diff --git /m.test(text) || /^--- \S.*\r?\n\+\+\+ \S/m.test(text);
}

/** Whether the text looks like numstat or stat output (a line of either form). */
export function isChangeList(text: string): boolean {
  return text.split(/\r?\n/).some((line) => NUMSTAT.test(line) || STAT.test(line));
}

/** Numstat or stat text: one file per line; anything else that is not a log header is reported once. */
function parseList(text: string, file: string | undefined): ParsedChanges {
  const files: ChangedFile[] = [];
  const unread: number[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trimEnd();
    const numstat = NUMSTAT.exec(line);
    const at = where(file, index + 1);
    if (numstat !== null) {
      files.push({
        path: renamedPath(numstat[3] as string),
        additions: numstat[1] === '-' ? 0 : Number(numstat[1]),
        deletions: numstat[2] === '-' ? 0 : Number(numstat[2]),
        hasPatch: false,
        added: [],
        removed: [],
        where: at,
      });
      continue;
    }
    const stat = STAT.exec(line);
    if (stat !== null) {
      // --stat gives the total and a histogram scaled to the terminal: the split follows the histogram.
      const total = Number(stat[2] ?? 0);
      const bars = stat[3] ?? '';
      const plus = [...bars].filter((c) => c === '+').length;
      const additions = bars.length === 0 ? 0 : Math.round((total * plus) / bars.length);
      files.push({
        path: renamedPath(stat[1] as string),
        additions,
        deletions: total - additions,
        hasPatch: false,
        added: [],
        removed: [],
        where: at,
      });
      continue;
    }
    if (line.trim() === '' || SUMMARY.test(line) || LOG_LINE.test(line)) continue;
    unread.push(index + 1);
  }
  const problems: InputProblem[] = [];
  if (unread.length > 0) {
    problems.push({
      ...(file === undefined ? {} : { file }),
      line: unread[0] as number,
      message: `${unread.length === 1 ? '1 line is' : `${unread.length} lines are`} neither numstat nor stat output and ${unread.length === 1 ? 'was' : 'were'} not counted`,
    });
  }
  return { files, problems };
}

/** `+++ b/path` / `--- a/path` → path; /dev/null → undefined. */
function headerPath(rest: string): string | undefined {
  const path = rest.split('\t')[0]?.trim() ?? '';
  if (path === '/dev/null') return undefined;
  return path.replace(/^[ab]\//, '');
}

/**
 * A unified diff: a file starts at `diff --git` (or at a `---` / `+++` pair
 * outside a hunk, as `diff -u` writes them); each hunk header gives how many
 * old and new lines follow, so a removed line that itself starts with `--`
 * is never taken for a header. Lines are the diff's own.
 */
function parseUnified(text: string, file: string | undefined): ParsedChanges {
  const files: ChangedFile[] = [];
  let current: ChangedFile | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  const lines = text.split(/\r?\n/);
  const start = (path: string, line: number): ChangedFile => {
    const changed: ChangedFile = {
      path,
      additions: 0,
      deletions: 0,
      hasPatch: true,
      added: [],
      removed: [],
      where: where(file, line),
    };
    files.push(changed);
    return changed;
  };
  let fromGitHeader = false;
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    if (oldLeft > 0 || newLeft > 0) {
      const entry: DiffLine = { text: line.slice(1), where: where(file, lineNo) };
      if (line.startsWith('+')) {
        newLeft -= 1;
        current?.added.push(entry);
      } else if (line.startsWith('-')) {
        oldLeft -= 1;
        current?.removed.push(entry);
      } else if (!line.startsWith('\\')) {
        oldLeft -= 1;
        newLeft -= 1;
      }
      continue;
    }
    const git = /^diff --git a\/(.+?) b\/(.+)$/.exec(line);
    if (git !== null) {
      current = start(git[2] as string, lineNo);
      fromGitHeader = true;
      continue;
    }
    if (line.startsWith('--- ') && lines[index + 1]?.startsWith('+++ ')) {
      const path = headerPath((lines[index + 1] as string).slice(4)) ?? headerPath(line.slice(4));
      if (path !== undefined) {
        if (fromGitHeader && current !== undefined) current.path = path;
        else current = start(path, lineNo);
      }
      fromGitHeader = false;
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk !== null && current !== undefined) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      fromGitHeader = false;
    }
  }
  for (const changed of files) {
    changed.additions = changed.added.length;
    changed.deletions = changed.removed.length;
  }
  return { files, problems: [] };
}

/** A change set given as text, in whichever of the three forms it is. */
export function parseChangeText(text: string, file?: string): ParsedChanges {
  if (isUnifiedDiff(text)) return parseUnified(text, file);
  if (text.trim() === '') return { files: [], problems: [] };
  const list = parseList(text, file);
  if (list.files.length > 0) return list;
  return {
    files: [],
    problems: [
      {
        ...(file === undefined ? {} : { file }),
        line: 1,
        message: 'not a unified diff, `git diff --numstat` or `git diff --stat` output',
      },
    ],
  };
}

/** A pull request file's `patch` (hunks without file headers): its added and removed lines at `at`. */
export function patchLines(patch: string, at: Where): { added: DiffLine[]; removed: DiffLine[] } {
  const added: DiffLine[] = [];
  const removed: DiffLine[] = [];
  for (const line of patch.split(/\r?\n/)) {
    if (line.startsWith('@@') || line.startsWith('+++') || line.startsWith('---')) continue;
    if (line.startsWith('+')) added.push({ text: line.slice(1), where: at });
    else if (line.startsWith('-')) removed.push({ text: line.slice(1), where: at });
  }
  return { added, removed };
}
