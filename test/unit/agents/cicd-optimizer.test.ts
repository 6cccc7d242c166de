/**
 * cicd-optimizer on the fixture pipelines as `aiops analyze` reads them (the
 * CLI's folder reader, dot-folders included, then `fromFiles`): exact rules,
 * files and lines for the gallery of mistakes, nothing for the clean
 * pipelines, the run timings, flaky tests and jobs and failure causes from
 * the runs fixtures, SARIF that validates, and clear errors for bad input.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { readFiles } from '../../../bin/commands/read-files.js';
import type { CicdOutput } from '../../../shared/agents/cicd-optimizer/schema.js';
import { loadAgent, runAgent } from '../../../shared/agents/registry.js';
import { toSarif } from '../../../shared/agents/sarif.js';
import { AgentValidationError } from '../../../shared/core/errors.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

const root = new URL('../../..', import.meta.url).pathname;
const FIXTURES = 'test/fixtures/cicd-optimizer';
const CONTEXT = { traceId: 'cicd-test', now: new Date('2026-06-01T12:00:00Z') };

async function analyzePaths(paths: string[], extra: Record<string, unknown> = {}): Promise<CicdOutput> {
  const previous = process.cwd();
  process.chdir(root);
  try {
    const agent = await loadAgent('cicd-optimizer');
    const read = await readFiles(paths, agent, { maxFiles: 500, maxFileBytes: 1024 * 1024 });
    const input = { ...(agent.fromFiles?.(read.files) as Record<string, unknown>), ...extra };
    return (await runAgent('cicd-optimizer', input, CONTEXT)) as CicdOutput;
  } finally {
    process.chdir(previous);
  }
}

function analyze(input: unknown): Promise<CicdOutput> {
  return runAgent('cicd-optimizer', input, CONTEXT) as Promise<CicdOutput>;
}

const where = (result: CicdOutput) =>
  result.findings.map(
    (f) => `${f.ruleId} ${f.severity} ${f.resource?.file?.replace(`${FIXTURES}/`, '')}:${f.resource?.line}`,
  );

describe('cicd-optimizer on the gallery of pipeline mistakes', () => {
  it('reports every mistake with its rule, severity, file and line', async () => {
    // Act
    const result = await analyzePaths([`${FIXTURES}/bad`]);

    // Assess
    expect(where(result).sort()).toEqual(
      [
        'CICD021 high bad/.buildkite/pipeline.yml:6',
        'CICD003 high bad/.github/actions/setup/action.yml:8',
        'CICD002 high bad/.github/workflows/pr-preview.yml:15',
        'CICD003 high bad/.github/workflows/pr-preview.yml:19',
        'CICD006 high bad/.github/workflows/pr-preview.yml:22',
        'CICD003 high bad/.github/workflows/pr-preview.yml:27',
        'CICD005 high bad/.github/workflows/triage.yml:5',
        'CICD003 high bad/.github/workflows/triage.yml:13',
        'CICD021 high bad/.gitlab-ci.yml:28',
        'CICD020 medium bad/.circleci/config.yml:5',
        'CICD001 medium bad/.github/actions/setup/action.yml:6',
        'CICD004 medium bad/.github/workflows/build.yml:6',
        'CICD013 medium bad/.github/workflows/build.yml:8',
        'CICD013 medium bad/.github/workflows/build.yml:10',
        'CICD012 medium bad/.github/workflows/build.yml:16',
        'CICD010 medium bad/.github/workflows/build.yml:22',
        'CICD013 medium bad/.github/workflows/build.yml:31',
        'CICD014 medium bad/.github/workflows/build.yml:36',
        'CICD001 medium bad/.github/workflows/build.yml:43',
        'CICD001 medium bad/.github/workflows/triage.yml:15',
        'CICD006 medium bad/.github/workflows/triage.yml:16',
        'CICD020 medium bad/.gitlab-ci.yml:1',
        'CICD020 medium bad/.gitlab-ci.yml:17',
        'CICD020 medium bad/.gitlab-ci.yml:19',
        'CICD021 medium bad/.gitlab-ci.yml:29',
        'CICD007 low bad/.buildkite/pipeline.yml:2',
        'CICD008 low bad/.circleci/config.yml:3',
        'CICD007 low bad/.github/workflows/build.yml:7',
        'CICD001 low bad/.github/workflows/build.yml:10',
        'CICD001 low bad/.github/workflows/build.yml:11',
        'CICD008 low bad/.github/workflows/build.yml:11',
        'CICD009 low bad/.github/workflows/build.yml:18',
        'CICD001 low bad/.github/workflows/build.yml:31',
        'CICD008 low bad/.github/workflows/build.yml:31',
        'CICD009 low bad/.github/workflows/build.yml:39',
        'CICD022 low bad/.gitlab-ci.yml:1',
        'CICD023 low bad/.gitlab-ci.yml:1',
        'CICD008 low bad/.gitlab-ci.yml:8',
        'CICD008 low bad/.gitlab-ci.yml:15',
      ].sort(),
    );
    expect(result.pipelines.map((p) => [p.file.replace(`${FIXTURES}/`, ''), p.kind, p.jobs])).toEqual([
      ['bad/.buildkite/pipeline.yml', 'buildkite', 2],
      ['bad/.circleci/config.yml', 'circleci', 1],
      ['bad/.github/actions/setup/action.yml', 'github-action', 0],
      ['bad/.github/workflows/build.yml', 'github-workflow', 3],
      ['bad/.github/workflows/pr-preview.yml', 'github-workflow', 1],
      ['bad/.github/workflows/triage.yml', 'github-workflow', 2],
      ['bad/.gitlab-ci.yml', 'gitlab', 3],
    ]);
    expect(result.score).toBeLessThan(10);
  }, 60_000);

  it('says why each finding matters in terms of the pipeline: the injected field, the matrix size, the chain', async () => {
    // Act
    const result = await analyzePaths([`${FIXTURES}/bad/.github/workflows`]);

    // Assess
    const byRule = (id: string) => result.findings.filter((f) => f.ruleId === id);
    expect(byRule('CICD003').map((f) => (f.evidence as { fields: string[] }).fields)).toEqual([
      ['github.head_ref'],
      ['github.event.pull_request.title'],
      ['github.event.comment.body'],
    ]);
    expect(byRule('CICD010')[0]?.evidence).toMatchObject({ combinations: 33, excluded: 3, limit: 20 });
    expect(byRule('CICD009')[0]?.evidence).toEqual({ criticalPathJobs: 3, totalJobs: 3 });
    expect(byRule('CICD003')[0]?.remediation).toMatch(/environment variable/);
  });

  it('lets an inline aiops:allow comment suppress a finding on its line, with the reason', async () => {
    // Prepare
    const content = readFileSync(`${root}/${FIXTURES}/bad/.github/workflows/build.yml`, 'utf8').replace(
      '  package:\n    needs: [test]\n',
      '  package:\n    needs: [test] # aiops:allow CICD009 -- packages only what passed the tests\n',
    );

    // Act
    const result = await analyze({ files: [{ path: '.github/workflows/build.yml', content }] });

    // Assess
    const suppressed = result.findings.filter((f) => f.suppressed);
    expect(suppressed.map((f) => [f.ruleId, f.resource?.line, f.suppressionReason])).toEqual([
      ['CICD009', 39, 'packages only what passed the tests'],
    ]);
    expect(result.metrics.suppressed).toBe(1);
  });
});

describe('cicd-optimizer on clean pipelines', () => {
  it('finds nothing in the clean GitHub workflow and GitLab pipeline', async () => {
    // Act
    const result = await analyzePaths([`${FIXTURES}/good`]);

    // Assess
    expect(result.findings).toEqual([]);
    expect(result.score).toBe(100);
    expect(result.metrics).toMatchObject({ pipelines: 2, jobs: 3, skippedFiles: 0 });
  });

  it('lists a YAML file that is no pipeline as skipped, with why, and scores nothing for it', async () => {
    // Act
    const result = await analyzePaths([`${FIXTURES}/unknown/notes.yaml`]);

    // Assess
    expect(result.skipped).toEqual([
      {
        file: `${FIXTURES}/unknown/notes.yaml`,
        reason: expect.stringMatching(/not a GitHub Actions workflow/),
      },
    ]);
    expect(result.findings).toEqual([]);
    expect(result.summary).toMatch(
      /1 file not understood and skipped \(test\/fixtures\/cicd-optimizer\/unknown\/notes\.yaml\)/,
    );
  });
});

describe('cicd-optimizer on runs, test reports and logs', () => {
  const logs = JSON.parse(readFileSync(`${root}/${FIXTURES}/logs/logs.json`, 'utf8')) as unknown;

  it('gives the critical path through the workflow graph, the slowest steps, flaky tests and jobs, and failure causes', async () => {
    // Act
    const result = await analyzePaths([`${FIXTURES}/runs`], { logs });

    // Assess
    expect(result.timings?.runs).toEqual([
      {
        run: '5001',
        sha: '9c1e5f2a7b3d4c6e8f0a1b2c3d4e5f60718293a4',
        workflow: 'ci',
        criticalPath: [
          { job: 'test', minutes: 12 },
          { job: 'e2e', minutes: 8 },
        ],
        criticalPathMinutes: 20,
        wallClockMinutes: 20.3,
        totalJobMinutes: 34,
        jobs: 5,
      },
      {
        run: '5001/2',
        sha: '9c1e5f2a7b3d4c6e8f0a1b2c3d4e5f60718293a4',
        workflow: 'ci',
        criticalPath: [
          { job: 'e2e', minutes: 7 },
          { job: 'deploy', minutes: 4 },
        ],
        criticalPathMinutes: 11,
        wallClockMinutes: 12,
        totalJobMinutes: 11,
        jobs: 2,
      },
    ]);
    expect(result.timings?.slowestSteps.slice(0, 2)).toEqual([
      { job: 'test', step: 'Run npm test', medianMinutes: 11, runs: 2 },
      { job: 'e2e', step: 'Run npx playwright test', medianMinutes: 6.8, runs: 2 },
    ]);
    expect(result.timings?.flakyTests).toEqual([
      { test: 'checkout applies the coupon before tax', sha: '3f2a1bc9', passed: 1, failed: 1 },
    ]);
    expect(result.timings?.flakyJobs).toEqual([
      { job: 'e2e', sha: '9c1e5f2a7b3d4c6e8f0a1b2c3d4e5f60718293a4', passed: 1, failed: 1 },
    ]);
    expect(result.timings?.failureCauses[0]?.candidates[0]).toMatchObject({
      template: 'Error: connect ECONNREFUSED <*>',
      line: 'Error: connect ECONNREFUSED 127.0.0.1:5432',
    });
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.resource?.name, f.resource?.line])).toEqual([
      ['CICD032', 'medium', 'checkout applies the coupon before tax', undefined],
      ['CICD033', 'medium', 'e2e', undefined],
      ['CICD034', 'medium', 'e2e', undefined],
      ['CICD030', 'low', 'ci', 14],
      ['CICD031', 'info', 'test: Run npm test', undefined],
      ['CICD031', 'info', 'e2e: Run npx playwright test', undefined],
    ]);
    expect(result.metrics).toMatchObject({ runs: 2, testReports: 2, criticalPathMinutes: 20 });
    expect(result.summary).toMatch(/Longest critical path 20 min/);
  });

  it('takes the bounds from the input', async () => {
    // Act
    const result = await analyzePaths([`${FIXTURES}/runs`], { slowPipelineMinutes: 30, slowStepMinutes: 60 });

    // Assess
    expect(result.findings.map((f) => f.ruleId)).toEqual(['CICD032', 'CICD033']);
  });

  it('without a passing log to compare with, still ranks the error lines of the failing one', async () => {
    // Act
    const failing = (logs as { conclusion: string }[]).filter((l) => l.conclusion === 'failure');
    const result = await analyze({ logs: failing });

    // Assess
    expect(result.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/no passing run to compare with.*ECONNREFUSED/),
    ]);
  });

  it('lists a JUnit report without a commit as skipped, and reports a report without test cases', async () => {
    // Act
    const result = await analyze({
      files: [{ path: 'reports/junit.xml', content: '<testsuite name="x"><testcase name="a"/></testsuite>' }],
      testReports: [{ sha: 'abc1234', xml: '<testsuite name="empty"></testsuite>' }],
    });

    // Assess
    expect(result.skipped).toEqual([
      { file: 'reports/junit.xml', reason: expect.stringMatching(/without a commit/) },
    ]);
    expect(result.findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['CICD000', 'testReports[0]: no <testcase> with a name in the JUnit report.'],
    ]);
  });
});

describe('cicd-optimizer reports what it cannot read', () => {
  it('reports a workflow that does not parse at its line, and checks the other files', async () => {
    // Act
    const result = await analyze({
      files: [
        { path: '.github/workflows/broken.yml', content: 'on: push\njobs:\n  test:\n    steps: [\n' },
        { path: 'jobs.json', content: '{ "jobs": [ ' },
        { path: 'runs.json', content: '{ "jobs": [ { "status": "queued" } ] }' },
        { path: 'other.json', content: '{ "name": "x" }' },
        { path: 'notes.txt', content: 'hello' },
        { path: 'pom.xml', content: '<project/>' },
      ],
    });

    // Assess
    expect(result.findings.map((f) => [f.ruleId, f.resource?.file, f.resource?.line])).toEqual([
      ['CICD000', '.github/workflows/broken.yml', 5],
      ['CICD000', 'jobs.json', undefined],
      ['CICD000', 'runs.json', undefined],
    ]);
    expect(result.skipped.map((s) => s.file)).toEqual(['other.json', 'notes.txt', 'pom.xml']);
    expect(result.summary).toMatch(/3 inputs could not be read/);
  });

  it('rejects an input without pipelines, runs, reports or logs with a field error', async () => {
    // Act
    const run = analyze({ public: true });

    // Assess
    await expect(run).rejects.toBeInstanceOf(AgentValidationError);
  });
});

describe('cicd-optimizer SARIF', () => {
  it('produces a log valid against the SARIF 2.1.0 schema with a location for every pipeline finding', async () => {
    // Prepare
    const agent = await loadAgent('cicd-optimizer');
    const result = await analyzePaths([`${FIXTURES}/bad`]);

    // Act
    const log = toSarif([{ agent, ...(agent.rules === undefined ? {} : { rules: agent.rules }), result }]);

    // Assess
    expect(sarifSchemaErrors(log)).toEqual([]);
    const results = log.runs[0]?.results ?? [];
    expect(results).toHaveLength(result.findings.length);
    expect(results.every((r) => (r.locations?.[0]?.physicalLocation?.region?.startLine ?? 0) > 0)).toBe(true);
  });
});
