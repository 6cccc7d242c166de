import { describe, expect, it } from '@jest/globals';
import { countFindings, type Finding, findingSchema } from '../../../shared/agents/contract.js';
import { type Rule, ruleFinding } from '../../../shared/agents/rules.js';
import {
  applySuppressions,
  fromIgnoreInput,
  ignoreInputSchema,
  mergeSuppressions,
  type ParsedSuppressions,
  parseAiopsIgnore,
  parseAnnotation,
  parseCloudFormationIgnore,
  parseInlineAllows,
  SUPPRESSION_RULES,
} from '../../../shared/agents/suppressions.js';

// --- fixtures ---------------------------------------------------------------

function rule(id: string, severity: Rule['severity'] = 'high'): Rule {
  return { id, severity, category: 'security', title: `${id} title`, description: 'd', remediation: 'r' };
}

/** A finding of `id` at `file:line` on `kind/name` (namespace optional). */
function at(
  id: string,
  file: string | undefined,
  line?: number,
  resource: { kind?: string; name?: string; namespace?: string } = {},
): Finding {
  return ruleFinding(rule(id), {
    message: `${id} at ${file}:${line}`,
    resource: {
      kind: resource.kind ?? 'File',
      name: resource.name ?? file ?? 'input',
      ...(resource.namespace === undefined ? {} : { namespace: resource.namespace }),
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { line }),
    },
  });
}

const suppressedIds = (findings: readonly Finding[]) =>
  findings.filter((f) => f.suppressed).map((f) => `${f.ruleId}@${f.resource?.file}:${f.resource?.line}`);

const NONE: ParsedSuppressions = { suppressions: [], problems: [] };

// --- inline comments --------------------------------------------------------

