/**
 * The alerting rules sla-monitor writes, checked by the tools that will read
 * them: every PromQL `expr` of the Prometheus rule file parses with the
 * official Prometheus grammar (@prometheus-io/lezer-promql) without an error
 * node; the CloudWatch template fits the AWS::CloudWatch::Alarm and
 * CompositeAlarm property shapes (test/fixtures/sla-monitor/cloudwatch-alarms.schema.json)
 * and is read by CDK's CfnInclude into a stack that synthesises.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parser } from '@prometheus-io/lezer-promql';
import AjvModule from 'ajv';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { parse } from 'yaml';
import { runAgent } from '../../../shared/agents/registry.js';
import type { SlaOutput } from '../../../shared/agents/sla-monitor/schema.js';

const ROOT = 'test/fixtures/sla-monitor';
const context = { traceId: 'trace-sla-rules', now: new Date('2026-06-01T12:00:00Z') };
const SHOP = [
  'slos.yaml',
  'checkout-requests.json',
  'checkout-latency.json',
  'payments-cloudwatch.json',
  'search.csv',
];

const result = (await runAgent(
  'sla-monitor',
  {
    files: SHOP.map((name) => ({
      path: `${ROOT}/shop/${name}`,
      content: readFileSync(`${ROOT}/shop/${name}`, 'utf8'),
    })),
  },
  context,
)) as SlaOutput;

/** The error nodes lezer-promql puts in the tree of `expr`, as "from-to: text". */
function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError)
        errors.push(`${node.from}-${node.to}: ${expr.slice(Math.max(0, node.from - 10), node.to + 10)}`);
    },
  });
  return errors;
}

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}

const file = parse(result.rules.prometheus) as { groups: { name: string; rules: Rule[] }[] };
const rules = file.groups.flatMap((g) => g.rules);

describe('the Prometheus rule file', () => {
  it('has one group per evaluable SLO, each with 7 recording rules and a page and a ticket alert', () => {
    expect(file.groups.map((g) => [g.name, g.rules.length])).toEqual([
      ['slo-checkout-availability', 9],
      ['slo-checkout-latency', 9],
      ['slo-payments-availability', 9],
      ['slo-search-availability', 9],
      ['slo-reports-freshness', 9],
    ]);
    expect(
      file.groups[0]?.rules.map((r) => r.record ?? `${r.alert} ${r.labels?.severity} for ${r.for}`),
    ).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'CheckoutAvailabilityErrorBudgetBurn page for 2m',
      'CheckoutAvailabilityErrorBudgetBurn ticket for 15m',
    ]);
  });

  it.each(rules.map((r) => [r.record ?? r.alert, r.expr] as const))(
    '%s parses as PromQL: %s',
    (_name, expr) => {
      expect(promqlErrors(expr)).toEqual([]);
    },
  );

  it('the parser check can fail: a broken expression has error nodes', () => {
    expect(promqlErrors('sum(rate(http_requests_total{code=~"5.."}[5m]) /')).not.toEqual([]);
    expect(promqlErrors('slo:sli_error:ratio_rate1h{slo="x"} > (14.4 * 0.001) and')).not.toEqual([]);
  });

  it('records the error ratio with the SLO’s own selectors, and the latency bucket as the data writes it', () => {
    const byGroup = Object.fromEntries(file.groups.map((g) => [g.name, g.rules]));
    expect(byGroup['slo-checkout-availability']?.[2]).toEqual({
      record: 'slo:sli_error:ratio_rate1h',
      expr: '1 - (sum(rate(http_requests_total{service="checkout",code!~"5.."}[1h])) / sum(rate(http_requests_total{service="checkout"}[1h])))',
      labels: { slo: 'checkout-availability', service: 'checkout' },
    });
    expect(byGroup['slo-checkout-latency']?.[0]?.expr).toBe(
      '1 - (sum(rate(http_request_duration_seconds_bucket{service="checkout",le="0.3"}[5m])) / sum(rate(http_request_duration_seconds_count{service="checkout"}[5m])))',
    );
  });

  it('alerts on both windows of each workbook pair, at the burn rate times the budget', () => {
    const page = rules.find(
      (r) => r.alert === 'CheckoutAvailabilityErrorBudgetBurn' && r.labels?.severity === 'page',
    );
    expect(page?.expr).toBe(
      '(slo:sli_error:ratio_rate1h{slo="checkout-availability"} > (14.4 * 0.001) and slo:sli_error:ratio_rate5m{slo="checkout-availability"} > (14.4 * 0.001))' +
        ' or (slo:sli_error:ratio_rate6h{slo="checkout-availability"} > (6 * 0.001) and slo:sli_error:ratio_rate30m{slo="checkout-availability"} > (6 * 0.001))',
    );
    expect(page?.labels).toEqual({
      severity: 'page',
      slo: 'checkout-availability',
      service: 'checkout',
      team: 'payments-platform',
    });
    const ticket = rules.find(
      (r) => r.alert === 'PaymentsAvailabilityErrorBudgetBurn' && r.labels?.severity === 'ticket',
    );
    expect(ticket?.expr).toContain('slo:sli_error:ratio_rate1d{slo="payments-availability"} > (3 * 0.005)');
    expect(ticket?.expr).toContain('slo:sli_error:ratio_rate3d{slo="payments-availability"} > (1 * 0.005)');
  });
});

