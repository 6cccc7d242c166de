/**
 * The security-scanner agent as callers see it: registered and validated by
 * the registry, built from files by the CLI, suppressions from every source,
 * a risk score and summary, a SARIF log GitHub accepts, and clean input
 * producing nothing high.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { getAgent, runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { toSarif } from '../../../shared/agents/sarif.js';
import { riskScore } from '../../../shared/agents/security-scanner/analyze.js';
import agent from '../../../shared/agents/security-scanner/index.js';
import { RULES } from '../../../shared/agents/security-scanner/rules.js';
import { type SecurityOutput, securityOutputSchema } from '../../../shared/agents/security-scanner/schema.js';
import { CREDENTIALS } from '../../../shared/analysis/secrets/index.js';
import { AgentValidationError } from '../../../shared/core/errors.js';
import { fixture } from '../../helpers/fixtures.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

const CONTEXT = { traceId: 'trace-security', now: new Date('2025-06-01T12:00:00Z') };

/** A small service repository as `aiops analyze security-scanner .` would read it. */
function repository() {
  return [
    { path: 'Dockerfile', content: fixture('security/docker/Dockerfile.insecure') },
    { path: 'infra/reports.yaml', content: fixture('security/cloudformation/insecure.yaml') },
    { path: 'src/reports-controller.js', content: fixture('security/code/reports-controller.js') },
    { path: 'package-lock.json', content: fixture('security/dependencies/package-lock.json') },
    { path: 'security/advisories.osv.json', content: fixture('security/dependencies/advisories.osv.json') },
  ];
}

async function run(input: unknown): Promise<SecurityOutput> {
  return (await runAgent('security-scanner', input, CONTEXT)) as SecurityOutput;
}

