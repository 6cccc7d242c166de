/**
 * Credential files in image layers (DOCKER013, DOCKER014). Each instruction
 * is a layer: a file COPY/ADD brings in, or a RUN writes, stays in that
 * layer even when a later RUN deletes it (`docker save` or the registry
 * API hand out every layer). This walks each stage in order: what each
 * COPY/ADD brings (the source names, and the files of the build context
 * when the input holds them and .dockerignore lets them through), what each
 * RUN writes (`>`, `>>`, `tee`, `npm config set …_auth…`) and what each RUN
 * removes (`rm`, `find … -delete`), with paths resolved against WORKDIR and
 * the home of USER.
 */
import { posix } from 'node:path';
import { compileGlob, type Glob } from '../../analysis/glob.js';
import type { SourceFile } from '../contract.js';
import { credentialFile } from './credential-files.js';
import type { Instruction } from './docker-read.js';
import { programOf, removedPaths, type ShellCommand, shellCommands } from './docker-shell.js';

/** The files next to the Dockerfile (its build context), paths relative to it, .dockerignore applied. */
export interface BuildContext {
  files: readonly SourceFile[];
  /** Whether .dockerignore leaves this context path out. */
  ignored(path: string): boolean;
}

export interface LayerStage {
  index: number;
  name?: string;
  instructions: Instruction[];
  parent?: LayerStage;
}

/** A credential file that enters a layer. */
export interface SecretLayer {
  /** Where it lands in the image. */
  path: string;
  /** What it holds: `an SSH private key`. */
  what: string;
  /** How the Dockerfile names it (the COPY source, the file of the context, the RUN target). */
  source: string;
  /** The instruction whose layer holds it. */
  added: Instruction;
  /** The later instruction that deletes it, when one does. */
  removed?: Instruction;
}

const GLOB_CHARS = /[*?[]/;

/** A glob, or undefined when it does not compile. `dots`: wildcards match a leading dot too (Go's filepath.Match). */
function glob(pattern: string, dots: boolean): Glob | undefined {
  const source = dots ? pattern.replace(/(^|\/)([*?])/g, '$1{,.}$2') : pattern;
  try {
    return compileGlob(source, { syntax: 'path' });
  } catch {
    return undefined;
  }
}

/** `path` or one of its parent folders matches. */
function matchesOrParent(matcher: Glob, path: string): boolean {
  const parts = path.split('/');
  for (let n = 1; n <= parts.length; n++) if (matcher.matches(parts.slice(0, n).join('/'))) return true;
  return false;
}

/** .dockerignore rules: the last rule that matches a path (or one of its folders) decides. */
function dockerignore(text: string | undefined): (path: string) => boolean {
  const rules = (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = posix.normalize((negated ? line.slice(1) : line).trim().replace(/^\/+/, ''));
      return { negated, matcher: glob(pattern.replace(/\/+$/, ''), true) };
    });
  return (path) => {
    let ignored = false;
    for (const { negated, matcher } of rules)
      if (matcher && matchesOrParent(matcher, path)) ignored = !negated;
    return ignored;
  };
}

/** The build context of a Dockerfile: the input files in its folder, .dockerignore (or `<Dockerfile>.dockerignore`) applied. */
export function buildContext(dockerfile: string, files: readonly SourceFile[]): BuildContext {
  const path = dockerfile.replaceAll('\\', '/');
  const dir = posix.dirname(path);
  const prefix = dir === '.' ? '' : `${dir}/`;
  const inContext = files
    .map((f) => ({ ...f, path: f.path.replaceAll('\\', '/') }))
    .filter((f) => f.path.startsWith(prefix) && f.path !== path)
    .map((f) => ({ path: f.path.slice(prefix.length), content: f.content }));
  const own = files.find((f) => f.path.replaceAll('\\', '/') === `${path}.dockerignore`);
  const shared = inContext.find((f) => f.path === '.dockerignore');
  const ignored = dockerignore((own ?? shared)?.content);
  return { files: inContext.filter((f) => !ignored(f.path)), ignored };
}