describe('parseInlineAllows', () => {
  it.each([
    {
      language: 'YAML',
      markers: ['#'],
      content: [
        'apiVersion: apps/v1',
        'kind: Deployment',
        '# aiops:allow K8S006 pinned by digest in the overlay',
        '      image: nginx:latest',
      ].join('\n'),
      ruleIds: ['K8S006'],
      reason: 'pinned by digest in the overlay',
      commentLine: 3,
      line: 4,
    },
    {
      language: 'SQL',
      markers: ['--'],
      content: [
        'SELECT id FROM orders WHERE id = $1;',
        '-- aiops:allow SQL001 reporting export needs every column',
        'SELECT * FROM orders;',
      ].join('\n'),
      ruleIds: ['SQL001'],
      reason: 'reporting export needs every column',
      commentLine: 2,
      line: 3,
    },
    {
      language: 'TypeScript line comment',
      markers: ['//', '/*'],
      content: [
        "import { createHash } from 'node:crypto';",
        '// aiops:allow CODE-WEAK-HASH,CODE-EVAL md5 is a cache key here, not a password',
        "const key = createHash('md5').update(body).digest('hex');",
      ].join('\n'),
      ruleIds: ['CODE-WEAK-HASH', 'CODE-EVAL'],
      reason: 'md5 is a cache key here, not a password',
      commentLine: 2,
      line: 3,
    },
    {
      language: 'Go block comment',
      markers: ['//', '/*'],
      content: [
        'func client() *http.Client {',
        '\t/* aiops:allow CODE-TLS-VERIFY local test server with a self-signed certificate */',
        '\ttr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}',
      ].join('\n'),
      ruleIds: ['CODE-TLS-VERIFY'],
      reason: 'local test server with a self-signed certificate',
      commentLine: 2,
      line: 3,
    },
    {
      language: 'Dockerfile',
      markers: ['#'],
      content: [
        'FROM node:24-alpine',
        '# aiops:allow DOCKER001, DOCKER005 - the base image runs as node; health is checked by the orchestrator',
        'CMD ["node", "server.js"]',
      ].join('\n'),
      ruleIds: ['DOCKER001', 'DOCKER005'],
      reason: 'the base image runs as node; health is checked by the orchestrator',
      commentLine: 2,
      line: 3,
    },
  ])(
    '$language: a comment alone on its line covers the next line',
    ({ markers, content, ruleIds, reason, line }) => {
      // Act
      const parsed = parseInlineAllows('src/file', content, markers);

      // Assess
      expect(parsed.problems).toEqual([]);
      expect(parsed.suppressions).toEqual([{ ruleIds, reason, source: 'inline', file: 'src/file', line }]);
    },
  );

  it('a trailing comment covers its own line', () => {
    // Prepare
    const python = [
      'import hashlib',
      '',
      'digest = hashlib.md5(data).hexdigest()  # aiops:allow CODE-WEAK-HASH checksum of a public file',
      'password_hash = hashlib.md5(password).hexdigest()',
    ].join('\n');

    // Act
    const parsed = parseInlineAllows('app/hash.py', python, ['#']);

    // Assess
    expect(parsed.suppressions).toEqual([
      {
        ruleIds: ['CODE-WEAK-HASH'],
        reason: 'checksum of a public file',
        source: 'inline',
        file: 'app/hash.py',
        line: 3,
      },
    ]);
  });

  it('a block comment followed by code on its line covers that line', () => {
    // Prepare
    const go = [
      'func run(cmd string) {',
      '\t/* aiops:allow CODE-EXEC cmd comes from the signed job spec */ exec.Command("sh", "-c", cmd).Run()',
      '\texec.Command("sh", "-c", cmd).Run()',
    ].join('\n');

    // Act
    const parsed = parseInlineAllows('jobs/run.go', go, ['//', '/*']);

    // Assess
    expect(parsed.suppressions).toEqual([
      {
        ruleIds: ['CODE-EXEC'],
        reason: 'cmd comes from the signed job spec',
        source: 'inline',
        file: 'jobs/run.go',
        line: 2,
      },
    ]);
  });

  it('skips blank lines and other comments to reach the covered line; stacked allows cover the same line', () => {
    // Prepare
    const yaml = [
      'containers:',
      '  # aiops:allow K8S004 the worker has no HTTP endpoint',
      '',
      '  # a plain comment',
      '  # aiops:allow K8S005 same reason for readiness',
      '  - name: worker',
    ].join('\n');

    // Act
    const parsed = parseInlineAllows('k8s/worker.yaml', yaml, ['#']);

    // Assess
    expect(parsed.suppressions.map((s) => [s.ruleIds, s.line])).toEqual([
      [['K8S004'], 6],
      [['K8S005'], 6],
    ]);
  });

  it('ignores the word outside a comment (a string literal)', () => {
    // Act
    const parsed = parseInlineAllows('src/a.ts', "const doc = 'aiops:allow SQL001 in docs';", ['//']);

    // Assess
    expect(parsed).toEqual(NONE);
  });

  it.each([
    ['# aiops:allow K8S006', /has no reason/],
    ['# aiops:allow K8S006   ', /has no reason/],
    ['# aiops:allow K8S006 -', /has no reason/],
    ['# aiops:allow', /names no rule id/],
    ['# aiops:allow * everything is fine', /wildcards are not accepted/],
    ['# aiops:allow K8S* all kubernetes rules', /wildcards are not accepted/],
    ['# aiops:allow because we said so', /"because" is not a rule id/],
  ])('%j is a problem at its line, not a suppression', (comment, message) => {
    // Act
    const parsed = parseInlineAllows('k8s/app.yaml', `kind: Pod\n${comment}\nimage: nginx:latest\n`, ['#']);

    // Assess
    expect(parsed.suppressions).toEqual([]);
    expect(parsed.problems).toEqual([
      { file: 'k8s/app.yaml', line: 2, message: expect.stringMatching(message) },
    ]);
  });

  it('an allow followed by nothing is a problem', () => {
    // Act
    const parsed = parseInlineAllows('q.sql', 'SELECT 1;\n-- aiops:allow SQL001 trailing\n\n', ['--']);

    // Assess
    expect(parsed.suppressions).toEqual([]);
    expect(parsed.problems).toEqual([
      { file: 'q.sql', line: 2, message: expect.stringMatching(/no line to cover/) },
    ]);
  });

  it('reads CRLF files with the right line numbers', () => {
    // Act
    const parsed = parseInlineAllows(
      'q.sql',
      'SELECT 1;\r\n-- aiops:allow SQL001 export\r\nSELECT * FROM t;\r\n',
      ['--'],
    );

    // Assess
    expect(parsed.suppressions[0]).toMatchObject({ line: 3, reason: 'export' });
  });
});

