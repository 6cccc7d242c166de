/**
 * Whether a name is mentioned in the text of the files, the way configuration
 * mentions packages: quoted (`preset: 'ts-jest'`, `"plugins": ["react"]`,
 * `INSTALLED_APPS = ["django_extensions"]`), or as a command word in scripts,
 * Dockerfiles, Makefiles, Procfiles and CI files (`gunicorn app:app`). The
 * unused-dependency checks count a mention as a use: a dependency loaded by
 * name is still needed, and a false "unused" costs a broken build.
 */
import { basename } from 'node:path';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Files whose words are commands: a name there is a tool being run. */
export function isCommandFile(path: string): boolean {
  const name = basename(path).toLowerCase();
  return (
    /\.(?:sh|bash|ya?ml|toml|cfg|ini|mk)$/.test(name) ||
    /^(?:dockerfile|containerfile|makefile|procfile|justfile|tox\.ini|\.pre-commit-config\.yaml)/.test(
      name,
    ) ||
    name.endsWith('.dockerfile')
  );
}

export interface TextCorpus {
  quoted(name: string): boolean;
  commandWord(name: string): boolean;
}

/** A corpus over the files' text: quoted mentions anywhere, command words in command files and the given script texts. */
export function textCorpus(
  files: readonly { path: string; content: string }[],
  scripts: readonly string[] = [],
): TextCorpus {
  const all = files.map((f) => f.content);
  const commands = [...files.filter((f) => isCommandFile(f.path)).map((f) => f.content), ...scripts];
  const cache = new Map<string, boolean>();
  const test = (kind: string, pattern: RegExp, texts: readonly string[]) => {
    const key = `${kind}\u0000${pattern.source}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const hit = texts.some((text) => pattern.test(text));
    cache.set(key, hit);
    return hit;
  };
  return {
    quoted: (name) => test('q', new RegExp(`['"\`]${escapeRegExp(name)}(?:['"\`/]|$)`, 'm'), all),
    commandWord: (name) =>
      test('c', new RegExp(`(?:^|[\\s;&|(="'\`/])${escapeRegExp(name)}(?=$|[\\s;&|)"'\`:])`, 'm'), commands),
  };
}
