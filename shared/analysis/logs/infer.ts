/**
 * Infers a header format (the logparser convention of ./format.ts) from a
 * sample of lines, for when the user gives none. The header is the run of
 * leading tokens whose kind is the same on (almost) every line: dates,
 * times, numbers, levels, bracketed fields, dashes, host-like constants,
 * ending with a `component:` token when there is one. What follows is the
 * content. The candidate is kept only if it matches most of the sample.
 */
import { compileLogFormat } from './format.js';

type Kind =
  | 'datetime'
  | 'date'
  | 'time'
  | 'month'
  | 'weekday'
  | 'number'
  | 'level'
  | 'dash'
  | 'bracket'
  | 'component'
  | 'id'
  | 'word';

interface Agreed {
  kind: Kind;
  inner?: Kind;
  /** Whether (almost) every line has the same text there. */
  constant: boolean;
  /** The most common text there. */
  text: string;
}

interface HeaderToken {
  kind: Kind;
  text: string;
  /** For a bracketed token: the kind of what is inside. */
  inner?: Kind;
}

const SAMPLE = 2000;
const MAX_HEADER_TOKENS = 12;
const AGREEMENT = 0.8;
const MIN_MATCHING = 0.8;

const LEVEL =
  /^(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|CRIT|CRITICAL|FATAL|SEVERE|ALERT|EMERG|FINE|FINER|FINEST|CONFIG)$/i;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T-]\d{2}[:.]\d{2}[:.]\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const DATE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
const TIME = /^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?$/;
const MONTH = /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$/;
const WEEKDAY = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/;
const NUMBER = /^\d+$/;
/** `sshd[24200]:`, `dfs.DataNode$PacketResponder:`, `kernel:` — a source name ending the header. */
const COMPONENT = /^[A-Za-z_][\w.$/()@-]*(?:\[\d+\])?:$/;
const ID = /^[\w.:/@-]*\d[\w.:/@-]*$/;

function kindOf(text: string): Kind {
  if (text === '-') return 'dash';
  if (DATETIME.test(text)) return 'datetime';
  if (DATE.test(text)) return 'date';
  if (TIME.test(text)) return 'time';
  if (MONTH.test(text)) return 'month';
  if (WEEKDAY.test(text)) return 'weekday';
  if (NUMBER.test(text)) return 'number';
  if (LEVEL.test(text)) return 'level';
  if (COMPONENT.test(text)) return 'component';
  if (ID.test(text)) return 'id';
  return 'word';
}

function innerKind(inner: string): Kind {
  if (LEVEL.test(inner)) return 'level';
  if (/\d{1,2}:\d{2}:\d{2}/.test(inner)) return 'time';
  return 'word';
}

/** The first tokens of a line; a token opening a bracket runs to the bracket that closes it. */
function headerTokens(line: string): HeaderToken[] {
  const tokens: HeaderToken[] = [];
  let i = 0;
  const n = line.length;
  while (i < n && tokens.length < MAX_HEADER_TOKENS) {
    while (i < n && /\s/.test(line[i] ?? '')) i++;
    if (i >= n) break;
    const start = i;
    if (line[i] === '[') {
      let depth = 0;
      for (; i < n; i++) {
        if (line[i] === '[') depth++;
        else if (line[i] === ']' && --depth === 0) break;
      }
      if (i < n && (i + 1 === n || /\s/.test(line[i + 1] ?? ''))) {
        const inner = line.slice(start + 1, i);
        i++;
        tokens.push({ kind: 'bracket', text: line.slice(start, i), inner: innerKind(inner) });
        continue;
      }
      i = start;
    }
    while (i < n && !/\s/.test(line[i] ?? '')) i++;
    const text = line.slice(start, i);
    tokens.push({ kind: kindOf(text), text });
  }
  return tokens;
}

