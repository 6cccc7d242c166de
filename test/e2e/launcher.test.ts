/**
 * `aiops` as installed, run from a folder that is not this project (#17):
 * the command package.json names as "bin", executed through its own shebang,
 * from a checkout and from the package `npm pack` makes.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

// npm pack builds the bundle; a loaded machine takes its time.
jest.setTimeout(120_000);

let scanned: string;
let packed: string;

/** Runs an executable as a shell would: through its shebang, with this test's Node first on the PATH. */
async function exec(file: string, args: readonly string[]) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|AURORA_|AIOPS_|NODE_OPTIONS)/.test(k)),
  );
  env.PATH = [dirname(process.execPath), env.PATH].join(delimiter);
  try {
    const { stdout, stderr } = await run(file, [...args], { cwd: scanned, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * A checkout of its own (the sources with their mtimes, this one's node_modules): building,
 * packing or editing there changes nothing for the suites running beside this one.
 */
async function copyCheckout(): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'aiops-checkout-'));
  const entries = [
    'bin',
    'shared',
    'scripts',
    'tsconfig.json',
    'package.json',
    'package-lock.json',
    'README.md',
  ];
  for (const entry of entries) {
    await cp(join(root, entry), join(copy, entry), { recursive: true, preserveTimestamps: true });
  }
  await symlink(join(root, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

async function binOf(packageDir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    bin: { aiops: string };
  };
  return join(packageDir, manifest.bin.aiops);
}

beforeAll(async () => {
  // A folder of configuration to check, with a TypeScript project of its own that must not affect aiops.
  scanned = await mkdtemp(join(tmpdir(), 'aiops-elsewhere-'));
  await writeFile(join(scanned, 'staging.json'), JSON.stringify({ replicas: 2, log_level: 'info' }));
  await writeFile(join(scanned, 'production.json'), JSON.stringify({ replicas: 6, log_level: 'warn' }));
  await writeFile(join(scanned, 'package.json'), JSON.stringify({ name: 'infra', type: 'commonjs' }));
  await writeFile(
    join(scanned, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { jsx: 'react', module: 'commonjs', paths: { commander: ['./nothing'] } },
    }),
  );
  packed = await mkdtemp(join(tmpdir(), 'aiops-packed-'));
});

afterAll(async () => {
  await rm(scanned, { recursive: true, force: true });
  await rm(packed, { recursive: true, force: true });
});

async function checkWorksHere(bin: string) {
  // Act
  const help = await exec(bin, ['--help']);
  const drift = await exec(bin, [
    'analyze',
    'config-drift-detector',
    'staging.json',
    'production.json',
    '--format',
    'json',
  ]);

  // Assess
  expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: aiops') });
  expect(drift.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
  expect(drift.code).toBe(0);
  const result = JSON.parse(drift.stdout) as { findings: { resource?: { name: string } }[] };
  expect(result.findings.map((f) => f.resource?.name).sort()).toEqual(['log_level', 'replicas']);
}

describe('aiops from any directory', () => {
  it('#17 runs from a folder outside the project, from a checkout', async () => {
    await checkWorksHere(await binOf(root));
  });

  it('#17 runs from a folder outside the project, as the package npm pack makes', async () => {
    // Prepare: pack a copy (prepack builds the bundle), unpack as npm install would, with the dependencies beside it.
    const checkout = await copyCheckout();
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', packed], { cwd: checkout });
    await rm(checkout, { recursive: true, force: true });
    const [tarball] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
    const installed = join(packed, 'node_modules', 'aiops');
    await mkdir(installed, { recursive: true });
    await run('tar', [
      '-xzf',
      join(packed, tarball?.filename ?? ''),
      '-C',
      installed,
      '--strip-components=1',
    ]);
    await symlink(join(root, 'node_modules'), join(installed, 'node_modules'));

    // Act + Assess: the package ships the bundle and the launcher, no TypeScript.
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
      files: string[];
    };
    expect(manifest.files).toEqual(expect.arrayContaining(['dist/']));
    await expect(readFile(join(installed, 'bin', 'aiops.ts'))).rejects.toThrow(/ENOENT/);
    await checkWorksHere(await binOf(installed));
  });
});

describe('aiops in a checkout runs its compiled build, never a stale one', () => {
  let checkout: string;

  /** The build the launcher ran last: dist/manifest.json's `build`. */
  async function currentBuild(): Promise<string> {
    const manifest = JSON.parse(await readFile(join(checkout, 'dist', 'manifest.json'), 'utf8')) as {
      build: string;
    };
    return manifest.build;
  }

  beforeAll(async () => {
    checkout = await copyCheckout();
  });

  afterAll(async () => {
    await rm(checkout, { recursive: true, force: true });
  });

  it('builds on first use, reuses the build while the sources are unchanged, and rebuilds after an edit', async () => {
    const bin = await binOf(checkout);

    // Act 1: no dist/ yet, the launcher builds it; a second run reuses it.
    const first = await exec(bin, ['config', '--help']);
    const built = await currentBuild();
    const again = await exec(bin, ['config', '--help']);

    // Assess 1
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('inspect the configuration') });
    expect(again.stdout).toBe(first.stdout);
    expect(await currentBuild()).toBe(built);
    await expect(readFile(join(checkout, 'dist', built, 'aiops.mjs'), 'utf8')).resolves.toContain('aiops');

    // Act 2: an edit to a source that the old build holds.
    const file = join(checkout, 'bin', 'commands', 'config.ts');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('inspect the configuration', 'look into the configuration'));
    const edited = await exec(bin, ['config', '--help']);

    // Assess 2: the edit is what runs, from a new build.
    expect(edited).toMatchObject({ code: 0, stdout: expect.stringContaining('look into the configuration') });
    expect(edited.stdout).not.toContain('inspect the configuration');
    expect(await currentBuild()).not.toBe(built);
  });

  it('never falls back on the old build when the sources cannot be built', async () => {
    const bin = await binOf(checkout);
    const file = join(checkout, 'bin', 'commands', 'config.ts');
    const text = await readFile(file, 'utf8');
    const working = await exec(bin, ['config', '--help']);

    // Act: a source that no longer parses, then the same source mended.
    await writeFile(file, `${text}\nexport const broken = ;\n`);
    const broken = await exec(bin, ['config', '--help']);
    await writeFile(file, text);
    const mended = await exec(bin, ['config', '--help']);

    // Assess: the launcher ran the broken source (through tsx, which names the error), not the old build.
    expect(working.code).toBe(0);
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).not.toContain('Usage: aiops config');
    expect(broken.stderr).toContain('config.ts');
    expect(mended).toEqual(working);
  });
});
