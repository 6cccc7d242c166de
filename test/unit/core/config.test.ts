import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { configurationTable, getConfig, loadConfig, resetConfig } from '../../../shared/core/config.js';
import { ConfigurationError } from '../../../shared/core/errors.js';

const CLUSTER = 'arn:aws:rds:eu-west-1:123456789012:cluster:aiops-prod';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:aiops/db-AbCdEf';

function problemsOf(env: Record<string, string>): { path: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).details.problems as { path: string; message: string }[];
  }
  throw new Error('expected a ConfigurationError');
}

describe('configuration', () => {
  it('defaults to the embedded database and offline LLM use', () => {
    // Act
    const config = loadConfig({});

    // Assess
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.aiops/data' });
    expect(config).toMatchObject({ stage: 'dev', serviceName: 'aiops', logLevel: 'INFO', port: 3000 });
    expect(config.env.AIOPS_LLM_PROVIDERS).toEqual([]);
  });

  it.each([
    [
      { DATABASE_URL: 'postgres://aiops:pw@db:5432/aiops' },
      { kind: 'pg', url: 'postgres://aiops:pw@db:5432/aiops', poolMax: 10 },
    ],
    [
      {
        DATABASE_URL: 'postgresql://db/aiops',
        DATABASE_POOL_MAX: '25',
        AURORA_CLUSTER_ARN: CLUSTER,
        AURORA_SECRET_ARN: SECRET,
      },
      { kind: 'pg', url: 'postgresql://db/aiops', poolMax: 25 },
    ],
    [
      { AURORA_CLUSTER_ARN: CLUSTER, AURORA_SECRET_ARN: SECRET, AWS_REGION: 'eu-west-1' },
      { kind: 'data-api', clusterArn: CLUSTER, secretArn: SECRET, database: 'aiops', region: 'eu-west-1' },
    ],
    [
      { AIOPS_DATA_DIR: '/var/lib/aiops', DATABASE_URL: '' },
      { kind: 'pglite', dataDir: '/var/lib/aiops/data' },
    ],
  ])('chooses the database from %j', (env, expected) => {
    expect(loadConfig(env).database).toEqual(expected);
  });

  it('parses lists and normalises case', () => {
    // Act
    const config = loadConfig({ AIOPS_LLM_PROVIDERS: ' Bedrock, anthropic ,,openai', LOG_LEVEL: 'debug' });

    // Assess
    expect(config.env.AIOPS_LLM_PROVIDERS).toEqual(['bedrock', 'anthropic', 'openai']);
    expect(config.logLevel).toBe('DEBUG');
  });

  it.each([
    [{ DATABASE_URL: 'not-a-url' }, 'DATABASE_URL', 'PostgreSQL URL'],
    [{ DATABASE_URL: 'mysql://db/aiops' }, 'DATABASE_URL', 'PostgreSQL URL'],
    [
      { AURORA_CLUSTER_ARN: 'arn:aws:rds:eu-west-1:1234:cluster:x', AURORA_SECRET_ARN: SECRET },
      'AURORA_CLUSTER_ARN',
      'cluster ARN',
    ],
    [{ AURORA_CLUSTER_ARN: CLUSTER }, 'AURORA_SECRET_ARN', 'required when AURORA_CLUSTER_ARN'],
    [
      { AURORA_CLUSTER_ARN: CLUSTER, AURORA_SECRET_ARN: 'my-secret' },
      'AURORA_SECRET_ARN',
      'Secrets Manager ARN',
    ],
    [{ PORT: '70000' }, 'PORT', 'from 0 to 65535'],
    [{ PORT: 'eighty' }, 'PORT', 'from 0 to 65535'],
    [{ AIOPS_BOOTSTRAP_API_KEY: 'letmein' }, 'AIOPS_BOOTSTRAP_API_KEY', 'aiops_'],
    [{ DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX', 'from 1 to 200'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'expected one of'],
    [{ AIOPS_LLM_PROVIDERS: 'bedrock,gemini' }, 'AIOPS_LLM_PROVIDERS.1', 'expected one of'],
    [{ AIOPS_STAGE: 'production' }, 'AIOPS_STAGE', 'expected one of'],
  ])('rejects %j naming %s', (env, variable, fragment) => {
    // Act
    const problems = problemsOf(env);

    // Assess
    expect(problems).toEqual([expect.objectContaining({ path: variable })]);
    expect(problems[0]?.message).toContain(fragment);
  });

  it('lists every problem in one error, one line per variable', () => {
    // Act
    const attempt = () => loadConfig({ DATABASE_URL: 'not-a-url', PORT: '-1', AURORA_CLUSTER_ARN: 'nope' });

    // Assess
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/^Invalid configuration:\n {2}- /);
    const problems = problemsOf({ DATABASE_URL: 'not-a-url', PORT: '-1', AURORA_CLUSTER_ARN: 'nope' });
    expect(problems.map((p) => p.path).sort()).toEqual([
      'AURORA_CLUSTER_ARN',
      'AURORA_SECRET_ARN',
      'DATABASE_URL',
      'PORT',
    ]);
  });

  it('never echoes a rejected value (it may be a secret)', () => {
    expect(() => loadConfig({ DATABASE_URL: 'hunter2-not-a-url' })).not.toThrow(/hunter2/);
  });

  it('parses process.env once and forgets it on reset', () => {
    // Prepare
    const before = process.env.PORT;
    resetConfig();
    process.env.PORT = '4100';

    // Act
    const first = getConfig();
    process.env.PORT = '4200';
    const cached = getConfig();
    resetConfig();
    const fresh = getConfig();

    // Assess
    expect([first.port, cached.port, fresh.port]).toEqual([4100, 4100, 4200]);
    if (before === undefined) delete process.env.PORT;
    else process.env.PORT = before;
    resetConfig();
  });

  it('keeps the README table in sync with the schema', () => {
    // Prepare
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = /<!-- config:start -->\n([\s\S]*?)\n<!-- config:end -->/.exec(readme)?.[1];

    // Assess: regenerate with `npx tsx bin/aiops.ts config table`.
    expect(section).toBe(configurationTable());
  });
});
