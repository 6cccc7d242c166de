/**
 * Log lines whose shape says what they hold, read without a header format:
 * JSON records (pino, bunyan, zap, logrus, winston, ECS, Serilog) and access
 * logs in the Common / Combined Log Format (nginx, Apache). Each gives the
 * line's fields (level, time, logger), the message that templates are mined
 * from, and for a request a template fixed by its method, route and status.
 */

export interface ParsedLogLine {
  matched: boolean;
  fields: Readonly<Record<string, string>>;
  content: string;
  /** The line's template when its shape fixes it (an access-log request: method, route, status class). */
  template?: string;
}

/** Keys of a structured line, by what they hold (pino, bunyan, zap, logrus, winston, ECS, Serilog, CloudWatch). */
const MESSAGE_KEYS = ['msg', 'message', '@message', '@m', '@mt', 'event', 'log', 'text'];
const LEVEL_KEYS = ['level', 'severity', 'lvl', 'levelname', 'loglevel', 'log.level', '@l'];
const TIME_KEYS = ['time', 'timestamp', '@timestamp', 'ts', '@t', 'datetime', 'date'];
const COMPONENT_KEYS = [
  'logger',
  'name',
  'logger_name',
  'component',
  'caller',
  'module',
  'service',
  'service.name',
];

/** pino's and bunyan's numeric levels. */
const NUMERIC_LEVELS: readonly [number, string][] = [
  [60, 'FATAL'],
  [50, 'ERROR'],
  [40, 'WARN'],
  [30, 'INFO'],
  [20, 'DEBUG'],
  [10, 'TRACE'],
];

/** Top-level and one-level-nested primitive values, by lower-cased dotted key (`log.level` of ECS). */
function flatten(record: Record<string, unknown>): Map<string, string | number | boolean> {
  const flat = new Map<string, string | number | boolean>();
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      flat.set(key.toLowerCase(), value);
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [inner, nested] of Object.entries(value)) {
        if (typeof nested === 'string' || typeof nested === 'number' || typeof nested === 'boolean')
          flat.set(`${key}.${inner}`.toLowerCase(), nested);
      }
    }
  }
  return flat;
}

function first(flat: Map<string, string | number | boolean>, keys: readonly string[]) {
  for (const key of keys) {
    const value = flat.get(key);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** A numeric level as a word (pino: 30 → INFO), a word as it is, upper-cased. */
function levelWord(value: string | number | boolean | undefined): string | undefined {
  if (typeof value === 'number') return NUMERIC_LEVELS.find(([at]) => value >= at)?.[1] ?? 'TRACE';
  return typeof value === 'string' ? value.trim().toUpperCase() : undefined;
}

/** A time as ISO 8601 text: epoch numbers (seconds below 1e11, else milliseconds) converted, text kept. */
function timeText(value: string | number | boolean | undefined): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const date = new Date(Math.abs(value) < 1e11 ? value * 1000 : value);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  return typeof value === 'string' ? value : undefined;
}

/**
 * A JSON log line (one object per line): the level read case-insensitively (numeric pino /
 * bunyan levels too), the time, the logger, and the message, which is what templates are
 * mined from; the other values stay as fields. Undefined for a line that is not a JSON object.
 */
export function parseJsonLine(line: string): ParsedLogLine | undefined {
  const text = line.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  const flat = flatten(record as Record<string, unknown>);
  const message = first(flat, MESSAGE_KEYS);
  const fields: Record<string, string> = {};
  for (const [key, value] of flat) fields[key] = String(value);
  const level = levelWord(first(flat, LEVEL_KEYS));
  if (level !== undefined) fields.Level = level;
  const time = timeText(first(flat, TIME_KEYS));
  if (time !== undefined) fields.Timestamp = time;
  const component = first(flat, COMPONENT_KEYS);
  if (component !== undefined) fields.Component = String(component);
  return { matched: true, fields, content: message === undefined ? text : String(message) };
}

/**
 * An access-log line in the Common or Combined Log Format (Apache, nginx; an optional request
 * time after the user agent): host, time, request, status, bytes.
 */
const ACCESS_LINE =
  /^(\S+) \S+ (\S+) \[([^\]]+)\] "([A-Z]{3,10}) (\S+)(?: [^"]*)?" (\d{3}) (\d+|-)(?: "[^"]*" "[^"]*")?(?:\s+(?:rt=)?(\d+(?:\.\d+)?))?/;
const CLF_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Path segments that are values: numbers, hex ids, UUIDs, long tokens. */
const VALUE_SEGMENT =
  /^(?:\d+|[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9_-]{24,})$/i;

/** `10/Oct/2000:13:55:36 -0700` as ISO 8601 (UTC). */
function clfTime(text: string): string | undefined {
  const m = CLF_TIME.exec(text);
  if (!m) return undefined;
  const [, d, mon, y, h, mi, s, sign, zh, zm] = m;
  const month = MONTHS.indexOf(mon ?? '');
  if (month < 0) return undefined;
  const local = Date.UTC(Number(y), month, Number(d), Number(h), Number(mi), Number(s));
  const offset = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm)) * 60_000;
  return new Date(local - offset).toISOString();
}

/**
 * A request path as a route: the query dropped, value segments (and value parts of file
 * names) as `<*>`: `/orders/123?x=1` → `/orders/<*>`, `/img/20.png` → `/img/<*>.png`.
 */
export function routeOf(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? path;
  return bare
    .split('/')
    .map((segment) =>
      VALUE_SEGMENT.test(segment)
        ? '<*>'
        : // Value parts of a file name: `20.png` → `<*>.png`, `app.3f9a8b7c.js` → `app.<*>.js`.
          segment.includes('.')
          ? segment
              .split('.')
              .map((part) => (VALUE_SEGMENT.test(part) ? '<*>' : part))
              .join('.')
          : segment,
    )
    .join('/');
}

/**
 * An access-log line: 5xx responses are errors and 4xx warnings, and its template is the
 * request's method, route and status class (`GET /api/orders/<*> 5xx`), so one failing route
 * is one template whatever the ids in its paths.
 */
export function parseAccessLine(line: string): ParsedLogLine | undefined {
  const m = ACCESS_LINE.exec(line);
  if (!m) return undefined;
  const [, host, user, time, method, path, status, bytes, requestTime] = m;
  const code = Number(status);
  const route = routeOf(path ?? '');
  const fields: Record<string, string> = {
    Host: host ?? '',
    User: user ?? '',
    Method: method ?? '',
    Path: path ?? '',
    Route: route,
    Status: status ?? '',
    Bytes: bytes ?? '',
    Level: code >= 500 ? 'ERROR' : code >= 400 ? 'WARN' : 'INFO',
  };
  const at = clfTime(time ?? '');
  if (at !== undefined) fields.Timestamp = at;
  if (requestTime !== undefined) fields.RequestTime = requestTime;
  const template = `${method} ${route} ${Math.floor(code / 100)}xx`;
  return { matched: true, fields, content: `${method} ${path} ${status}`, template };
}

/** Whether a line is meant as a JSON record (it may still fail to parse as one). */
export function isJsonLine(line: string): boolean {
  const text = line.trimStart();
  return text.startsWith('{');
}

/** Whether a line is an access-log request line. */
export function isAccessLine(line: string): boolean {
  return ACCESS_LINE.test(line);
}