/** Where an image path points: `~`/$HOME to the user's home, relative paths from WORKDIR. */
function resolve(path: string, workdir: string, home: string): string {
  const expanded = path.replace(/^(?:~|\$HOME|\$\{HOME\})(?=\/|$)/, home).replace(/^["']|["']$/g, '');
  const absolute = expanded.startsWith('/') ? expanded : posix.join(workdir, expanded);
  return posix.normalize(absolute).replace(/(.)\/+$/, '$1');
}

/** Whether a removed path (a file, a folder, a shell glob) takes `secret` with it. */
function covers(removed: string, secret: string): boolean {
  if (removed === secret || secret.startsWith(`${removed === '/' ? '' : removed}/`)) return true;
  if (!GLOB_CHARS.test(removed)) return false;
  const matcher = glob(removed, false);
  return matcher !== undefined && matchesOrParent(matcher, secret);
}

/** The home folder of a USER: /root for root or none. */
function homeOf(user: string | undefined): string {
  const name = user?.split(':')[0]?.trim();
  return !name || name === 'root' || name === '0' ? '/root' : /^\d+$/.test(name) ? '~' : `/home/${name}`;
}

interface Walk {
  workdir: string;
  home: string;
}

/** The WORKDIR and USER a stage starts with: those its parent stage ends with. */
function startOf(stage: LayerStage): Walk {
  const walk: Walk = stage.parent ? startOf(stage.parent) : { workdir: '/', home: '/root' };
  for (const instruction of stage.parent?.instructions ?? []) step(instruction, walk);
  return walk;
}

function step(instruction: Instruction, walk: Walk): void {
  if (instruction.keyword === 'WORKDIR')
    walk.workdir = resolve(instruction.args.trim(), walk.workdir, walk.home);
  if (instruction.keyword === 'USER') walk.home = homeOf(instruction.args);
}

const FLAG = /^--[\w-]+(?:=\S*)?$/;

/** COPY/ADD: each credential file it brings, by source name and from the build context. */
function copied(instruction: Instruction, walk: Walk, context: BuildContext | undefined): SecretLayer[] {
  const words = instruction.args.split('\n')[0]?.split(' ') ?? [];
  const flags = words.filter((w) => FLAG.test(w));
  if (flags.some((f) => f.startsWith('--from='))) return [];
  const rest = words.filter((w) => !FLAG.test(w));
  const json = rest[0]?.startsWith('[') ? safeJson(rest.join(' ')) : undefined;
  const parts = (json ?? rest).filter((p) => !p.startsWith('<<'));
  const dest = parts.pop();
  if (dest !== undefined && parts.length === 0 && rest.some((p) => p.startsWith('<<'))) {
    // COPY <<EOF /root/.npmrc: the body is the file.
    const what = credentialFile(dest, instruction.args.split('\n').slice(1).join('\n'));
    return what
      ? [{ path: resolve(dest, walk.workdir, walk.home), what, source: dest, added: instruction }]
      : [];
  }
  if (dest === undefined || parts.length === 0) return [];
  const intoFolder = dest.endsWith('/') || parts.length > 1 || dest === '.';
  const found: SecretLayer[] = [];
  for (const raw of parts) {
    if (/^(?:https?|ftp):\/\/|^git@/i.test(raw)) continue;
    const source = posix.normalize(raw.replace(/^\.\/+/, '')).replace(/^\/+|\/+$/g, '') || '.';
    const at = (relative: string) => resolve(posix.join(dest, relative), walk.workdir, walk.home);
    const fromContext = contextMatches(source, context);
    for (const { file, relative } of fromContext) {
      const what = credentialFile(file.path, file.content);
      if (what) found.push({ path: at(relative), what, source: file.path, added: instruction });
    }
    if (fromContext.some(({ file }) => file.path === source) || context?.ignored(source)) continue;
    const what = credentialFile(source);
    if (!what) continue;
    const folder = what.endsWith(' folder');
    const path = folder || !intoFolder ? resolve(dest, walk.workdir, walk.home) : at(posix.basename(source));
    found.push({ path, what, source: raw, added: instruction });
  }
  return found;
}

function safeJson(text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map(String) : undefined;
  } catch {
    return undefined;
  }
}

/** The context files a COPY source takes, each with its path relative to the destination. */
function contextMatches(source: string, context: BuildContext | undefined) {
  if (!context) return [];
  if (source === '.') return context.files.map((file) => ({ file, relative: file.path }));
  if (GLOB_CHARS.test(source)) {
    const matcher = glob(source, true);
    return context.files
      .filter((file) => matcher?.matches(file.path))
      .map((file) => ({ file, relative: posix.basename(file.path) }));
  }
  return context.files
    .filter((file) => file.path === source || file.path.startsWith(`${source}/`))
    .map((file) => ({
      file,
      relative: file.path === source ? posix.basename(source) : file.path.slice(source.length + 1),
    }));
}

/** RUN: the credential files its commands write. */
function written(instruction: Instruction, commands: readonly ShellCommand[], walk: Walk): SecretLayer[] {
  const found: SecretLayer[] = [];
  const add = (target: string, what: string | undefined) => {
    if (what)
      found.push({
        path: resolve(target, walk.workdir, walk.home),
        what,
        source: target,
        added: instruction,
      });
  };
  const classify = (target: string) =>
    posix.basename(target) === '.npmrc'
      ? /_auth|_password/i.test(instruction.args)
        ? 'an npm token'
        : undefined
      : credentialFile(target);
  for (const command of commands) {
    for (const target of command.redirects) add(target, classify(target));
    const program = programOf(command);
    if (program?.name === 'tee') {
      for (const arg of command.words.slice(program.at + 1))
        if (!arg.startsWith('-')) add(arg, classify(arg));
    }
    if (
      program?.name === 'npm' &&
      command.words.includes('config') &&
      /_auth|_password/i.test(command.words.join(' '))
    ) {
      add('~/.npmrc', 'an npm token');
    }
  }
  return found;
}

/** The credential files each instruction of a stage adds, and the later RUN that removes each, if any. */
export function stageSecrets(stage: LayerStage, context: BuildContext | undefined): SecretLayer[] {
  const walk = startOf(stage);
  const all: SecretLayer[] = [];
  for (const instruction of stage.instructions) {
    step(instruction, walk);
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      all.push(...copied(instruction, walk, context));
    } else if (instruction.keyword === 'RUN') {
      const commands = shellCommands(instruction.args.replace(/^(?:--[\w-]+(?:=\S*)?\s+)*/, ''));
      const removed = removedPaths(commands).map((p) => resolve(p, walk.workdir, walk.home));
      if (removed.length > 0) {
        for (const secret of all) {
          if (!secret.removed && removed.some((r) => covers(r, secret.path))) secret.removed = instruction;
        }
      }
      // Written and removed in the same RUN: no layer keeps it.
      all.push(
        ...written(instruction, commands, walk).filter((s) => !removed.some((r) => covers(r, s.path))),
      );
    }
  }
  return all;
}

/** The COPY --from instructions of `into` that take `secret` out of `stage` (its name or index). */
export function carriedBy(
  secret: SecretLayer,
  stage: LayerStage,
  into: readonly LayerStage[],
): Instruction | undefined {
  const names = new Set([String(stage.index), ...(stage.name ? [stage.name] : [])]);
  for (const target of into) {
    for (const instruction of target.instructions) {
      if (instruction.keyword !== 'COPY') continue;
      const words = instruction.args.split('\n')[0]?.split(' ') ?? [];
      const from = words.find((w) => w.toLowerCase().startsWith('--from='))?.slice('--from='.length);
      if (from === undefined || !names.has(from.toLowerCase())) continue;
      const sources = words.filter((w) => !FLAG.test(w)).slice(0, -1);
      if (sources.some((s) => covers(resolve(s, '/', '/root'), secret.path))) return instruction;
    }
  }
  return undefined;
}
