/**
 * release-manager on input given as fields and on each file form it reads:
 * the strategy choices, the change-set formats, the canary judge's classes
 * and the input it refuses or reports.
 */
import { describe, expect, it } from '@jest/globals';
import { runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { parseChangeText } from '../../../shared/agents/release-manager/changes.js';
import { bumpKind } from '../../../shared/agents/release-manager/dependencies.js';
import agent from '../../../shared/agents/release-manager/index.js';
import type { ReleaseOutput } from '../../../shared/agents/release-manager/schema.js';
import { bakeMinutes } from '../../../shared/agents/release-manager/strategy.js';
import { AgentValidationError } from '../../../shared/core/errors.js';

const NOW = new Date('2026-06-02T10:00:00Z'); // a Tuesday, working hours

async function run(input: unknown): Promise<ReleaseOutput> {
  return (await runAgent('release-manager', input, { traceId: 'release-inputs', now: NOW })) as ReleaseOutput;
}

const runFiles = (files: { path: string; content: string }[]) => run(agent.fromFiles?.(files));

const open = (result: ReleaseOutput) =>
  result.findings.filter((f) => !f.suppressed).map((f) => [f.ruleId, f.resource?.file, f.resource?.line]);

/** n values from `start` by `step`, shuffled by a fixed stride so no two runs differ. */
const values = (n: number, start: number, step: number) =>
  Array.from({ length: n }, (_, i) => start + ((i * 7) % n) * step);

describe('strategy', () => {
  it('recommends blue-green for a backward-compatible migration with its rollback', async () => {
    // Act
    const result = await run({
      changes:
        '30\t2\tsrc/orders/repository.ts\n12\t0\tsrc/orders/repository.test.ts\n' +
        '6\t0\tdb/migrations/0042_order_notes.up.sql\n2\t0\tdb/migrations/0042_order_notes.down.sql\n',
    });

    // Assess
    expect(open(result)).toEqual([]);
    expect(result.strategy.kind).toBe('blue-green');
    expect(result.strategy.steps).toEqual([{ percent: 100, bakeMinutes: bakeMinutes(result.risk.score) }]);
    expect(result.risk.reasons.find((r) => r.factor === 'migrations')).toMatchObject({
      points: 10,
      evidence: ['db/migrations/0042_order_notes.up.sql'],
    });
    expect(result.decision).toBe('go');
  });

  it('recommends a feature flag for a large behaviour change, and adds a 50 % step when risk is high', async () => {
    // Act
    const large = await run({
      changes: '620\t80\tsrc/pricing/engine.ts\n300\t0\tsrc/pricing/engine.test.ts\n',
    });
    const labelled = await run({
      pullRequests: [
        {
          number: 7,
          labels: ['feature'],
          files: [
            { path: 'src/a.ts', additions: 5, deletions: 1 },
            { path: 'src/a.test.ts', additions: 5, deletions: 0 },
          ],
        },
      ],
    });
    const risky = await run({
      changes: '620\t80\tsrc/pricing/engine.ts\n14\t0\tk8s/pricing.yaml\n3\t1\tconfig/pricing.yaml\n',
      plannedAt: '2026-06-06T23:00:00Z',
      incidents: [{ id: 'INC-1', time: '2026-05-01T00:00:00Z', files: ['src/pricing/'] }],
    });

    // Assess
    expect(large.strategy.kind).toBe('feature-flag');
    expect(large.strategy.reasons[0]).toContain('700 source lines');
    expect(labelled.strategy).toMatchObject({ kind: 'feature-flag' });
    expect(labelled.strategy.reasons[0]).toContain('labelled feature');
    expect(risky.risk.score).toBeGreaterThanOrEqual(50);
    expect(risky.risk.score).toBeLessThan(75);
    expect(risky.strategy.steps.map((s) => s.percent)).toEqual([1, 5, 25, 50, 100]);
    expect(risky.strategy.steps[0]?.bakeMinutes).toBeGreaterThan(large.strategy.steps[0]?.bakeMinutes ?? 0);
  });

  it('scales bake time with risk, in steps of 5 minutes', () => {
    expect([0, 12, 25, 50, 74, 100].map(bakeMinutes)).toEqual([10, 15, 20, 30, 40, 50]);
  });

  it('holds a high-risk release touching code of an incident from the last 7 days', async () => {
    // Act
    const result = await run({
      changes: '900\t300\tsrc/payments/ledger.ts\n40\t0\tterraform/payments.tf\n',
      plannedAt: '2026-06-02T20:00:00Z',
      incidents: [
        {
          id: 'INC-9',
          time: '2026-05-30T08:00:00Z',
          services: ['payments'],
          files: ['terraform/payments.tf'],
        },
      ],
    });

    // Assess
    expect(result.risk.score).toBeGreaterThanOrEqual(50);
    expect(result.strategy.kind).toBe('hold');
    expect(result.strategy.reasons).toContain(
      `risk ${result.risk.score} with incident INC-9 on src/payments/ledger.ts 3 days ago`,
    );
    // Given as fields: findings name the changed path, without a file of the input.
    expect(result.findings.find((f) => f.ruleId === 'REL006')?.resource).toEqual({
      kind: 'File',
      name: 'src/payments/ledger.ts',
    });
  });
});

describe('change sets', () => {
  it('reads --stat output, renames included, splitting the total by the histogram', () => {
    const parsed = parseChangeText(
      ' src/{old => new}/api.ts | 10 +++++++---\n docs/readme.md          |  4 ++++\n assets/logo.png         | Bin 0 -> 2048 bytes\n 3 files changed, 11 insertions(+), 3 deletions(-)\n',
      'stat.txt',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.files.map((f) => [f.path, f.additions, f.deletions, f.where.line])).toEqual([
      ['src/new/api.ts', 7, 3, 1],
      ['docs/readme.md', 4, 0, 2],
      ['assets/logo.png', 0, 0, 3],
    ]);
  });

  it('reads numstat with binary files and git log headers, and reports other lines once', () => {
    const parsed = parseChangeText(
      'commit 3f1c2aa9\nAuthor: Sam <sam@example.com>\nDate:   Tue Jun 2 10:00 2026\n\n    Fix totals\n\n' +
        '5\t1\tsrc/totals.ts\n-\t-\tassets/chart.png\n3\t0\told.ts => new.ts\nthis is not numstat\nnor this\n',
      'log.txt',
    );
    expect(parsed.files.map((f) => [f.path, f.additions, f.deletions])).toEqual([
      ['src/totals.ts', 5, 1],
      ['assets/chart.png', 0, 0],
      ['new.ts', 3, 0],
    ]);
    expect(parsed.problems).toEqual([
      {
        file: 'log.txt',
        line: 10,
        message: '2 lines are neither numstat nor stat output and were not counted',
      },
    ]);
  });

  it('reads a plain `diff -u` with several files and a removed line that starts with dashes', () => {
    const parsed = parseChangeText(
      '--- a/schema.sql\n+++ b/schema.sql\n@@ -1,2 +1,2 @@\n--- the old comment\n+-- the new comment\n CREATE TABLE t (id int);\n' +
        '--- a/app.py\n+++ b/app.py\n@@ -1 +1,2 @@\n-print(1)\n+print(2)\n+print(3)\n',
    );
    expect(parsed.files.map((f) => [f.path, f.additions, f.deletions, f.hasPatch])).toEqual([
      ['schema.sql', 1, 1, true],
      ['app.py', 2, 1, true],
    ]);
    expect(parsed.files[0]?.removed[0]?.text).toBe('-- the old comment');
  });

  it('reports text that is no change set', () => {
    expect(parseChangeText('hello\n', 'x.txt').problems).toEqual([
      {
        file: 'x.txt',
        line: 1,
        message: 'not a unified diff, `git diff --numstat` or `git diff --stat` output',
      },
    ]);
    expect(parseChangeText('  \n')).toEqual({ files: [], problems: [] });
  });

  it.each([
    ['4.19.2', '5.0.1', 'major'],
    ['0.4.1', '0.5.0', 'major'],
    ['1.4.0', '1.5.2', 'minor'],
    ['2.0.0', '2.0.1', 'patch'],
  ])('calls %s → %s a %s bump', (from, to, kind) => {
    expect(bumpKind(from, to)).toBe(kind);
  });

  it('reads bumps in requirements, go.mod, Cargo.toml and Gemfile diffs', async () => {
    // Act
    const result = await runFiles([
      {
        path: 'deps.diff',
        content: [
          'diff --git a/requirements.txt b/requirements.txt',
          '--- a/requirements.txt',
          '+++ b/requirements.txt',
          '@@ -1,2 +1,2 @@',
          '-django==4.2.16',
          '+django==5.1.3',
          ' requests==2.32.3',
          'diff --git a/go.mod b/go.mod',
          '--- a/go.mod',
          '+++ b/go.mod',
          '@@ -5,1 +5,1 @@',
          '-\tgithub.com/jackc/pgx/v5 v5.5.0',
          '+\tgithub.com/jackc/pgx/v5 v5.7.1',
          'diff --git a/Cargo.toml b/Cargo.toml',
          '--- a/Cargo.toml',
          '+++ b/Cargo.toml',
          '@@ -8,1 +8,1 @@',
          '-tokio = { version = "0.3.7", features = ["full"] }',
          '+tokio = { version = "1.41.0", features = ["full"] }',
          'diff --git a/Gemfile b/Gemfile',
          '--- a/Gemfile',
          '+++ b/Gemfile',
          '@@ -3,1 +3,1 @@',
          "-gem 'rails', '~> 7.1.4'",
          "+gem 'rails', '~> 7.2.1'",
          '',
        ].join('\n'),
      },
    ]);

    // Assess
    expect(open(result)).toEqual([
      ['REL007', 'deps.diff', 6],
      ['REL007', 'deps.diff', 19],
    ]);
    expect(result.risk.reasons.find((r) => r.factor === 'dependencies')?.evidence).toEqual([
      'django 4.2.16 → 5.1.3 (major) in requirements.txt',
      'github.com/jackc/pgx/v5 5.5.0 → 5.7.1 (minor) in go.mod',
      'tokio 0.3.7 → 1.41.0 (major) in Cargo.toml',
      'rails 7.1.4 → 7.2.1 (minor) in Gemfile',
    ]);
  });
});

describe('migrations', () => {
  const diffOf = (path: string, lines: readonly string[]) =>
    [`diff --git a/${path} b/${path}`, '--- /dev/null', `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`]
      .concat(lines.map((l) => `+${l}`))
      .join('\n');

  it('knows the down methods of Rails, Alembic and Knex, Django reversibility and Flyway undo files', async () => {
    // Act
    const result = await runFiles([
      {
        path: 'migrations.diff',
        content: [
          diffOf('db/migrate/20260601_add_index.rb', [
            'class AddIndex < ActiveRecord::Migration[7.1]',
            '  def change',
            '    add_index :orders, :customer_id',
            '  end',
            'end',
          ]),
          diffOf('alembic/versions/3f1c_add_col.py', [
            'def upgrade():',
            "    op.add_column('users', sa.Column('tz', sa.String()))",
            'def downgrade():',
            "    op.drop_column('users', 'tz')",
          ]),
          diffOf('app/orders/migrations/0007_note.py', [
            'class Migration(migrations.Migration):',
            "    operations = [migrations.AddField('order', 'note', models.TextField(null=True))]",
          ]),
          diffOf('sql/V12__add_tz.sql', ['ALTER TABLE users ADD COLUMN tz text;']),
          diffOf('sql/U12__add_tz.sql', ['ALTER TABLE users DROP COLUMN tz;']),
          diffOf('prisma/migrations/20260601_init/migration.sql', ['CREATE TABLE "Gift" ("id" TEXT);']),
          diffOf('knex/migrations/20260601_rename.js', [
            'exports.up = (knex) => knex.schema.table("users", (t) => t.renameColumn("name", "full_name"));',
          ]),
        ].join('\n'),
      },
    ]);

    // Assess: the Alembic drop is in its downgrade (a rollback), the Flyway U file is the undo of V12;
    // Prisma has no down files, and the Knex rename has no down and breaks the running version.
    expect(open(result)).toEqual([
      ['REL003', 'migrations.diff', 43],
      ['REL002', 'migrations.diff', 34],
      ['REL002', 'migrations.diff', 39],
    ]);
    expect(result.strategy.kind).toBe('hold');
  });
});

describe('canary judge', () => {
  const metric = (name: string, canary: number[], extra: object = {}) => ({
    name,
    baseline: values(24, 100, 1),
    canary,
    ...extra,
  });

  it('fails a drop of a higher-is-better metric and passes an improvement', async () => {
    // Act
    const result = await run({
      canary: [
        metric('success_rate', values(24, 70, 1), { direction: 'higher is better' }),
        metric('latency_ms', values(24, 70, 1), { direction: 'lower is better' }),
      ],
    });

    // Assess
    expect(result.canary?.metrics.map((m) => [m.name, m.classification, m.failed])).toEqual([
      ['success_rate', 'low', true],
      ['latency_ms', 'low', false],
    ]);
    expect(result.canary?.metrics[1]?.reason).toContain('an improvement');
    expect(result.canary?.score).toBe(50);
    expect(result.canary?.verdict).toBe('no-go');
    expect(result.decision).toBe('no-go');
  });

  it('passes a significant shift inside the tolerance, and fails it with no tolerance', async () => {
    // Arrange: +3 ms on 100 ms with a spread of 4 is significant with 40 samples a side, and under 10 %.
    const input = {
      canary: [
        {
          name: 'latency_ms',
          direction: 'lower',
          baseline: values(40, 100, 0.1),
          canary: values(40, 103, 0.1),
        },
      ],
    };

    // Act
    const tolerant = await run(input);
    const strict = await run({ ...input, options: { tolerance: 0 } });

    // Assess
    expect(tolerant.canary?.metrics[0]).toMatchObject({ classification: 'pass', failed: false });
    expect(tolerant.canary?.metrics[0]?.reason).toContain('within the 10 % tolerance');
    expect(strict.canary?.metrics[0]).toMatchObject({ classification: 'high', failed: true });
  });

  it('fails any significant change of a metric without a direction', async () => {
    const result = await run({ canary: [metric('queue_depth', values(24, 60, 1))] });
    expect(result.canary?.metrics[0]).toMatchObject({
      direction: 'either',
      classification: 'low',
      failed: true,
    });
  });

  it('judges a zero baseline median by the shift alone', async () => {
    const zeros = Array.from({ length: 12 }, () => 0);
    const errors = [0, 1, 2, 1, 3, 2, 1, 2, 4, 1, 2, 3];
    const result = await run({
      canary: [{ name: 'errors', direction: 'lower', baseline: zeros, canary: errors }],
    });
    expect(result.canary?.metrics[0]).toMatchObject({ classification: 'high', failed: true });
    expect(result.canary?.metrics[0]?.shift?.relative).toBeNull();
  });

  it('never passes what it could not assess: too few samples or a critical metric unknown', async () => {
    // Act
    const few = await run({ canary: [metric('latency_ms', [100, 101, 102])] });
    const criticalUnknown = await run({
      canary: [
        metric('latency_ms', values(24, 100, 1), { direction: 'lower' }),
        { name: 'errors', criticality: 'critical', baseline: [1, 2, 3], canary: [1, 2, 3] },
      ],
    });

    // Assess
    expect(few.canary).toMatchObject({ verdict: 'inconclusive', score: null });
    expect(few.canary?.metrics[0]?.classification).toBe('not-assessed');
    expect(few.decision).toBe('hold');
    expect(open(few)).toEqual([['REL005', undefined, undefined]]);
    expect(criticalUnknown.canary).toMatchObject({ verdict: 'inconclusive', score: 100 });
  });

  it('reads series as [time, value] pairs and { value } points, and metrics as a map', async () => {
    // Act
    const result = await runFiles([
      {
        path: 'canary.yaml',
        content: [
          'metrics:',
          '  latency_ms:',
          '    direction: lower is better',
          `    baseline: [${values(12, 100, 1)
            .map((v, i) => `[${i}, ${v}]`)
            .join(', ')}]`,
          `    canary: [${values(12, 100, 1)
            .map((v) => `{ value: ${v} }`)
            .join(', ')}]`,
          '',
        ].join('\n'),
      },
    ]);

    // Assess
    expect(result.canary?.metrics[0]).toMatchObject({
      name: 'latency_ms',
      classification: 'pass',
      baseline: { n: 12 },
      canary: { n: 12 },
    });
    expect(result.canary?.verdict).toBe('go');
  });

  it('reads baseline / canary maps and a wide CSV named after the metric', async () => {
    // Act
    const result = await runFiles([
      {
        path: 'pairs.json',
        content: JSON.stringify({
          baseline: { cpu: values(12, 40, 1) },
          canary: { cpu: values(12, 40, 1), orphan: [1] },
          directions: { cpu: 'lower' },
        }),
      },
      {
        path: 'p99_ms.csv',
        content: `minute,baseline,canary\n${values(12, 200, 2)
          .map((v, i) => `${i},${v},${v + 1}`)
          .join('\n')}\n`,
      },
    ]);

    // Assess
    expect(result.canary?.metrics.map((m) => [m.name, m.direction, m.classification])).toEqual([
      ['cpu', 'lower', 'pass'],
      ['p99_ms', 'either', 'pass'],
    ]);
  });
});

describe('history', () => {
  it('rates the author by deploy outcomes as CD tools write them, and not below 3 deploys', async () => {
    // Act
    const rated = await run({
      changes: '4\t1\tsrc/a.ts\n',
      author: 'kim',
      deploys: [
        { time: '2026-05-20T10:00:00Z', outcome: 'Succeeded', author: 'kim' },
        { time: '2026-05-22T10:00:00Z', outcome: 'rolled_back', author: 'kim' },
        { time: '2026-05-26T10:00:00Z', outcome: 'reverted', author: 'kim' },
        { time: '2026-01-02T10:00:00Z', outcome: 'rollback', author: 'kim' },
      ],
    });
    const unrated = await run({
      changes: '4\t1\tsrc/a.ts\n',
      author: 'kim',
      deploys: [{ time: '2026-05-22T10:00:00Z', outcome: 'failure', author: 'kim' }],
    });

    // Assess: the January rollback is outside the 90-day lookback.
    expect(rated.findings.find((f) => f.ruleId === 'REL010')?.message).toBe(
      "2 of kim's 3 deploys in the lookback were rolled back.",
    );
    expect(rated.risk.reasons.find((r) => r.factor === 'author')?.points).toBe(10);
    expect(unrated.risk.reasons.find((r) => r.factor === 'author')).toMatchObject({
      points: 0,
      evidence: ['kim: 1 deploy in the lookback, too few to rate'],
    });
    expect(() =>
      validateAgentInput('release-manager', {
        changes: '',
        deploys: [{ time: '2026-05-22', outcome: 'maybe' }],
      }),
    ).toThrow(AgentValidationError);
  });
});

describe('release documents', () => {
  it('reads lists of incidents, deploys and freeze windows, and one object with pull requests and change text', async () => {
    // Act
    const result = await runFiles([
      {
        path: 'release.json',
        content: `${JSON.stringify(
          {
            pullRequests: [
              {
                number: 1,
                author: 'ana',
                files: [{ path: 'src/cart/total.ts', additions: 30, deletions: 2 }],
              },
            ],
            changes: '5\t0\tdb/migrations/0009_cart.up.sql\nnot numstat\n',
          },
          null,
          2,
        )}\n`,
      },
      {
        path: 'incidents.json',
        content: '[{ "id": "INC-7", "time": "2026-05-28T00:00:00Z", "files": ["src/cart/"] }]\n',
      },
      {
        path: 'deploys.yaml',
        content: '- { time: "2026-05-29T10:00:00Z", outcome: rollback, files: [db/migrations/] }\n',
      },
      {
        path: 'freeze.json',
        content: '[{ "name": "q2-close", "start": "2026-06-01T00:00:00Z", "end": "2026-06-03T00:00:00Z" }]\n',
      },
      { path: 'numbers.json', content: '[1, 2, 3]\n' },
      { path: 'canary.json', content: '{ "metrics": 42 }\n' },
      { path: 'pairs.json', content: '{ "baseline": { "cpu": [1, 2] }, "canary": {} }\n' },
    ]);

    // Assess: the embedded change text points at its key (line 15 of release.json).
    expect(open(result)).toEqual([
      ['REL001', 'freeze.json', 1],
      ['REL000', 'canary.json', 1],
      ['REL000', 'numbers.json', 1],
      ['REL000', 'pairs.json', 1],
      ['REL006', 'release.json', 7],
      ['REL000', 'release.json', 15],
      ['REL002', 'release.json', 15],
      ['REL006', 'release.json', 15],
      ['REL008', 'release.json', 7],
    ]);
    expect(
      result.findings.find((f) => f.resource?.file === 'release.json' && f.ruleId === 'REL000')?.message,
    ).toBe('release.json line 15: changes: 1 line is neither numstat nor stat output and was not counted.');
  });
});

describe('input it does not understand', () => {
  it('refuses an input with nothing to analyse, and fields of the wrong type', () => {
    expect(() => validateAgentInput('release-manager', {})).toThrow(AgentValidationError);
    expect(() => validateAgentInput('release-manager', { changes: 42 })).toThrow(AgentValidationError);
    expect(() =>
      validateAgentInput('release-manager', { changes: '', deploys: [{ time: 'yesterday', outcome: 'ok' }] }),
    ).toThrow(AgentValidationError);
  });

  it('reports each file and record it cannot read, at its line, and scores none of it', async () => {
    // Act
    const result = await runFiles([
      { path: 'broken.json', content: '{\n  "metrics": [\n' },
      { path: 'other.json', content: '{ "name": "my-app", "private": true }\n' },
      {
        path: 'canary.json',
        content:
          '{\n  "metrics": [\n    { "name": "a", "direction": "sideways", "baseline": [1], "canary": [1] },\n    { "name": "b", "baseline": "fast", "canary": [1] }\n  ]\n}\n',
      },
      { path: 'bad.csv', content: 'when,what\n1,2\n' },
      {
        path: 'rows.csv',
        content: 'metric,group,value\nlatency,baseline,10\nlatency,shadow,11\nlatency,canary,x\n',
      },
      {
        path: 'history.yaml',
        content: 'incidents:\n  - { id: INC-1 }\ndeploys: nope\nplannedAt: next tuesday\n',
      },
    ]);

    // Assess
    expect(open(result)).toEqual([
      ['REL000', 'bad.csv', 1],
      ['REL000', 'broken.json', 3],
      ['REL000', 'canary.json', 3],
      ['REL000', 'canary.json', 4],
      ['REL000', 'history.yaml', 2],
      ['REL000', 'history.yaml', 3],
      ['REL000', 'history.yaml', 4],
      ['REL000', 'other.json', 1],
      ['REL005', 'rows.csv', 2],
      ['REL000', 'rows.csv', 3],
    ]);
    const messages = result.findings.map((f) => f.message);
    expect(messages).toContain(
      'canary.json line 3: Canary metric a: direction "sideways" is not lower, higher or either (is better).',
    );
    expect(messages).toContain(
      'rows.csv line 3: 2 rows have no metric, no baseline / canary group or no number and were not used.',
    );
    // Nothing was read as a change set: no size, spread or test points.
    expect(result.risk.reasons.map((r) => r.factor)).toEqual(['timing', 'author']);
  });

  it('is suppressed by the input ignore list, and answers the same twice', async () => {
    // Arrange
    const input = {
      changes: '120\t30\tsrc/billing/invoice.ts\n',
      ignore: [{ ruleId: 'REL008', reason: 'tests land in the follow-up PR #812' }],
    };

    // Act
    const first = await run(input);
    const second = await run(input);

    // Assess
    expect(first.findings).toHaveLength(1);
    expect(first.findings[0]).toMatchObject({ ruleId: 'REL008', suppressed: true });
    expect(open(first)).toEqual([]);
    expect(second).toEqual(first);
  });
});

describe('pathological input', () => {
  const N = 100_000;
  const CONTENTS: Record<string, string> = {
    tabs: `${'\t'.repeat(N)}x`,
    spaces: `${' '.repeat(N)}| 3 ++`,
    pipes: 'a |'.repeat(N / 3),
    numbers: '1\t'.repeat(N / 2),
    diff: `diff --git a/package.json b/package.json\n@@ -1 +1 @@\n+${'"a": "1'.repeat(N / 8)}\n`,
    sql: `diff --git a/db/migrations/1.sql b/db/migrations/1.sql\n@@ -1 +1 @@\n+${'alter table '.repeat(N / 12)}\n`,
  };

  it.each(Object.keys(CONTENTS))(
    'answers on 100,000 characters of %s in every file kind within a deadline',
    async (kind) => {
      // Arrange
      const content = CONTENTS[kind] as string;
      const paths = ['changes.txt', 'release.diff', 'canary.json', 'canary.csv', 'release.yaml'];

      // Act
      const started = Date.now();
      const result = await runFiles(paths.map((path) => ({ path, content })));

      // Assess: generous (a busy CI machine), far below what quadratic matching would take.
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.risk.score).toBeGreaterThanOrEqual(0);
    },
    60_000,
  );
});
