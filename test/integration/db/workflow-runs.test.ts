/** Workflow runs and steps: transitions only move forward, whatever the database. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { DatabaseHandle } from '../../../shared/db/database.js';
import { migrateUp } from '../../../shared/db/migrator.js';
import { createRepositories, type Repositories } from '../../../shared/db/repositories/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { aUser } from '../../helpers/factories.js';

describeEachDatabase('workflow runs repository', (target) => {
  let handle: DatabaseHandle;
  let repos: Repositories;
  const t0 = new Date('2026-11-25T10:00:00.000Z');
  const later = (s: number) => new Date(t0.getTime() + s * 1000);

  beforeAll(async () => {
    handle = await target.open();
    await migrateUp(handle.db);
    repos = createRepositories(handle.db);
  });

  afterAll(async () => {
    await handle?.close();
  });

  async function aRun() {
    const user = await repos.users.create(aUser());
    return repos.workflowRuns.create({
      workflowName: 'chain-analysis',
      userId: user.id,
      traceId: 'trace-1',
      input: { steps: [{ name: 'a', agent: 'log-analyzer', input: { lines: ['x'] } }], list: [1, 'two'] },
      createdAt: t0,
    });
  }

  it('creates a queued run holding the request as jsonb', async () => {
    const run = await aRun();
    expect(run).toMatchObject({ status: 'queued', startedAt: null, engineRef: null, createdAt: t0 });
    expect((await repos.workflowRuns.findById(run.id))?.input).toEqual(run.input);
  });

  it('starts, succeeds once, and never fails a succeeded run', async () => {
    // Prepare
    const run = await aRun();
    await repos.workflowRuns.setEngineRef(run.id, 'arn:aws:states:eu-west-1:123456789012:execution:x:y');

    // Act
    const started = await repos.workflowRuns.start(run.id, later(1));
    const restarted = await repos.workflowRuns.start(run.id, later(2));
    const done = await repos.workflowRuns.succeed(run.id, [{ ok: true }], later(3));
    const failedAfter = await repos.workflowRuns.fail(run.id, { code: 'X', message: 'late' }, later(4));
    const startedAfter = await repos.workflowRuns.start(run.id, later(5));

    // Assess
    expect(started).toMatchObject({ status: 'running', startedAt: later(1) });
    expect(restarted?.startedAt).toEqual(later(1));
    expect(done).toMatchObject({ status: 'succeeded', output: [{ ok: true }], completedAt: later(3) });
    expect(failedAfter).toBeUndefined();
    expect(startedAfter).toBeUndefined();
    expect(await repos.workflowRuns.findById(run.id)).toMatchObject({
      status: 'succeeded',
      engineRef: 'arn:aws:states:eu-west-1:123456789012:execution:x:y',
    });
  });

  it('records a failure with the step that caused it', async () => {
    const run = await aRun();
    const failed = await repos.workflowRuns.fail(
      run.id,
      { code: 'STEP_FAILED', message: 'Step "a" failed', step: 'a' },
      later(1),
    );
    expect(failed).toMatchObject({
      status: 'failed',
      errorCode: 'STEP_FAILED',
      errorStep: 'a',
      completedAt: later(1),
    });
    expect(await repos.workflowRuns.succeed(run.id, {}, later(2))).toBeUndefined();
  });

  it('counts a step’s attempts, and answers a succeeded step as it is', async () => {
    // Prepare
    const run = await aRun();
    const spec = { name: 'a', position: 0, agent: 'log-analyzer' };

    // Act
    const first = await repos.workflowRuns.beginStep(run.id, spec, later(1));
    await repos.workflowRuns.failStep(run.id, 'a', { code: 'X', message: 'transient' }, later(2));
    const second = await repos.workflowRuns.beginStep(run.id, spec, later(3));
    await repos.workflowRuns.setStepExecution(run.id, 'a', '7d1c1b7e-3c1a-4c1e-9f55-3a2b8e0c9d11');
    await repos.workflowRuns.completeStep(
      run.id,
      'a',
      { summary: 'fine', findingCounts: { high: 1 } },
      later(4),
    );
    const third = await repos.workflowRuns.beginStep(run.id, spec, later(5));
    const failLate = await repos.workflowRuns.failStep(run.id, 'a', { code: 'X', message: 'late' }, later(6));

    // Assess
    expect(first).toMatchObject({ status: 'running', attempts: 1, startedAt: later(1) });
    expect(second).toMatchObject({ status: 'running', attempts: 2, errorCode: null, startedAt: later(1) });
    expect(third).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      summary: 'fine',
      findingCounts: { high: 1 },
      executionId: '7d1c1b7e-3c1a-4c1e-9f55-3a2b8e0c9d11',
      completedAt: later(4),
    });
    expect(failLate).toBeUndefined();
  });

  it('fails only unfinished steps, and lists steps in order page by page', async () => {
    // Prepare
    const run = await aRun();
    for (let i = 0; i < 7; i += 1) {
      await repos.workflowRuns.beginStep(
        run.id,
        { name: `item-${i}`, position: i, agent: 'log-analyzer' },
        later(i),
      );
      if (i % 2 === 0)
        await repos.workflowRuns.completeStep(
          run.id,
          `item-${i}`,
          { summary: null, findingCounts: {}, result: [i] },
          later(10),
        );
    }

    // Act
    const failed = await repos.workflowRuns.failUnfinishedSteps(
      run.id,
      { code: 'STEP_FAILED', message: 'gone' },
      later(20),
    );
    const all = await repos.workflowRuns.allSteps(run.id, 3);

    // Assess
    expect(failed).toEqual(['item-1', 'item-3', 'item-5']);
    expect(all.map((s) => [s.name, s.status])).toEqual([
      ['item-0', 'succeeded'],
      ['item-1', 'failed'],
      ['item-2', 'succeeded'],
      ['item-3', 'failed'],
      ['item-4', 'succeeded'],
      ['item-5', 'failed'],
      ['item-6', 'succeeded'],
    ]);
    expect(all[2]?.result).toEqual([2]);
    expect(all[1]?.errorMessage).toBe('gone');
  });

  it('deletes a run’s steps with it, and keeps a run whose user is deleted', async () => {
    const run = await aRun();
    await repos.workflowRuns.beginStep(run.id, { name: 'a', position: 0, agent: null }, later(1));
    await handle.db
      .deleteFrom('users')
      .where('id', '=', run.userId ?? '')
      .execute();
    expect((await repos.workflowRuns.findById(run.id))?.userId).toBeNull();
    await handle.db.deleteFrom('workflowRuns').where('id', '=', run.id).execute();
    expect(await repos.workflowRuns.allSteps(run.id)).toEqual([]);
  });
});
