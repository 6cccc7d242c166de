/**
 * The dependencies as a CycloneDX 1.6 JSON BOM (https://cyclonedx.org/docs/1.6/json/):
 * one component per distinct package (its purl is its bom-ref), with its
 * licence — `license.id` for a single known SPDX id, `expression` for an
 * SPDX expression, `license.name` for free text — its hashes from the
 * lockfile's integrity fields, `scope` (`optional` for development-only
 * packages), where it is locked as a property, and the dependency graph.
 * The serial number is derived from the content, so the same lockfiles give
 * the same BOM; the timestamp is the run's.
 */
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { isKnownSpdxId } from '../../analysis/dependencies/licenses.js';
import { keyOf, type LockedPackage, type Lockfile } from '../../analysis/dependencies/model.js';
import { purlOf } from '../../analysis/dependencies/purl.js';
import type { LicensedPackage } from './licenses.js';
import { metadata as agent } from './meta.js';

type Json = Record<string, unknown>;

const SRI_ALGORITHMS: Readonly<Record<string, string>> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/** CycloneDX hashes from an integrity field: SRI (`sha512-<base64>`, several space-separated) or `alg:hex`. */
export function hashesOf(integrity: string | undefined): { alg: string; content: string }[] {
  if (integrity === undefined) return [];
  return integrity.split(/\s+/).flatMap((part) => {
    const m = /^(sha1|sha256|sha384|sha512)([-:])(.+)$/.exec(part.trim());
    const alg = m?.[1] === undefined ? undefined : SRI_ALGORITHMS[m[1]];
    if (alg === undefined || m?.[3] === undefined) return [];
    const content = m[2] === '-' ? Buffer.from(m[3], 'base64').toString('hex') : m[3].toLowerCase();
    return /^[0-9a-f]{40,128}$/.test(content) ? [{ alg, content }] : [];
  });
}

function licensesOf(item: LicensedPackage): Json[] | undefined {
  if (item.parsed !== undefined) {
    const { expression, tree } = item.parsed;
    if ('id' in tree && tree.exception === undefined && isKnownSpdxId(tree.id))
      return [{ license: { id: tree.id } }];
    return [{ expression }];
  }
  return item.stated === undefined ? undefined : [{ license: { name: item.stated.slice(0, 1000) } }];
}

/** The folder a lockfile is in, as the project's name when no manifest names it. */
function folderName(file: string | undefined): string {
  const folder = file === undefined ? '' : basename(dirname(file));
  return folder === '' || folder === '.' ? 'project' : folder;
}

/** A name-based v5-style UUID of the text: the same content, the same serial number. */
function contentUuid(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The BOM of the lockfiles. `directOf` gives each lockfile's direct dependencies (what it records, or
 * the packages nothing depends on): the project component's `dependsOn`.
 */
export function toCycloneDx(
  lockfiles: readonly Lockfile[],
  licensed: readonly LicensedPackage[],
  directOf: (file: string) => readonly string[],
  now: Date,
): Json {
  const byPurl = new Map<string, { component: Json; dependsOn: Set<string> }>();
  const licenseByPackage = new Map(licensed.map((item) => [item.pkg, item]));
  const purlOfKey = new Map<string, string>();
  for (const lockfile of lockfiles) {
    for (const pkg of lockfile.packages)
      purlOfKey.set(`${lockfile.file}\u0000${keyOf(pkg)}`, purlOf(pkg.ecosystem, pkg.name, pkg.version));
  }
  const rootDeps = new Set<string>();
  for (const lockfile of lockfiles) {
    const purl = (key: string) => purlOfKey.get(`${lockfile.file}\u0000${key}`);
    for (const key of directOf(lockfile.file)) {
      const p = purl(key);
      if (p) rootDeps.add(p);
    }
    for (const pkg of lockfile.packages) {
      const ref = purl(keyOf(pkg)) as string; // set for every package of every lockfile just above
      const entry = byPurl.get(ref) ?? {
        component: component(pkg, ref, licenseByPackage.get(pkg)),
        dependsOn: new Set<string>(),
      };
      for (const dep of pkg.dependsOn ?? []) {
        const target = purl(dep);
        if (target && target !== ref) entry.dependsOn.add(target);
      }
      byPurl.set(ref, entry);
    }
  }
  const first = lockfiles.find((l) => l.packages.length > 0);
  const project = lockfiles.find((l) => l.project)?.project ?? {
    name: folderName(first?.file),
  };
  const ecosystem = lockfiles.find((l) => l.project)?.ecosystem;
  // The project's purl when its manifest names a version; otherwise a reference of our own.
  const projectPurl =
    ecosystem !== undefined && project.version !== undefined
      ? purlOf(ecosystem, project.name, project.version)
      : undefined;
  const rootRef = projectPurl ?? `aiops:project:${project.name}`;
  const components = [...byPurl.values()]
    .map((e) => e.component)
    .sort((a, b) => String(a['bom-ref']).localeCompare(String(b['bom-ref'])));
  const dependencies = [
    { ref: rootRef, dependsOn: [...rootDeps].sort() },
    ...[...byPurl]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([ref, e]) => ({ ref, dependsOn: [...e.dependsOn].sort() })),
  ];
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${contentUuid(JSON.stringify(components))}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: 'application', name: `aiops ${agent.name}`, version: agent.version }] },
      component: {
        type: 'application',
        'bom-ref': rootRef,
        name: project.name,
        ...(project.version ? { version: project.version } : {}),
        ...(projectPurl ? { purl: projectPurl } : {}),
      },
    },
    components,
    dependencies,
  };
}

function component(pkg: LockedPackage, ref: string, item: LicensedPackage | undefined): Json {
  const slash =
    pkg.ecosystem === 'Maven' ? pkg.name.indexOf(':') : pkg.name.startsWith('@') ? pkg.name.indexOf('/') : -1;
  const licenses = item === undefined ? undefined : licensesOf(item);
  const hashes = hashesOf(pkg.integrity);
  return {
    type: 'library',
    'bom-ref': ref,
    ...(slash > 0
      ? { group: pkg.name.slice(0, slash), name: pkg.name.slice(slash + 1) }
      : { name: pkg.name }),
    version: pkg.version,
    scope: pkg.dev ? 'optional' : 'required',
    purl: ref,
    ...(licenses === undefined ? {} : { licenses }),
    ...(hashes.length === 0 ? {} : { hashes }),
    properties: [
      { name: 'aiops:lockfile', value: `${pkg.file}${pkg.line ? `:${pkg.line}` : ''}` },
      ...(pkg.dev ? [{ name: 'aiops:dev', value: 'true' }] : []),
    ],
  };
}
