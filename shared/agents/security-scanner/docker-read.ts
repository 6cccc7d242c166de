/**
 * Reads a Dockerfile into instructions in one pass over its lines, as Docker
 * reads it: the `# escape=` parser directive, line continuations (comment
 * and empty lines inside a continuation are dropped, the instruction goes
 * on), heredocs (`RUN <<EOF … EOF`, `<<-` strips tabs, several per
 * instruction). The instruction's words are split here; the ENV/ARG
 * assignments (quotes, escapes, the legacy `ENV key value` form) are read by
 * dockerfile-ast, one instruction at a time.
 *
 * dockerfile-ast reads a whole file well, but it re-reads an instruction's
 * arguments for every question asked of it and maps every word to a position:
 * a 32k-line file took seconds in Node and tens of seconds under Jest's VM.
 * This pass is linear, and each instruction costs its own length.
 */
import { DockerfileParser, PropertyInstruction } from 'dockerfile-ast';
import { splitLines } from '../../analysis/source/files.js';

/** An ENV / ARG assignment (`KEY=value`, `KEY value`, or `ARG KEY` without a value). */
export interface Assignment {
  name: string;
  value?: string;
}

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, USER… */
  keyword: string;
  /** Flags and arguments, continuation lines joined with a space, heredoc bodies appended on their own lines. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
  /** ENV and ARG: the assignments. */
  assignments?: Assignment[];
}

const DIRECTIVE = /^#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/;
const HEREDOC = /^<<(-?)(["']?)([A-Za-z_][\w.-]*)\2/;

/** The escape character (`\` or the `# escape=` directive's) and the index of the first line after the directives. */
function directives(lines: readonly string[]): { escapeChar: string; start: number } {
  let escapeChar = '\\';
  let start = 0;
  for (; start < lines.length; start++) {
    const directive = DIRECTIVE.exec(lines[start] ?? '');
    if (!directive) break;
    if (directive[1]?.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) {
      escapeChar = directive[2];
    }
  }
  return { escapeChar, start };
}

/** The line without a trailing escape character (and the whitespace after it), and whether it continues. */
function continued(line: string, escapeChar: string): { text: string; more: boolean } {
  const trimmed = line.trimEnd();
  if (!trimmed.endsWith(escapeChar)) return { text: trimmed, more: false };
  return { text: trimmed.slice(0, -1), more: true };
}

/** The heredoc delimiters an instruction's words open, in order. */
function heredocsOf(keyword: string, words: readonly string[]): { name: string; tabs: boolean }[] {
  if (keyword !== 'RUN' && keyword !== 'COPY' && keyword !== 'ADD') return [];
  const found: { name: string; tabs: boolean }[] = [];
  for (const word of words) {
    // `<<EOF`, `<<-EOF`, `<<"EOF"`, also written right after a command (`cat <<EOF`).
    const at = word.indexOf('<<');
    if (at === -1 || word[at + 2] === '<') continue;
    const match = HEREDOC.exec(word.slice(at));
    if (match) found.push({ name: match[3] as string, tabs: match[1] === '-' });
  }
  return found;
}

/** ENV and ARG assignments, as dockerfile-ast reads the instruction on its own. */
function assignmentsOf(keyword: string, args: string, escapeChar: string): Assignment[] {
  const source = `${escapeChar === '`' ? '# escape=`\n' : ''}${keyword} ${args}`;
  const parsed = DockerfileParser.parse(source).getInstructions()[0];
  if (!(parsed instanceof PropertyInstruction)) return [];
  return parsed.getProperties().map((p) => {
    const value = p.getValue();
    return { name: p.getName(), ...(value === null ? {} : { value }) };
  });
}

/** The lines of one instruction from `first`: the joined words and the index of the line after it. */
function logicalLine(
  lines: readonly string[],
  first: number,
  escapeChar: string,
): { words: string[]; next: number } {
  const words: string[] = [];
  let i = first;
  for (let more = true; more && i < lines.length; i++) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    if (i > first && (trimmed === '' || trimmed.startsWith('#'))) continue;
    const part = continued(line, escapeChar);
    more = part.more;
    for (const word of part.text.split(/[ \t]+/)) if (word !== '') words.push(word);
  }
  return { words, next: i };
}

/** Heredoc bodies from line `from`: each body's text, and the index of the line after the last delimiter. */
function heredocBodies(
  lines: readonly string[],
  from: number,
  heredocs: readonly { name: string; tabs: boolean }[],
): { bodies: string[]; next: number } {
  const bodies: string[] = [];
  let i = from;
  for (const { name, tabs } of heredocs) {
    const body: string[] = [];
    for (; i < lines.length; i++) {
      const line = lines[i] as string;
      if ((tabs ? line.replace(/^\t+/, '') : line).trimEnd() === name) break;
      body.push(line);
    }
    i++;
    if (body.length > 0) bodies.push(body.join('\n'));
  }
  return { bodies, next: Math.min(i, lines.length) };
}

/** The instructions of a Dockerfile, continuation lines joined. */
export function parseDockerfile(content: string): Instruction[] {
  const lines = splitLines(content.replace(/^\uFEFF/, ''));
  const { escapeChar, start } = directives(lines);
  const instructions: Instruction[] = [];
  for (let i = start; i < lines.length; ) {
    const trimmed = (lines[i] as string).trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const line = i + 1;
    const { words, next } = logicalLine(lines, i, escapeChar);
    const keyword = (words.shift() ?? '').toUpperCase();
    const { bodies, next: after } = heredocBodies(lines, next, heredocsOf(keyword, words));
    i = after;
    const args = [words.join(' '), ...bodies].join('\n');
    const assignments =
      keyword === 'ENV' || keyword === 'ARG'
        ? assignmentsOf(keyword, words.join(' '), escapeChar)
        : undefined;
    instructions.push({ keyword, args, line, ...(assignments === undefined ? {} : { assignments }) });
  }
  return instructions;
}
