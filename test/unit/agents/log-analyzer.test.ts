import { describe, expect, it } from '@jest/globals';
import { runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { AgentValidationError } from '../../../shared/core/errors.js';
import { fixture } from '../../helpers/fixtures.js';

const context = { traceId: 'trace-logs', now: new Date('2026-11-25T12:00:00Z') };

interface Result {
  summary: string;
  findings: {
    ruleId: string;
    severity: string;
    resource: { name: string; line: number };
    evidence: { lines: string[] };
  }[];
  templates: {
    template: string;
    count: number;
    levels: Record<string, number>;
    firstSeen?: string;
    isNew?: boolean;
  }[];
  metrics: Record<string, number>;
}

async function analyze(input: unknown): Promise<Result> {
  return (await runAgent('log-analyzer', input, context)) as unknown as Result;
}

describe('log-analyzer', () => {
  it('finds the error templates, the burst and the connection failure that started just before it', async () => {
    // Act
    const result = await analyze({ text: fixture('logs/shop-incident.log') });

    // Assess
    const rules = result.findings.map((f) => f.ruleId);
    expect(rules.filter((r) => r === 'LOG001')).toHaveLength(2);
    const burst = result.findings.find((f) => f.ruleId === 'LOG003');
    expect(burst?.resource).toMatchObject({
      name: expect.stringMatching(/^GET <\*>/),
      namespace: 'c.e.shop.OrderController',
    });
    const rootCause = result.findings.find((f) => f.ruleId === 'LOG005');
    expect(rootCause?.resource).toMatchObject({
      name: 'Connection to <*> refused',
      namespace: 'c.e.shop.PaymentClient',
    });
    expect(rootCause?.evidence.lines[0]).toMatch(/^7: .*refused$/);
    expect(result.metrics).toMatchObject({
      lines: 15,
      errorLines: 8,
      warningLines: 1,
      bursts: 1,
      timestampedLines: 15,
    });
    expect(result.templates[0]?.firstSeen).toBe('2026-11-25T10:00:01.120Z');
  });

  it('reads JSON lines (pino, zap, ECS): levels of any case and pino numbers, templates of the message, times', async () => {
    // Act
    const result = await analyze({ text: fixture('logs/checkout-pino.jsonl') });

    // Assess
    expect(result.metrics).toMatchObject({ lines: 8, errorLines: 3, warningLines: 2, timestampedLines: 8 });
    const byTemplate = Object.fromEntries(result.templates.map((t) => [t.template, t]));
    expect(byTemplate['order <*> placed by user <*>']).toMatchObject({ count: 3, levels: { INFO: 3 } });
    expect(byTemplate['payment provider timeout after <*>']).toMatchObject({
      count: 2,
      levels: { ERROR: 2 },
    });
    expect(byTemplate['stock low for sku <*>']).toMatchObject({ count: 1, levels: { WARN: 1 } });
    expect(result.templates.some((t) => t.template.includes('{'))).toBe(false);
    const errors = result.findings.filter((f) => f.ruleId === 'LOG001');
    expect(errors.map((f) => [f.resource.name, f.resource.line])).toEqual(
      expect.arrayContaining([
        ['payment provider timeout after <*>', 4],
        ['connection to db-primary:<*> refused', 8],
      ]),
    );
    expect(result.templates.find((t) => t.template.startsWith('order'))?.firstSeen).toBe(
      '2025-12-05T10:00:00.000Z',
    );
  });

  it('reads nginx / Apache access logs: 5xx are errors and 4xx warnings, one template per route and status class', async () => {
    // Act
    const result = await analyze({ text: fixture('logs/nginx-access.log') });

    // Assess
    expect(result.metrics).toMatchObject({
      lines: 60,
      errorLines: 20,
      warningLines: 5,
      timestampedLines: 60,
    });
    expect(result.templates.map((t) => [t.template, t.count])).toEqual([
      ['GET /api/orders/<*> 5xx', 20],
      ['GET /api/cart 2xx', 14],
      ['GET /api/orders/<*> 2xx', 11],
      ['GET /healthz 2xx', 10],
      ['GET /static/img/<*>.png 4xx', 5],
    ]);
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.resource.name, f.resource.line])).toEqual([
      ['LOG001', 'high', 'GET /api/orders/<*> 5xx', 21],
      ['LOG002', 'low', 'GET /static/img/<*>.png 4xx', 1],
    ]);
    // [07/Dec/2026:10:10:00 +0100] is 09:10 UTC.
    expect(result.templates[0]?.firstSeen).toBe('2026-12-07T09:10:00.000Z');
  });

  it('uses a header format to separate header fields from the message, and reports templates new against a baseline', async () => {
    // Prepare
    const lines = fixture('logs/hdfs.log').split('\n').filter(Boolean);
    const baseline = {
      templates: [
        'PacketResponder <*> for block <*> terminating',
        'BLOCK* NameSystem.addStoredBlock: blockMap updated: <*> is added to <*> size <*>',
        'Receiving block <*> src: <*> dest: <*>',
      ],
    };

    // Act
    const result = await analyze({
      lines,
      format: '<Date> <Time> <Pid> <Level> <Component>: <Content>',
      baseline,
    });

    // Assess
    expect(result.metrics).toMatchObject({
      lines: 13,
      unparsedLines: 0,
      templates: 4,
      newTemplates: 1,
      warningLines: 1,
    });
    const counts = Object.fromEntries(result.templates.map((t) => [t.template, t.count]));
    expect(Object.values(counts).sort()).toEqual([1, 3, 4, 5]);
    const fresh = result.findings.filter((f) => f.ruleId === 'LOG004');
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.resource.name).toMatch(/Got exception while serving/);
    expect(result.templates.find((t) => t.isNew)?.levels).toEqual({ WARN: 1 });
  });

  it('keeps fingerprints stable across runs and gives a clean log a clean bill', async () => {
    const first = await analyze({ text: fixture('logs/shop-incident.log') });
    const second = await analyze({ text: fixture('logs/shop-incident.log') });
    expect(first.findings.map((f) => f.ruleId)).toEqual(second.findings.map((f) => f.ruleId));
    const clean = await analyze({
      lines: ['2026-11-25T10:00:00Z INFO started', '2026-11-25T10:00:01Z INFO ready'],
    });
    expect(clean.findings).toEqual([]);
    expect(clean.summary).toMatch(/^2 lines, /);
  });

  it('rejects input without lines or text, and a format that cannot be compiled', async () => {
    expect(() => validateAgentInput('log-analyzer', {})).toThrow(AgentValidationError);
    await expect(analyze({ lines: ['x'], format: '<Date> (a+)+\\1 <Content>' })).rejects.toThrow();
  });
});
