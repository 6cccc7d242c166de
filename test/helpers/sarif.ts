/** Validates a SARIF log against the SARIF 2.1.0 JSON schema (draft-04), as GitHub's upload does first. */
import { readFileSync } from 'node:fs';
import AjvDraft04, { type ErrorObject } from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

const SCHEMA_PATH = new URL(
  '../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
  import.meta.url,
);

// CommonJS modules: under NodeNext the default import is module.exports, whose `default` is the export.
// The schema's `language` pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is invalid with the `u` flag.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));

/** The schema violations of `log`, one line each (empty when valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
