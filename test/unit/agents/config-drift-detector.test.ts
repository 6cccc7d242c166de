import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { analyzeConfigDrift } from '../../../shared/agents/config-drift-detector/analyze.js';
import agent from '../../../shared/agents/config-drift-detector/index.js';
import { DRIFT_RULES } from '../../../shared/agents/config-drift-detector/rules.js';
import {
  type ConfigDriftOutput,
  configDriftInputSchema,
} from '../../../shared/agents/config-drift-detector/schema.js';
import type { Finding } from '../../../shared/agents/contract.js';
import { validateAgentInput } from '../../../shared/agents/registry.js';
import { wordsOf } from '../../../shared/analysis/secrets/index.js';
import { AgentValidationError } from '../../../shared/core/errors.js';

// --- fixtures ---------------------------------------------------------------

const SPRING_STAGING = `
server:
  port: 8080
  servlet:
    context-path: /api
spring:
  application:
    name: orders-service
  datasource:
    url: jdbc:postgresql://orders-db.staging.internal:5432/orders
    username: orders_app
    password: St4g1ng-Passw0rd!
    hikari:
      maximum-pool-size: 20
      connection-timeout: 30000
  jpa:
    hibernate:
      ddl-auto: validate
    show-sql: false
  security:
    oauth2:
      resourceserver:
        jwt:
          issuer-uri: https://auth.example.com/realms/orders
management:
  endpoints:
    web:
      exposure:
        include: health,info,prometheus
logging:
  level:
    root: INFO
    com.example.orders: DEBUG
`;

/** Production after months of hand edits: pool resized, Hibernate told to migrate, security block lost. */
const SPRING_PRODUCTION = `
server:
  port: 8080
  servlet:
    context-path: /api
spring:
  application:
    name: orders-service
  datasource:
    url: jdbc:postgresql://orders-db.prod.internal:5432/orders
    username: orders_app
    password: Pr0d-S3cret-Value#2024
    hikari:
      maximum-pool-size: 50
      connection-timeout: 40000
  jpa:
    hibernate:
      ddl-auto: update
    show-sql: "false"
management:
  endpoints:
    web:
      exposure:
        include: "*"
logging:
  level:
    root: INFO
    com.example.orders: TRACE
  file:
    name: /var/log/orders/orders.log
`;

const HELM_STAGING = `
replicaCount: 2
image:
  repository: ghcr.io/acme/payments-api
  tag: "1.14.2"
  pullPolicy: IfNotPresent
service:
  type: ClusterIP
  port: 80
ingress:
  enabled: true
  className: nginx
  annotations:
    kubernetes.io/ingress.class: nginx
    cert-manager.io/cluster-issuer: letsencrypt-staging
  hosts:
    - host: payments.staging.acme.io
      paths:
        - path: /
          pathType: Prefix
resources:
  limits: { cpu: 500m, memory: 512Mi }
  requests: { cpu: 250m, memory: 256Mi }
autoscaling:
  enabled: false
  minReplicas: 2
  maxReplicas: 5
env:
  - name: LOG_LEVEL
    value: info
  - name: STRIPE_API_KEY
    value: sk_test_51HxYzStagingKey00000000
podSecurityContext:
  runAsNonRoot: true
  fsGroup: 2000
tolerations: []
`;

const HELM_PRODUCTION = `
replicaCount: 6
image:
  repository: ghcr.io/acme/payments-api
  tag: "1.15.0"
  pullPolicy: Always
service:
  type: LoadBalancer
  port: 80
ingress:
  enabled: true
  className: nginx
  annotations:
    kubernetes.io/ingress.class: nginx
    cert-manager.io/cluster-issuer: letsencrypt-prod
  hosts:
    - host: payments.acme.io
      paths:
        - path: /
          pathType: Prefix
resources:
  limits: { cpu: 500m, memory: 1Gi }
  requests: { cpu: 250m, memory: 256Mi }
autoscaling:
  enabled: true
  minReplicas: 3
  maxReplicas: 20
env:
  - name: LOG_LEVEL
    value: warn
  - name: STRIPE_API_KEY
    value: sk_live_51HxYzProductionKey9999999
podSecurityContext:
  runAsNonRoot: false
  fsGroup: 2000
tolerations:
  - key: dedicated
    operator: Equal
    value: payments
    effect: NoSchedule
`;

const CHECKOUT_BASELINE = JSON.stringify({
  service: 'checkout',
  http: { timeoutMs: 5000, retries: 3 },
  cache: { ttlSeconds: 300, redis: { host: 'redis.internal', port: 6379 } },
  featureFlags: { newPricing: false, oneClickBuy: true },
  auth: { issuer: 'https://id.acme.io', audience: 'checkout-api' },
  paymentGateway: { apiSecretKey: 'pg_9f8e7d6c5b4a39281706f5e4d3c2b1a0', merchantId: 'acme-eu-01' },
});

const CHECKOUT_TARGET = JSON.stringify({
  service: 'checkout',
  http: { timeoutMs: 5000, retries: 5 },
  cache: { ttlSeconds: 60, redis: { host: 'redis.internal', port: 6379 } },
  featureFlags: { newPricing: true, oneClickBuy: true },
  auth: { issuer: 'https://id.acme.io', audience: 'checkout' },
  paymentGateway: { apiSecretKey: 'pg_0a1b2c3d4e5f60718293a4b5c6d7e8f9', merchantId: 'acme-eu-01' },
});

