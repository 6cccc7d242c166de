/** The object routing table: globs over keys, first match wins, agents this release lacks are skipped. */
import { describe, expect, it } from '@jest/globals';
import {
  compileRouteGlob,
  DEFAULT_OBJECT_ROUTES,
  OBJECT_ROUTES_CONFIG_KEY,
  RoutingTable,
} from '../../../shared/app/triggers/routing.js';
import { ValidationError } from '../../../shared/core/errors.js';

/** As if every agent the table names were registered. */
const everyAgent = () => true;

describe('globs', () => {
  it.each([
    ['logs/**', 'logs/app.log', true],
    ['logs/**', 'logs/2026/11/25/app.log', true],
    ['logs/**', 'logsx/app.log', false],
    ['logs/**', 'archive/logs/app.log', false],
    ['metrics/**/*.csv', 'metrics/cpu.csv', true],
    ['metrics/**/*.csv', 'metrics/eu-west-1/api/cpu.csv', true],
    ['metrics/**/*.csv', 'metrics/cpu.csv.gz', false],
    ['metrics/*.csv', 'metrics/api/cpu.csv', false],
    ['k8s/**/*.{yaml,yml}', 'k8s/prod/deployment.yml', true],
    ['k8s/**/*.{yaml,yml}', 'k8s/prod/deployment.yaml', true],
    ['k8s/**/*.{yaml,yml}', 'k8s/prod/deployment.json', false],
    ['**/*.sql', 'sql/reports/slow.sql', true],
    ['sql/?.sql', 'sql/a.sql', true],
    ['sql/?.sql', 'sql/ab.sql', false],
    ['data/a+b (1).csv', 'data/a+b (1).csv', true],
    ['data/a+b (1).csv', 'data/aab (1).csv', false],
  ])('%s matches %s: %s', (glob, key, expected) => {
    expect(compileRouteGlob(glob).matches(key)).toBe(expected);
  });

  it('#1 matches a backtracking-prone route against a long key at once', () => {
    // Prepare: as a RegExp, `[^/]*a[^/]*a…b` tries every split of the segment before it fails.
    const glob = compileRouteGlob(`logs/*${'a*'.repeat(12)}b`);
    const key = `logs/${'a'.repeat(5000)}`;

    // Act
    const started = performance.now();
    const matched = glob.matches(key);

    // Assess: linear in key × pattern; generous for a busy machine.
    expect(matched).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses an unclosed alternative', () => {
    expect(() => compileRouteGlob('k8s/*.{yaml')).toThrow(ValidationError);
  });
});

describe('the default table', () => {
  const table = RoutingTable.compile(DEFAULT_OBJECT_ROUTES, everyAgent);

  it.each([
    ['logs/checkout/2026-11-25.log', ['log-analyzer']],
    ['metrics/api/cpu.csv', ['anomaly-detector']],
    ['k8s/prod/api.yaml', ['k8s-optimizer']],
    ['sql/slow-queries.sql', ['db-query-analyzer']],
  ])('routes %s to %j', (key, agents) => {
    expect(table.match(key)?.agents).toEqual(agents);
  });

  it('routes nothing else', () => {
    expect(table.match('uploads/u/1/app.log')).toBeUndefined();
    expect(table.match('metrics/readme.md')).toBeUndefined();
  });
});

describe('registration', () => {
  it('skips agents that are not registered, keeping the route', () => {
    // Act: the real registry, which has no terraform-plan-reviewer.
    const table = RoutingTable.compile([
      { pattern: 'logs/**', agents: ['log-analyzer', 'terraform-plan-reviewer'] },
      { pattern: 'terraform/**', agents: ['terraform-plan-reviewer'] },
    ]);

    // Assess
    expect(table.match('logs/app.log')?.agents).toEqual(['log-analyzer']);
    expect(table.match('terraform/prod/main.tfplan')).toEqual({ pattern: 'terraform/**', agents: [] });
  });
});

describe('a table from the configurations table', () => {
  it('takes the first matching route, so a narrower route can silence part of a broader one', () => {
    // Act
    const table = RoutingTable.fromJson(
      [
        { pattern: 'logs/audit/**', agents: [] },
        { pattern: 'logs/**', agents: ['log-analyzer', 'anomaly-detector'] },
      ],
      everyAgent,
    );

    // Assess
    expect(table.match('logs/audit/2026.log')?.agents).toEqual([]);
    expect(table.match('logs/api.log')?.agents).toEqual(['log-analyzer', 'anomaly-detector']);
  });

  it.each([
    [{ pattern: 'logs/**' }],
    [[{ pattern: '', agents: [] }]],
    [[{ pattern: 'x', agents: 'log-analyzer' }]],
  ])('refuses %j with field errors under the key', (value) => {
    const attempt = () => RoutingTable.fromJson(value, everyAgent);
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).errors[0]?.path).toMatch(new RegExp(`^${OBJECT_ROUTES_CONFIG_KEY}`));
    }
  });
});