/** The kind most lines have at a position, if enough of them agree, with whether the text is constant. */
function consensus(rows: readonly HeaderToken[][], position: number): Agreed | undefined {
  const kinds = new Map<string, number>();
  const texts = new Map<string, number>();
  for (const row of rows) {
    const token = row[position];
    if (!token) continue;
    const kind = token.kind === 'bracket' ? `bracket:${token.inner}` : token.kind;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    texts.set(token.text, (texts.get(token.text) ?? 0) + 1);
  }
  const [best, count] = [...kinds.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  if (count < rows.length * AGREEMENT) return undefined;
  const [text, top] = [...texts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  const constant = top >= rows.length * AGREEMENT;
  // A literal must hold on every line; a dash most lines have is a field that is usually empty.
  if (best === 'dash' && top < rows.length) return { kind: 'word', constant: true, text };
  const [kind, inner] = best.split(':') as [Kind, Kind | undefined];
  return inner ? { kind, inner, constant, text } : { kind, constant, text };
}

const NAMES: Record<Kind, string> = {
  datetime: 'Timestamp',
  date: 'Date',
  time: 'Time',
  month: 'Month',
  weekday: 'Weekday',
  number: 'Number',
  level: 'Level',
  dash: '',
  bracket: 'Thread',
  component: 'Component',
  id: 'Id',
  word: 'Host',
};

/** Turns the header kinds into a format, naming each field once. */
function formatOf(header: readonly Agreed[]): string {
  const used = new Map<string, number>();
  const name = (base: string) => {
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    return seen === 0 ? base : `${base}${seen + 1}`;
  };
  const pieces = header.map((h) => {
    if (h.kind === 'dash') return '-';
    if (h.kind === 'component') return `<${name('Component')}>:`;
    if (h.kind === 'bracket') {
      const inner = h.inner === 'level' ? 'Level' : h.inner === 'time' ? 'Time' : 'Thread';
      return `\\[<${name(inner)}>\\]`;
    }
    if (h.kind === 'word' && h.text === '-') return `<${name('Label')}>`;
    return `<${name(NAMES[h.kind])}>`;
  });
  return `${pieces.join(' ')} <Content>`;
}

const HEADER_KINDS = new Set<Kind>([
  'datetime',
  'date',
  'time',
  'month',
  'weekday',
  'number',
  'level',
  'dash',
  'bracket',
]);

/**
 * A header format for the lines, or undefined when they share no header
 * (the whole line is then the message).
 */
export function inferLogFormat(lines: readonly string[]): string | undefined {
  const sample = lines
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, SAMPLE);
  if (sample.length === 0) return undefined;
  const rows = sample.map(headerTokens);
  const header: Agreed[] = [];
  const levelAt = findLevel(rows);
  for (let position = 0; position < MAX_HEADER_TOKENS; position++) {
    const agreed = consensus(rows, position);
    if (!agreed) break;
    const beforeLevel = levelAt !== undefined && position < levelAt;
    if (agreed.kind === 'component') {
      header.push(agreed);
      break;
    }
    const fits =
      HEADER_KINDS.has(agreed.kind) ||
      agreed.kind === 'id' ||
      (agreed.kind === 'word' && (agreed.constant || beforeLevel));
    if (!fits) break;
    header.push(agreed);
  }
  // A trailing id or word that no level or component closes is more likely the message's first word.
  while (levelAt === undefined || header.length > levelAt + 1) {
    const last = header.at(-1);
    if (!last || (last.kind !== 'id' && last.kind !== 'word')) break;
    header.pop();
  }
  for (let size = header.length; size > 0; size--) {
    const format = formatOf(header.slice(0, size));
    const compiled = compileLogFormat(format);
    const matching = sample.filter((line) => compiled.parse(line) !== undefined).length;
    if (matching >= sample.length * MIN_MATCHING) return format;
  }
  return undefined;
}

/** The position where most lines have a level word, if any. */
function findLevel(rows: readonly HeaderToken[][]): number | undefined {
  for (let position = 0; position < MAX_HEADER_TOKENS; position++) {
    const levels = rows.filter((r) => {
      const token = r[position];
      return token?.kind === 'level' || (token?.kind === 'bracket' && token.inner === 'level');
    }).length;
    if (levels >= rows.length * AGREEMENT) return position;
  }
  return undefined;
}
