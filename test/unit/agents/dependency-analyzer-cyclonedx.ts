/**
 * Validates a BOM against the official CycloneDX 1.6 JSON schema (draft-07),
 * vendored in test/fixtures/dependency-analyzer/cyclonedx-schema. The BOM
 * schema refers to its SPDX and JSF parts by their `*.SNAPSHOT.schema.json`
 * names (as the library ships them), so they are registered under those ids.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject } from 'ajv';
import ajvFormats from 'ajv-formats';

const schema = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(
      new URL(`../../fixtures/dependency-analyzer/cyclonedx-schema/${name}`, import.meta.url),
      'utf8',
    ),
  ) as Record<string, unknown>;

const BASE = 'http://cyclonedx.org/schema/';

// CommonJS modules: under NodeNext the default import is module.exports, whose `default` is the export.
const ajv = new Ajv.default({ allErrors: true, strict: false });
ajvFormats.default(ajv);
// ajv-formats has no IRI or internationalised e-mail formats; the BOM's URLs are checked as strings only.
ajv.addFormat('iri-reference', true);
ajv.addFormat('idn-email', true);
ajv.addSchema({ ...schema('spdx.schema.json'), $id: `${BASE}spdx.SNAPSHOT.schema.json` });
ajv.addSchema({ ...schema('jsf-0.82.schema.json'), $id: `${BASE}jsf-0.82.SNAPSHOT.schema.json` });
const validate = ajv.compile(schema('bom-1.6.schema.json'));

/** The SPDX licence ids the schema accepts as `license.id`. */
export const SPDX_IDS: ReadonlySet<string> = new Set(schema('spdx.schema.json').enum as string[]);

/** The schema violations of `bom`, one line each (empty when valid). */
export function cycloneDxErrors(bom: unknown): string[] {
  if (validate(bom)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
