/**
 * Levels and timestamps of log lines, read from the header fields when a
 * format gave them and from the line itself otherwise. Only unambiguous
 * shapes are recognised: a wrong timestamp is worse than none.
 */

export type Level = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE' | 'UNKNOWN';

const LEVEL_WORDS: Readonly<Record<string, Level>> = {
  FATAL: 'FATAL',
  CRITICAL: 'FATAL',
  CRIT: 'FATAL',
  EMERG: 'FATAL',
  ALERT: 'FATAL',
  PANIC: 'FATAL',
  SEVERE: 'ERROR',
  ERROR: 'ERROR',
  ERR: 'ERROR',
  FAILURE: 'ERROR',
  WARN: 'WARN',
  WARNING: 'WARN',
  NOTICE: 'INFO',
  INFO: 'INFO',
  DEBUG: 'DEBUG',
  FINE: 'DEBUG',
  TRACE: 'TRACE',
  FINEST: 'TRACE',
};

const LEVEL_IN_LINE =
  /\b(FATAL|CRITICAL|CRIT|EMERG|ALERT|PANIC|SEVERE|ERROR|ERR|WARN|WARNING|NOTICE|INFO|DEBUG|TRACE)\b/;
const ERROR_WORDS =
  /\b(exception|error|failed|failure|fatal|refused|denied|timed? ?out|unreachable|panic|segfault|killed)\b/i;

export function levelOf(fields: Readonly<Record<string, string>>, line: string): Level {
  for (const name of ['Level', 'level', 'Severity', 'Type']) {
    const value = fields[name]?.trim().toUpperCase();
    if (value && LEVEL_WORDS[value]) return LEVEL_WORDS[value];
  }
  const found = LEVEL_IN_LINE.exec(line.slice(0, 200))?.[1];
  return found ? (LEVEL_WORDS[found] ?? 'UNKNOWN') : 'UNKNOWN';
}

/** Error-like: at ERROR or above, or unknown level with error words in the message. */
export function isErrorLike(level: Level, content: string): boolean {
  return level === 'ERROR' || level === 'FATAL' || (level === 'UNKNOWN' && ERROR_WORDS.test(content));
}

const ISO = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?/;
const SYSLOG = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\b/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Milliseconds since the epoch, or undefined. Times without a zone are read as
 * UTC and syslog times (no year) in `year`: what matters for bursts and
 * ordering is the distance between lines, which both keep.
 */
export function timestampOf(
  fields: Readonly<Record<string, string>>,
  line: string,
  year: number,
): number | undefined {
  const fromFields = [fields.Date, fields.Time].filter(Boolean).join(' ') || fields.Timestamp || '';
  for (const text of [fromFields, line.slice(0, 120)]) {
    const iso = ISO.exec(text);
    if (iso) {
      const [, y, mo, d, h, mi, s, frac, zone] = iso;
      const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
      const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
      if (Number.isNaN(base)) continue;
      if (!zone || zone === 'Z') return base;
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      return base - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    const syslog = SYSLOG.exec(text);
    if (syslog) {
      const [, mon, d, h, mi, s] = syslog;
      return Date.UTC(year, MONTHS.indexOf(mon ?? ''), Number(d), Number(h), Number(mi), Number(s));
    }
  }
  return undefined;
}
