/**
 * cicd-optimizer checks one by one on small pipelines: the GitHub shapes the
 * gallery does not hold (privileged reusable workflows, job-level
 * continue-on-error, containers, Cargo and Go caches, public self-hosted
 * runners, disabled workflow commands), the matrix arithmetic, expression
 * parsing and CircleCI executors.
 */
import { describe, expect, it } from '@jest/globals';
import { normaliseReference, untrustedFields } from '../../../shared/agents/cicd-optimizer/expressions.js';
import { printedSecretVariables } from '../../../shared/agents/cicd-optimizer/gitlab.js';
import { matrixSize } from '../../../shared/agents/cicd-optimizer/matrix.js';
import { acceptsPipelineFile } from '../../../shared/agents/cicd-optimizer/pipelines.js';
import type { CicdOutput } from '../../../shared/agents/cicd-optimizer/schema.js';
import { runAgent } from '../../../shared/agents/registry.js';

const CONTEXT = { traceId: 'cicd-checks', now: new Date('2026-06-01T12:00:00Z') };
const PIN = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';

async function findings(path: string, content: string, extra: Record<string, unknown> = {}) {
  const result = (await runAgent(
    'cicd-optimizer',
    { files: [{ path, content }], ...extra },
    CONTEXT,
  )) as CicdOutput;
  return result.findings.map((f) => `${f.ruleId} ${f.severity} ${f.resource?.line}`);
}

/** A workflow with read permissions and the given triggers and jobs (indented by the caller). */
const workflow = (on: string, jobs: string) => `on: ${on}\npermissions:\n  contents: read\njobs:\n${jobs}`;

describe('cicd-optimizer GitHub checks', () => {
  it.each([
    [
      'secrets: inherit to a reusable workflow under pull_request_target is high',
      workflow(
        'pull_request_target',
        '  notify:\n    uses: acme/ci/.github/workflows/notify.yml@0123456789abcdef0123456789abcdef01234567\n    secrets: inherit\n',
      ),
      {},
      ['CICD006 high 7'],
    ],
    [
      'write-all on a job',
      workflow(
        'push',
        `  release:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    permissions: write-all\n    steps:\n      - uses: ${PIN}\n`,
      ),
      {},
      ['CICD005 high 8'],
    ],
    [
      'continue-on-error on a whole test job',
      workflow(
        'push',
        '  test:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    continue-on-error: true\n    steps:\n      - run: make test\n',
      ),
      {},
      ['CICD012 medium 8'],
    ],
    [
      'a job container on :latest and a Cargo build without a cache',
      workflow(
        'push',
        '  build:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    container: rust:latest\n    steps:\n      - run: cargo build --release\n',
      ),
      {},
      ['CICD020 medium 8', 'CICD008 low 5'],
    ],
    [
      'setup-go with the cache turned off',
      workflow(
        'push',
        '  build:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    steps:\n      - uses: actions/setup-go@0aaccfd150d50ccaeb58ebd88d36e91967a5f35b # v5.4.0\n        with:\n          cache: false\n      - run: go test ./...\n',
      ),
      {},
      ['CICD008 low 9'],
    ],
    [
      'a self-hosted runner of a public repository on pull requests',
      workflow(
        '[pull_request]',
        '  test:\n    runs-on:\n      group: builders\n      labels: [self-hosted, linux]\n    timeout-minutes: 5\n    steps:\n      - run: make\n',
      ),
      { public: true },
      ['CICD011 high 6'],
    ],
    [
      'set-env is disabled: high',
      workflow(
        'push',
        '  test:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    steps:\n      - run: |\n          echo "::set-env name=A::b"\n',
      ),
      {},
      ['CICD014 high 10'],
    ],
    [
      'an injection in bracket syntax inside a function call',
      workflow(
        'issues',
        '  triage:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    steps:\n      - run: echo $' +
          "{{ format('{0}', github.event['issue']['title']) }}\n",
      ),
      {},
      ['CICD003 high 9'],
    ],
    [
      'an unpinned action with no ref at all',
      workflow(
        'push',
        '  test:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    steps:\n      - uses: acme/lint-action\n',
      ),
      {},
      ['CICD001 medium 9'],
    ],
  ])('%s', async (_name, content, extra, expected) => {
    expect(await findings('.github/workflows/w.yml', content, extra)).toEqual(expected);
  });

  it('reports a service container on a moving tag at its image line', async () => {
    const content = workflow(
      'push',
      '  test:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    services:\n      redis:\n        image: redis\n      db:\n        image: postgres:16.4\n    steps:\n      - run: make\n',
    );
    expect(await findings('.github/workflows/w.yml', content)).toEqual(['CICD020 medium 10']);
  });

  it('reads a workflow kept outside .github/workflows by its shape', async () => {
    const content = workflow(
      'push',
      '  test:\n    runs-on: ubuntu-18.04\n    timeout-minutes: 5\n    steps:\n      - run: make\n',
    );
    expect(await findings('ci/workflow.yaml', content)).toEqual(['CICD013 medium 6']);
  });

  it.each([
    [{ repository: { full_name: 'acme/shop', private: false } }, ['CICD011 high 6']],
    [{ repository: { full_name: 'acme/shop', visibility: 'public' } }, ['CICD011 high 6']],
    [{ repository: { full_name: 'acme/shop', private: true, visibility: 'internal' } }, []],
    [{ repository: { full_name: 'acme/shop' } }, []],
  ])('reads whether the repository is public from its metadata %j', async (extra, expected) => {
    const content = workflow(
      'pull_request',
      '  test:\n    runs-on: self-hosted\n    timeout-minutes: 5\n    steps:\n      - run: make\n',
    );
    expect(await findings('.github/workflows/w.yml', content, extra)).toEqual(expected);
  });

  it('does not report self-hosted runners when the repository is not known to be public', async () => {
    const content = workflow(
      'pull_request',
      '  test:\n    runs-on: self-hosted\n    timeout-minutes: 5\n    steps:\n      - run: make\n',
    );
    expect(await findings('.github/workflows/w.yml', content)).toEqual([]);
  });
});

