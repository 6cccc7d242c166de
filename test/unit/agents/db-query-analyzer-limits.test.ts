/**
 * #11: the work and the result of db-query-analyzer are bounded per input. A
 * 1 MiB SQL file (a schema, then an application's query log in which most
 * queries are distinct) once took minutes and produced an 18.7 MB result.
 */
import { describe, expect, it, jest } from '@jest/globals';
import {
  MAX_FINDINGS_PER_RULE,
  MAX_QUERIES_ANALYZED,
} from '../../../shared/agents/db-query-analyzer/rules.js';
import type { DbQueryOutput } from '../../../shared/agents/db-query-analyzer/schema.js';
import { runAgent } from '../../../shared/agents/registry.js';

jest.setTimeout(180_000);

const TABLES = 120;

/** About 1 MiB: 120 tables with indexes, then queries of an ORM-backed application, most of them distinct. */
function largeSqlFile(targetBytes = 1 << 20): string {
  const parts: string[] = [];
  for (let t = 0; t < TABLES; t++) {
    parts.push(
      `CREATE TABLE app_t${t} (\n  id bigserial PRIMARY KEY,\n  tenant_id bigint NOT NULL,\n` +
        `  owner_id bigint REFERENCES app_t${Math.max(0, t - 1)}(id),\n  status text NOT NULL DEFAULT 'new',\n` +
        '  email text,\n  payload jsonb,\n  amount numeric(12,2),\n  created_at timestamptz NOT NULL DEFAULT now(),\n' +
        `  updated_at timestamptz\n);\nCREATE INDEX app_t${t}_tenant_idx ON app_t${t} (tenant_id, created_at);\n`,
    );
  }
  const queries = [
    (n: number) => `SELECT * FROM app_t${n % TABLES} WHERE id = ${n};`,
    (n: number) =>
      `SELECT id, col_${n} FROM app_t${n % TABLES} WHERE tenant_id = ${n} ORDER BY created_at OFFSET 100000;`,
    (n: number) =>
      `SELECT o.id, o.amount, c.email FROM app_t${n % TABLES} o JOIN app_t${(n + 1) % TABLES} c ON c.id = o.owner_id ` +
      `WHERE o.status = 'paid' AND lower(c.email) = 'user${n}@example.com' AND o.note_${n} IS NULL ORDER BY o.created_at DESC LIMIT 20;`,
    (n: number) =>
      `UPDATE app_t${n % TABLES} SET status = 'done', updated_at = now() WHERE email LIKE '%${n}%';`,
    (n: number) =>
      `INSERT INTO app_t${n % TABLES} (tenant_id, status, email, amount) VALUES (${n}, 'new', 'u${n}@example.com', ${n}.50);`,
    (n: number) =>
      `SELECT count(*) FROM app_t${n % TABLES} WHERE payload->>'kind' = 'k${n}' AND flag_${n} AND created_at > now() - interval '3 days';`,
  ];
  let size = parts.join('').length;
  for (let i = 0; size < targetBytes; i++) {
    const statement = `${queries[i % queries.length]?.(i)}\n`;
    parts.push(statement);
    size += statement.length;
  }
  return parts.join('');
}

describe('#11 db-query-analyzer bounds', () => {
  it('#11 analyses a 1 MiB SQL file in bounded time with a result under 1 MB that says what it left out', async () => {
    // Prepare
    const content = largeSqlFile();

    // Act
    const started = performance.now();
    const result = (await runAgent(
      'db-query-analyzer',
      { files: [{ path: 'db/app.sql', content }] },
      { traceId: 'limits', now: new Date('2026-03-01T00:00:00Z') },
    )) as DbQueryOutput;
    const elapsedMs = performance.now() - started;

    // Assess: a generous deadline for a busy CI machine (the embedded PostgreSQL start is part of it).
    expect(elapsedMs).toBeLessThan(90_000);
    expect(JSON.stringify(result).length).toBeLessThan(1_000_000);
    expect(result.metrics.queries).toBeGreaterThan(MAX_QUERIES_ANALYZED);
    expect(result.metrics.queriesNotAnalyzed).toBe(result.metrics.queries - MAX_QUERIES_ANALYZED);
    expect(result.metrics.namesChecked).toBeLessThanOrEqual(MAX_QUERIES_ANALYZED);
    const perRule = new Map<string, number>();
    for (const f of result.findings) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
    for (const count of perRule.values()) expect(count).toBeLessThanOrEqual(MAX_FINDINGS_PER_RULE);
    const truncated = result.findings.filter((f) => f.ruleId === 'SQL015');
    expect(truncated).toHaveLength(1);
    expect(truncated[0]).toMatchObject({ severity: 'info' });
    expect(truncated[0]?.message).toMatch(/distinct queries were not analysed/);
    expect(truncated[0]?.message).toMatch(/per rule were left out/);
    expect(result.metrics.findingsLeftOut).toBeGreaterThan(0);
    expect(result.summary).toContain('Analysis truncated');
  });

  it('#11 reports no truncation for an input within the bounds', async () => {
    // Act
    const result = (await runAgent(
      'db-query-analyzer',
      { sql: 'SELECT * FROM orders WHERE id = 1;\nSELECT id FROM customers WHERE email = $1;\n' },
      { traceId: 'limits', now: new Date('2026-03-01T00:00:00Z') },
    )) as DbQueryOutput;

    // Assess
    expect(result.findings.map((f) => f.ruleId)).not.toContain('SQL015');
    expect(result.metrics).toMatchObject({ queriesNotAnalyzed: 0, findingsLeftOut: 0 });
  });
});