// --- .aiopsignore -----------------------------------------------------------

describe('parseAiopsIgnore', () => {
  const file = [
    '# accepted risks, reviewed 2025-01-10',
    '',
    'SEC-GENERIC-SECRET test/fixtures/** fixtures hold fake credentials',
    'K8S011,K8S012 k8s/dev/*.yaml dev runs one replica',
    'SQL001 *.sql   exports select every column',
    'DOCKER004 docker/ the build images are internal',
    'SEC-JWT /README.md sample token from jwt.io',
  ].join('\n');

  it('reads rule ids, a glob and the reason, skipping blanks and comments', () => {
    // Act
    const parsed = parseAiopsIgnore(file, '.aiopsignore');

    // Assess
    expect(parsed.problems).toEqual([]);
    expect(parsed.suppressions).toEqual([
      {
        ruleIds: ['SEC-GENERIC-SECRET'],
        reason: 'fixtures hold fake credentials',
        source: 'aiopsignore',
        pathGlob: 'test/fixtures/**',
      },
      {
        ruleIds: ['K8S011', 'K8S012'],
        reason: 'dev runs one replica',
        source: 'aiopsignore',
        pathGlob: 'k8s/dev/*.yaml',
      },
      {
        ruleIds: ['SQL001'],
        reason: 'exports select every column',
        source: 'aiopsignore',
        pathGlob: '**/*.sql',
      },
      {
        ruleIds: ['DOCKER004'],
        reason: 'the build images are internal',
        source: 'aiopsignore',
        pathGlob: 'docker/**',
      },
      {
        ruleIds: ['SEC-JWT'],
        reason: 'sample token from jwt.io',
        source: 'aiopsignore',
        pathGlob: 'README.md',
      },
    ]);
  });

  it.each([
    ['test/fixtures/aws/credentials.env', 'SEC-GENERIC-SECRET', true],
    ['src/config.ts', 'SEC-GENERIC-SECRET', false],
    ['k8s/dev/api.yaml', 'K8S012', true],
    ['k8s/dev/nested/api.yaml', 'K8S012', false],
    ['k8s/prod/api.yaml', 'K8S011', false],
    ['db/reports/monthly.sql', 'SQL001', true],
    ['monthly.sql', 'SQL001', true],
    ['db/monthly.sql', 'SQL002', false],
    ['docker/build/Dockerfile', 'DOCKER004', true],
    ['README.md', 'SEC-JWT', true],
    ['docs/README.md', 'SEC-JWT', false],
  ])('%s / %s suppressed: %s', (path, ruleId, expected) => {
    // Act
    const [finding] = applySuppressions([at(ruleId, path, 3)], parseAiopsIgnore(file, '.aiopsignore'));

    // Assess
    expect(finding?.suppressed ?? false).toBe(expected);
    if (expected) expect(finding?.suppressionSource).toBe('aiopsignore');
  });

  it("anchors globs at the folder of the .aiopsignore, so it never reaches a sibling's files", () => {
    // Prepare
    const parsed = parseAiopsIgnore(
      'K8S011 *.yaml single-replica demo apps\nK8S004 /api.yaml no probes yet',
      'deploy/demo/.aiopsignore',
    );

    // Act
    const findings = applySuppressions(
      [
        at('K8S011', 'deploy/demo/web.yaml', 1),
        at('K8S011', 'deploy/demo/sub/web.yaml', 1),
        at('K8S011', 'deploy/prod/web.yaml', 1),
        at('K8S004', 'deploy/demo/api.yaml', 1),
        at('K8S004', 'deploy/demo/sub/api.yaml', 1),
      ],
      parsed,
    );

    // Assess
    expect(parsed.suppressions.map((s) => s.pathGlob)).toEqual([
      'deploy/demo/**/*.yaml',
      'deploy/demo/api.yaml',
    ]);
    expect(suppressedIds(findings)).toEqual([
      'K8S011@deploy/demo/web.yaml:1',
      'K8S011@deploy/demo/sub/web.yaml:1',
      'K8S004@deploy/demo/api.yaml:1',
    ]);
  });

  it('matches findings whose file is written with ./', () => {
    // Act
    const [finding] = applySuppressions(
      [at('SQL001', './db/q.sql', 1)],
      parseAiopsIgnore('SQL001 db/*.sql exports'),
    );

    // Assess
    expect(finding?.suppressed).toBe(true);
  });

  it.each([
    ['SEC-JWT README.md', /has no reason/],
    ['SEC-JWT', /has no path glob/],
    ['* src/** everything', /wildcards are not accepted/],
    ['sec-jwt README.md lower case', /is not a rule id/],
  ])('%j is a problem at its line', (entry, message) => {
    // Act
    const parsed = parseAiopsIgnore(`# header\n${entry}\n`, 'repo/.aiopsignore');

    // Assess
    expect(parsed.suppressions).toEqual([]);
    expect(parsed.problems).toEqual([
      { file: 'repo/.aiopsignore', line: 2, message: expect.stringMatching(message) },
    ]);
  });
});

