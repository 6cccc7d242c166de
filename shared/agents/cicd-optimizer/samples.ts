/**
 * The pipelines the cicd-optimizer rule samples are made of: one GitHub
 * Actions workflow that no rule reports, one GitLab CI file likewise, and
 * `workflow` / `gitlab`, which change one part of them so a sample shows
 * exactly what its rule is about. The action SHAs are the real commits of
 * actions/checkout v4.2.2 and actions/setup-node v4.4.0.
 */
import type { RuleSample } from '../scan/catalog.js';

/** A GitHub expression as written in a workflow: `${{ body }}`. */
export function expr(body: string): string {
  return `\${{ ${body} }}`;
}

export const CHECKOUT_V4 = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';
export const SETUP_NODE_V4 = 'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0';

/** Line 13 is the checkout step, 14 setup-node, 18 `npm ci`, 19 `npm test`. */
export const GOOD_WORKFLOW = `name: ci
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    timeout-minutes: 15
    steps:
      - uses: ${CHECKOUT_V4}
      - uses: ${SETUP_NODE_V4}
        with:
          node-version: 22
          cache: npm
      - run: npm ci
      - run: npm test
`;

function replaced(text: string, replace: readonly (readonly [string, string])[]): string {
  let out = text;
  for (const [from, to] of replace) {
    if (!out.includes(from)) throw new Error(`sample: no "${from}" in the pipeline`);
    out = out.replace(from, to);
  }
  return out;
}

/** The good workflow with `replace` pairs applied; `line` is where the bad sample's finding points. */
export function workflow(replace: readonly (readonly [string, string])[], line?: number): RuleSample {
  return {
    path: '.github/workflows/ci.yml',
    content: replaced(GOOD_WORKFLOW, replace),
    ...(line === undefined ? {} : { line }),
  };
}

export const GOOD: RuleSample = workflow([]);

/** Line 9 is the test job, 10 its image, 13 its script. */
export const GOOD_GITLAB = `workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
default:
  interruptible: true
stages: [test]
test:
  stage: test
  image: node:22.11-bookworm
  cache:
    paths: [.npm/]
  script:
    - npm ci --cache .npm
    - npm test
`;

export function gitlab(replace: readonly (readonly [string, string])[], line?: number): RuleSample {
  return {
    path: '.gitlab-ci.yml',
    content: replaced(GOOD_GITLAB, replace),
    ...(line === undefined ? {} : { line }),
  };
}

export const GOOD_GITLAB_SAMPLE: RuleSample = gitlab([]);

/** A pull_request_target workflow that builds the pull request's head: lines 12–14 check it out. */
export const PR_TARGET = `name: preview
on: pull_request_target
permissions:
  contents: read
  pull-requests: write
jobs:
  preview:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    steps:
      - uses: ${CHECKOUT_V4}
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm run build
        env:
          DEPLOY_TOKEN: \${{ secrets.PREVIEW_DEPLOY_TOKEN }}
`;
