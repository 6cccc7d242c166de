/**
 * The CLI as a user runs it (bin/aiops.mjs, whole processes): the start-up of
 * `aiops --help` and of `aiops analyze security-scanner` on a one-file folder
 * (median wall time of several runs), and files/s on a generated tree of small,
 * mostly clean source and configuration files. The build is made fresh first,
 * so no run pays for a rebuild.
 *
 *   npm run bench:cli -- [--runs 5] [--files 10000]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTable } from '../bin/cli.js';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin', 'aiops.mjs');

const WORDS = ['user', 'order', 'invoice', 'cache', 'queue', 'client', 'request', 'total', 'price', 'retry'];

/** The i-th file of the tree: TypeScript, Python, JavaScript, JSON, YAML or Markdown, a few lines each. */
function treeFile(i: number): { name: string; text: string } {
  const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length] as string;
  const kinds = [
    () => ({
      name: `handler${i}.ts`,
      text: `import { ${w(1)}Service } from './${w(2)}';\n\nexport function handle${i}(${w(3)}: string): string {\n  const id = \`\${${w(3)}}-${i}\`;\n  return ${w(1)}Service.lookup(id);\n}\n`,
    }),
    () => ({
      name: `job${i}.py`,
      text: `import os\n\n\ndef ${w(1)}_${i}(${w(2)}):\n    host = os.environ.get("${w(3).toUpperCase()}_HOST", "localhost")\n    return f"{host}:${i}"\n`,
    }),
    () => ({
      name: `util${i}.js`,
      text: `'use strict';\nconst ${w(1)} = require('./${w(2)}');\nmodule.exports = (a, b) => ${w(1)}.compute(a, b) + ${i};\n`,
    }),
    () => ({ name: `svc${i}.json`, text: JSON.stringify({ name: `svc-${i}`, replicas: i % 5 }, null, 2) }),
    () => ({ name: `svc${i}.yaml`, text: `service: svc-${i}\nreplicas: ${i % 4}\nhost: db.internal\n` }),
    () => ({ name: `notes${i}.md`, text: `# ${w(1)} ${i}\n\nHow the ${w(2)} of service ${i} works.\n` }),
  ];
  return (kinds[i % kinds.length] as () => { name: string; text: string })();
}

function writeTree(dir: string, files: number): void {
  for (let i = 0; i < files; i++) {
    const folder = join(dir, `pkg${Math.floor(i / 100)}`, `src${Math.floor(i / 20) % 5}`);
    mkdirSync(folder, { recursive: true });
    const { name, text } = treeFile(i);
    writeFileSync(join(folder, name), text);
  }
}

/** Wall milliseconds of one `aiops` process. */
function timeRun(args: readonly string[], cwd: string): number {
  const started = performance.now();
  execFileSync(process.execPath, [bin, ...args], { cwd, stdio: 'ignore', maxBuffer: 64 * 1024 * 1024 });
  return performance.now() - started;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function main(): void {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '5' }, files: { type: 'string', default: '10000' } },
  });
  const runs = Number(values.runs);
  const files = Number(values.files);
  const work = mkdtempSync(join(tmpdir(), 'aiops-bench-cli-'));
  try {
    const one = join(work, 'one');
    mkdirSync(one);
    writeFileSync(join(one, 'app.ts'), 'export const answer = 42;\n');
    const tree = join(work, 'tree');
    writeTree(tree, files);
    // A fresh build (and warm compile cache), so that no measured run rebuilds.
    timeRun(['--help'], work);
    const times = (args: readonly string[], cwd: string, n = runs) =>
      Array.from({ length: n }, () => timeRun(args, cwd));
    const help = median(times(['--help'], work));
    const oneFile = median(times(['analyze', 'security-scanner', '.'], one));
    // The tree takes seconds a run: half as many runs.
    const treeArgs = ['analyze', 'security-scanner', '.', '--max-files', String(files + 1)];
    const treeMs = median(times(treeArgs, tree, Math.max(1, Math.ceil(runs / 2))));
    const rows = [
      ['aiops --help', `${help.toFixed(0)} ms`, ''],
      ['analyze security-scanner, 1 file', `${oneFile.toFixed(0)} ms`, ''],
      [
        `analyze security-scanner, ${files} files`,
        `${treeMs.toFixed(0)} ms`,
        `${((files * 1000) / treeMs).toFixed(0)} files/s`,
      ],
    ];
    process.stdout.write(`${renderTable(['run', `median wall (${runs} runs)`, 'throughput'], rows)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
