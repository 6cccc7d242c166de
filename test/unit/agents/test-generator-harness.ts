/**
 * Runs generated TypeScript suites for real: the sources and the generated
 * test files in a temporary project that sees this repository's packages,
 * type-checked with the repository's compiler options, then run under jest.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface SuiteRun {
  diagnostics: string[];
  assertions: { title: string; fullName: string; status: string }[];
  stderr: string;
}

export function runGeneratedSuites(
  sources: readonly { path: string; content: string }[],
  tests: readonly { testPath: string; content: string }[],
): SuiteRun {
  const dir = mkdtempSync(join(tmpdir(), 'aiops-testgen-'));
  try {
    const write = (path: string, content: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    };
    mkdirSync(join(dir, 'src'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    for (const file of sources) write(file.path, file.content);
    for (const test of tests) write(test.testPath, test.content);
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent({ ...config.config, include: ['src'] }, ts.sys, dir);
    const program = ts.createProgram({
      rootNames: parsed.fileNames,
      options: { ...parsed.options, noEmit: true },
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    const jestConfig = {
      rootDir: dir,
      testEnvironment: 'node',
      extensionsToTreatAsEsm: ['.ts'],
      transform: {
        '^.+\\.ts$': [
          join(ROOT, 'node_modules/@swc/jest'),
          { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' } },
        ],
      },
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
      testMatch: ['<rootDir>/src/**/*.test.ts'],
      watchman: false,
    };
    writeFileSync(join(dir, 'jest.config.json'), JSON.stringify(jestConfig));
    const run = spawnSync(
      process.execPath,
      [
        '--experimental-vm-modules',
        join(ROOT, 'node_modules/jest/bin/jest.js'),
        '--config',
        join(dir, 'jest.config.json'),
        '--json',
        '--outputFile',
        join(dir, 'results.json'),
        '--coverage=false',
        '--ci',
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 150_000 },
    );
    const report = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      testResults: { assertionResults: SuiteRun['assertions'] }[];
    };
    return {
      diagnostics,
      assertions: report.testResults.flatMap((r) => r.assertionResults),
      stderr: run.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
