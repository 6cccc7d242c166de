/**
 * release-manager's rules as one catalog (shared/agents/scan/catalog.ts).
 * Findings point at the input file and line the fact was read from (the
 * numstat or diff line, the canary metric, the freeze window); for input
 * given as fields, at the changed path or metric by name.
 *
 * Score policy `release-risk` (shared/agents/scan/score.ts): `score` is 100 − risk
 * (risk.ts), higher is safer as every agent's score.
 * The findings do not add to the risk; they name what the risk reasons and
 * the canary verdict found, so they can be suppressed, gated on with
 * `--fail-on` and shown in SARIF.
 */
import { defineRules, type RuleSample } from '../scan/catalog.js';

const seq = (from: number, count: number, step = 1) =>
  Array.from({ length: count }, (_, i) => from + i * step);

/** Sample canary samples: 20 latency values around 100 ms. */
const BASELINE = seq(95, 20, 0.5);

function canarySample(canary: readonly number[], baseline: readonly number[] = BASELINE): RuleSample {
  return {
    input: {
      canary: [{ name: 'p99_latency_ms', direction: 'lower is better', baseline, canary }],
    },
  };
}

const NUMSTAT = '12\t3\tsrc/orders/service.ts\n8\t0\ttest/orders/service.test.ts\n';

function releaseFiles(release: object, changes = NUMSTAT): RuleSample {
  return {
    files: [
      { path: 'changes.txt', content: changes },
      { path: 'release.json', content: `${JSON.stringify(release, null, 2)}\n` },
    ],
  };
}