describe('the agent', () => {
  it('is registered for the agents lane with its input schema and rules', async () => {
    // Act
    const entry = getAgent('security-scanner');

    // Assess
    expect(entry).toMatchObject({ name: 'security-scanner', lane: 'agents' });
    expect((await entry?.load())?.rules).toBe(RULES);
    // The Dockerfile, IaC, code, dependency and credential-file rules, and one SEC-* rule per reported credential kind.
    const reported = CREDENTIALS.filter((kind) => kind.reported).length;
    expect(reported).toBeGreaterThan(100);
    expect(RULES.rules.length).toBeGreaterThan(reported + 60);
    expect(Object.keys(RULES.byId)).toHaveLength(RULES.rules.length);
    for (const id of [
      'SEC-AWS-ACCESS-KEY',
      'SEC-AWS-SECRET-KEY',
      'SEC-GITHUB-TOKEN',
      'SEC-GITLAB-TOKEN',
      'SEC-SLACK-TOKEN',
      'SEC-SLACK-WEBHOOK',
      'SEC-GOOGLE-API-KEY',
      'SEC-STRIPE-KEY',
      'SEC-PRIVATE-KEY',
      'SEC-JWT',
      'SEC-DB-URL-CREDENTIALS',
      'SEC-GENERIC-SECRET',
      'DOCKER013',
      'DOCKER014',
    ]) {
      expect(RULES.byId[id]).toMatchObject({ category: 'secrets' });
    }
  });

  it('is documented in the README with every rule id', () => {
    // Arrange
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### security-scanner'), readme.indexOf('## HTTP API'));

    const secretsPage = readFileSync('docs/rules/security-scanner.md', 'utf8');

    // Assess: the secret rules (one per credential kind) are listed on the generated rules page the README links.
    expect(section).toContain('docs/rules/security-scanner.md');
    for (const id of Object.keys(RULES.byId)) {
      expect(RULES.byId[id]?.category === 'secrets' ? secretsPage : section).toContain(id);
    }
  });

  it('rejects input without files, or with a wildcard suppression, field by field', () => {
    // Act
    const error = (() => {
      try {
        validateAgentInput('security-scanner', { files: [], ignore: [{ ruleId: '*', reason: 'all of it' }] });
      } catch (e) {
        return e;
      }
      return undefined;
    })();

    // Assess
    expect(error).toBeInstanceOf(AgentValidationError);
    expect((error as AgentValidationError).errors.map((e) => e.path).sort()).toEqual([
      'input.files',
      'input.ignore.0.ruleId',
    ]);
  });

  it('builds its input from files and reads every text file but binaries and bundles', () => {
    // Act
    const input = agent.fromFiles?.([{ path: 'a.py', content: 'x = 1' }]);

    // Assess
    expect(input).toEqual({ files: [{ path: 'a.py', content: 'x = 1' }] });
    expect(agent.accepts?.('src/app.ts')).toBe(true);
    expect(agent.accepts?.('.env.production')).toBe(true);
    expect(agent.accepts?.('deploy/main.tf')).toBe(true);
    expect(agent.accepts?.('public/logo.png')).toBe(false);
    expect(agent.accepts?.('dist/app.min.js')).toBe(false);
    expect(agent.fileOptions).toEqual([expect.objectContaining({ flag: 'advisories', field: 'advisories' })]);
  });

  it('scans a repository end to end: every area, sorted by severity, risk score and summary', async () => {
    // Act
    const result = await run({ files: repository() });

    // Assess
    expect(securityOutputSchema.safeParse(result).success).toBe(true);
    const areas = new Set(result.findings.map((f) => f.ruleId.split(/-|\d/)[0]));
    expect([...areas].sort()).toEqual(['CODE', 'DEP', 'DOCKER', 'IAC']);
    const order = result.findings.map((f) =>
      ['critical', 'high', 'medium', 'low', 'info'].indexOf(f.severity),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(result.riskScore).toBe(100);
    expect(result.score).toBe(0);
    expect(result.metrics).toMatchObject({
      files: 4,
      dockerfiles: 1,
      templates: 1,
      codeFiles: 1,
      packages: 7,
      advisories: 8,
    });
    expect(result.summary).toMatch(
      /^Scanned 4 files: \d+ open findings \(\d+ critical, \d+ high, .*\); risk 100\/100\./,
    );
  });

  it('applies suppressions from .aiopsignore, inline comments and the input, last and with their reasons', async () => {
    // Arrange
    const files = [
      ...repository(),
      {
        path: '.aiopsignore',
        content: [
          '# Accepted risks, reviewed 2025-05',
          'DOCKER011 Dockerfile the legacy image keeps sshd until the migration',
          'DEP-VULNERABLE package-lock.json',
        ].join('\n'),
      },
      {
        path: 'src/legacy.js',
        content: [
          '// aiops:allow CODE-EVAL formulas come from our own admin console only',
          'const total = eval(formula);',
          'const agent = new https.Agent({ rejectUnauthorized: false }); // aiops:allow CODE-TLS-DISABLED test double',
        ].join('\n'),
      },
    ];

    // Act
    const result = await run({
      files,
      ignore: [{ ruleId: 'IAC-MISSING-TAGS', path: 'infra/**', reason: 'tags are applied by the pipeline' }],
    });

    // Assess
    const suppressed = result.findings.filter((f) => f.suppressed);
    expect(new Set(suppressed.map((f) => `${f.ruleId}:${f.suppressionSource}`))).toEqual(
      new Set([
        'DOCKER011:aiopsignore',
        'CODE-EVAL:inline',
        'CODE-TLS-DISABLED:inline',
        'IAC-MISSING-TAGS:input',
      ]),
    );
    const problem = result.findings.find((f) => f.ruleId === 'AIOPS000');
    expect(problem).toMatchObject({ resource: { file: '.aiopsignore', line: 3 } });
    expect(problem?.suppressed).toBeUndefined();
    expect(result.metrics.suppressed).toBe(suppressed.length);
    expect(result.summary).toContain(`${suppressed.length} suppressed`);
  });

  it('writes SARIF 2.1.0 that validates, with masked secrets and suppressions kept', async () => {
    // Arrange
    const token = ['gh', 'p_', 'Zq3', 'Xw9Lm2Rt7Yb5Nc8Vd4Kf6Hj1Gp0Sa3Ue5Ix'].join('');
    const result = await run({
      files: [
        ...repository(),
        {
          path: 'scripts/release.sh',
          content: `#!/bin/sh\nexport GITHUB_TOKEN=${token} # aiops:allow SEC-GITHUB-TOKEN revoked on 2025-05-30\n`,
        },
      ],
    });

    // Act
    const log = toSarif([{ agent, rules: agent.rules, result }]);

    // Assess
    expect(sarifSchemaErrors(log)).toEqual([]);
    const text = JSON.stringify(log);
    expect(text).not.toContain(token);
    const results = log.runs[0]?.results ?? [];
    const github = results.find((r) => r.ruleId === 'SEC-GITHUB-TOKEN');
    expect(github?.suppressions).toEqual([
      expect.objectContaining({ kind: 'inSource', justification: 'revoked on 2025-05-30' }),
    ]);
    expect(github?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(2);
  });
});

describe('clean input', () => {
  it('produces no high or critical finding for the hardened files', async () => {
    // Act
    const result = await run({
      files: [
        { path: 'Dockerfile', content: fixture('security/docker/Dockerfile.secure') },
        { path: 'infra/reports.yaml', content: fixture('security/cloudformation/secure.yaml') },
        { path: 'infra/payments.tf', content: fixture('security/terraform/secure.tf') },
        { path: 'src/repository.ts', content: fixture('security/code/safe-repository.ts') },
      ],
    });

    // Assess
    expect(result.findings.filter((f) => f.severity === 'critical' || f.severity === 'high')).toEqual([]);
    expect(result.riskScore).toBeLessThan(5);
    expect(result.summary).toMatch(/^Scanned 4 files: 1 open finding \(1 low\); risk 2\/100\./);
  });
});

describe('risk score', () => {
  it('takes a share of the remaining headroom per open finding; suppressed and info count nothing', () => {
    // Arrange
    const finding = (severity: 'critical' | 'high' | 'low' | 'info', suppressed = false) => ({
      ruleId: 'X',
      severity,
      title: 't',
      message: 'm',
      fingerprint: 'f',
      ...(suppressed ? { suppressed } : {}),
    });

    // Assess
    expect(riskScore([])).toBe(0);
    expect(riskScore([finding('critical')])).toBe(40);
    expect(riskScore([finding('critical'), finding('critical')])).toBe(64);
    expect(riskScore([finding('high'), finding('critical', true), finding('info')])).toBe(20);
    expect(riskScore(Array.from({ length: 10 }, () => finding('low')))).toBe(18);
  });
});
