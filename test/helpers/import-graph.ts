/**
 * The import-graph checker behind test/unit/architecture.test.ts: it reads every TypeScript file under the
 * given roots, resolves its relative imports (type-only ones and `import()` types included) and reports
 * each import that breaks the layer arrows of docs/architecture.md, each agent → agent import, each
 * forbidden package in a pure layer, and each import cycle between files. It takes a root directory, so a
 * test can run it on a planted tree and see it fail.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The layer a file belongs to, from the first path segments that name one. */
export type Layer =
  | 'functions'
  | 'bin'
  | 'infra'
  | 'app'
  | 'runtime'
  | 'workflows'
  | 'schedules'
  | 'agents'
  | 'analysis'
  | 'llm'
  | 'db'
  | 'lanes'
  | 'core';

/**
 * Which layers each layer may import (besides itself). Entry points sit on top, app and runtime under them,
 * then the engines, then core; the workflow definitions sit just above core, the schedule table above the lanes
 * (a schedule puts a job envelope on a lane).
 */
export const ALLOWED: Readonly<Record<Layer, readonly Layer[]>> = {
  functions: ['app', 'runtime', 'workflows', 'schedules', 'agents', 'analysis', 'llm', 'db', 'lanes', 'core'],
  bin: ['app', 'runtime', 'workflows', 'schedules', 'agents', 'analysis', 'llm', 'db', 'lanes', 'core'],
  infra: ['app', 'runtime', 'workflows', 'schedules', 'agents', 'analysis', 'llm', 'db', 'lanes', 'core'],
  runtime: ['app', 'workflows', 'schedules', 'agents', 'analysis', 'llm', 'db', 'lanes', 'core'],
  app: ['workflows', 'schedules', 'agents', 'analysis', 'llm', 'db', 'lanes', 'core'],
  agents: ['analysis', 'core'],
  analysis: ['core'],
  llm: ['core'],
  db: ['core'],
  lanes: ['core'],
  workflows: ['core'],
  schedules: ['lanes', 'core'],
  core: [],
};

/**
 * Packages the pure layers (agents, analysis) must not import: platform SDKs, the platform's database and
 * queues, network clients. An embedded engine (a WASM SQL parser, PGlite in memory) is allowed by the design.
 */
const IMPURE_PACKAGE =
  /^(@aws-sdk\/|aws-sdk$|@aws-lambda-powertools\/|pg$|pg-boss$|kysely|kysely-data-api$|(node:)?(http|https|http2|net|dns|tls|dgram)$|undici$|openai$|@anthropic-ai\/)/;
const PURE_LAYERS: readonly Layer[] = ['agents', 'analysis'];

/** Files directly in shared/agents/ and shared/agents/scan/** are the common agent code any agent may import. */
const COMMON_AGENT_FOLDERS = new Set(['scan']);

export interface Violation {
  readonly kind: 'layer' | 'agent-to-agent' | 'package' | 'cycle' | 'unresolved';
  readonly from: string;
  readonly to: string;
}

export interface ImportGraph {
  /** Repository-relative file → the repository-relative files it imports. */
  readonly files: ReadonlyMap<string, readonly string[]>;
  /** Repository-relative file → the bare package specifiers it imports. */
  readonly packages: ReadonlyMap<string, readonly string[]>;
  readonly unresolved: readonly Violation[];
}

export function layerOf(file: string): Layer | undefined {
  const [top, second] = file.split('/');
  if (top === 'functions' || top === 'bin' || top === 'infra') return top;
  if (top !== 'shared' || second === undefined) return undefined;
  if (second === 'schedules.ts') return 'schedules';
  const layers: readonly Layer[] = [
    'app',
    'runtime',
    'workflows',
    'agents',
    'analysis',
    'llm',
    'db',
    'lanes',
    'core',
  ];
  return layers.find((layer) => layer === second);
}

/** The agent folder a file lives in (shared/agents/<name>/…), or undefined for common agent code. */
export function agentOf(file: string): string | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'shared' || parts[1] !== 'agents' || parts.length < 4) return undefined;
  const folder = parts[2];
  return folder === undefined || COMMON_AGENT_FOLDERS.has(folder) ? undefined : folder;
}

function listTypeScript(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return [];
  if (statSync(absolute).isFile()) return dir.endsWith('.ts') ? [dir] : [];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const child = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listTypeScript(root, child);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [child] : [];
  });
}

/** Resolves a relative specifier the NodeNext way this repository writes them (`./x.js` → `./x.ts`). */
function resolveRelative(root: string, from: string, specifier: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, `${base}/index.ts`];
  return candidates.find(
    (candidate) => existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile(),
  );
}

/** Reads the import graph of every .ts file under `dirs` (relative to `root`). */
export function readImportGraph(root: string, dirs: readonly string[]): ImportGraph {
  const files = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  const unresolved: Violation[] = [];
  for (const file of dirs.flatMap((dir) => listTypeScript(root, dir))) {
    const source = readFileSync(path.join(root, file), 'utf8');
    const { importedFiles } = ts.preProcessFile(source, true, true);
    const local: string[] = [];
    const bare: string[] = [];
    for (const { fileName: specifier } of importedFiles) {
      if (!specifier.startsWith('.')) {
        bare.push(specifier);
        continue;
      }
      const target = resolveRelative(root, file, specifier);
      if (target === undefined) unresolved.push({ kind: 'unresolved', from: file, to: specifier });
      else local.push(target);
    }
    files.set(file, [...new Set(local)]);
    packages.set(file, [...new Set(bare)]);
  }
  return { files, packages, unresolved };
}

function edgeViolation(from: string, to: string): Violation | undefined {
  const fromLayer = layerOf(from);
  const toLayer = layerOf(to);
  if (fromLayer === undefined || toLayer === undefined) return undefined;
  if (fromLayer !== toLayer && !ALLOWED[fromLayer].includes(toLayer)) return { kind: 'layer', from, to };
  const fromAgent = agentOf(from);
  const toAgent = agentOf(to);
  if (fromAgent !== undefined && toAgent !== undefined && fromAgent !== toAgent) {
    return { kind: 'agent-to-agent', from, to };
  }
  return undefined;
}

function packageViolations(graph: ImportGraph): Violation[] {
  return [...graph.packages].flatMap(([file, specifiers]) => {
    const layer = layerOf(file);
    if (layer === undefined || !PURE_LAYERS.includes(layer)) return [];
    return specifiers
      .filter((specifier) => IMPURE_PACKAGE.test(specifier))
      .map((to) => ({ kind: 'package' as const, from: file, to }));
  });
}

/** Every cycle between files, each reported once as its first edge (from → to) with the path in `to`. */
function cycleViolations(graph: ImportGraph): Violation[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: Violation[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.files.get(file) ?? []) {
      const seen = state.get(next);
      if (seen === 'open') {
        const loop = stack.slice(stack.indexOf(next));
        cycles.push({ kind: 'cycle', from: next, to: [...loop.slice(1), next].join(' → ') });
      } else if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.files.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

/** Every violation of the arrows in the graph: layers, agent → agent, impure packages, cycles, unresolved. */
export function findViolations(graph: ImportGraph): Violation[] {
  const edges = [...graph.files].flatMap(([from, targets]) => targets.map((to) => edgeViolation(from, to)));
  return [
    ...edges.filter((violation): violation is Violation => violation !== undefined),
    ...packageViolations(graph),
    ...cycleViolations(graph),
    ...graph.unresolved,
  ];
}

export function formatViolation({ kind, from, to }: Violation): string {
  return `${kind}: ${from} → ${to}`;
}