describe('cicd-optimizer other CI systems', () => {
  it('checks CircleCI executors and accepts a restored cache', async () => {
    const content =
      'version: 2.1\nexecutors:\n  node:\n    docker:\n      - image: cimg/node\njobs:\n  test:\n    executor: node\n    steps:\n      - checkout\n      - restore_cache:\n          keys:\n            - deps-{{ checksum "package-lock.json" }}\n      - run:\n          command: npm ci\n';
    expect(await findings('.circleci/config.yml', content)).toEqual(['CICD020 medium 5']);
  });

  it('reads a GitLab pipeline kept under another name by its jobs', async () => {
    const content =
      'default:\n  interruptible: true\nworkflow:\n  rules:\n    - when: always\ntest:\n  image: ruby:3.3\n  script:\n    - printenv | sort\n';
    expect(await findings('ci/pipeline.yml', content)).toEqual(['CICD021 medium 9']);
  });
});

describe('matrixSize', () => {
  it('counts the product less excludes plus includes that add combinations', () => {
    expect(
      matrixSize({
        os: ['ubuntu', 'windows'],
        node: [20, 22],
        exclude: [{ os: 'windows', node: 20 }],
        include: [
          { os: 'ubuntu', experimental: true },
          { os: 'macos', node: 22 },
        ],
      }),
    ).toEqual({
      combinations: 4,
      axes: [
        { name: 'os', values: 2 },
        { name: 'node', values: 2 },
      ],
      excluded: 1,
      included: 1,
    });
  });

  it('counts include-only matrices and leaves expression matrices alone', () => {
    expect(matrixSize({ include: [{ a: 1 }, { a: 2 }] })?.combinations).toBe(2);
    expect(matrixSize({ node: `$${'{{'} fromJSON(needs.plan.outputs.nodes) }}` })).toBeUndefined();
  });

  it('counts a huge product without enumerating it', () => {
    const axis = Array.from({ length: 30 }, (_, i) => i);
    expect(matrixSize({ a: axis, b: axis, c: axis, exclude: [{ a: 1 }] })?.combinations).toBe(26_999);
  });
});

describe('expressions', () => {
  it('normalises bracket and index syntax and finds attacker-controlled fields only', () => {
    expect(normaliseReference("github.event['commits'][0]['message']")).toBe(
      'github.event.commits.*.message',
    );
    expect(untrustedFields('github.event.commits[0].message || github.event.pull_request.number')).toEqual([
      'github.event.commits.*.message',
    ]);
    expect(untrustedFields('github.event.pull_request.head.sha')).toEqual([]);
  });
});

describe('which files a folder walk reads', () => {
  it.each([
    ['.github/workflows/ci.yml', true],
    ['sub/.github/actions/setup/action.yaml', true],
    ['.gitlab-ci.yml', true],
    ['ci/templates.gitlab-ci.yml', true],
    ['.circleci/config.yml', true],
    ['.buildkite/pipeline.yml', true],
    ['ci/pipeline.yml', true],
    ['deploy/release-workflow.yaml', true],
    ['k8s/api-deployment.yaml', false],
    ['docker-compose.yml', false],
    ['reports/junit.xml', true],
    ['pom.xml', false],
    ['runs/jobs-run-5001.json', true],
    ['package.json', false],
  ])('%s: %s', (path, read) => {
    expect(acceptsPipelineFile(path)).toBe(read);
  });
});

describe('printedSecretVariables', () => {
  it.each([
    ['echo "deploying with $DEPLOY_TOKEN"', ['DEPLOY_TOKEN']],
    [`echo "user $CI_REGISTRY_USER, password $${'{'}CI_REGISTRY_PASSWORD}"`, ['CI_REGISTRY_PASSWORD']],
    ['cd app && printf "%s\\n" "$API_KEY"', ['API_KEY']],
    ['echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin', []],
    ['echo "$SSH_PRIVATE_KEY" > ~/.ssh/id_ed25519', []],
    [`echo "token has $${'{'}#DEPLOY_TOKEN} characters"`, []],
    ['curl -H "Authorization: Bearer $API_TOKEN" https://example.com', []],
    ['echo "$AWS_REGION"', []],
  ])('%s', (line, expected) => {
    expect(printedSecretVariables(line)).toEqual(expected);
  });
});

describe('pathological input', () => {
  const N = 100_000;
  it.each([
    [
      'unclosed expressions in a script',
      '.github/workflows/w.yml',
      `on: push\njobs:\n  t:\n    steps:\n      - run: "${'$'.concat('{{ github[').repeat(N / 11)} }}"\n`,
    ],
    [
      'unclosed test cases in a report',
      'reports/0123abc/junit.xml',
      `<testsuite>${'<testcase name="a" x="'.repeat(N / 22)}</testsuite>`,
    ],
    ['a long echo of variables', '.gitlab-ci.yml', `test:\n  script:\n    - "echo ${'$A'.repeat(N / 2)}"\n`],
  ])(
    '%s is answered quickly',
    async (_name, path, content) => {
      const started = Date.now();
      await runAgent('cicd-optimizer', { files: [{ path, content }] }, CONTEXT);
      // Generous: quadratic behaviour would take minutes, not seconds.
      expect(Date.now() - started).toBeLessThan(20_000);
    },
    60_000,
  );
});