// --- manifest annotation ----------------------------------------------------

describe('parseAnnotation', () => {
  const worker = { kind: 'Deployment', name: 'worker', namespace: 'jobs', file: 'k8s/worker.yaml', line: 1 };

  it('suppresses the named rules on that resource only', () => {
    // Prepare
    const parsed = parseAnnotation('K8S004,K8S011 batch worker, restarted by the queue on failure', worker);

    // Act
    const findings = applySuppressions(
      [
        at('K8S004', 'k8s/worker.yaml', 20, { kind: 'Deployment', name: 'worker', namespace: 'jobs' }),
        at('K8S011', 'k8s/worker.yaml', 8, { kind: 'Deployment', name: 'worker', namespace: 'jobs' }),
        at('K8S005', 'k8s/worker.yaml', 22, { kind: 'Deployment', name: 'worker', namespace: 'jobs' }),
        // the same name in another namespace, another kind, another file: other resources
        at('K8S004', 'k8s/worker.yaml', 60, { kind: 'Deployment', name: 'worker', namespace: 'batch' }),
        at('K8S004', 'k8s/worker.yaml', 90, { kind: 'StatefulSet', name: 'worker', namespace: 'jobs' }),
        at('K8S004', 'k8s/other.yaml', 20, { kind: 'Deployment', name: 'worker', namespace: 'jobs' }),
        at('K8S004', 'k8s/worker.yaml', 120, { kind: 'Deployment', name: 'worker' }),
      ],
      parsed,
    );

    // Assess
    expect(parsed.suppressions).toEqual([
      {
        ruleIds: ['K8S004', 'K8S011'],
        reason: 'batch worker, restarted by the queue on failure',
        source: 'annotation',
        file: 'k8s/worker.yaml',
        resource: { kind: 'Deployment', name: 'worker', namespace: 'jobs' },
      },
    ]);
    expect(suppressedIds(findings)).toEqual(['K8S004@k8s/worker.yaml:20', 'K8S011@k8s/worker.yaml:8']);
    expect(findings[0]).toMatchObject({
      suppressed: true,
      suppressionReason: 'batch worker, restarted by the queue on failure',
      suppressionSource: 'annotation',
    });
  });

  it('a resource without a namespace is not one with a namespace', () => {
    // Prepare
    const parsed = parseAnnotation('K8S011 demo', { kind: 'Deployment', name: 'web', file: 'a.yaml' });

    // Act
    const findings = applySuppressions(
      [
        at('K8S011', 'a.yaml', 5, { kind: 'Deployment', name: 'web' }),
        at('K8S011', 'a.yaml', 40, { kind: 'Deployment', name: 'web', namespace: 'prod' }),
      ],
      parsed,
    );

    // Assess
    expect(suppressedIds(findings)).toEqual(['K8S011@a.yaml:5']);
  });

  it('an annotation without a reason is a problem at the resource', () => {
    // Act
    const parsed = parseAnnotation('K8S004', worker);

    // Assess
    expect(parsed).toEqual({
      suppressions: [],
      problems: [
        {
          file: 'k8s/worker.yaml',
          line: 1,
          message: expect.stringMatching(/^Deployment\/worker: .*has no reason/),
        },
      ],
    });
  });

  it('a problem of a resource without file or line has no place', () => {
    // Act
    const parsed = parseAnnotation('', { kind: 'Pod', name: 'p' });

    // Assess
    expect(parsed.problems).toEqual([{ message: expect.stringMatching(/names no rule id/) }]);
  });
});

