/**
 * Assignments that are not `name = value` (./secret-patterns.ts reads those):
 * PHP's `define('AUTH_KEY', '…')` (WordPress keys and salts), a subscript
 * `$settings['hash_salt'] = '…'` / `os.environ["DB_PASSWORD"] = "…"`, an XML
 * element `<password>…</password>`, and .NET's
 * `<add key="ApiKey" value="…" />`, and an rc file's `password "…"` line. Each is one global regular expression
 * without nested quantifiers over the same characters: linear in the text.
 */
import type { Assignment } from './secret-patterns.js';

const NAME = String.raw`[A-Za-z_][\w.:-]{0,80}`;
const SINGLE = String.raw`'((?:[^'\\\n]|\\.){1,300})'`;
const DOUBLE = String.raw`"((?:[^"\\\n]|\\.){1,300})"`;

/** `define('NAME', 'value')` / `define("NAME", "value")`. */
const DEFINE = new RegExp(
  String.raw`\bdefine\s*\(\s*(['"])(${NAME})\1\s*,\s*(?:${SINGLE}|${DOUBLE})\s*\)`,
  'gd',
);
/** `['name'] = 'value'`. */
const SUBSCRIPT = new RegExp(String.raw`\[\s*(['"])(${NAME})\1\s*\]\s*=\s*(?:${SINGLE}|${DOUBLE})`, 'gd');
/** `<name>value</name>` (attributes allowed on the opening tag). */
const ELEMENT = new RegExp(String.raw`<(${NAME})(?:\s[^<>\n]{0,200})?>([^<>\n]{1,300})</\1\s*>`, 'gd');
/** `key="Name" value="…"` (appSettings) */
const KEY_VALUE = new RegExp(
  String.raw`\b(?:key|name)\s*=\s*"(${NAME})"\s+value\s*=\s*"([^"\n]{1,300})"`,
  'gd',
);

/**
 * A line of an rc file that is only `name "value"` or `password value`
 * (esmtprc, fetchmailrc, msmtprc, lftp): the name, blanks, one value, nothing after.
 */
const SPACED = new RegExp(String.raw`^[ \t]*(${NAME})[ \t]+(?:${SINGLE}|${DOUBLE})[ \t]*\r?$`, 'gdm');
const SPACED_PASSWORD = /^[ \t]*(password|passwd|pass)[ \t]+([^\s"'#;]{4,300})[ \t]*\r?$/dgm;

function* fromPattern(text: string, pattern: RegExp, nameGroup: number): Generator<Assignment> {
  for (const m of text.matchAll(pattern)) {
    for (let group = nameGroup + 1; group < m.length; group++) {
      const value = m[group];
      const at = m.indices?.[group];
      if (value === undefined || at === undefined) continue;
      yield { name: m[nameGroup] ?? '', value, start: at[0], quoted: true };
      break;
    }
  }
}

/** Every assignment of these forms in a text, with where its value starts. */
export function* otherAssignments(text: string): Generator<Assignment> {
  if (text.includes('define')) yield* fromPattern(text, DEFINE, 2);
  if (text.includes('[')) yield* fromPattern(text, SUBSCRIPT, 2);
  if (text.includes('</')) yield* fromPattern(text, ELEMENT, 1);
  if (text.includes('value')) yield* fromPattern(text, KEY_VALUE, 1);
  yield* fromPattern(text, SPACED, 1);
  if (/pass/i.test(text)) yield* fromPattern(text, SPACED_PASSWORD, 1);
}
