/**
 * Secrets: every rule id on realistic files, placeholders and fixtures
 * reported lower (never hidden), and no raw value anywhere in the result.
 * The fake credentials are assembled here from parts, so no file in the
 * repository holds a string that looks like a leaked token.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../shared/agents/contract.js';
import { analyzeSecurity } from '../../../shared/agents/security-scanner/analyze.js';
import { securityInputSchema } from '../../../shared/agents/security-scanner/schema.js';
import { scanSecrets } from '../../../shared/agents/security-scanner/secrets.js';
import {
  classifySecretName,
  findSecrets,
  looksLikeSecretValue,
  maskSecret,
  placeholderReason,
  shannonEntropy,
} from '../../../shared/analysis/secrets/index.js';

/** The classifier's answer as the generic rule reads it: a secret name, and whether it is a password. */
function secretName(name: string): { password: boolean } | undefined {
  const named = classifySecretName(name);
  return named?.kind === 'secret' ? { password: named.password } : undefined;
}

const NOW = new Date('2025-06-01T12:00:00Z');

/** Deterministic random-looking characters of an alphabet. */
function noise(
  seed: string,
  length: number,
  alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const byte of createHash('sha256').update(`${seed}:${round}`).digest()) {
      if (out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwtHead = base64url({ alg: 'HS256', typ: 'JWT' });
const jwtBody = base64url({ sub: 'svc-reports', scope: 'reports:write', exp: 1924992000 });

/** The fake credentials, each built from parts. */
const FAKE = {
  awsAccessKey: ['AK', 'IA', noise('aws-id', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')].join(''),
  awsSecretKey: noise('aws-secret', 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
  githubToken: ['gh', 'p_', noise('github', 36)].join(''),
  gitlabToken: ['gl', 'pat-', noise('gitlab', 20)].join(''),
  slackToken: ['xo', 'xb-', '2048163520512-4096327041024-', noise('slack', 24)].join(''),
  slackWebhookPath: [
    'services/',
    'T04',
    noise('team', 8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    '/B05',
    noise('bot', 8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    '/',
    noise('hook', 24),
  ].join(''),
  googleKey: [
    'AI',
    'za',
    noise('google', 35, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  ].join(''),
  stripeLive: ['sk', '_live_', noise('stripe', 24)].join(''),
  stripeTest: ['sk', '_test_', noise('stripe-test', 24)].join(''),
  privateKeyBody: Array.from({ length: 8 }, (_, i) =>
    noise(`rsa-${i}`, 64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
  ),
  jwt: `${jwtHead}.${jwtBody}.${createHmac('sha256', 'fixture').update(`${jwtHead}.${jwtBody}`).digest('base64url')}`,
  dbPassword: `Vq8${noise('db', 9)}`,
  clientSecret: noise('client-secret', 32),
  password: 'Tr0ub4dor&3x',
};

const slackWebhook = `https://hooks.slack.com/${FAKE.slackWebhookPath}`;
const privateKey = [
  ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' '),
  ...FAKE.privateKeyBody,
  ['-----END', 'RSA PRIVATE KEY-----'].join(' '),
].join('\n');

/** A deployment's .env, a Python settings module, Helm values and a Node client, as people write them. */
function leakedFiles() {
  return [
    {
      path: 'deploy/production.env',
      content: [
        '# production settings',
        `AWS_ACCESS_KEY_ID=${FAKE.awsAccessKey}`,
        `AWS_SECRET_ACCESS_KEY=${FAKE.awsSecretKey}`,
        `DATABASE_URL=postgres://orders_app:${FAKE.dbPassword}@orders-db.prod.internal:5432/orders`,
        `SLACK_ALERTS_WEBHOOK=${slackWebhook}`,
        'LOG_LEVEL=info',
      ].join('\n'),
    },
    {
      path: 'reports/settings.py',
      content: [
        'import os',
        '',
        `GITHUB_TOKEN = "${FAKE.githubToken}"`,
        `GITLAB_TOKEN = os.environ.get("GITLAB_TOKEN", "${FAKE.gitlabToken}")`,
        `STRIPE_API_KEY = "${FAKE.stripeLive}"`,
        `STRIPE_TEST_KEY = "${FAKE.stripeTest}"`,
        `SMTP_PASSWORD = "${FAKE.password}"`,
      ].join('\n'),
    },
    {
      path: 'charts/reports/values.yaml',
      content: [
        'reports:',
        '  slack:',
        `    botToken: ${FAKE.slackToken}`,
        '  oauth:',
        '    clientId: reports-web',
        `    client_secret: "${FAKE.clientSecret}"`,
        '  maps:',
        `    googleApiKey: ${FAKE.googleKey}`,
      ].join('\n'),
    },
    {
      path: 'src/upstream.ts',
      content: [
        "import { request } from 'undici';",
        '',
        `const SERVICE_TOKEN = '${FAKE.jwt}';`,
        `export const call = () => request('https://reports.internal', { headers: { authorization: \`Bearer \${SERVICE_TOKEN}\` } });`,
      ].join('\n'),
    },
    { path: 'ops/keys/deploy_rsa', content: `${privateKey}\n` },
  ];
}

async function scan(files: { path: string; content: string }[]) {
  return analyzeSecurity(securityInputSchema.parse({ files }), { traceId: 'test', now: NOW });
}

function find(findings: Finding[], ruleId: string, file: string): Finding {
  const found = findings.find((f) => f.ruleId === ruleId && f.resource?.file === file);
  if (!found)
    throw new Error(
      `no ${ruleId} in ${file}: ${findings.map((f) => `${f.ruleId}@${f.resource?.file}`).join(', ')}`,
    );
  return found;
}

describe('secret rules', () => {
  it.each([
    ['SEC-AWS-ACCESS-KEY', 'deploy/production.env', 2, 19, 'high'],
    ['SEC-AWS-SECRET-KEY', 'deploy/production.env', 3, 23, 'critical'],
    ['SEC-DB-URL-CREDENTIALS', 'deploy/production.env', 4, 14, 'high'],
    ['SEC-SLACK-WEBHOOK', 'deploy/production.env', 5, 22, 'medium'],
    ['SEC-GITHUB-TOKEN', 'reports/settings.py', 3, 17, 'critical'],
    ['SEC-GITLAB-TOKEN', 'reports/settings.py', 4, 48, 'critical'],
    ['SEC-STRIPE-KEY', 'reports/settings.py', 5, 19, 'critical'],
    ['SEC-SLACK-TOKEN', 'charts/reports/values.yaml', 3, 15, 'high'],
    ['SEC-GOOGLE-API-KEY', 'charts/reports/values.yaml', 8, 19, 'high'],
    ['SEC-JWT', 'src/upstream.ts', 3, 24, 'medium'],
    ['SEC-PRIVATE-KEY', 'ops/keys/deploy_rsa', 1, 1, 'critical'],
  ] as const)('%s in %s at line %i, column %i (%s)', async (ruleId, file, line, column, severity) => {
    // Act
    const { findings } = await scan(leakedFiles());

    // Assess
    const finding = find(findings, ruleId, file);
    expect(finding.resource).toEqual({ kind: 'File', name: file, file, line });
    expect(finding.severity).toBe(severity);
    expect(finding.evidence).toMatchObject({ column, cwe: 'CWE-798' });
  });

  it('finds a generic hard-coded password and client secret by name and entropy', async () => {
    // Act
    const { findings } = await scan(leakedFiles());

    // Assess
    const generic = findings.filter((f) => f.ruleId === 'SEC-GENERIC-SECRET');
    expect(
      generic.map((f) => [f.resource?.file, f.resource?.line, (f.evidence as { name: string }).name]),
    ).toEqual([
      ['charts/reports/values.yaml', 6, 'client_secret'],
      ['reports/settings.py', 7, 'SMTP_PASSWORD'],
    ]);
    expect(generic.every((f) => f.severity === 'medium')).toBe(true);
  });

  it('reports each secret once: a specific rule wins over the generic one on the same value', async () => {
    // Act
    const { findings } = await scan(leakedFiles());

    // Assess
    const places = findings.map((f) => `${f.resource?.file}:${f.resource?.line}`);
    expect(new Set(places).size).toBe(places.length);
  });

  it('lowers a Stripe test-mode key to low instead of hiding it', async () => {
    // Act
    const { findings } = await scan(leakedFiles());

    // Assess
    const stripe = findings.filter((f) => f.ruleId === 'SEC-STRIPE-KEY');
    expect(stripe.map((f) => [f.resource?.line, f.severity])).toEqual([
      [5, 'critical'],
      [6, 'low'],
    ]);
    expect(stripe[1]?.evidence).toMatchObject({ lowered: 'test-mode-key' });
  });

  it('never puts a secret value in the result, only a masked prefix and the length', async () => {
    // Act
    const result = await scan(leakedFiles());

    // Assess
    const text = JSON.stringify(result);
    const raw = [
      FAKE.awsAccessKey,
      FAKE.awsSecretKey,
      FAKE.githubToken,
      FAKE.gitlabToken,
      FAKE.slackToken,
      FAKE.slackWebhookPath,
      FAKE.googleKey,
      FAKE.stripeLive,
      FAKE.stripeTest,
      FAKE.jwt,
      FAKE.dbPassword,
      FAKE.clientSecret,
      FAKE.password,
      ...FAKE.privateKeyBody,
    ];
    for (const value of raw) {
      expect(text).not.toContain(value);
      // Not even a long piece of it.
      expect(text).not.toContain(value.slice(4, 16));
    }
    const github = find(result.findings, 'SEC-GITHUB-TOKEN', 'reports/settings.py');
    expect(github.evidence).toMatchObject({ masked: 'ghp_…(40 chars)', length: 40 });
    expect(github.message).toContain('ghp_…(40 chars)');
  });
});

describe('examples, placeholders and fixtures', () => {
  const documented = [
    '# Configure the CLI (values from the AWS documentation)',
    'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'password: changeme',
    'api_key: xxxxxxxxxxxxxxxxxxxxxxxx',
    'token: <your-token>',
    `DB_PASSWORD=\${DB_PASSWORD}`,
    `slack_webhook: https://hooks.slack.com/services/T00000000/B00000000/${'X'.repeat(24)}`,
  ].join('\n');

  it('reports no documented example, placeholder or reference: the engine sees them, the scanner does not report them', async () => {
    // Act
    const { findings } = await scan([{ path: 'docs/configuration.ini', content: documented }]);
    const seen = findSecrets({ path: 'docs/configuration.ini', content: documented }, { now: NOW });

    // Assess
    expect(findings).toEqual([]);
    expect(seen.map((m) => [m.credential, m.line, m.lowered])).toEqual([
      ['aws-access-key', 2, 'placeholder'],
      ['aws-secret-key', 3, 'placeholder'],
      ['generic-secret', 4, 'placeholder'],
      ['generic-secret', 5, 'placeholder'],
      ['generic-secret', 6, 'placeholder'],
      ['slack-webhook', 8, 'placeholder'],
    ]);
  });

  it('reports real-looking secrets under test fixtures at low, flagged as test material', async () => {
    // Arrange
    const files = leakedFiles().map((f) => ({ ...f, path: `test/fixtures/${f.path}` }));

    // Act
    const { findings } = await scan(files);

    // Assess
    expect(findings.length).toBeGreaterThanOrEqual(13);
    expect(findings.every((f) => f.severity === 'low')).toBe(true);
    expect(
      find(findings, 'SEC-AWS-SECRET-KEY', 'test/fixtures/deploy/production.env').evidence,
    ).toMatchObject({
      lowered: 'test-fixture',
    });
  });

  it('lowers a database URL to a local host, and an expired or unsigned JWT; drops a password that repeats the user', async () => {
    // Arrange
    const expired = `${jwtHead}.${base64url({ sub: 'x', exp: 1600000000 })}.${FAKE.jwt.split('.')[2]}`;
    const unsigned = `${base64url({ alg: 'none' })}.${base64url({ sub: 'svc', iat: 1700000000 })}.`;
    const content = [
      `DEV_DATABASE_URL=mysql://root:${FAKE.dbPassword}@localhost:3306/app`,
      `OLD_TOKEN=${expired}`,
      `ANON_TOKEN=${unsigned}`,
      'CACHE_URL=redis://cache:cache@redis.internal:6379/0',
    ].join('\n');

    // Act
    const { findings } = await scan([{ path: '.env.development', content }]);

    // Assess
    expect(findings.map((f) => [f.ruleId, f.severity, (f.evidence as { lowered?: string }).lowered])).toEqual(
      [
        ['SEC-DB-URL-CREDENTIALS', 'low', 'local-only'],
        ['SEC-JWT', 'low', 'expired-token'],
        ['SEC-JWT', 'low', 'unsigned-token'],
        // redis://cache:cache@… (the password repeats the user): a placeholder, not reported.
      ],
    );
  });
});

describe('more shapes', () => {
  it('reads URLs with a driver suffix or an empty user, and Stripe webhook secrets', async () => {
    // Arrange
    const content = [
      `SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://reports:${FAKE.dbPassword}@db.internal/reports"`,
      `REDIS_URL = "redis://:${FAKE.dbPassword}@cache.internal:6379/0"`,
      `STRIPE_WEBHOOK_SECRET = "${['wh', 'sec_', noise('whsec', 32)].join('')}"`,
    ].join('\n');

    // Act
    const { findings } = await scan([{ path: 'app/config.py', content }]);

    // Assess
    expect(findings.map((f) => [f.ruleId, f.resource?.line, f.severity])).toEqual([
      ['SEC-STRIPE-KEY', 3, 'critical'],
      ['SEC-DB-URL-CREDENTIALS', 1, 'high'],
      ['SEC-DB-URL-CREDENTIALS', 2, 'high'],
    ]);
  });
});

describe('no secret', () => {
  it('finds nothing in configuration and code that only names secrets', async () => {
    // Arrange
    const files = [
      {
        path: 'config/auth.yaml',
        content: [
          'auth:',
          '  password_min_length: 12',
          '  token_url: https://auth.example.com/oauth/token',
          '  token_ttl: 3600',
          '  passwordPolicy: strong',
          '  secretName: prod/reports/db',
          '  api_key_header: X-Api-Key',
          '  max_tokens: 4096',
          '  next_page_token: CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA3EgNiYXIYASAB',
          '  db_password_file: /run/secrets/db_password',
          '  aws_secret_arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:reports-db-AbCdEf',
        ].join('\n'),
      },
      {
        path: 'src/login.ts',
        content: [
          'interface Credentials { username: string; password: string; token?: string }',
          'export function login(req: Request, creds: Credentials) {',
          '  const password = creds.password;',
          "  const passwordField = 'password';",
          '  const token = req.headers.get("authorization");',
          '  const apiKey = process.env.REPORTS_API_KEY;',
          "  const secret = await secrets.get('reports/db');",
          '  return { password, passwordField, token, apiKey, secret };',
          '}',
        ].join('\n'),
      },
      {
        path: 'package-lock.json',
        content:
          '{"packages":{"node_modules/a":{"version":"1.0.0","integrity":"sha512-dKQiRHxGD9PPRIUNIWvZhPTPpl1rf/OxTYKsqKUDjBwYylTvV7SjSHJb9ratfyzM6wCdLCOYLzs73qpg5c4iGA=="}}}',
      },
    ];

    // Act
    const { findings } = await scan(files);

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('building blocks', () => {
  it('masks with at most 4 leading characters, fewer for short values', () => {
    expect(maskSecret('AKIAABCDEFGHIJKLMNOP')).toBe('AKIA…(20 chars)');
    expect(maskSecret('hunter2')).toBe('h…(7 chars)');
    expect(maskSecret('abc')).toBe('…(3 chars)');
  });

  it('measures Shannon entropy in bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy(FAKE.clientSecret)).toBeGreaterThan(4);
  });

  it.each([
    ['DB_PASSWORD', { password: true }],
    ['clientSecret', { password: false }],
    ['aws.api-key', { password: false }],
    ['secret_key', { password: false }],
    ['oauth_token_secret', { password: false }],
    ['password_reset_url', undefined],
    ['tokenizer', undefined],
    ['next_page_token', undefined],
    ['PasswordHash', undefined],
    ['AWS_ACCESS_KEY_ID', { password: false }],
    ['access_key_id', { password: false }],
    ['username', undefined],
  ])('secretName(%s)', (name, expected) => {
    expect(secretName(name)).toEqual(expected);
  });

  it.each([
    [`\${VAULT_TOKEN}`, 'reference'],
    ['$DB_PASSWORD', 'reference'],
    ['{{ .Values.password }}', 'reference'],
    ['<your-token>', 'placeholder'],
    ['your_api_key_here', 'placeholder'],
    ['changeme', 'placeholder'],
    ['xxxxxxxxxxxx', 'placeholder'],
    ['postgres', 'placeholder'],
    [FAKE.clientSecret, undefined],
  ])('placeholderReason(%s) = %s', (value, expected) => {
    expect(placeholderReason(value)).toBe(expected);
  });

  it.each([
    ['Tr0ub4dor&3x', true, true],
    ['required', true, false],
    ['forgot-password', true, false],
    ['AES256', false, false],
    [FAKE.clientSecret, false, true],
    ['/run/secrets/x', false, false],
    ['12345', true, false],
  ])('looksLikeSecretValue(%s, password=%s) = %s', (value, password, expected) => {
    expect(looksLikeSecretValue(value, password)).toBe(expected);
  });

  it('scans one file without the agent around it', () => {
    // Act
    const findings = scanSecrets({ path: 'a.env', content: `TOKEN=${FAKE.githubToken}` }, { now: NOW });

    // Assess
    expect(findings.map((f) => f.ruleId)).toEqual(['SEC-GITHUB-TOKEN']);
    expect(findings[0]?.fingerprint).toHaveLength(32);
  });
});
