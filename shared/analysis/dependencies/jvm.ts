/**
 * Maven and Gradle. pom.xml: the project's own `<dependencies>` (not those
 * under `<dependencyManagement>`, which only pin versions, nor a plugin's),
 * `${property}` versions resolved from `<properties>` and the project's own
 * version; a dependency without a version (managed elsewhere) is declared
 * but not locked. gradle.lockfile: `group:artifact:version=configurations`,
 * test-only configurations marking development dependencies.
 */
import { type LockedPackage, type Lockfile, packageKey, type SourceFile } from './model.js';

const tag = (xml: string, name: string) => new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml)?.[1];

/** 1-based line of a character offset. */
function lineAt(content: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (content.charCodeAt(i) === 10) line++;
  return line;
}

/** The pom without comments (same length, so offsets keep their lines). */
const withoutComments = (xml: string) => xml.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));

/** Whether an offset lies inside an element named `name` (open tags before it outnumber the closes). */
function inside(xml: string, index: number, name: string): boolean {
  const before = xml.slice(0, index);
  return (
    (before.match(new RegExp(`<${name}>`, 'g'))?.length ?? 0) >
    (before.match(new RegExp(`</${name}>`, 'g'))?.length ?? 0)
  );
}

export function readPom(file: SourceFile): Lockfile {
  const xml = withoutComments(file.content);
  const base: Lockfile = { file: file.path, kind: 'maven', ecosystem: 'Maven', packages: [] };
  if (!/<project[\s>]/.test(xml))
    return { ...base, problem: { message: 'no <project> element: not a Maven POM' } };
  const properties = new Map<string, string>();
  const propertiesBlock = /<properties>([\s\S]*?)<\/properties>/.exec(xml)?.[1] ?? '';
  for (const m of propertiesBlock.matchAll(/<([\w.-]+)>\s*([^<]*?)\s*<\/\1>/g))
    properties.set(m[1] ?? '', m[2] ?? '');
  // The project's own coordinates: the first ones outside <parent> and <dependencies>.
  const head =
    xml
      .replace(/<parent>[\s\S]*?<\/parent>/, '')
      .split(/<(?:dependencies|dependencyManagement|build|properties)>/)[0] ?? '';
  const projectVersion = tag(head, 'version');
  const artifactId = tag(head, 'artifactId');
  if (projectVersion) properties.set('project.version', projectVersion);
  const expand = (value: string) =>
    value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => properties.get(name) ?? whole);
  const packages: LockedPackage[] = [];
  const direct: string[] = [];
  for (const m of xml.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const index = m.index ?? 0;
    if (inside(xml, index, 'dependencyManagement') || inside(xml, index, 'plugin')) continue;
    const body = m[1] ?? '';
    const group = tag(body, 'groupId');
    const artifact = tag(body, 'artifactId');
    const rawVersion = tag(body, 'version');
    if (!group || !artifact || !rawVersion) continue;
    const version = expand(rawVersion);
    if (version.includes('${')) continue; // a property the POM does not define (a parent's): not locked here
    const scope = tag(body, 'scope');
    const name = `${expand(group)}:${expand(artifact)}`;
    packages.push({
      ecosystem: 'Maven',
      name,
      version,
      file: file.path,
      line: lineAt(xml, index),
      ...(scope === 'test' || scope === 'provided' ? { dev: true } : {}),
    });
    direct.push(packageKey(name, version));
  }
  const group = tag(head, 'groupId');
  return {
    ...base,
    packages,
    direct,
    ...(artifactId
      ? {
          project: {
            name: group ? `${group}:${artifactId}` : artifactId,
            ...(projectVersion ? { version: projectVersion } : {}),
          },
        }
      : {}),
  };
}

export function readGradleLock(file: SourceFile): Lockfile {
  const packages: LockedPackage[] = [];
  file.content.split(/\r?\n/).forEach((raw, i) => {
    const m = /^([^:#\s]+):([^:\s]+):([^=\s]+)=(.*)$/.exec(raw.trim());
    if (!m) return;
    const configurations = (m[4] ?? '').split(',').filter((c) => c !== '');
    packages.push({
      ecosystem: 'Maven',
      name: `${m[1]}:${m[2]}`,
      version: m[3] ?? '',
      file: file.path,
      line: i + 1,
      ...(configurations.length > 0 && configurations.every((c) => /test/i.test(c)) ? { dev: true } : {}),
    });
  });
  return { file: file.path, kind: 'gradle', ecosystem: 'Maven', packages };
}