describe('the CloudWatch template', () => {
  const template = result.rules.cloudwatch;
  const resources = Object.entries(template.Resources) as [
    string,
    { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] },
  ][];

  it('fits the AWS::CloudWatch::Alarm and CompositeAlarm property shapes', () => {
    const Ajv = AjvModule.default;
    const validate = new Ajv({ allErrors: true }).compile(
      JSON.parse(readFileSync(`${ROOT}/cloudwatch-alarms.schema.json`, 'utf8')),
    );
    expect(validate(template) ? [] : validate.errors).toEqual([]);
    // The schema refuses what CloudFormation refuses: an unknown property.
    const broken = structuredClone(template) as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    const first = Object.values(broken.Resources)[0];
    if (first) first.Properties.Treshold = 1;
    expect(validate(broken)).toBe(false);
  });

  it('has per SLO 8 window alarms and 4 composite alarms, each composite the AND of its two windows', () => {
    const types = resources.map(([, r]) => r.Type);
    expect(types.filter((t) => t === 'AWS::CloudWatch::Alarm')).toHaveLength(5 * 8);
    expect(types.filter((t) => t === 'AWS::CloudWatch::CompositeAlarm')).toHaveLength(5 * 4);
    const composite = template.Resources.CheckoutAvailabilityPageFast as {
      Properties: { AlarmRule: string };
      DependsOn: string[];
    };
    expect(composite.Properties.AlarmRule).toBe(
      'ALARM("checkout-availability-page-fast-1h") AND ALARM("checkout-availability-page-fast-5m")',
    );
    expect(composite.DependsOn).toEqual(['CheckoutAvailabilityPageFast1h', 'CheckoutAvailabilityPageFast5m']);
  });

  it('computes the error ratio by metric math over a period as long as the window', () => {
    const alarm = template.Resources.PaymentsAvailabilityTicketSlow3d as {
      Properties: Record<string, unknown>;
    };
    expect(alarm.Properties).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      Threshold: 0.005,
      Metrics: [
        {
          Id: 'good',
          MetricStat: {
            Metric: {
              Namespace: 'Shop/Payments',
              MetricName: 'SuccessfulCharges',
              Dimensions: [{ Name: 'Service', Value: 'payments' }],
            },
            Period: 259_200,
            Stat: 'Sum',
          },
          ReturnData: false,
        },
        { Id: 'total', MetricStat: { Metric: { MetricName: 'ChargeAttempts' }, Period: 259_200 } },
        { Id: 'errorRatio', Expression: '(total - good) / total', ReturnData: true },
      ],
    });
    const latency = template.Resources.CheckoutLatencyPageFast5m as {
      Properties: { Metrics: { MetricStat?: { Stat: string } }[] };
    };
    expect(latency.Properties.Metrics.map((m) => m.MetricStat?.Stat)).toEqual([
      'TC(:0.3)',
      'SampleCount',
      undefined,
    ]);
  });

  describe('read by CDK', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-monitor-cfn-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('CfnInclude takes the template as it is and the stack synthesises with every alarm', () => {
      // Prepare
      const templateFile = join(dir, 'slo-alarms.json');
      writeFileSync(templateFile, JSON.stringify(template));
      const stack = new Stack(new App(), 'SloAlarms');

      // Act
      new CfnInclude(stack, 'Slo', { templateFile });
      const synthesised = Template.fromStack(stack);

      // Assess
      synthesised.resourceCountIs('AWS::CloudWatch::Alarm', 40);
      synthesised.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 20);
      synthesised.hasResource('AWS::CloudWatch::CompositeAlarm', {
        DependsOn: ['CheckoutAvailabilityPageFast1h', 'CheckoutAvailabilityPageFast5m'],
      });
    });
  });
});