// --- CloudFormation metadata ------------------------------------------------

describe('parseCloudFormationIgnore', () => {
  const bucket = {
    kind: 'AWS::S3::Bucket',
    name: 'AccessLogsBucket',
    file: 'cdk.out/AppStack.template.json',
    line: 14,
  };

  it('reads Metadata.aiops.ignore and scopes it to the logical resource', () => {
    // Prepare
    const metadata = {
      'aws:cdk:path': 'AppStack/AccessLogsBucket/Resource',
      aiops: {
        ignore: [
          { id: 'IAC-S3-LOGGING', reason: 'this bucket receives the access logs; logging it would loop' },
          { id: 'IAC-S3-VERSIONING', reason: 'logs expire after 90 days' },
        ],
      },
    };

    // Act
    const parsed = parseCloudFormationIgnore(metadata, bucket);
    const findings = applySuppressions(
      [
        at('IAC-S3-LOGGING', bucket.file, 14, { kind: 'AWS::S3::Bucket', name: 'AccessLogsBucket' }),
        at('IAC-S3-LOGGING', bucket.file, 40, { kind: 'AWS::S3::Bucket', name: 'DataBucket' }),
        at('IAC-S3-PUBLIC', bucket.file, 14, { kind: 'AWS::S3::Bucket', name: 'AccessLogsBucket' }),
      ],
      parsed,
    );

    // Assess
    expect(parsed.problems).toEqual([]);
    expect(parsed.suppressions.map((s) => [s.ruleIds, s.source, s.resource])).toEqual([
      [['IAC-S3-LOGGING'], 'cloudformation', { kind: 'AWS::S3::Bucket', name: 'AccessLogsBucket' }],
      [['IAC-S3-VERSIONING'], 'cloudformation', { kind: 'AWS::S3::Bucket', name: 'AccessLogsBucket' }],
    ]);
    expect(suppressedIds(findings)).toEqual(['IAC-S3-LOGGING@cdk.out/AppStack.template.json:14']);
  });

  it.each([undefined, null, 'text', {}, { cdk_nag: { rules_to_suppress: [] } }])(
    'metadata %j without an aiops key suppresses nothing and is no problem',
    (metadata) => {
      expect(parseCloudFormationIgnore(metadata, bucket)).toEqual(NONE);
    },
  );

  it('reports malformed entries and keeps the good ones', () => {
    // Act
    const parsed = parseCloudFormationIgnore(
      {
        aiops: {
          ignore: [
            { id: 'IAC-S3-PUBLIC', reason: '' },
            { id: 'IAC-*', reason: 'all of them' },
            'IAC-S3-LOGGING',
            { id: 'IAC-S3-ENCRYPTION', reason: 'SSE-S3 is set by the account default' },
          ],
        },
      },
      bucket,
    );

    // Assess
    expect(parsed.suppressions.map((s) => s.ruleIds)).toEqual([['IAC-S3-ENCRYPTION']]);
    expect(parsed.problems.map((p) => [p.file, p.line, p.message])).toEqual([
      [bucket.file, 14, expect.stringMatching(/ignore\[0\] \(IAC-S3-PUBLIC\) needs .* non-empty reason/)],
      [bucket.file, 14, expect.stringMatching(/ignore\[1\] \(IAC-\*\)/)],
      [bucket.file, 14, expect.stringMatching(/ignore\[2\] \(\?\)/)],
    ]);
  });

  it('an ignore that is not a list is a problem', () => {
    // Act
    const parsed = parseCloudFormationIgnore(
      { aiops: { ignore: { id: 'IAC-S3-PUBLIC', reason: 'x' } } },
      bucket,
    );

    // Assess
    expect(parsed.suppressions).toEqual([]);
    expect(parsed.problems).toEqual([
      { file: bucket.file, line: 14, message: expect.stringMatching(/must be a list/) },
    ]);
  });
});

// --- the JSON input field ---------------------------------------------------