// --- helpers ----------------------------------------------------------------

function drift(raw: unknown): ConfigDriftOutput {
  return analyzeConfigDrift(configDriftInputSchema.parse(raw));
}

function rows(result: ConfigDriftOutput): [string, string, string | undefined][] {
  return result.findings.map((f) => [f.severity, f.ruleId, f.resource?.name]);
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

/** The rows in severity, path, rule order: findings from text come in line order (the scan engine's comparator). */
function rowsByPath(result: ConfigDriftOutput): [string, string, string | undefined][] {
  const text = (row: [string, string, string | undefined]) => `${row[2] ?? ''}\u0000${row[1]}`;
  return rows(result).sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a[0]) - SEVERITY_ORDER.indexOf(b[0]) ||
      (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0),
  );
}

function at(result: ConfigDriftOutput, path: string): Finding | undefined {
  return result.findings.find((f) => f.resource?.name === path);
}

/** `{ a: { b: value } }` from `a.b`. */
function nested(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

function inputError(raw: unknown): AgentValidationError {
  try {
    validateAgentInput('config-drift-detector', raw);
  } catch (error) {
    if (error instanceof AgentValidationError) return error;
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

// --- tests ------------------------------------------------------------------

describe('config-drift-detector', () => {
  describe('a Spring Boot application.yml, staging baseline against drifted production', () => {
    it('reports each drift once, at its exact path', () => {
      // Prepare
      const input = { baseline: SPRING_STAGING, target: SPRING_PRODUCTION };

      // Act
      const result = drift(input);

      // Assess
      expect(rowsByPath(result)).toEqual([
        ['critical', 'DRIFT003', 'spring.datasource.password'],
        ['critical', 'DRIFT001', 'spring.security'],
        ['high', 'DRIFT005', 'spring.datasource.hikari.maximum-pool-size'],
        ['medium', 'DRIFT004', 'spring.jpa.show-sql'],
        ['low', 'DRIFT002', 'logging.file'],
        ['low', 'DRIFT003', 'logging.level["com.example.orders"]'],
        ['low', 'DRIFT003', 'management.endpoints.web.exposure.include'],
        ['low', 'DRIFT003', 'spring.datasource.hikari.connection-timeout'],
        ['low', 'DRIFT003', 'spring.datasource.url'],
        ['low', 'DRIFT003', 'spring.jpa.hibernate.ddl-auto'],
      ]);
    });

    it('counts the drift, scores it and says so in one sentence', () => {
      // Prepare
      const input = { baseline: SPRING_STAGING, target: SPRING_PRODUCTION };

      // Act
      const result = drift(input);

      // Assess: 2 critical (25) + 1 high (10) + 1 medium (5) + 6 low (2) = 77 points off.
      expect(result.metrics).toEqual({ missing: 1, extra: 1, changed: 8, critical: 2 });
      expect(result.score).toBe(23);
      expect(result.summary).toBe(
        '10 drifted keys: 1 missing, 1 extra, 8 changed; 2 on critical keys. Drift score 23/100.',
      );
    });

    it('never echoes the datasource passwords, only that they differ', () => {
      // Prepare
      const input = { baseline: SPRING_STAGING, target: SPRING_PRODUCTION };

      // Act
      const result = drift(input);

      // Assess
      const text = JSON.stringify(result);
      expect(text).not.toContain('St4g1ng-Passw0rd!');
      expect(text).not.toContain('Pr0d-S3cret-Value#2024');
      expect(at(result, 'spring.datasource.password')).toMatchObject({
        message: 'spring.datasource.password differs between baseline and target (values redacted).',
        evidence: { baseline: '[redacted]', target: '[redacted]' },
      });
    });

    it('shows non-secret values on both sides as evidence', () => {
      // Prepare
      const input = { baseline: SPRING_STAGING, target: SPRING_PRODUCTION };

      // Act
      const result = drift(input);

      // Assess
      expect(at(result, 'spring.datasource.url')?.evidence).toEqual({
        baseline: 'jdbc:postgresql://orders-db.staging.internal:5432/orders',
        target: 'jdbc:postgresql://orders-db.prod.internal:5432/orders',
      });
      expect(at(result, 'spring.jpa.hibernate.ddl-auto')?.message).toBe(
        'spring.jpa.hibernate.ddl-auto changed from "validate" to "update".',
      );
      expect(at(result, 'spring.datasource.hikari.maximum-pool-size')?.evidence).toEqual({
        baseline: 20,
        target: 50,
        changePercent: 150,
      });
    });

    it('returns a result that satisfies its own output schema', () => {
      // Prepare
      const input = { baseline: SPRING_STAGING, target: SPRING_PRODUCTION };

      // Act
      const parsed = agent.output.safeParse(drift(input));

      // Assess
      expect(parsed.success).toBe(true);
      expect(agent.name).toBe('config-drift-detector');
    });
  });

  describe('a Helm values.yaml, staging against production', () => {
    const result = drift({ baseline: HELM_STAGING, target: HELM_PRODUCTION });

    it.each([
      ['replicaCount', 'DRIFT005', 'high'],
      ['autoscaling.maxReplicas', 'DRIFT005', 'high'],
      ['autoscaling.minReplicas', 'DRIFT003', 'low'],
      ['autoscaling.enabled', 'DRIFT003', 'low'],
      ['image.tag', 'DRIFT003', 'low'],
      ['service.type', 'DRIFT003', 'low'],
      ['ingress.annotations["cert-manager.io/cluster-issuer"]', 'DRIFT003', 'low'],
      ['ingress.hosts[0].host', 'DRIFT003', 'low'],
      ['resources.limits.memory', 'DRIFT003', 'low'],
      ['env[0].value', 'DRIFT003', 'low'],
      ['env[1].value', 'DRIFT003', 'low'],
      ['podSecurityContext.runAsNonRoot', 'DRIFT003', 'critical'],
      ['tolerations[0]', 'DRIFT002', 'low'],
    ])('reports %s as %s (%s)', (path, ruleId, severity) => {
      // Prepare: the analysis ran once for the table.

      // Act
      const finding = at(result, path);

      // Assess
      expect(finding).toMatchObject({ ruleId, severity, resource: { kind: 'config-key', name: path } });
    });

    it('reports nothing for keys that did not change', () => {
      // Prepare
      const unchanged = [
        'image.repository',
        'service.port',
        'ingress.annotations["kubernetes.io/ingress.class"]',
      ];

      // Act
      const reported = unchanged.filter((path) => at(result, path) !== undefined);

      // Assess
      expect(reported).toEqual([]);
      expect(result.findings).toHaveLength(14);
    });

    it('redacts credential-looking values under innocent keys', () => {
      // Prepare: the Stripe keys sit under `value`, a key name that says nothing.

      // Act
      const text = JSON.stringify(result);

      // Assess
      expect(text).not.toContain('sk_test_51HxYzStagingKey00000000');
      expect(text).not.toContain('sk_live_51HxYzProductionKey9999999');
      expect(at(result, 'env[1].value')?.evidence).toEqual({ baseline: '[redacted]', target: '[redacted]' });
    });

    it('shows booleans under critical keys, since they cannot carry a credential', () => {
      // Prepare: podSecurityContext is critical through `security`.

      // Act
      const finding = at(result, 'podSecurityContext.runAsNonRoot');

      // Assess
      expect(finding?.evidence).toEqual({ baseline: true, target: false });
    });
  });

  describe('critical keys', () => {
    it.each([
      ['AUTH_TOKEN', 'critical'],
      ['db.password', 'critical'],
      ['apiSecretKey', 'critical'],
      ['DATABASE_URL', 'critical'],
      ['primaryDatabaseUrl', 'critical'],
      ['authentication.enabled', 'critical'],
      ['http.basicAuth.realm', 'critical'],
      ['securityContext.runAsUser', 'critical'],
      ['storage.encryption.kmsKeyId', 'critical'],
      ['metadata.author', 'low'],
      ['database.name', 'low'],
      ['logging.level', 'low'],
    ])('by default, a changed %s is %s', (path, severity) => {
      // Prepare
      const input = { baseline: nested(path, 'before'), target: nested(path, 'after') };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual([[severity, 'DRIFT003', path]]);
    });

    it('raises a missing critical key to critical and an extra one to high', () => {
      // Prepare
      const input = { baseline: { auth: { mode: 'oidc' } }, target: { security: { headers: 'strict' } } };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual([
        ['critical', 'DRIFT001', 'auth'],
        ['high', 'DRIFT002', 'security'],
      ]);
    });

    it('treats a missing section as critical when a critical key is inside it', () => {
      // Prepare
      const baseline = { spring: { datasource: { url: 'jdbc:h2:mem:test', password: 'h2-local-only' } } };

      // Act
      const result = drift({ baseline, target: { spring: {} } });

      // Assess
      expect(rows(result)).toEqual([['critical', 'DRIFT001', 'spring.datasource']]);
      expect(at(result, 'spring.datasource')?.evidence).toEqual({
        baseline: { url: 'jdbc:h2:mem:test', password: '[redacted]' },
      });
    });

    it('uses criticalKeys instead of the defaults when given', () => {
      // Prepare
      const input = { baseline: CHECKOUT_BASELINE, target: CHECKOUT_TARGET };

      // Act
      const defaults = drift(input);
      const custom = drift({ ...input, criticalKeys: ['cache.*', 'FEATURE_FLAGS'] });

      // Assess
      expect(rowsByPath(defaults)).toEqual([
        ['critical', 'DRIFT003', 'auth.audience'],
        ['critical', 'DRIFT003', 'paymentGateway.apiSecretKey'],
        ['high', 'DRIFT005', 'cache.ttlSeconds'],
        ['high', 'DRIFT005', 'http.retries'],
        ['low', 'DRIFT003', 'featureFlags.newPricing'],
      ]);
      expect(rowsByPath(custom)).toEqual([
        ['critical', 'DRIFT005', 'cache.ttlSeconds'],
        ['critical', 'DRIFT003', 'featureFlags.newPricing'],
        ['high', 'DRIFT005', 'http.retries'],
        ['low', 'DRIFT003', 'auth.audience'],
        ['low', 'DRIFT003', 'paymentGateway.apiSecretKey'],
      ]);
    });

    it('#1 matches a crafted criticalKeys glob against long keys in linear time', () => {
      // Prepare: a glob a backtracking RegExp needs ~2^12 tries per position for, and keys that almost match it.
      const keys = Array.from({ length: 10 }, (_, i) => [`${'a'.repeat(28)}_${i}`, i] as const);
      const baseline = Object.fromEntries(keys);
      const target = Object.fromEntries(keys.map(([key, value]) => [key, value + 1]));
      const glob = `*${'a*'.repeat(12)}b`;

      // Act
      const started = performance.now();
      const result = drift({ baseline, target, criticalKeys: [glob, 'spring.*.a*a*a*a*a*a*a*a*a*a*a*b'] });
      const elapsedMs = performance.now() - started;

      // Assess: the old RegExp took seconds per key; a generous deadline for a busy machine.
      expect(elapsedMs).toBeLessThan(2000);
      expect(result.findings).toHaveLength(10);
      expect(result.findings.every((f) => f.severity !== 'critical')).toBe(true);
    });

    it('#1 splits a key of 100,000 capitals into words in linear time, as the regular expressions did on short keys', () => {
      // Prepare: the reference is the old pair of regular expressions (quadratic on a run of capitals).
      const reference = (text: string) =>
        text
          .replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2')
          .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
          .toLowerCase()
          .split(/[^\p{L}\p{N}]+/u)
          .filter((word) => word.length > 0);
      const key = `${'A'.repeat(100_000)}b`;

      // Act
      const started = performance.now();
      const words = wordsOf(key);
      const elapsedMs = performance.now() - started;

      // Assess
      expect(words).toEqual(['a'.repeat(99_999), 'ab']);
      expect(elapsedMs).toBeLessThan(2000);
      const text = fc
        .array(fc.constantFrom('a', 'b', 'A', 'B', '1', '_', '-', '.', ' ', 'é', 'É'), { maxLength: 12 })
        .map((chars) => chars.join(''));
      fc.assert(
        fc.property(text, (t) => expect(wordsOf(t)).toEqual(reference(t))),
        { numRuns: 2000 },
      );
      expect(wordsOf('HTTPServer_apiSecretKey v2Api')).toEqual([
        'http',
        'server',
        'api',
        'secret',
        'key',
        'v2',
        'api',
      ]);
    });

    it('#1 checks a 200 KB config value for credentials in linear time', () => {
      // Prepare: dotted base64-like text, where an unbounded URL-scheme run backtracked at every dot.
      const value = 'eyJhbGciOi.'.repeat(18_000);

      // Act
      const started = performance.now();
      const result = drift({ baseline: { banner: value }, target: { banner: `${value}x` } });
      const elapsedMs = performance.now() - started;

      // Assess
      expect(elapsedMs).toBeLessThan(2000);
      expect(result.findings).toHaveLength(1);
    });

    it('#1 keeps `*` glob semantics for key and path patterns', () => {
      // Prepare
      const baseline = { db: { primaryPassword: 'a', replicaUrl: 'x' }, cache: { size: 1 } };
      const target = { db: { primaryPassword: 'b', replicaUrl: 'y' }, cache: { size: 2 } };

      // Act
      const result = drift({ baseline, target, criticalKeys: ['*pass*word*', 'db.*url'] });

      // Assess
      expect(rows(result).filter(([severity]) => severity === 'critical')).toEqual([
        ['critical', 'DRIFT003', 'db.primaryPassword'],
        ['critical', 'DRIFT003', 'db.replicaUrl'],
      ]);
    });

    it('keeps secret-like keys redacted when criticalKeys no longer lists them', () => {
      // Prepare
      const input = { baseline: CHECKOUT_BASELINE, target: CHECKOUT_TARGET, criticalKeys: [] };

      // Act
      const result = drift(input);

      // Assess
      const text = JSON.stringify(result);
      expect(text).not.toContain('pg_9f8e7d6c5b4a39281706f5e4d3c2b1a0');
      expect(text).not.toContain('pg_0a1b2c3d4e5f60718293a4b5c6d7e8f9');
      expect(result.metrics.critical).toBe(0);
      expect(at(result, 'auth.audience')?.evidence).toEqual({ baseline: 'checkout-api', target: 'checkout' });
    });
  });

  describe('numeric changes', () => {
    it.each([
      [100, 150, 'DRIFT003', 'low'],
      [100, 151, 'DRIFT005', 'high'],
      [100, 50, 'DRIFT003', 'low'],
      [100, 49, 'DRIFT005', 'high'],
      [0, 1, 'DRIFT005', 'high'],
      [-10, -16, 'DRIFT005', 'high'],
      [0.5, 0.7, 'DRIFT003', 'low'],
      [0.3, 0.45, 'DRIFT003', 'low'],
    ])('%d → %d is %s (%s)', (before, after, ruleId, severity) => {
      // Prepare
      const input = { baseline: { pool: { size: before } }, target: { pool: { size: after } } };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual([[severity, ruleId, 'pool.size']]);
    });

    it('sees no drift between 3 and 3.0', () => {
      // Prepare
      const input = { baseline: 'workers: 3', target: '{"workers": 3.0}' };

      // Act
      const result = drift(input);

      // Assess
      expect(result.findings).toEqual([]);
    });

    it('reports a change to YAML .inf as a plain change', () => {
      // Prepare
      const input = { baseline: 'limits:\n  burst: 100\n', target: 'limits:\n  burst: .inf\n' };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual([['low', 'DRIFT003', 'limits.burst']]);
      expect(result.findings[0]?.evidence).toEqual({ baseline: 100, target: 'Infinity' });
    });

    it('states a change from zero without a percentage', () => {
      // Prepare
      const input = { baseline: { retries: 0 }, target: { retries: 4 } };

      // Act
      const finding = drift(input).findings[0];

      // Assess
      expect(finding?.message).toBe('retries changed from 0 to 4 (from zero).');
      expect(finding?.evidence).toEqual({ baseline: 0, target: 4 });
    });
  });

  describe('null, missing and types', () => {
    it.each([
      ['null, then absent', { timeout: null }, {}, [['medium', 'DRIFT001', 'timeout']]],
      ['absent, then null', {}, { timeout: null }, [['low', 'DRIFT002', 'timeout']]],
      ['null on both sides', { timeout: null }, { timeout: null }, []],
      ['null, then set', { timeout: null }, { timeout: '30s' }, [['low', 'DRIFT003', 'timeout']]],
      ['set, then null', { timeout: '30s' }, { timeout: null }, [['low', 'DRIFT003', 'timeout']]],
      ['undefined, then absent', { timeout: undefined }, {}, []],
    ])('%s', (_case, baseline, target, expected) => {
      // Prepare
      const input = { baseline, target };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual(expected);
    });

    it.each([
      ['5', 5, 'string', 'number'],
      [true, 'true', 'boolean', 'string'],
      [{ host: 'a' }, ['a'], 'map', 'list'],
      ['a', ['a'], 'string', 'list'],
    ])('reports %j → %j as a type change from %s to %s', (before, after, baselineType, targetType) => {
      // Prepare
      const input = { baseline: { replicas: before }, target: { replicas: after } };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual([['medium', 'DRIFT004', 'replicas']]);
      expect(result.findings[0]?.evidence).toMatchObject({ baselineType, targetType });
    });

    it('reads the quoted YAML "5" and the bare 5 as different types', () => {
      // Prepare
      const input = { baseline: 'port: 5432', target: 'port: "5432"' };

      // Act
      const result = drift(input);

      // Assess
      expect(result.findings[0]).toMatchObject({
        ruleId: 'DRIFT004',
        message: 'port changed type from number to string: 5432 → "5432".',
      });
    });

    it('finds no drift between two empty configs', () => {
      // Prepare
      const input = { baseline: {}, target: {} };

      // Act
      const result = drift(input);

      // Assess
      expect(result).toEqual({
        summary: 'No drift: the target matches the baseline.',
        score: 100,
        findings: [],
        metrics: { missing: 0, extra: 0, changed: 0, critical: 0 },
      });
    });

    it('reports a section that became empty by its missing keys', () => {
      // Prepare
      const input = { baseline: { resources: { limits: { cpu: '1' } } }, target: { resources: {} } };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual([['medium', 'DRIFT001', 'resources.limits']]);
      expect(result.findings[0]?.message).toBe(
        'resources.limits (a map of 1 key) is set in the baseline but missing in the target.',
      );
    });
  });

  describe('lists', () => {
    it('compares items by index and names them servers[i]', () => {
      // Prepare
      const baseline = {
        servers: [
          { host: 'web-1', port: 8080 },
          { host: 'web-2', port: 8080 },
        ],
      };
      const target = {
        servers: [
          { host: 'web-1', port: 8080 },
          { host: 'web-3', port: 8080 },
        ],
      };

      // Act
      const result = drift({ baseline, target });

      // Assess
      expect(rows(result)).toEqual([['low', 'DRIFT003', 'servers[1].host']]);
    });

    it.each([
      ['shorter', ['a', 'b'], [['medium', 'DRIFT001', 'hosts[2]']]],
      ['longer', ['a', 'b', 'c', 'd'], [['low', 'DRIFT002', 'hosts[3]']]],
    ])('reports the items of a %s list as missing or extra', (_case, hosts, expected) => {
      // Prepare
      const input = { baseline: { hosts: ['a', 'b', 'c'] }, target: { hosts } };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual(expected);
    });

    it('reports a reordered list once, not item by item', () => {
      // Prepare
      const input = {
        baseline: { spring: { profiles: { active: ['cloud', 'postgres', 'metrics'] } } },
        target: { spring: { profiles: { active: ['metrics', 'cloud', 'postgres'] } } },
      };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual([['low', 'DRIFT006', 'spring.profiles.active']]);
      expect(result.findings[0]?.message).toBe(
        'spring.profiles.active holds the same 3 items in a different order.',
      );
    });

    it('recognises reordered maps, such as a container env list', () => {
      // Prepare
      const env = [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'DB_HOST', value: 'orders-db' },
      ];
      const input = { baseline: { env }, target: { env: [env[1], env[0]] } };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual([['low', 'DRIFT006', 'env']]);
    });

    it('shows an item inserted at the front as changes after it, since lists compare by index', () => {
      // Prepare
      const input = { baseline: { hosts: ['b', 'c'] }, target: { hosts: ['a', 'b', 'c'] } };

      // Act
      const result = drift(input);

      // Assess
      expect(rows(result)).toEqual([
        ['low', 'DRIFT003', 'hosts[0]'],
        ['low', 'DRIFT003', 'hosts[1]'],
        ['low', 'DRIFT002', 'hosts[2]'],
      ]);
    });
  });

  describe('paths', () => {
    it.each([
      ['kubernetes.io/ingress.class', 'annotations["kubernetes.io/ingress.class"]'],
      ['with space', 'annotations["with space"]'],
      ['say "hi"', 'annotations["say \\"hi\\""]'],
      ['', 'annotations[""]'],
      ['context-path', 'annotations.context-path'],
      ['team/owner', 'annotations.team/owner'],
    ])('writes the key %j as %s', (key, path) => {
      // Prepare
      const input = {
        baseline: { annotations: { [key]: 'one' } },
        target: { annotations: { [key]: 'two' } },
      };

      // Act
      const result = drift(input);

      // Assess
      expect(result.findings.map((f) => f.resource?.name)).toEqual([path]);
    });

    it('quotes a dotted key at the top level too', () => {
      // Prepare
      const input = { baseline: { 'app.kubernetes.io/name': 'orders' }, target: {} };

      // Act
      const result = drift(input);

      // Assess
      expect(result.findings[0]?.resource?.name).toBe('["app.kubernetes.io/name"]');
    });
  });

  describe('secrets', () => {
    it.each([
      ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
      [
        'a JWT',
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      ],
      ['a URL with a password', 'postgres://orders:hunter2-prod@orders-db:5432/orders'],
      ['a GitHub token', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
      [
        'a PEM private key',
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7f3x\n-----END RSA PRIVATE KEY-----',
      ],
      ['a random base64 key', 'q8Zr4Vt2Lm9Xw1Ks7Pb3Nd6Hf0Jc5Gy2Aa8Ee4Ii'],
    ])('redacts %s under an innocent key', (_case, secret) => {
      // Prepare
      const input = { baseline: { notes: { value: 'placeholder' } }, target: { notes: { value: secret } } };

      // Act
      const result = drift(input);

      // Assess
      expect(JSON.stringify(result)).not.toContain(secret);
      expect(result.findings[0]?.evidence).toEqual({ baseline: '[redacted]', target: '[redacted]' });
    });

    it('keeps secrets out of missing and extra sections, and out of type changes', () => {
      // Prepare
      const input = {
        baseline: { vault: { token: 's.XyZ-vault-root-token', address: 'https://vault:8200' }, smtp: 'mail' },
        target: { smtp: { host: 'mail', password: 'smtp-Pa55word' }, oauth: { clientSecret: 12345678 } },
      };

      // Act
      const result = drift(input);

      // Assess
      const text = JSON.stringify(result);
      for (const secret of ['s.XyZ-vault-root-token', 'smtp-Pa55word', '12345678']) {
        expect(text).not.toContain(secret);
      }
      expect(at(result, 'vault')?.evidence).toEqual({
        baseline: { token: '[redacted]', address: 'https://vault:8200' },
      });
    });

    it('does not redact ordinary long identifiers', () => {
      // Prepare
      const digest = 'sha256:4c8a3f9d2e1b0a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c';
      const input = { baseline: { image: { digest: 'sha256:0' } }, target: { image: { digest } } };

      // Act
      const result = drift(input);

      // Assess
      expect(result.findings[0]?.evidence).toEqual({ baseline: 'sha256:0', target: digest.slice(0, 120) });
    });

    it('redacts a large numeric change on a secret key, saying only that it was large', () => {
      // Prepare
      const input = { baseline: { vault: { unsealPin: 4711 } }, target: { vault: { unsealPin: 982301 } } };

      // Act
      const result = drift({ ...input, criticalKeys: ['vault.*'] });

      // Assess
      expect(result.findings[0]).toMatchObject({
        ruleId: 'DRIFT005',
        severity: 'critical',
        message: 'vault.unsealPin changed by more than 50% (values redacted).',
        evidence: { baseline: '[redacted]', target: '[redacted]' },
      });
      expect(JSON.stringify(result)).not.toMatch(/4711|982301/);
    });

    it('caps the preview of a large missing section', () => {
      // Prepare
      const flags = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`flag${i}`, i % 2 === 0]));
      const input = { baseline: { features: flags, deep: { a: { b: { c: { d: 1 } } } } }, target: {} };

      // Act
      const result = drift(input);

      // Assess
      const features = at(result, 'features')?.evidence as { baseline: Record<string, unknown> };
      expect(Object.keys(features.baseline)).toHaveLength(41);
      expect(features.baseline['…']).toBe('60 more');
      expect(at(result, 'deep')?.evidence).toEqual({ baseline: { a: { b: { c: '(a map of 1 key)' } } } });
    });

    it('truncates long values in evidence and messages', () => {
      // Prepare
      const banner = 'Welcome to the orders service. '.repeat(10);
      const input = { baseline: { ui: { banner: 'Welcome' } }, target: { ui: { banner } } };

      // Act
      const finding = drift(input).findings[0];

      // Assess
      expect(finding?.evidence).toEqual({
        baseline: 'Welcome',
        target: `${banner.slice(0, 120)}… (${banner.length} chars)`,
      });
      expect(finding?.message.length).toBeLessThan(200);
    });
  });

  describe('security-relevant keys and values', () => {
    it('matches a multi-word critical key across the keys of a path: database.url is database_url', () => {
      const result = drift({
        baseline: { database: { url: 'postgres://app@db:5432/app', pool: 10 } },
        target: { database: { url: 'postgres://app@db-replica:5432/app', pool: 10 } },
      });
      expect(rows(result)).toEqual([['critical', 'DRIFT003', 'database.url']]);
    });

    it('treats a changed URL with a password in it as a credential change, whatever its key', () => {
      const result = drift({
        baseline: { upstream: { endpoint: 'postgres://app:old-pw@db:5432/app' } },
        target: { upstream: { endpoint: 'postgres://app:new-pw@db:5432/app' } },
      });
      expect(rows(result)).toEqual([['critical', 'DRIFT003', 'upstream.endpoint']]);
      expect(JSON.stringify(result.findings)).not.toContain('new-pw');
    });

    it('raises flipped protection toggles to high (ssl verification, insecureSkipVerify), not their additions', () => {
      const result = drift({
        baseline: { client: { ssl_verify: true, insecureSkipVerify: false, timeout: 5 } },
        target: {
          client: { ssl_verify: false, insecureSkipVerify: true, timeout: 6, mtls: { mode: 'strict' } },
        },
      });
      expect(rows(result)).toEqual([
        ['high', 'DRIFT003', 'client.insecureSkipVerify'],
        ['high', 'DRIFT003', 'client.ssl_verify'],
        ['low', 'DRIFT002', 'client.mtls'],
        ['low', 'DRIFT003', 'client.timeout'],
      ]);
    });
  });

  describe('input', () => {
    it('reads objects, JSON text and YAML text alike', () => {
      // Prepare
      const baseline = { server: { port: 8080, tls: { enabled: true } } };
      const target = { server: { port: 8443, tls: { enabled: false } } };
      const yaml = 'server:\n  port: 8443\n  tls:\n    enabled: false\n';

      // Act
      const fromObjects = drift({ baseline, target });
      const fromText = drift({ baseline: JSON.stringify(baseline), target: yaml });

      // Assess: the same findings; text also gives each key's line in the target.
      expect(fromText.findings.map((f) => f.resource?.line)).toEqual([4, 2]);
      for (const finding of fromText.findings) delete finding.resource?.line;
      expect(fromText).toEqual(fromObjects);
      // TLS turned off is a security toggle flipped: high, first.
      expect(rows(fromObjects)).toEqual([
        ['high', 'DRIFT003', 'server.tls.enabled'],
        ['low', 'DRIFT003', 'server.port'],
      ]);
    });

    it('expands YAML merge keys before comparing', () => {
      // Prepare
      const baseline = 'defaults: &defaults\n  timeout: 30\n  retries: 3\nprimary:\n  <<: *defaults\n';
      const target = { defaults: { timeout: 30, retries: 3 }, primary: { timeout: 30, retries: 3 } };

      // Act
      const result = drift({ baseline, target });

      // Assess
      expect(result.findings).toEqual([]);
    });

    it('rejects YAML that does not parse at input.baseline, without quoting the source', () => {
      // Prepare
      const broken = 'server:\n  port: 8080\n password: hunter2-prod-Secret\n';

      // Act
      const error = inputError({ baseline: broken, target: {} });

      // Assess
      expect(error.errors).toEqual([
        {
          path: 'input.baseline',
          message:
            'baseline is not valid JSON or YAML: All mapping items must start at the same column at line 3, column 1',
        },
      ]);
      expect(JSON.stringify(error)).not.toContain('hunter2');
    });

    it.each([
      ['a list', '- web-1\n- web-2\n', 'the text holds a list'],
      ['a scalar', 'just a sentence', 'the text holds a string'],
      ['a number', '42', 'the text holds a number'],
      ['nothing', '', 'the text holds nothing'],
    ])('rejects text holding %s at input.target', (_case, text, reason) => {
      // Prepare
      const input = { baseline: {}, target: text };

      // Act
      const error = inputError(input);

      // Assess
      expect(error.errors).toHaveLength(1);
      expect(error.errors[0]?.path).toBe('input.target');
      expect(error.errors[0]?.message).toContain(reason);
    });

    it.each([
      ['a list as the config', { baseline: [1, 2], target: {} }, 'input.baseline'],
      ['a number as the config', { baseline: {}, target: 7 }, 'input.target'],
      ['an empty pattern', { baseline: {}, target: {}, criticalKeys: ['  '] }, 'input.criticalKeys.0'],
      ['an unknown field', { baseline: {}, target: {}, critical: ['x'] }, 'input'],
    ])('rejects %s', (_case, input, path) => {
      // Prepare: the input of the row.

      // Act
      const error = inputError(input);

      // Assess
      expect(error.errors.map((e) => e.path)).toEqual([path]);
    });
  });

  describe('determinism', () => {
    it('gives the same fingerprints on every run, one per rule and path', () => {
      // Prepare
      const input = { baseline: HELM_STAGING, target: HELM_PRODUCTION };

      // Act
      const first = drift(input).findings.map((f) => f.fingerprint);
      const second = drift(input).findings.map((f) => f.fingerprint);

      // Assess
      expect(second).toEqual(first);
      expect(new Set(first).size).toBe(first.length);
    });

    it('keys the fingerprint on rule and path, not on the values', () => {
      // Prepare
      const one = { baseline: { log: { level: 'INFO' } }, target: { log: { level: 'DEBUG' } } };
      const other = { baseline: { log: { level: 'WARN' } }, target: { log: { level: 'TRACE' } } };
      const elsewhere = { baseline: { audit: { level: 'INFO' } }, target: { audit: { level: 'DEBUG' } } };

      // Act
      const [a, b, c] = [one, other, elsewhere].map((input) => drift(input).findings[0]?.fingerprint);

      // Assess
      expect(a).toBe(b);
      expect(a).not.toBe(c);
    });

    it('does not depend on the order of keys in the input', () => {
      // Prepare
      const baseline = { zeta: 1, alpha: { b: 'x', a: 'y' }, mid: [1, 2] };
      const target = { mid: [1, 3], alpha: { a: 'z', c: true }, omega: null };
      const reversed = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse());

      // Act
      const forward = drift({ baseline, target });
      const backward = drift({ baseline: reversed(baseline), target: reversed(target) });

      // Assess
      expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
      expect(rows(forward)).toEqual([
        ['medium', 'DRIFT001', 'alpha.b'],
        ['medium', 'DRIFT001', 'zeta'],
        ['low', 'DRIFT003', 'alpha.a'],
        ['low', 'DRIFT002', 'alpha.c'],
        ['low', 'DRIFT003', 'mid[1]'],
        ['low', 'DRIFT002', 'omega'],
      ]);
    });
  });

  describe('scale and depth', () => {
    it('compares a config of 10,000 keys in well under a second', () => {
      // Prepare
      const baseline: Record<string, Record<string, number>> = {};
      const target: Record<string, Record<string, number>> = {};
      for (let s = 0; s < 100; s += 1) {
        baseline[`service${s}`] = Object.fromEntries(
          Array.from({ length: 100 }, (_, k) => [`setting_${k}`, k]),
        );
        target[`service${s}`] = Object.fromEntries(
          Array.from({ length: 100 }, (_, k) => [`setting_${k}`, k % 10 === 0 ? k * 3 + 1 : k]),
        );
      }

      // Act
      const started = performance.now();
      const result = analyzeConfigDrift({ baseline, target });
      const elapsed = performance.now() - started;

      // Assess
      expect(result.findings).toHaveLength(1000);
      expect(elapsed).toBeLessThan(1000);
    });

    it('stops key-by-key comparison at depth 64 and reports the difference below it', () => {
      // Prepare
      let baseline: Record<string, unknown> = { leaf: 'blue' };
      let target: Record<string, unknown> = { leaf: 'green' };
      for (let level = 0; level < 100; level += 1) {
        baseline = { level: baseline };
        target = { level: target };
      }

      // Act
      const result = drift({ baseline, target });

      // Assess
      expect(rows(result)).toEqual([['medium', 'DRIFT007', Array(64).fill('level').join('.')]]);
      expect(result.findings[0]?.title).toBe(DRIFT_RULES.rule('DRIFT007').title);
    });

    it('compares lists below depth 64 as a whole', () => {
      // Prepare
      let baseline: unknown = ['a', 'b'];
      let target: unknown = ['a', 'b'];
      for (let level = 0; level < 80; level += 1) {
        baseline = [baseline];
        target = [level === 0 ? ['a', 'c'] : target];
      }

      // Act
      const same = drift({ baseline: { nested: [baseline] }, target: { nested: [baseline] } });
      const different = drift({ baseline: { nested: [baseline] }, target: { nested: [target] } });

      // Assess
      expect(same.findings).toEqual([]);
      expect(rows(different)).toEqual([['medium', 'DRIFT007', `nested${'[0]'.repeat(63)}`]]);
    });

    it('survives nesting far deeper than any call stack', () => {
      // Prepare
      let baseline: Record<string, unknown> = { leaf: 1 };
      let target: Record<string, unknown> = { leaf: 1 };
      for (let level = 0; level < 50_000; level += 1) {
        baseline = { n: baseline };
        target = { n: target };
      }

      // Act
      const result = drift({ baseline, target });

      // Assess
      expect(result.findings).toEqual([]);
    });
  });
});

describe('config-drift-detector findings point into the target file', () => {
  it('gives each finding the target file and the line of its key, the parent line for a missing key', () => {
    // Prepare
    const baseline = 'server:\n  port: 8080\n  timeoutMs: 3000\nlogging:\n  level: info\n';
    const target = '# production\nserver:\n  port: 9090\nlogging:\n  level: info\n  sql: true\n';

    // Act
    const input = agent.fromFiles?.([
      { path: 'conf/staging.yaml', content: baseline },
      { path: 'conf/production.yaml', content: target },
    ]);
    const result = drift(input);

    // Assess
    expect(
      result.findings.map((f) => [f.ruleId, f.resource?.name, f.resource?.file, f.resource?.line]),
    ).toEqual([
      ['DRIFT001', 'server.timeoutMs', 'conf/production.yaml', 2],
      ['DRIFT003', 'server.port', 'conf/production.yaml', 3],
      ['DRIFT002', 'logging.sql', 'conf/production.yaml', 6],
    ]);
  });
});
