/**
 * Package URLs (https://github.com/package-url/purl-spec): the identity of a
 * package across tools, as SBOMs and vulnerability databases name it. Types
 * per ecosystem; PyPI names normalised as the spec asks (lower case, `_` to
 * `-`); a namespace is the npm scope, the Maven group, the Composer vendor
 * or the Go module path up to its last segment.
 */
import type { Ecosystem } from './versions.js';

const TYPE: Readonly<Record<Ecosystem, string>> = {
  npm: 'npm',
  PyPI: 'pypi',
  Go: 'golang',
  'crates.io': 'cargo',
  Maven: 'maven',
  RubyGems: 'gem',
  Packagist: 'composer',
};

/** Percent-encodes what a purl segment may not hold unencoded (`@` in an npm scope, `+` in a version). */
const encode = (segment: string) =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The namespace and name of a package as its purl type splits them. */
function split(ecosystem: Ecosystem, name: string): { namespace?: string; name: string } {
  if (ecosystem === 'Maven') {
    const [group, artifact] = name.split(':');
    return artifact === undefined ? { name } : { namespace: group ?? '', name: artifact };
  }
  if (ecosystem === 'PyPI') return { name: name.toLowerCase().replace(/_/g, '-') };
  const slash = name.lastIndexOf('/');
  if (slash <= 0 || (ecosystem !== 'npm' && ecosystem !== 'Go' && ecosystem !== 'Packagist')) return { name };
  return { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
}

export function purlOf(ecosystem: Ecosystem, name: string, version: string): string {
  const parts = split(ecosystem, name);
  const namespace =
    parts.namespace === undefined ? '' : `${parts.namespace.split('/').map(encode).join('/')}/`;
  return `pkg:${TYPE[ecosystem]}/${namespace}${encode(parts.name)}@${encode(version)}`;
}
