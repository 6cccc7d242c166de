/**
 * dependency-analyzer's SBOM against a reference BOM of the same project, by
 * default this repository's package-lock.json against what
 * `@cyclonedx/cyclonedx-npm` writes from the installed node_modules:
 *
 *   npx @cyclonedx/cyclonedx-npm --spec-version 1.6 --output-file /tmp/reference-bom.json
 *   npm run bench:deps -- --reference /tmp/reference-bom.json [--lockfile package-lock.json]
 *
 * Components are compared by purl without qualifiers (the reference adds
 * `?vcs_url=` and the like), licences by the SPDX id or expression each side
 * states. The reference is produced beforehand, so the bench needs no extra
 * dependency and no network.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runAgent } from '../shared/agents/registry.js';

interface Component {
  purl?: string;
  licenses?: { license?: { id?: string; name?: string }; expression?: string }[];
  components?: Component[];
}

const { values } = parseArgs({
  options: {
    reference: { type: 'string' },
    lockfile: { type: 'string', default: 'package-lock.json' },
  },
});

if (values.reference === undefined) {
  process.stderr.write(
    'Give the reference BOM: npx @cyclonedx/cyclonedx-npm --spec-version 1.6 --output-file /tmp/reference-bom.json, then --reference /tmp/reference-bom.json\n',
  );
  process.exit(2);
}

/** Every component, nested ones (bundled packages) included, by purl without qualifiers. */
function byPurl(components: readonly Component[]): Map<string, Component> {
  const found = new Map<string, Component>();
  const stack = [...components];
  for (let c = stack.pop(); c !== undefined; c = stack.pop()) {
    if (c.purl) found.set(decodeURIComponent(c.purl.replace(/[?#].*$/, '')), c);
    stack.push(...(c.components ?? []));
  }
  return found;
}

/** The licence a component states; outer parentheses dropped (`(MIT OR CC0-1.0)` as npm writes it is `MIT OR CC0-1.0`). */
const licenceOf = (c: Component | undefined) =>
  c?.licenses
    ?.map((l) => (l.expression ?? l.license?.id ?? l.license?.name ?? '').replace(/^\((.*)\)$/, '$1'))
    .join(' | ') ?? '(none)';

const reference = byPurl(
  (JSON.parse(readFileSync(values.reference, 'utf8')) as { components?: Component[] }).components ?? [],
);
const started = performance.now();
const result = (await runAgent(
  'dependency-analyzer',
  { files: [{ path: values.lockfile, content: readFileSync(values.lockfile, 'utf8') }] },
  { traceId: 'bench-deps', now: new Date() },
)) as unknown as { sbom: { components: Component[] }; licenses: { license: string; count: number }[] };
const ms = performance.now() - started;
const ours = byPurl(result.sbom.components);

const both = [...ours.keys()].filter((p) => reference.has(p));
const onlyOurs = [...ours.keys()].filter((p) => !reference.has(p));
const onlyReference = [...reference.keys()].filter((p) => !ours.has(p));
const licenceDiffers = both.filter((p) => licenceOf(ours.get(p)) !== licenceOf(reference.get(p)));

const lines = [
  `lockfile ${values.lockfile}: ${ours.size} components in ${ms.toFixed(0)} ms; reference ${reference.size}`,
  `in both ${both.length}; only ours ${onlyOurs.length}; only the reference ${onlyReference.length}`,
  `licence stated differently for ${licenceDiffers.length} of ${both.length}`,
  ...onlyOurs.slice(0, 10).map((p) => `  only ours: ${p}`),
  ...onlyReference.slice(0, 10).map((p) => `  only reference: ${p}`),
  ...licenceDiffers
    .slice(0, 10)
    .map((p) => `  licence: ${p}: ours ${licenceOf(ours.get(p))}, reference ${licenceOf(reference.get(p))}`),
  `licence table: ${result.licenses
    .slice(0, 8)
    .map((r) => `${r.license} ${r.count}`)
    .join(', ')}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
