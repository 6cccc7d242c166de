/**
 * Turns a log message into the tokens the miner compares: split on
 * whitespace, with the parts that are variable by their shape replaced by
 * `<*>`. Only shape is used, never a system's vocabulary, so the same masks
 * serve every log source:
 * - dates and times written with month or weekday names (`Fri Jun 17
 *   07:07:00 2005`), and ISO timestamps, which span several tokens, become
 *   one `<*>` token before splitting, so their spacing cannot change the
 *   token count;
 * - URLs and multi-segment paths become `<*>`;
 * - inside every token, each run of letters, digits, `_` and `-` that holds
 *   a digit becomes `<*>`: numbers, sizes and durations (`12ms`, `4.5KB`),
 *   hex (`0x1f`), IPs and ports, UUIDs, block, job and request ids
 *   (`blk_-1608`, `attempt_1445_0020_m_000000_0`), the value of `key=42`;
 *   the letters around them stay (`core.<*>`, `uid=<*>`, `processor....<*>`);
 * - whole tokens that are ids by shape become `<*>`: dotted names whose
 *   first label holds a digit (IPs, `h64-1.example.net`), host names with
 *   a port, MAC addresses and other hex groups;
 * - a number with its unit as a separate word (`5.2 KB`, `<1 sec`) is one
 *   value, like `4.5KB`;
 * - masks separated only by `.`, `:`, `/`, `,` or `-` join into one
 *   (`10.0.0.1:50010` → `<*>`), and a run of masked tokens is one token (a
 *   list of block ids is one variable, whatever its length), commas between
 *   them or not, as is a value followed by another rendering of it in
 *   brackets (`1152 bytes (1.12 KB)`);
 * - a quoted phrase holding spaces is one token, its words masked one by
 *   one; a Windows path with spaces in its folders is one `<*>`; a value
 *   after a sigil (`*64`, `#42`) is `<*>`; bracketed IPv6 addresses too;
 * - `|`, `;` and a comma before `key=` glued between fields split tokens.
 *   Values of `key=value` without a digit are left to the miner: a word
 *   taking two or three values there is often part of the event.
 * Word-only values (user names, host names without digits, enum-like
 * states) are left to the miner, which decides from how many different
 * values a position takes whether it is a variable.
 */

export const WILDCARD = '<*>';

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\b\\.?';
const WEEKDAY = '(?:Mon|Tue(?:s)?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\\b\\.?,?';
const CLOCK = '\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?';
const ZONE = '(?:\\s+(?:[A-Z]{3,4}|[+-]\\d{4}))';
/**
 * Calendar phrases and ISO timestamps. Every quantifier is bounded or sits
 * between mutually exclusive classes, so the pattern cannot backtrack badly
 * on any message.
 */
const DATE_TIME = new RegExp(
  [
    // Fri Jun 17 07:07:00 2005, Jun 17 07:07:00, 17 Jun 2005 07:07:00, Sat May  8 09:04:50 EDT 2004
    `\\b(?:${WEEKDAY}\\s{1,3})?${MONTH}\\s{1,3}\\d{1,2}(?:st|nd|rd|th)?,?(?:\\s{1,3}\\d{4}\\b)?(?:\\s{1,3}${CLOCK}${ZONE}?(?:\\s{1,3}\\d{4}\\b)?)?`,
    `\\b(?:${WEEKDAY}\\s{1,3})?\\d{1,2}\\s{1,3}${MONTH}\\s{1,3}\\d{4}(?:\\s{1,3}${CLOCK}${ZONE}?)?`,
    // 2005-06-03 15:42:50,675 / 2005-06-03T15:42:50.675Z
    `\\b\\d{4}-\\d{2}-\\d{2}(?:[T\\s]${CLOCK}(?:Z|[+-]\\d{2}:?\\d{2})?)?\\b`,
  ].join('|'),
  'g',
);
/** A month or weekday name, or the start of an ISO date: the cheap test before DATE_TIME. */
const CALENDAR_HINT =
  /(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)|\d{4}-\d{2}-/;

