/**
 * The cicd-optimizer rules as one catalog (shared/agents/scan/catalog.ts):
 * adding a check is adding a row here, with a pipeline it must report and one
 * it must not (./samples.ts), and a function in github.ts, gitlab.ts or
 * runs.ts. Severities: high where an outsider gets code execution or a
 * secret (injection, untrusted checkout under a privileged trigger, a public
 * repository's self-hosted runner), medium for supply-chain and correctness
 * risks that need another mistake to bite, low and info for speed and cost.
 * The ideas follow GitHub's security hardening guide and the public check
 * lists of actionlint and zizmor; the code and prose are ours.
 */
import { defineRules } from '../scan/catalog.js';
import {
  CHECKOUT_V4,
  expr,
  GOOD,
  GOOD_GITLAB_SAMPLE,
  GOOD_WORKFLOW,
  gitlab,
  PR_TARGET,
  SETUP_NODE_V4,
  workflow,
} from './samples.js';

export type CicdCategory = 'security' | 'reliability' | 'efficiency' | 'correctness';

/** Matrix combinations above which one workflow run is reported as a matrix explosion. */
export const DEFAULT_MATRIX_LIMIT = 20;
/** A critical path at least this long is reported (CICD030). */
export const DEFAULT_SLOW_PIPELINE_MINUTES = 15;
/** A step at least this long is one of the slow steps reported (CICD031). */
export const DEFAULT_SLOW_STEP_MINUTES = 5;

const JOB_RUN = (name: string, sha: string, conclusion: string, start: string, end: string) => ({
  name,
  head_sha: sha,
  run_id: 1,
  status: 'completed',
  conclusion,
  started_at: start,
  completed_at: end,
  steps: [{ name: 'Run npm test', number: 3, conclusion, started_at: start, completed_at: end }],
});

const TWO_JOB_WORKFLOW = GOOD_WORKFLOW.replace(
  '      - run: npm test\n',
  '      - run: npm test\n  deploy:\n    needs: test\n    runs-on: ubuntu-24.04\n    timeout-minutes: 30\n    environment: production\n    steps:\n      - run: ./deploy.sh\n',
);

const junit = (result: 'pass' | 'fail') =>
  `<testsuite name="cart" tests="1"><testcase classname="cart.spec" name="adds an item" time="0.2">${
    result === 'fail' ? '<failure message="expected 2 got 1"/>' : ''
  }</testcase></testsuite>`;

const FAILING_LOG =
  'npm ci\nadded 812 packages in 14s\nnpm test\nError: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect\nTests: 1 failed, 41 passed';
const PASSING_LOG = 'npm ci\nadded 812 packages in 12s\nnpm test\nTests: 42 passed';