describe('ignoreInputSchema and fromIgnoreInput', () => {
  it('accepts entries with and without a path and trims reasons', () => {
    // Act
    const parsed = ignoreInputSchema.parse([
      { ruleId: 'SQL001', reason: '  export job  ' },
      { ruleId: 'K8S011', path: 'k8s/dev/**', reason: 'dev' },
    ]);

    // Assess
    expect(parsed).toEqual([
      { ruleId: 'SQL001', reason: 'export job' },
      { ruleId: 'K8S011', path: 'k8s/dev/**', reason: 'dev' },
    ]);
    expect(ignoreInputSchema.parse(undefined)).toBeUndefined();
  });

  it.each([
    [{ ruleId: 'SQL001', reason: '   ' }],
    [{ ruleId: 'SQL001' }],
    [{ ruleId: '*', reason: 'all' }],
    [{ ruleId: 'sql001', reason: 'lower case' }],
    [{ ruleId: 'SQL001', path: '', reason: 'empty path' }],
  ])('rejects %j', (entry) => {
    expect(ignoreInputSchema.safeParse([entry]).success).toBe(false);
  });

  it('without a path suppresses the rule everywhere, also findings without a file; with one, only there', () => {
    // Prepare
    const suppressions = fromIgnoreInput([
      { ruleId: 'SQL001', reason: 'exports' },
      { ruleId: 'K8S011', path: 'k8s/dev/**', reason: 'dev' },
    ]);

    // Act
    const findings = applySuppressions(
      [
        at('SQL001', 'db/a.sql', 1),
        at('SQL001', undefined),
        at('K8S011', 'k8s/dev/a.yaml', 2),
        at('K8S011', 'k8s/prod/a.yaml', 2),
        at('K8S011', undefined),
      ],
      { suppressions, problems: [] },
    );

    // Assess
    expect(findings.map((f) => f.suppressed ?? false)).toEqual([true, true, true, false, false]);
    expect(findings[0]?.suppressionSource).toBe('input');
    expect(fromIgnoreInput(undefined)).toEqual([]);
  });
});

describe('#1 crafted path globs', () => {
  const crafted = `${'*a'.repeat(10)}b`;
  const file = `src/${'a'.repeat(40)}.ts`;

  it('#1 matches a crafted ignore[].path and .aiopsignore glob against a long path in linear time', () => {
    // Prepare: a pattern a backtracking matcher (node's path.matchesGlob) takes seconds on, per finding.
    const parsed = mergeSuppressions(
      {
        suppressions: fromIgnoreInput([{ ruleId: 'SQL001', path: crafted, reason: 'crafted' }]),
        problems: [],
      },
      parseAiopsIgnore(`SQL001 src/${crafted} crafted\n`, '.aiopsignore'),
    );
    const findings = [at('SQL001', file, 1), at('SQL001', `src/${'a'.repeat(40)}b`, 2)];

    // Act
    const started = performance.now();
    const result = applySuppressions(findings, parsed);
    const elapsedMs = performance.now() - started;

    // Assess: a generous deadline for a busy machine; the old matcher took tens of seconds.
    expect(elapsedMs).toBeLessThan(2000);
    expect(result.map((f) => f.suppressed ?? false)).toEqual([false, true]);
  });

  it('#1 reports an .aiopsignore glob over the length cap as an AIOPS000 problem and refuses it as input', () => {
    // Prepare
    const long = `src/${'*'.repeat(1200)}.ts`;
    const braces = '{a,b}'.repeat(12);

    // Act
    const parsed = parseAiopsIgnore(`SQL001 ${long} too long\nSQL001 ${braces} too many\n`, '.aiopsignore');

    // Assess
    expect(parsed.suppressions).toEqual([]);
    expect(parsed.problems.map((p) => p.line)).toEqual([1, 2]);
    expect(parsed.problems[0]?.message).toMatch(/longer than/);
    expect(ignoreInputSchema.safeParse([{ ruleId: 'SQL001', path: long, reason: 'x' }]).success).toBe(false);
    const refused = ignoreInputSchema.safeParse([{ ruleId: 'SQL001', path: braces, reason: 'x' }]);
    expect(refused.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['0.path', expect.stringMatching(/expand to more than/)],
    ]);
    expect(() => fromIgnoreInput([{ ruleId: 'SQL001', path: braces, reason: 'x' }])).toThrow(
      expect.objectContaining({
        status: 400,
        errors: [expect.objectContaining({ path: 'input.ignore.0.path' })],
      }),
    );
  });
});