/** A token that is a URL or an absolute or relative path with at least two separators. */
const URL_OR_PATH =
  /^[("'[<{]*(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*|~?\.{0,2}\/[^/\s]*\/\S*|[\w.-]+\/[\w.-]+\/\S*|[A-Za-z]:\\[^\\\s]*\\\S*)$/;
const LEADING_PUNCTUATION = /^[("'[<{]+/;
const TRAILING_PUNCTUATION = ')]}>"\',;.:';
/** Hex groups with separators: MAC addresses, IPv6, UUIDs, dotted dates. */
const HEX_GROUPS = /^[0-9A-Fa-f]+(?:(?:[:.-]|::)[0-9A-Fa-f]+)+$/;
const KEY_VALUE = /^[A-Za-z_][A-Za-z0-9_.-]*=/;
const LABEL = /^[A-Za-z0-9-]+$/;
const PORT = /:\d{1,5}$/;
const SOURCE_FILE = /^(?:c|h|cc|cpp|hpp|java|py|go|rs|js|ts|rb|cs|scala|kt)$/;
/** Masks with at most a simple separator between them, e.g. the parts of an IP and its port. */
const ADJACENT_MASKS = /<\*>(?:[.:/,-]?<\*>)+/g;
/**
 * A quantity with its unit as a word of its own (`5.2 KB`, `12 ms`, `<1 sec`):
 * one value, masked as one token, so `lifetime <1 sec` and `lifetime 00:02`
 * have the same shape.
 */
const QUANTITY =
  /(?<![\w.])[<>]?=?\d+(?:[.,]\d+)?\s?(?:[KMGTP]i?B(?:\/s|ps)?|kB|B|bytes?|[KMG]?bps|[nuµm]s|msecs?|(?:milli|micro|nano)(?:s|seconds?)|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?)\b/g;
/**
 * A quoted phrase with a space in it (`"Google Chrome Helper"`, `msg='disk
 * full'`): a value, whatever its word count. The opening quote starts a
 * token or follows `=`, `:` or `(`; the closing one ends a token.
 */
const QUOTE_OPENS = ' \t=:([';
const QUOTE_CLOSES = ' \t,;:.)]}';
/** Stands for a space inside a quoted phrase while the message is split on whitespace. */
const GLUE = '\u{e000}';
/**
 * A Windows path whose folders hold spaces (`C:\Program Files (x86)\App\app.exe`):
 * one value. A space may only appear inside a folder name, before a later
 * backslash, so the repetition cannot backtrack far.
 */
const WINDOWS_PATH = /\b[A-Za-z]:\\(?:[^\\\s]+(?: [^\\\s]+){0,3}\\)+[^\\\s]*/g;
/** A mask followed by a comma: an item of a list when another mask follows. */
const LISTED_MASK = `${WILDCARD},`;
/** An IPv6 address in brackets, with or without a port (`[::1]:8080`, `[2001:db8::7]`). */
const BRACKETED_IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\](?::\d{1,5})?([,;.]?)$/;
/** A mask in brackets, alone. */
const BRACKETED_MASK = /^(?:\(<\*>\)|\[<\*>\])$/;
/** A value after a one-character sigil (`*64`, `#42`, `+5`): the sigil is part of the value. */
const SIGIL_VALUE = /^[*#+~@$%&!^]<\*>$/;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isDigit(text.charCodeAt(i))) return true;
  return false;
}

/** Letters, digits, `_` and `-`: the characters of an id. */
function isIdChar(code: number): boolean {
  return (
    isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45
  );
}

/**
 * A dotted name whose first label holds a digit (an IP, `h64-1.example.net`,
 * a version), or a host name with a port (`www.example.com:443`, but not a
 * source file and line such as `main.c:42`). Written without regex
 * backtracking: tokens can be long.
 */
function isHostLike(core: string): boolean {
  const port = PORT.exec(core);
  const host = port ? core.slice(0, port.index) : core;
  const labels = host.split('.');
  if (!labels.every((label) => LABEL.test(label))) return false;
  if (labels.length > 1 && hasDigit(labels[0] ?? '')) return true;
  if (!port) return false;
  if (host === 'localhost') return true;
  const last = labels[labels.length - 1] ?? '';
  return labels.length > 1 && /^[A-Za-z]{2,}$/.test(last) && !SOURCE_FILE.test(last);
}

/** Each run of id characters holding a digit becomes a mask; one linear pass. */
function maskNumericRuns(token: string): string {
  let out = '';
  let i = 0;
  while (i < token.length) {
    if (!isIdChar(token.charCodeAt(i))) {
      out += token[i];
      i++;
      continue;
    }
    let end = i;
    let digit = false;
    while (end < token.length && isIdChar(token.charCodeAt(end))) {
      if (isDigit(token.charCodeAt(end))) digit = true;
      end++;
    }
    out += digit ? WILDCARD : token.slice(i, end);
    i = end;
  }
  return out;
}

function trailingPunctuation(token: string, from: number): string {
  let start = token.length;
  while (start > from && TRAILING_PUNCTUATION.includes(token[start - 1] ?? '')) start--;
  return token.slice(start);
}

function maskToken(token: string): string {
  if (token.charCodeAt(0) === 91) {
    const ipv6 = BRACKETED_IPV6.exec(token);
    if (ipv6) return `${WILDCARD}${ipv6[1]}`;
  }
  const lead = LEADING_PUNCTUATION.exec(token)?.[0] ?? '';
  const trail = trailingPunctuation(token, lead.length);
  if ((token.includes('/') || token.includes('\\')) && URL_OR_PATH.test(token))
    return `${lead}${WILDCARD}${trail}`;
  if (!hasDigit(token)) return token.includes('<*><*>') ? token.replace(ADJACENT_MASKS, WILDCARD) : token;
  const core = token.slice(lead.length, token.length - trail.length);
  if (HEX_GROUPS.test(core) || isHostLike(core)) return `${lead}${WILDCARD}${trail}`;
  const key = KEY_VALUE.exec(core)?.[0];
  if (key !== undefined) return `${lead}${key}${maskToken(core.slice(key.length))}${trail}`;
  const masked = maskNumericRuns(token).replace(ADJACENT_MASKS, WILDCARD);
  return masked.length === WILDCARD.length + 1 && SIGIL_VALUE.test(masked) ? WILDCARD : masked;
}

/**
 * Makes each quoted phrase holding a space one token: its words masked one by
 * one and glued by GLUE (spaces again once split). A phrase of masks only is
 * one mask. The miner then decides from the values the token takes whether
 * it is a variable (`"Google Chrome Helper"`) or part of the event (`"GET <*>
 * HTTP/<*>"`). One pass, each quote searched for once.
 */
function maskQuotedPhrases(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  /** Quote characters with no closing one left: searching again would make the pass quadratic. */
  let exhausted = '';
  const quotes = /["']/g;
  while (i < text.length && exhausted.length < 2) {
    quotes.lastIndex = i;
    const found = quotes.exec(text);
    if (!found) break;
    i = found.index;
    const quote = found[0];
    if (exhausted.includes(quote) || (i > 0 && !QUOTE_OPENS.includes(text[i - 1] ?? ''))) {
      i++;
      continue;
    }
    const close = text.indexOf(quote, i + 1);
    if (close < 0) {
      exhausted += quote;
      i++;
      continue;
    }
    const after = text[close + 1];
    const inner = text.slice(i + 1, close);
    if ((after === undefined || QUOTE_CLOSES.includes(after)) && /\s/.test(inner) && !inner.includes('\n')) {
      const words = inner
        .split(/\s+/)
        .filter((w) => w !== '')
        .map(maskToken);
      const masked = words.every((w) => w === WILDCARD) ? WILDCARD : words.join(GLUE);
      out += `${text.slice(copied, i)}${quote}${masked}${quote}`;
      copied = close + 1;
      i = close + 1;
    } else {
      // The closing candidate may open the next phrase.
      i = close;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Pipes, semicolons, and commas before a `key=`, glued between fields
 * (`a|b|c`, `k=v;k2=v2`, `src=a,dst=b`), separate tokens like spaces do.
 * Other commas stay: a list glued by commas is one value whatever its length.
 */
function spaceDelimiters(text: string): string {
  let out = text;
  if (out.includes('|')) out = out.replaceAll('|', ' | ');
  if (glued(out, ';', isNotSpace)) out = out.replace(/;(?=\S)/g, '; ');
  if (glued(out, ',', isKeyStart) && out.includes('='))
    out = out.replace(/,(?=[A-Za-z_][\w.-]{0,63}=)/g, ', ');
  return out;
}

const isNotSpace = (code: number) => code !== 32 && code !== 9;
const isKeyStart = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;

/** Whether a delimiter is ever followed by a character of the kind given: the cheap test before a replace. */
function glued(text: string, delimiter: string, next: (code: number) => boolean): boolean {
  for (let i = text.indexOf(delimiter); i >= 0 && i + 1 < text.length; i = text.indexOf(delimiter, i + 1)) {
    if (next(text.charCodeAt(i + 1))) return true;
  }
  return false;
}

/**
 * Appends a token, joining runs of masks: a list of ids is one variable
 * whatever its length, with or without commas between them (`a:80, b:443`),
 * and so is a value with another rendering of it in brackets (`1152 bytes
 * (1.12 KB)`).
 */
function pushToken(tokens: string[], token: string): void {
  // Every token that can join a run is at most five characters long: the cheap test first.
  if (token.length <= 5 && tokens.length > 0) {
    const last = tokens[tokens.length - 1];
    if (last === WILDCARD && (token === WILDCARD || BRACKETED_MASK.test(token))) return;
    if (last === LISTED_MASK && (token === WILDCARD || token === LISTED_MASK)) {
      tokens[tokens.length - 1] = token;
      return;
    }
  }
  tokens.push(token);
}

/** The masked tokens of a message; empty for a blank message. */
export function maskedTokens(content: string): string[] {
  const dated = CALENDAR_HINT.test(content) ? content.replace(DATE_TIME, WILDCARD) : content;
  const quoted = dated.includes('"') || dated.includes("'") ? maskQuotedPhrases(dated) : dated;
  const pathed = quoted.includes(':\\') ? quoted.replace(WINDOWS_PATH, WILDCARD) : quoted;
  const text = spaceDelimiters(pathed).replace(QUANTITY, WILDCARD);
  // maskQuotedPhrases returns its input when it finds no phrase.
  const glued = quoted !== dated;
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const space = c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
    if (space) {
      if (start >= 0) {
        const raw = text.slice(start, i);
        const token = glued && raw.includes(GLUE) ? raw.replaceAll(GLUE, ' ') : maskToken(raw);
        pushToken(tokens, token);
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  return tokens;
}
