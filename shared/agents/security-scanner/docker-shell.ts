/**
 * The shell commands of a RUN, read in one pass: split at `;`, `&`, `|`,
 * parentheses and newlines outside quotes, words unquoted, redirection
 * targets (`> file`, `>> file`, `&> file`) set apart. Not a shell: enough to
 * see which program runs with which arguments and where output goes, in time
 * linear in the text (a regex such as `curl[^|]*-k` is quadratic on a long
 * continuation with many `curl`s).
 */

export interface ShellCommand {
  /** The words, quotes removed; redirections left out. */
  words: string[];
  /** Where `>`, `>>`, `&>` send output. */
  redirects: string[];
  /** Followed by a single `|`: its output is the next command's input. */
  pipedInto: boolean;
}

interface Reader {
  commands: ShellCommand[];
  current: ShellCommand;
  word: string | undefined;
  redirectNext: boolean;
}

const fresh = (): ShellCommand => ({ words: [], redirects: [], pipedInto: false });

function endWord(reader: Reader): void {
  if (reader.word === undefined) return;
  if (reader.redirectNext) reader.current.redirects.push(reader.word);
  else reader.current.words.push(reader.word);
  reader.word = undefined;
  reader.redirectNext = false;
}

function endCommand(reader: Reader, pipedInto: boolean): void {
  endWord(reader);
  reader.current.pipedInto = pipedInto;
  if (reader.current.words.length > 0 || reader.current.redirects.length > 0)
    reader.commands.push(reader.current);
  reader.current = fresh();
}

/** A `>`-family operator at `i`: returns the index of its last character. */
function redirect(text: string, i: number, reader: Reader): number {
  // A file-descriptor number right before (`2>`) is not a word.
  if (reader.word !== undefined && /^\d+$/.test(reader.word)) reader.word = undefined;
  endWord(reader);
  let end = i;
  if (text[end + 1] === '>' || text[end + 1] === '|') end++;
  if (text[end + 1] === '&') return end + 1 + (/\d|-/.test(text[end + 2] ?? '') ? 1 : 0); // 2>&1: a copy, no file
  reader.redirectNext = true;
  return end;
}

/** The quoted text starting at `i` (a quote character), appended to the word; returns the closing index. */
function quoted(text: string, i: number, reader: Reader): number {
  const quote = text[i];
  let j = i + 1;
  let value = '';
  while (j < text.length && text[j] !== quote) {
    if (quote === '"' && text[j] === '\\' && j + 1 < text.length) j++;
    value += text[j];
    j++;
  }
  reader.word = (reader.word ?? '') + value;
  return j;
}

/** The characters the reader stops at. */
const SPECIAL = new Set(["'", '"', '\\', ' ', '\t', '\r', '>', '&', '|', ';', '\n', '(', ')']);

/** The commands of a shell text, in order. */
export function shellCommands(text: string): ShellCommand[] {
  const reader: Reader = { commands: [], current: fresh(), word: undefined, redirectNext: false };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'" || c === '"') i = quoted(text, i, reader);
    else if (c === '\\') {
      reader.word = (reader.word ?? '') + (text[i + 1] ?? '');
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') endWord(reader);
    else if (c === '>') i = redirect(text, i, reader);
    else if (c === '&' && text[i + 1] === '>') i = redirect(text, i + 1, reader);
    else if (c === '|') {
      const single = text[i + 1] !== '|';
      endCommand(reader, single);
      if (!single) i++;
    } else if (c === ';' || c === '&' || c === '\n' || c === '(' || c === ')') endCommand(reader, false);
    else {
      // A run of plain characters is taken in one slice, not one character at a time.
      let end = i + 1;
      while (end < text.length && !SPECIAL.has(text[end] as string)) end++;
      reader.word = (reader.word ?? '') + text.slice(i, end);
      i = end - 1;
    }
  }
  endCommand(reader, false);
  return reader.commands;
}

/** The program a command runs, past `sudo`, `env`, `exec`, `command` and VAR=value prefixes; its index in words. */
export function programOf(command: ShellCommand): { name: string; at: number } | undefined {
  const { words } = command;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (/^[A-Za-z_]\w*=/.test(word) || /^(?:sudo|env|exec|command|nohup|time)$/.test(word)) continue;
    if (word.startsWith('-') && i > 0) continue; // options of sudo / env
    return { name: word.slice(word.lastIndexOf('/') + 1), at: i };
  }
  return undefined;
}

/** The paths `rm` (or `find PATH … -delete`) removes in these commands. */
export function removedPaths(commands: readonly ShellCommand[]): string[] {
  const removed: string[] = [];
  for (const command of commands) {
    const program = programOf(command);
    if (!program) continue;
    const args = command.words.slice(program.at + 1);
    if (program.name === 'rm' || program.name === 'shred' || program.name === 'unlink') {
      let options = true;
      for (const arg of args) {
        if (options && arg === '--') options = false;
        else if (!(options && arg.startsWith('-'))) removed.push(arg);
      }
    } else if (program.name === 'find' && args.some((a) => a === '-delete' || a === 'rm')) {
      const end = args.findIndex((a) => a.startsWith('-') || a === '!' || a === '(');
      removed.push(...args.slice(0, end === -1 ? args.length : end));
    }
  }
  return removed;
}