// --- applying ---------------------------------------------------------------

describe('applySuppressions', () => {
  it('inline allows match file and line exactly', () => {
    // Prepare
    const parsed = parseInlineAllows(
      'db/a.sql',
      '-- aiops:allow SQL001,SQL007 export\nSELECT * FROM t OFFSET 100000;',
      ['--'],
    );

    // Act
    const findings = applySuppressions(
      [
        at('SQL001', 'db/a.sql', 2),
        at('SQL007', 'db/a.sql', 2),
        at('SQL001', 'db/a.sql', 3),
        at('SQL001', 'db/b.sql', 2),
        at('SQL002', 'db/a.sql', 2),
      ],
      parsed,
    );

    // Assess
    expect(suppressedIds(findings)).toEqual(['SQL001@db/a.sql:2', 'SQL007@db/a.sql:2']);
  });

  it('keeps order, does not mutate its input, and appends one AIOPS000 finding per problem', () => {
    // Prepare
    const findings = [at('SQL001', 'db/a.sql', 3), at('SQL002', 'db/a.sql', 5)];
    const before = structuredClone(findings);
    const parsed = mergeSuppressions(
      parseInlineAllows(
        'db/a.sql',
        '-- aiops:allow SQL001\n\nSELECT * FROM t;\n-- aiops:allow SQL002 maintenance job\nDELETE FROM t;',
        ['--'],
      ),
      parseAnnotation('K8S004', { kind: 'Deployment', name: 'api' }),
    );

    // Act
    const result = applySuppressions(findings, parsed);

    // Assess
    expect(findings).toEqual(before);
    expect(result.map((f) => [f.ruleId, f.suppressed ?? false])).toEqual([
      ['SQL001', false],
      ['SQL002', true],
      ['AIOPS000', false],
      ['AIOPS000', false],
    ]);
    expect(result[2]).toMatchObject({
      severity: 'low',
      title: SUPPRESSION_RULES.AIOPS000?.title,
      resource: { kind: 'Suppression', name: 'db/a.sql', file: 'db/a.sql', line: 1 },
      message: expect.stringMatching(/SQL001 has no reason/),
    });
    expect(result[3]).toMatchObject({ resource: { kind: 'Suppression', name: 'suppression' } });
    expect(result[3]?.resource).not.toHaveProperty('file');
    for (const finding of result) expect(findingSchema.parse(finding)).toEqual(finding);
  });

  it('the first matching suppression gives the reason; an already suppressed finding is kept as it is', () => {
    // Prepare
    const earlier = { ...at('SQL001', 'db/a.sql', 2), suppressed: true, suppressionReason: 'baseline' };
    const parsed = mergeSuppressions(parseAiopsIgnore('SQL001 db/** first\nSQL001 **/*.sql second'));

    // Act
    const [kept, fresh] = applySuppressions([earlier, at('SQL001', 'db/b.sql', 2)], parsed);

    // Assess
    expect(kept).toBe(earlier);
    expect(fresh?.suppressionReason).toBe('first');
  });

  it('suppressed findings leave the counts', () => {
    // Prepare
    const parsed = parseAiopsIgnore('SEC-JWT docs/** sample tokens');
    const findings = applySuppressions(
      [
        at('SEC-JWT', 'docs/auth.md', 10),
        at('SEC-JWT', 'src/auth.ts', 4),
        at('SEC-GITHUB-TOKEN', 'docs/auth.md', 12),
      ],
      parsed,
    );

    // Act
    const counts = countFindings(findings);

    // Assess
    expect(counts).toEqual({ critical: 0, high: 2, medium: 0, low: 0, info: 0 });
    expect(findings).toHaveLength(3);
  });

  it('a glob suppression never covers a finding without a file', () => {
    // Act
    const [finding] = applySuppressions(
      [at('SQL011', undefined)],
      parseAiopsIgnore('SQL011 ** everything logged'),
    );

    // Assess
    expect(finding?.suppressed).toBeUndefined();
  });
});
