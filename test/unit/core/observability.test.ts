import { spawnSync } from 'node:child_process';
import { isUuid } from '../../../shared/core/ids.js';

type Observability = typeof import('../../../shared/core/observability.js');

let obs: Observability;

/**
 * Powertools Logger prints through its own `Console` over process.stdout (INFO and
 * below) and process.stderr (WARN and above), one JSON document per line.
 */
function captureLogs(): { lines: Record<string, unknown>[]; restore: () => void } {
  const lines: Record<string, unknown>[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const collect = ((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) {
      if (line.trim() !== '') {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
    }
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = collect;
  process.stderr.write = collect;
  return {
    lines,
    restore: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

let capture: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  // The module builds its Logger on import, from the environment as it is then.
  process.env.POWERTOOLS_SERVICE_NAME = 'aiops-observability-test';
  process.env.LOG_LEVEL = 'DEBUG';
  delete process.env.POWERTOOLS_DEV;
  delete process.env.POWERTOOLS_LOG_LEVEL;
  delete process.env.AWS_LAMBDA_LOG_LEVEL;
  delete process.env.AWS_EXECUTION_ENV;
  delete process.env.POWERTOOLS_TRACE_ENABLED;
  obs = await import('../../../shared/core/observability.js');
});

beforeEach(() => {
  capture = captureLogs();
});

afterEach(() => {
  capture.restore();
});

describe('logger', () => {
  it('writes JSON lines with the configured service name and level', () => {
    // Act
    obs.logger.debug('cache warmed', { entries: 12 });

    // Assess
    expect(capture.lines).toEqual([
      expect.objectContaining({
        level: 'DEBUG',
        message: 'cache warmed',
        service: 'aiops-observability-test',
        entries: 12,
      }),
    ]);
  });
});

describe('withTraceContext', () => {
  it('puts the trace id on lines inside the context and not after', async () => {
    // Act
    const result = await obs.withTraceContext('trace-in', async () => {
      obs.logger.info('before await');
      await new Promise((resolve) => setTimeout(resolve, 1));
      obs.logger.warn('after await');
      return obs.currentTraceId();
    });
    obs.logger.info('outside');

    // Assess
    expect(result).toBe('trace-in');
    expect(capture.lines.map((l) => [l.message, l.traceId])).toEqual([
      ['before await', 'trace-in'],
      ['after await', 'trace-in'],
      ['outside', undefined],
    ]);
    expect(obs.currentTraceId()).toBeUndefined();
  });

  it('drops the trace id when the function throws', () => {
    // Prepare
    const failure = new RangeError('job failed');

    // Act
    const run = () =>
      obs.withTraceContext('trace-throws', () => {
        obs.logger.error('failing');
        throw failure;
      });

    // Assess
    expect(run).toThrow(failure);
    obs.logger.info('after the failure');
    expect(obs.currentTraceId()).toBeUndefined();
    expect(capture.lines.map((l) => [l.message, l.traceId])).toEqual([
      ['failing', 'trace-throws'],
      ['after the failure', undefined],
    ]);
  });

  it('drops the trace id when the promise rejects', async () => {
    // Act
    const run = obs.withTraceContext('trace-rejects', async () => {
      await Promise.resolve();
      throw new RangeError('late failure');
    });

    // Assess
    await expect(run).rejects.toThrow('late failure');
    obs.logger.info('after the rejection');
    expect(capture.lines).toEqual([expect.not.objectContaining({ traceId: expect.anything() })]);
  });

  it('keeps concurrent contexts apart', async () => {
    // Prepare: gates force the two jobs to interleave a1, b1, a2, b2.
    const aLogged = deferred();
    const bLogged = deferred();

    // Act
    await Promise.all([
      obs.withTraceContext('trace-a', async () => {
        obs.logger.info('a1');
        aLogged.resolve();
        await bLogged.promise;
        obs.logger.info('a2');
      }),
      obs.withTraceContext('trace-b', async () => {
        await aLogged.promise;
        obs.logger.info('b1');
        bLogged.resolve();
        await new Promise((resolve) => setTimeout(resolve, 1));
        obs.logger.info('b2');
      }),
    ]);

    // Assess
    expect(capture.lines.map((l) => [l.message, l.traceId])).toEqual([
      ['a1', 'trace-a'],
      ['b1', 'trace-b'],
      ['a2', 'trace-a'],
      ['b2', 'trace-b'],
    ]);
  });

  it('restores the outer trace id after a nested context', async () => {
    // Act
    await obs.withTraceContext('trace-outer', async () => {
      obs.logger.info('outer start');
      await obs.withTraceContext('trace-inner', async () => {
        await Promise.resolve();
        obs.logger.info('inner');
      });
      obs.logger.info('outer end');
    });

    // Assess
    expect(capture.lines.map((l) => [l.message, l.traceId])).toEqual([
      ['outer start', 'trace-outer'],
      ['inner', 'trace-inner'],
      ['outer end', 'trace-outer'],
    ]);
  });

  it('wins over a traceId appended as a logger key, which is shared by the whole process', () => {
    // Prepare
    obs.logger.appendKeys({ traceId: 'stale-from-another-job' });

    // Act
    try {
      obs.withTraceContext('trace-current', () => obs.logger.info('inside'));
    } finally {
      obs.logger.removeKeys(['traceId']);
    }

    // Assess
    expect(capture.lines).toEqual([expect.objectContaining({ message: 'inside', traceId: 'trace-current' })]);
  });

  it('reaches child loggers', () => {
    // Prepare
    const child = obs.logger.createChild({ persistentKeys: { component: 'lane-worker' } });

    // Act
    obs.withTraceContext('trace-child', () => child.info('job picked up'));

    // Assess
    expect(capture.lines).toEqual([
      expect.objectContaining({ message: 'job picked up', component: 'lane-worker', traceId: 'trace-child' }),
    ]);
  });
});

describe('newTraceId', () => {
  it('returns a fresh UUID each time', () => {
    // Act
    const ids = new Set(Array.from({ length: 50 }, () => obs.newTraceId()));

    // Assess
    expect(ids.size).toBe(50);
    expect([...ids].every((id) => isUuid(id))).toBe(true);
  });
});

describe('serviceName', () => {
  it('is the configured service (POWERTOOLS_SERVICE_NAME)', () => {
    expect(obs.serviceName).toBe('aiops-observability-test');
  });
});

describe('prettyLogLine', () => {
  it('shows time, level, message and the attributes as key=value, redacted like the JSON lines', () => {
    const line = obs.prettyLogLine(
      {
        level: 'INFO',
        message: 'schedule fired',
        timestamp: '2026-12-07T21:00:00.067Z',
        service: 'aiops',
        sampling_rate: 0,
        schedule: 'cleanup-old-executions',
        note: 'two words',
        samples: { queued: 0 },
        password: 'hunter2-hunter2',
      },
      false,
    );
    expect(line).toBe(
      '21:00:00.067 INFO  schedule fired schedule=cleanup-old-executions note="two words" samples={"queued":0} password=[REDACTED]',
    );
  });

  it('colours the level for a terminal', () => {
    expect(obs.prettyLogLine({ level: 'WARN', message: 'slow' }, true)).toBe('\x1b[33mWARN \x1b[0m slow');
  });
});

describe('AIOPS_LOG_FORMAT', () => {
  /** Logs an info and a warning in a child process with the given environment; its stdout and stderr. */
  function logIn(env: Record<string, string>): { stdout: string; stderr: string } {
    const script = `
      import { logger } from './shared/core/observability.ts';
      logger.info('job done', { jobId: 'j-1' });
      logger.warn('lane slow', { lane: 'agents' });
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../../..', import.meta.url).pathname,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    return { stdout: child.stdout, stderr: child.stderr };
  }

  it('pretty: one readable line each, warnings on stderr', () => {
    const { stdout, stderr } = logIn({ AIOPS_LOG_FORMAT: 'pretty' });
    expect(stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}job done jobId=j-1\n$/);
    expect(stderr).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}lane slow lane=agents\n$/);
  });

  it('auto: JSON when stdout is not a terminal (a pipe, a log shipper)', () => {
    const { stdout } = logIn({});
    expect(JSON.parse(stdout)).toMatchObject({ level: 'INFO', message: 'job done', jobId: 'j-1' });
  });
});