export const RELEASE_RULES = defineRules('release-manager', [
  {
    id: 'REL000',
    severity: 'medium',
    category: 'input',
    title: 'Release input not understood',
    description:
      'A file or part of the input is none of the kinds the agent reads (diff, numstat / stat output, pull ' +
      'requests, canary metrics, incidents, deploys, freeze windows), or does not parse. It was not scored, ' +
      'so the risk and the verdict may be missing what it holds.',
    remediation: 'Give the file in one of the documented forms, or leave it out.',
    samples: {
      bad: [{ path: 'notes.txt', content: 'Deploy the orders service after lunch.\n', line: 1 }],
      good: [{ path: 'changes.txt', content: NUMSTAT }],
    },
  },
  {
    id: 'REL001',
    severity: 'high',
    category: 'release',
    title: 'Deploy planned inside a freeze window',
    description:
      'The planned deploy time falls inside a change freeze (a holiday peak, an audit, a launch). The ' +
      'strategy is hold, whatever the risk.',
    remediation: 'Move the deploy after the window, or get the exception the freeze policy requires.',
    samples: {
      bad: [
        {
          ...releaseFiles({
            plannedAt: '2026-12-23T10:00:00+01:00',
            freezeWindows: [{ name: 'year-end', start: '2026-12-19T00:00:00Z', end: '2027-01-04T00:00:00Z' }],
          }),
          line: 4,
        },
      ],
      good: [
        releaseFiles({
          plannedAt: '2027-01-05T10:00:00+01:00',
          freezeWindows: [{ name: 'year-end', start: '2026-12-19T00:00:00Z', end: '2027-01-04T00:00:00Z' }],
        }),
      ],
    },
  },
  {
    id: 'REL002',
    severity: 'medium',
    category: 'release',
    title: 'Migration without a rollback',
    description:
      'A schema migration ships without its down migration (`.down.sql`, a Flyway `U` file, a `down` / ' +
      '`downgrade` method): if the release is rolled back, the schema stays migrated. Prisma migrations ' +
      'have no down files by design; generate one with `prisma migrate diff`.',
    remediation: 'Add the rollback migration and test it, or document why the change is forward-only.',
    samples: {
      bad: [
        {
          path: 'changes.txt',
          content: '40\t2\tsrc/orders/repository.ts\n14\t0\tdb/migrations/0042_order_status.up.sql\n',
          line: 2,
        },
      ],
      good: [
        {
          path: 'changes.txt',
          content:
            '40\t2\tsrc/orders/repository.ts\n14\t0\tdb/migrations/0042_order_status.up.sql\n3\t0\tdb/migrations/0042_order_status.down.sql\n',
        },
      ],
    },
  },
  {
    id: 'REL003',
    severity: 'high',
    category: 'release',
    title: 'Migration breaks the running version',
    description:
      'The migration drops, renames or retypes a table or column, or makes a column NOT NULL, while the ' +
      'previous version — still serving during the rollout and after a rollback — uses it. Not backward ' +
      'compatible, so neither blue-green nor a canary is safe.',
    remediation:
      'Expand and contract: add the new shape and deploy code that uses both; drop the old one in a later release.',
    samples: {
      bad: [
        {
          path: 'release.diff',
          content:
            'diff --git a/db/migrations/0043_drop_legacy.up.sql b/db/migrations/0043_drop_legacy.up.sql\n' +
            'new file mode 100644\n--- /dev/null\n+++ b/db/migrations/0043_drop_legacy.up.sql\n@@ -0,0 +1,2 @@\n' +
            '+-- the old name is read by nothing since 4.2\n+ALTER TABLE customers DROP COLUMN legacy_name;\n',
          line: 7,
        },
      ],
      good: [
        {
          path: 'release.diff',
          content:
            'diff --git a/db/migrations/0043_add_email.up.sql b/db/migrations/0043_add_email.up.sql\n' +
            'new file mode 100644\n--- /dev/null\n+++ b/db/migrations/0043_add_email.up.sql\n@@ -0,0 +1,1 @@\n' +
            '+ALTER TABLE customers ADD COLUMN email_verified boolean DEFAULT false;\n',
        },
      ],
    },
  },
  {
    id: 'REL004',
    severity: 'high',
    category: 'canary',
    title: 'Canary metric regression',
    description:
      'The canary differs from the baseline in the bad direction: the Mann-Whitney U test rejects "no shift", ' +
      'the Hodges–Lehmann interval excludes zero, and the shift exceeds the tolerance. Critical on a ' +
      'critical metric, which fails the canary on its own.',
    remediation: 'Roll the canary back and compare the two versions on this metric before trying again.',
    samples: {
      bad: [canarySample(seq(110, 20, 0.5))],
      good: [canarySample([...BASELINE].reverse())],
    },
  },
  {
    id: 'REL005',
    severity: 'medium',
    category: 'canary',
    title: 'Canary metric not assessed: too few samples',
    description:
      'A group has fewer samples than `options.minSamples` (default 10), or a value that is not a number. ' +
      'The metric is not assessed, never passed: no data is not good data.',
    remediation: 'Let the canary run longer or query the metric at a finer step, then judge again.',
    samples: {
      bad: [canarySample(seq(95, 5), seq(95, 5))],
      good: [canarySample([...BASELINE].reverse())],
    },
  },
  {
    id: 'REL006',
    severity: 'medium',
    category: 'release',
    title: 'Change touches code of a recent incident or rollback',
    description:
      'A changed file was involved in an incident, or in a deploy that was rolled back, within the lookback ' +
      '(default 90 days); an incident lists files or services, a service matching a path segment.',
    remediation: 'Have someone who worked the incident review the change, and roll it out slowly.',
    samples: {
      bad: [
        {
          ...releaseFiles({
            incidents: [{ id: 'INC-2231', time: '2026-05-20T03:10:00Z', services: ['orders'] }],
          }),
          line: 1,
        },
      ],
      good: [
        releaseFiles({
          incidents: [{ id: 'INC-2231', time: '2026-05-20T03:10:00Z', services: ['payments'] }],
        }),
      ],
    },
  },
  {
    id: 'REL007',
    severity: 'medium',
    category: 'dependencies',
    title: 'Major dependency bump',
    description:
      'A dependency moves to a new major version (below 1.0, a new minor), which SemVer reserves for ' +
      'breaking changes. Read from the version strings in the diff of a manifest or lockfile.',
    remediation: "Read the dependency's migration notes and give the bump its own release if you can.",
    samples: {
      bad: [
        {
          path: 'deps.diff',
          content:
            'diff --git a/package.json b/package.json\n--- a/package.json\n+++ b/package.json\n@@ -10,3 +10,3 @@\n' +
            '   "dependencies": {\n-    "express": "^4.19.2",\n+    "express": "^5.0.1",\n',
          line: 7,
        },
      ],
      good: [
        {
          path: 'deps.diff',
          content:
            'diff --git a/package.json b/package.json\n--- a/package.json\n+++ b/package.json\n@@ -10,3 +10,3 @@\n' +
            '   "dependencies": {\n-    "express": "^4.19.2",\n+    "express": "^4.21.1",\n',
        },
      ],
    },
  },
  {
    id: 'REL008',
    severity: 'low',
    category: 'testing',
    title: 'Source changed without tests',
    description: 'Twenty or more source lines changed and no test file did.',
    remediation: 'Add or update tests for the changed behaviour.',
    samples: {
      bad: [{ path: 'changes.txt', content: '120\t30\tsrc/billing/invoice.ts\n', line: 1 }],
      good: [
        {
          path: 'changes.txt',
          content: '120\t30\tsrc/billing/invoice.ts\n60\t4\tsrc/billing/invoice.test.ts\n',
        },
      ],
    },
  },
  {
    id: 'REL009',
    severity: 'low',
    category: 'release',
    title: 'Deploy planned off hours',
    description:
      'The planned time is on a weekend, on a Friday from 15:00, or outside 09:00–17:00 in the time zone it ' +
      'was written in: fewer people are around to notice a problem and roll back.',
    remediation: 'Deploy on a working day, in working hours.',
    samples: {
      bad: [{ ...releaseFiles({ plannedAt: '2026-06-06T22:30:00+02:00' }), line: 2 }],
      good: [releaseFiles({ plannedAt: '2026-06-02T10:30:00+02:00' })],
    },
  },
  {
    id: 'REL010',
    severity: 'low',
    category: 'release',
    title: "Author's recent deploys often rolled back",
    description:
      "30 % or more of the author's deploys in the lookback (at least 3) were rolled back: a signal about " +
      'the context of the change (an unstable area, missing staging coverage), not a judgement of a person.',
    remediation: 'Pair on the review and the rollout; look at what the rolled-back deploys had in common.',
    samples: {
      bad: [
        {
          ...releaseFiles({
            author: 'dana',
            deploys: [
              { time: '2026-05-04T10:00:00Z', outcome: 'success', author: 'dana' },
              { time: '2026-05-11T10:00:00Z', outcome: 'rollback', author: 'dana' },
              { time: '2026-05-18T10:00:00Z', outcome: 'success', author: 'dana' },
              { time: '2026-05-25T10:00:00Z', outcome: 'rollback', author: 'dana' },
            ],
          }),
          line: 9,
        },
      ],
      good: [
        releaseFiles({
          author: 'dana',
          deploys: [
            { time: '2026-05-04T10:00:00Z', outcome: 'success', author: 'dana' },
            { time: '2026-05-11T10:00:00Z', outcome: 'success', author: 'dana' },
            { time: '2026-05-18T10:00:00Z', outcome: 'rollback', author: 'sam' },
          ],
        }),
      ],
    },
  },
  {
    id: 'REL011',
    severity: 'low',
    category: 'canary',
    title: 'Canary metric changed shape',
    description:
      'The Kolmogorov–Smirnov test finds the canary distributed differently from the baseline while the ' +
      'Mann-Whitney test finds no shift: a wider spread or a new tail with the same middle. The metric ' +
      'passes; look at its high percentiles.',
    remediation: 'Compare the percentiles of the two groups before promoting the canary.',
    samples: {
      bad: [
        {
          ...canarySample([...seq(60, 15), ...seq(140, 15)], seq(95, 30, 0.3)),
          why: 'Half the canary requests fast, half slow: the same median, two modes.',
        },
      ],
      good: [canarySample([...BASELINE].reverse())],
    },
  },
]);

export type ReleaseRuleId = (typeof RELEASE_RULES.rules)[number]['id'];
