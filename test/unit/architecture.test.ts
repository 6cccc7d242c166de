/**
 * The layer arrows of docs/architecture.md, enforced: every import of functions/, bin/, infra/ and shared/
 * points down, no agent imports another agent, agents and analysis engines import no platform SDK, database
 * or network client, and no two files import each other in a cycle. Type-only imports count too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { findViolations, formatViolation, readImportGraph } from '../helpers/import-graph.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHECKED = ['shared', 'functions', 'bin', 'infra'];

describe('the import graph of the repository', () => {
  const graph = readImportGraph(ROOT, CHECKED);

  it('reads every TypeScript file of the checked folders and resolves every relative import', () => {
    // Assess
    expect(graph.files.size).toBeGreaterThan(250);
    expect(graph.files.get('functions/api.ts')?.length).toBeGreaterThan(0);
    expect(graph.unresolved).toEqual([]);
  });

  it('follows the arrows of docs/architecture.md', () => {
    // Act
    const violations = findViolations(graph).map(formatViolation);

    // Assess
    expect(violations).toEqual([]);
  });
});

describe('the import-graph checker on a planted tree', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'aiops-import-graph-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const plant = (files: Record<string, string>): void => {
    for (const [file, source] of Object.entries(files)) {
      mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
      writeFileSync(path.join(root, file), source);
    }
  };

  it('reports an agent importing another agent, an upward or sideways import, a pure layer using the SDK, and a cycle', () => {
    // Prepare
    plant({
      'shared/core/errors.ts': 'export class AiopsError extends Error {}\n',
      'shared/core/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'shared/core/b.ts': "import type { a } from './a.js';\nexport const b: typeof a | 1 = 1;\n",
      'shared/agents/contract.ts':
        "import { AiopsError } from '../core/errors.js';\nexport { AiopsError };\n",
      'shared/agents/scan/run.ts': "import '../contract.js';\n",
      'shared/agents/alpha/analyze.ts':
        "import '../scan/run.js';\nimport '../contract.js';\nimport { beta } from '../beta/index.js';\nexport { beta };\n",
      'shared/agents/beta/index.ts': 'export const beta = 1;\n',
      'shared/analysis/engine.ts':
        "import { S3Client } from '@aws-sdk/client-s3';\nimport type { Row } from '../db/rows.js';\nexport type { Row, S3Client };\n",
      'shared/db/rows.ts':
        "import type { Lane } from '../lanes/lanes.js';\nexport type Row = { lane: Lane };\n",
      'shared/lanes/lanes.ts': "export type Lane = 'default';\n",
      'shared/app/service.ts': "import '../runtime/adapter.js';\nimport '../agents/beta/index.js';\n",
      'shared/runtime/adapter.ts': "import '../app/service.js';\n",
      'functions/api.ts': "import '../shared/app/service.js';\nimport '../shared/core/errors.js';\n",
    });

    // Act
    const violations = findViolations(readImportGraph(root, ['shared', 'functions'])).map(formatViolation);

    // Assess
    expect(violations.sort()).toEqual(
      [
        'agent-to-agent: shared/agents/alpha/analyze.ts → shared/agents/beta/index.ts',
        'layer: shared/analysis/engine.ts → shared/db/rows.ts',
        'layer: shared/db/rows.ts → shared/lanes/lanes.ts',
        'layer: shared/app/service.ts → shared/runtime/adapter.ts',
        'package: shared/analysis/engine.ts → @aws-sdk/client-s3',
        'cycle: shared/app/service.ts → shared/runtime/adapter.ts → shared/app/service.ts',
        'cycle: shared/core/a.ts → shared/core/b.ts → shared/core/a.ts',
      ].sort(),
    );
  });

  it('reports an import it cannot resolve rather than skipping it', () => {
    // Prepare
    plant({ 'shared/llm/gateway.ts': "import '../db/gone.js';\n" });

    // Act
    const violations = findViolations(readImportGraph(root, ['shared/llm'])).map(formatViolation);

    // Assess
    expect(violations).toEqual(['unresolved: shared/llm/gateway.ts → ../db/gone.js']);
  });
});