export const CICD_RULES = defineRules('cicd-optimizer', [
  {
    id: 'CICD000',
    severity: 'medium',
    category: 'correctness',
    title: 'Pipeline file does not parse',
    description:
      'The file (or one document in it) is not valid YAML, a JSON file is not valid JSON, or a test report is ' +
      'not valid JUnit XML: the CI system would reject it, and nothing in it was checked.',
    remediation: 'Fix the syntax at the reported line (a YAML linter or `actionlint` shows it too).',
    samples: {
      bad: [{ path: '.github/workflows/ci.yml', content: 'on: push\njobs:\n  test: [\n', line: 4 }],
      good: [GOOD],
    },
  },
  {
    id: 'CICD001',
    severity: 'medium',
    category: 'security',
    title: 'Action not pinned to a commit SHA',
    description:
      'A tag or branch (`@v4`, `@main`) can be moved by whoever controls the action, so the next run executes ' +
      'code nobody reviewed, with the job’s token and secrets (the tj-actions/changed-files compromise of 2025 ' +
      'rewrote every tag). Only a full 40-character commit SHA is immutable. Local actions (`./…`) and Docker ' +
      'images pinned by digest (`docker://…@sha256:…`) are fine; actions owned by GitHub (`actions/*`, ' +
      '`github/*`) are reported as low.',
    remediation:
      'Pin to the full commit SHA with the version in a comment (`uses: owner/action@<sha> # v4.2.2`) and let ' +
      'Dependabot or Renovate update both.',
    docs: 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions',
    references: ['zizmor unpinned-uses'],
    cwe: ['CWE-829'],
    samples: {
      bad: [
        workflow([[CHECKOUT_V4, 'actions/checkout@v4']], 13),
        workflow([[SETUP_NODE_V4, 'acme/setup-node@main']], 14),
      ],
      good: [GOOD, workflow([[CHECKOUT_V4, './.github/actions/checkout']])],
    },
  },
  {
    id: 'CICD002',
    severity: 'high',
    category: 'security',
    title: 'Privileged trigger checks out untrusted code',
    description:
      '`pull_request_target` and `workflow_run` run in the context of the base repository — with its secrets ' +
      'and a token that can write — even for a pull request from a fork. Checking out the pull request’s head ' +
      `(\`ref: ${expr('github.event.pull_request.head.sha')}\`, \`github.head_ref\`, the workflow_run head) and then ` +
      'building or testing it runs the fork author’s code with those privileges ("pwn request").',
    remediation:
      'Build untrusted code under `pull_request` (no secrets, read-only token); if a privileged step is needed, ' +
      'split it into a `workflow_run` workflow that only consumes artifacts as data and never executes them.',
    docs: 'https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/',
    references: ['zizmor dangerous-triggers', 'CodeQL actions/untrusted-checkout'],
    cwe: ['CWE-829'],
    samples: {
      bad: [{ path: '.github/workflows/preview.yml', content: PR_TARGET, line: 13 }],
      good: [
        {
          path: '.github/workflows/preview.yml',
          content: PR_TARGET.replace(
            `        with:\n          ref: ${expr('github.event.pull_request.head.sha')}\n`,
            '',
          ),
          why: 'pull_request_target that checks out the base branch only',
        },
      ],
    },
  },
  {
    id: 'CICD003',
    severity: 'high',
    category: 'security',
    title: 'Script injection from an attacker-controlled expression',
    description:
      `An expression such as \`${expr('github.event.issue.title')}\` or \`${expr('github.head_ref')}\` is pasted into the ` +
      '`run:` script (or an actions/github-script `script:`) as text before the shell reads it, so whoever writes ' +
      'the title, body, comment, branch name or commit message writes shell code that runs with the job’s token ' +
      'and secrets.',
    remediation:
      'Pass the value through an environment variable and quote it in the script: ' +
      `\`env: { TITLE: ${expr('github.event.issue.title')} }\` then \`run: echo "$TITLE"\`.`,
    docs: 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections',
    references: ['zizmor template-injection', 'actionlint expression (untrusted input)'],
    cwe: ['CWE-94', 'CWE-78'],
    precision: 'very-high',
    samples: {
      bad: [
        workflow(
          [
            [
              '      - run: npm test\n',
              `      - run: npm test\n      - run: |\n          echo "testing ${expr('github.head_ref')}"\n`,
            ],
          ],
          21,
        ),
      ],
      good: [
        GOOD,
        workflow([
          [
            '      - run: npm test\n',
            `      - run: echo "testing $HEAD_REF"\n        env:\n          HEAD_REF: ${expr('github.head_ref')}\n`,
          ],
        ]),
      ],
    },
  },
  {
    id: 'CICD004',
    severity: 'medium',
    category: 'security',
    title: 'GITHUB_TOKEN permissions not set',
    description:
      'Neither the workflow nor the job sets `permissions`, so the token gets the repository’s default, which is ' +
      'read-write on every scope for repositories created before February 2023 and for many organisations: a ' +
      'compromised step can push code, publish releases or approve pull requests.',
    remediation:
      'Set `permissions: { contents: read }` at the top of the workflow and grant writes per job, only where ' +
      'needed.',
    docs: 'https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token',
    references: ['zizmor excessive-permissions'],
    cwe: ['CWE-250'],
    samples: {
      bad: [workflow([['permissions:\n  contents: read\n', '']], 6)],
      good: [GOOD],
    },
  },
  {
    id: 'CICD005',
    severity: 'medium',
    category: 'security',
    title: 'Broad GITHUB_TOKEN write permissions',
    description:
      '`permissions: write-all` (high) gives every step a token that can change code, releases, packages and ' +
      'settings; write scopes at the workflow level give them to every job, including the ones that only test.',
    remediation: 'Grant `read` at the workflow level and the one write scope a job needs on that job alone.',
    docs: 'https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token',
    references: ['zizmor excessive-permissions'],
    cwe: ['CWE-250'],
    samples: {
      bad: [
        workflow([['permissions:\n  contents: read\n', 'permissions: write-all\n']], 6),
        {
          path: '.github/workflows/ci.yml',
          content: TWO_JOB_WORKFLOW.replace('  contents: read\n', '  contents: write\n'),
          line: 7,
        },
      ],
      good: [
        GOOD,
        workflow([
          ['    timeout-minutes: 15\n', '    timeout-minutes: 15\n    permissions:\n      contents: write\n'],
        ]),
      ],
    },
  },
  {
    id: 'CICD006',
    severity: 'high',
    category: 'security',
    title: 'Secrets exposed to untrusted code',
    description:
      'A job that runs a fork’s code under `pull_request_target` or `workflow_run` also reads repository ' +
      'secrets: the fork author can print or send them anywhere. `secrets: inherit` to a reusable workflow of ' +
      'another repository hands it every secret, not the ones it needs (medium; high under a privileged trigger).',
    remediation:
      'Keep secrets out of jobs that execute pull request code; pass a reusable workflow only the secrets it ' +
      `declares (\`secrets: { token: ${expr('secrets.X')} }\`).`,
    references: ['zizmor secrets-inherit', 'zizmor overprovisioned-secrets'],
    cwe: ['CWE-200'],
    samples: {
      bad: [{ path: '.github/workflows/preview.yml', content: PR_TARGET, line: 16 }],
      good: [
        {
          path: '.github/workflows/preview.yml',
          content: PR_TARGET.replace(
            `        env:\n          DEPLOY_TOKEN: ${expr('secrets.PREVIEW_DEPLOY_TOKEN')}\n`,
            '',
          ),
        },
      ],
    },
  },
  {
    id: 'CICD007',
    severity: 'low',
    category: 'efficiency',
    title: 'Job without a timeout',
    description:
      'A job without `timeout-minutes` (Buildkite: `timeout_in_minutes`) that hangs — a test waiting on a ' +
      'socket, a prompt — holds its runner for GitHub’s default of 360 minutes, blocks the merge queue and is ' +
      'billed the whole time.',
    remediation: 'Set `timeout-minutes` to a few times the job’s usual duration.',
    samples: {
      bad: [workflow([['    timeout-minutes: 15\n', '']], 9)],
      good: [GOOD],
    },
  },
  {
    id: 'CICD008',
    severity: 'low',
    category: 'efficiency',
    title: 'Dependencies installed without a cache',
    description:
      'The job installs dependencies (`npm ci`, `pip install`, Maven, Gradle, Go modules, Cargo) and caches ' +
      'nothing, so every run downloads them again: minutes per run and a dependency on the registry being up.',
    remediation:
      'Turn on the setup action’s cache (`cache: npm|pip|maven|gradle`), or add actions/cache (Rust: ' +
      'Swatinem/rust-cache); in GitLab CI add `cache:` with a key on the lockfile.',
    samples: {
      bad: [
        workflow([['          cache: npm\n', '']], 14),
        gitlab([['  cache:\n    paths: [.npm/]\n', '']], 8),
      ],
      good: [GOOD, GOOD_GITLAB_SAMPLE],
    },
  },
  {
    id: 'CICD009',
    severity: 'low',
    category: 'efficiency',
    title: 'Jobs serialised without a data dependency',
    description:
      'A job `needs` another but uses none of its outputs, result or artifacts, so it waits for nothing it ' +
      'uses: the pipeline’s critical path is longer than it has to be. Gates are left alone: a job with an ' +
      '`environment` or named deploy/release/publish waits on purpose.',
    remediation: 'Drop the `needs` (or turn the two jobs into steps of one) so the jobs run in parallel.',
    samples: {
      bad: [
        workflow(
          [
            [
              '      - run: npm test\n',
              '      - run: npm test\n  lint:\n    needs: test\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    steps:\n      - run: npx biome ci .\n',
            ],
          ],
          21,
        ),
      ],
      good: [{ path: '.github/workflows/ci.yml', content: TWO_JOB_WORKFLOW }],
    },
  },
  {
    id: 'CICD010',
    severity: 'medium',
    category: 'efficiency',
    title: 'Matrix explosion',
    description:
      'The product of the matrix axes (less `exclude`, plus the combinations `include` adds) is above the ' +
      'bound (default 20): every push starts that many jobs, queues behind the concurrency limit and bills ' +
      'each one.',
    remediation:
      'Test the full matrix on a schedule and a representative subset (oldest and newest versions, one per OS) ' +
      'on pull requests; use `include` for the few extra combinations.',
    samples: {
      bad: [
        workflow(
          [
            [
              '    timeout-minutes: 15\n',
              '    timeout-minutes: 15\n    strategy:\n      matrix:\n        os: [ubuntu-24.04, windows-2022, macos-14]\n        node: [18, 20, 22, 24]\n        db: [pg14, pg15, pg16]\n',
            ],
          ],
          13,
        ),
      ],
      good: [
        GOOD,
        workflow([
          [
            '    timeout-minutes: 15\n',
            '    timeout-minutes: 15\n    strategy:\n      matrix:\n        node: [20, 22, 24]\n',
          ],
        ]),
      ],
    },
  },
  {
    id: 'CICD011',
    severity: 'high',
    category: 'security',
    title: 'Self-hosted runner on a public repository’s pull requests',
    description:
      'On a public repository anyone can open a pull request, and a job on a self-hosted runner runs it on your ' +
      'machine, which keeps state between jobs and usually sits inside your network. Reported when the input ' +
      'says the repository is public (`public: true`, or `repository` metadata with `private: false`).',
    remediation:
      'Use GitHub-hosted runners for pull request workflows, or ephemeral, isolated self-hosted runners with ' +
      '"require approval for all outside collaborators".',
    docs: 'https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/about-self-hosted-runners#self-hosted-runner-security',
    references: ['zizmor self-hosted-runner'],
    samples: {
      bad: [
        {
          input: {
            public: true,
            files: [
              {
                path: '.github/workflows/ci.yml',
                content: GOOD_WORKFLOW.replace('ubuntu-24.04', '[self-hosted, linux]'),
              },
            ],
          },
          line: 10,
        },
      ],
      good: [
        {
          input: {
            public: false,
            files: [
              {
                path: '.github/workflows/ci.yml',
                content: GOOD_WORKFLOW.replace('ubuntu-24.04', '[self-hosted, linux]'),
              },
            ],
          },
        },
      ],
    },
  },
  {
    id: 'CICD012',
    severity: 'medium',
    category: 'reliability',
    title: 'continue-on-error hides test or lint failures',
    description:
      '`continue-on-error: true` on a step or job that tests, lints or type-checks turns its failure into a green ' +
      'check: the pipeline passes with broken code and nobody looks.',
    remediation:
      'Remove it; quarantine a flaky test by name instead, or make the job non-required with a tracked issue.',
    samples: {
      bad: [
        workflow(
          [['      - run: npm test\n', '      - run: npm test\n        continue-on-error: true\n']],
          20,
        ),
      ],
      good: [
        GOOD,
        workflow([
          [
            '      - run: npm test\n',
            '      - run: npm test\n      - run: npx coverage-badge\n        continue-on-error: true\n',
          ],
        ]),
      ],
    },
  },
  {
    id: 'CICD013',
    severity: 'medium',
    category: 'reliability',
    title: 'Deprecated action, runner image or action runtime',
    description:
      'Old majors of the official actions run on Node 12 or 16, which GitHub removed from runners, or talk to ' +
      'retired services (actions/cache before v4, upload-artifact v3 and older fail outright); the ubuntu-18.04 ' +
      'and ubuntu-20.04, windows-2019 and macos-12/13 images are retired, so jobs on them never start; an ' +
      'action.yml with `using: node12|node16` breaks the same way.',
    remediation:
      'Move to the current major (`actions/checkout@v4`, pinned by SHA), `ubuntu-24.04`, `using: node20`.',
    docs: 'https://github.blog/changelog/2024-09-25-end-of-life-for-actions-node16/',
    references: ['actionlint action (outdated popular action)', 'zizmor stale-action-refs'],
    samples: {
      bad: [
        workflow([[CHECKOUT_V4, 'actions/checkout@ee0669bd1cc54295c223e0bb666b733df41de1c5 # v2.7.0']], 13),
        workflow([['ubuntu-24.04', 'ubuntu-20.04']], 10),
        {
          path: 'action.yml',
          content: 'name: greet\ndescription: say hello\nruns:\n  using: node16\n  main: index.js\n',
          line: 4,
        },
      ],
      good: [
        GOOD,
        {
          path: 'action.yml',
          content: 'name: greet\ndescription: say hello\nruns:\n  using: node20\n  main: index.js\n',
        },
      ],
    },
  },
  {
    id: 'CICD014',
    severity: 'medium',
    category: 'correctness',
    title: 'Deprecated workflow command',
    description:
      '`::set-output` and `::save-state` are deprecated (GitHub warns and will fail them), and `::set-env` and ' +
      '`::add-path` are disabled because any text a step prints could set variables for the next step.',
    remediation:
      'Append to the files instead: `echo "name=value" >> "$GITHUB_OUTPUT"` (GITHUB_STATE, GITHUB_ENV, GITHUB_PATH).',
    docs: 'https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/',
    references: ['actionlint deprecated-commands'],
    samples: {
      bad: [
        workflow(
          [
            [
              '      - run: npm test\n',
              '      - run: npm test\n      - id: version\n        run: echo "::set-output name=v::$(node -p 1)"\n',
            ],
          ],
          21,
        ),
      ],
      good: [
        GOOD,
        workflow([
          [
            '      - run: npm test\n',
            '      - run: npm test\n      - id: version\n        run: echo "v=$(node -p 1)" >> "$GITHUB_OUTPUT"\n',
          ],
        ]),
      ],
    },
  },
  {
    id: 'CICD020',
    severity: 'medium',
    category: 'reliability',
    title: 'Container image :latest or untagged',
    description:
      'A job image (GitLab `image:`/`services:`, CircleCI `docker:`, a GitHub job `container:`) without a tag or ' +
      'on `:latest` changes under the pipeline: the same commit builds differently from one day to the next and ' +
      'a broken upstream push breaks every pipeline at once.',
    remediation:
      'Pin a version tag (`node:22.11-bookworm`) or, better, a digest (`@sha256:…`), updated by Renovate.',
    references: ['zizmor unpinned-images'],
    samples: {
      bad: [
        gitlab([['node:22.11-bookworm', 'node:latest']], 10),
        gitlab([['node:22.11-bookworm', 'node']], 10),
      ],
      good: [
        GOOD_GITLAB_SAMPLE,
        gitlab([['node:22.11-bookworm', '$CI_REGISTRY_IMAGE/build:$CI_COMMIT_SHA']]),
      ],
    },
  },
  {
    id: 'CICD021',
    severity: 'high',
    category: 'security',
    title: 'Secret variable printed to the job log',
    description:
      'A script echoes a variable whose name says it is a secret (TOKEN, PASSWORD, SECRET, API_KEY…), or dumps ' +
      'the whole environment (`env`, `printenv`, `set`): unless the variable is masked and protected, its value ' +
      'lands in a log that everyone with read access — on a public project, everyone — can read.',
    remediation:
      'Do not print secrets; mark the CI/CD variable masked and protected, and print the length (`$' +
      '{#VAR}`) if a check is needed.',
    cwe: ['CWE-532'],
    samples: {
      bad: [
        gitlab([['    - npm test\n', '    - npm test\n    - echo "deploying with $DEPLOY_TOKEN"\n']], 16),
      ],
      good: [
        GOOD_GITLAB_SAMPLE,
        gitlab([
          ['    - npm test\n', '    - npm test\n    - echo "token is $' + '{#DEPLOY_TOKEN} characters"\n'],
        ]),
      ],
    },
  },
  {
    id: 'CICD022',
    severity: 'low',
    category: 'efficiency',
    title: 'GitLab jobs not interruptible',
    description:
      'No job is `interruptible` (and no `default: interruptible: true`), so with "auto-cancel redundant ' +
      'pipelines" a new push cannot stop the pipeline of the commit it replaced: runners keep testing stale code.',
    remediation: 'Set `default: { interruptible: true }` and `interruptible: false` on the deploy jobs only.',
    docs: 'https://docs.gitlab.com/ci/yaml/#interruptible',
    samples: {
      bad: [gitlab([['default:\n  interruptible: true\n', '']], 1)],
      good: [GOOD_GITLAB_SAMPLE],
    },
  },
  {
    id: 'CICD023',
    severity: 'low',
    category: 'efficiency',
    title: 'GitLab pipeline without rules',
    description:
      'Neither `workflow: rules` nor the jobs’ `rules`/`only` say when the pipeline runs, so it runs on every push ' +
      'to every branch and tag, and a branch with an open merge request can get two pipelines per push.',
    remediation:
      'Add `workflow: rules` for merge requests and the default branch (the `MergeRequest-Pipelines` or ' +
      '`Branch-Pipelines` template).',
    docs: 'https://docs.gitlab.com/ci/yaml/workflow/',
    samples: {
      bad: [
        gitlab(
          [
            [
              'workflow:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n',
              '',
            ],
          ],
          1,
        ),
      ],
      good: [GOOD_GITLAB_SAMPLE],
    },
  },
  {
    id: 'CICD030',
    severity: 'low',
    category: 'efficiency',
    title: 'Slow critical path',
    description:
      'The longest chain of jobs through the run’s dependency graph (`needs`), with the durations the run ' +
      'recorded, takes at least the bound (default 15 minutes): that is how long a developer waits for the ' +
      'result, however many runners there are. The result’s `timings` lists the path and every job.',
    remediation:
      'Shorten the jobs on the path (cache, split tests across a matrix, run lint beside tests rather than ' +
      'before them) or take jobs off it by dropping needs without a data dependency (CICD009).',
    samples: {
      bad: [
        {
          input: {
            files: [{ path: '.github/workflows/ci.yml', content: TWO_JOB_WORKFLOW }],
            runs: {
              jobs: [
                JOB_RUN('test', 'a1b2c3d', 'success', '2026-05-01T10:00:00Z', '2026-05-01T10:12:00Z'),
                JOB_RUN('deploy', 'a1b2c3d', 'success', '2026-05-01T10:12:30Z', '2026-05-01T10:20:00Z'),
              ],
            },
          },
          line: 9,
        },
      ],
      good: [
        {
          input: {
            files: [{ path: '.github/workflows/ci.yml', content: TWO_JOB_WORKFLOW }],
            runs: {
              jobs: [
                JOB_RUN('test', 'a1b2c3d', 'success', '2026-05-01T10:00:00Z', '2026-05-01T10:04:00Z'),
                JOB_RUN('deploy', 'a1b2c3d', 'success', '2026-05-01T10:04:30Z', '2026-05-01T10:06:00Z'),
              ],
            },
          },
        },
      ],
    },
  },
  {
    id: 'CICD031',
    severity: 'info',
    category: 'efficiency',
    title: 'Slow step',
    description:
      'One of the five slowest steps across the runs given (median duration), when it takes at least the bound ' +
      '(default 5 minutes): where a cache, a split or a faster tool saves the most time.',
    remediation:
      'Look at what the step spends its time on; cache its inputs or split it across parallel jobs.',
    samples: {
      bad: [
        {
          input: {
            runs: {
              jobs: [JOB_RUN('test', 'a1b2c3d', 'success', '2026-05-01T10:00:00Z', '2026-05-01T10:09:00Z')],
            },
          },
        },
      ],
      good: [
        {
          input: {
            runs: {
              jobs: [JOB_RUN('test', 'a1b2c3d', 'success', '2026-05-01T10:00:00Z', '2026-05-01T10:02:00Z')],
            },
          },
        },
      ],
    },
  },
  {
    id: 'CICD032',
    severity: 'medium',
    category: 'reliability',
    title: 'Flaky test',
    description:
      'The same test passed and failed on the same commit across runs (JUnit reports): the failure says nothing ' +
      'about the change, and people learn to rerun until green.',
    remediation: 'Quarantine the test and fix its dependence on time, order, shared state or the network.',
    samples: {
      bad: [
        {
          input: {
            testReports: [
              { sha: 'a1b2c3d', xml: junit('pass') },
              { sha: 'a1b2c3d', xml: junit('fail') },
            ],
          },
        },
      ],
      good: [
        {
          input: {
            testReports: [
              { sha: 'a1b2c3d', xml: junit('pass') },
              { sha: 'e4f5a6b', xml: junit('fail') },
            ],
          },
        },
      ],
    },
  },
  {
    id: 'CICD033',
    severity: 'medium',
    category: 'reliability',
    title: 'Flaky job',
    description:
      'The same job passed and failed on the same commit across runs or attempts (jobs JSON): a rerun made it ' +
      'green, so the failure was not the code’s.',
    remediation:
      'Find the failing step in the failed attempt’s log (CICD034 ranks candidates) and fix or quarantine it.',
    samples: {
      bad: [
        {
          input: {
            runs: [
              {
                jobs: [JOB_RUN('test', 'a1b2c3d', 'failure', '2026-05-01T10:00:00Z', '2026-05-01T10:03:00Z')],
              },
              {
                jobs: [JOB_RUN('test', 'a1b2c3d', 'success', '2026-05-01T10:10:00Z', '2026-05-01T10:13:00Z')],
              },
            ],
          },
        },
      ],
      good: [
        {
          input: {
            runs: [
              {
                jobs: [JOB_RUN('test', 'a1b2c3d', 'failure', '2026-05-01T10:00:00Z', '2026-05-01T10:03:00Z')],
              },
              {
                jobs: [JOB_RUN('test', 'e4f5a6b', 'success', '2026-05-01T10:10:00Z', '2026-05-01T10:13:00Z')],
              },
            ],
          },
        },
      ],
    },
  },
  {
    id: 'CICD034',
    severity: 'medium',
    category: 'reliability',
    title: 'Failure root-cause candidate',
    description:
      'Log lines of a failing run, grouped into templates by the log miner, that never appear in the passing ' +
      'runs of the same job, ranked by error words and how early they appear: the first place to look.',
    remediation:
      'Read the failing log around the candidate line; fix its cause or the test that depends on it.',
    precision: 'medium',
    samples: {
      bad: [
        {
          input: {
            logs: [
              { job: 'test', conclusion: 'success', text: PASSING_LOG },
              { job: 'test', conclusion: 'failure', text: FAILING_LOG },
            ],
          },
        },
      ],
      good: [{ input: { logs: [{ job: 'test', conclusion: 'success', text: PASSING_LOG }] } }],
    },
  },
]);

export type CicdRuleId = (typeof CICD_RULES.rules)[number]['id'];
