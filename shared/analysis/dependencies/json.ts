/** The small JSON helpers the JSON lockfile readers share. */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON text's top-level object, or the parser's message (invalid JSON or another value). */
export function jsonObject(content: string): { value: Json } | { problem: string } {
  try {
    const value: unknown = JSON.parse(content);
    return isObject(value) ? { value } : { problem: 'the file is JSON but not an object' };
  } catch (error) {
    return { problem: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** First line of each JSON object key `"key": {` in a file, in one pass. */
export function objectKeyLines(content: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let last = 0;
  for (const m of content.matchAll(/"((?:[^"\\\n]|\\.)*)"\s*:\s*\{/g)) {
    const index = m.index ?? 0;
    for (let i = last; i < index; i++) if (content.charCodeAt(i) === 10) line++;
    last = index;
    const key = m[1] ?? '';
    if (!lines.has(key)) lines.set(key, line);
  }
  return lines;
}

/** The string values of an object (a `dependencies` map), or none. */
export function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
