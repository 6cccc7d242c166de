/**
 * The same alerts as CloudWatch alarms, as a CloudFormation template (CDK's
 * `CfnInclude` reads it as it is): per SLO and burn-rate window one metric
 * math alarm on the error ratio — bad (or total − good) over total, each
 * metric summed over a period as long as the window, one evaluation period —
 * and per alert one composite alarm `ALARM(long) AND ALARM(short)`, the
 * workbook's two-window condition. Alarm actions are left to the stack that
 * includes it. Without a `cloudwatch` block the metrics are the selectors'
 * names with their `=` labels as dimensions, in namespace SLO/<service>.
 */
import { ALERTS, type AlertPolicy } from './policy.js';
import type { RuleSlo } from './prometheus-rules.js';
import type { SloSpec } from './schema.js';
import type { Selector } from './selector.js';
import type { Slo } from './slos.js';

type CloudWatchMetric = NonNullable<NonNullable<SloSpec['cloudwatch']>['good']>;
type Query = Record<string, unknown>;

const safeName = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, '-');
const logicalId = (...parts: string[]) =>
  parts
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');

function fromSelector(slo: Slo, selector: Selector | undefined, metricName?: string): CloudWatchMetric {
  const equal = (selector?.matchers ?? []).filter((m) => m.op === '=' && m.name !== 'le');
  return {
    namespace: `SLO/${slo.service ?? slo.name}`,
    metricName: metricName ?? selector?.metric ?? slo.name,
    dimensions: Object.fromEntries(equal.map((m) => [m.name, m.value])),
  };
}

function metricStat(id: string, metric: CloudWatchMetric, seconds: number, stat: string): Query {
  const dimensions = Object.entries(metric.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value }));
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: metric.namespace,
        MetricName: metric.metricName,
        ...(dimensions.length > 0 ? { Dimensions: dimensions } : {}),
      },
      Period: seconds,
      Stat: stat,
    },
    ReturnData: false,
  };
}

/** The metric queries of an SLO over one window, the last one the error ratio. */
export function errorRatioQueries(slo: Slo, seconds: number, label: string): Query[] {
  const cw = slo.spec.cloudwatch;
  const ratio = (expression: string) => ({
    Id: 'errorRatio',
    Expression: expression,
    Label: label,
    ReturnData: true,
  });
  const histogram = slo.selectors.histogram;
  if (
    slo.kind === 'latency' &&
    (cw?.latency !== undefined || (histogram !== undefined && cw?.total === undefined))
  ) {
    const base = (histogram?.metric ?? '').replace(/_bucket$/, '');
    const metric = cw?.latency ?? { ...fromSelector(slo, histogram, base), unit: 'Seconds' as const };
    const threshold = (slo.thresholdMs ?? 0) / (metric.unit === 'Seconds' ? 1000 : 1);
    return [
      metricStat('good', metric, seconds, `TC(:${threshold})`),
      metricStat('total', metric, seconds, 'SampleCount'),
      ratio('(total - good) / total'),
    ];
  }
  const total = cw?.total ?? fromSelector(slo, slo.selectors.total);
  const stat = (m: CloudWatchMetric) => m.stat ?? 'Sum';
  if (slo.selectors.bad !== undefined || cw?.bad !== undefined) {
    const bad = cw?.bad ?? fromSelector(slo, slo.selectors.bad);
    return [
      metricStat('bad', bad, seconds, stat(bad)),
      metricStat('total', total, seconds, stat(total)),
      ratio('bad / total'),
    ];
  }
  const good = cw?.good ?? fromSelector(slo, slo.selectors.good);
  return [
    metricStat('good', good, seconds, stat(good)),
    metricStat('total', total, seconds, stat(total)),
    ratio('(total - good) / total'),
  ];
}

function windowAlarm(rule: RuleSlo, policy: AlertPolicy, window: 'long' | 'short') {
  const { slo, target } = rule;
  const text = window === 'long' ? policy.longWindow : policy.shortWindow;
  const minutes = window === 'long' ? policy.longMinutes : policy.shortMinutes;
  const threshold = Number((policy.burnRate * (1 - target / 100)).toPrecision(12));
  const name = safeName(`${slo.name}-${policy.name}-${text}`);
  return {
    id: logicalId(slo.name, policy.name, text),
    name,
    resource: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: name,
        AlarmDescription: `${slo.name}: error ratio over ${text} above ${policy.burnRate}× the ${target} % budget (${threshold}). Part of ${policy.name}.`,
        ActionsEnabled: false,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: threshold,
        TreatMissingData: 'missing',
        Metrics: errorRatioQueries(slo, minutes * 60, `${slo.name} error ratio ${text}`),
      },
    },
  };
}

/** The alarms and composite alarms of one SLO, by logical id. */
function sloResources(rule: RuleSlo): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const policy of ALERTS) {
    const long = windowAlarm(rule, policy, 'long');
    const short = windowAlarm(rule, policy, 'short');
    resources[long.id] = long.resource;
    resources[short.id] = short.resource;
    const name = safeName(`${rule.slo.name}-${policy.name}`);
    resources[logicalId(rule.slo.name, policy.name)] = {
      Type: 'AWS::CloudWatch::CompositeAlarm',
      DependsOn: [long.id, short.id],
      Properties: {
        AlarmName: name,
        AlarmDescription: `${rule.slo.name} ${policy.severity}: burn rate above ${policy.burnRate}× over ${policy.longWindow} and ${policy.shortWindow} (SRE workbook, multiwindow multi-burn-rate).`,
        AlarmRule: `ALARM("${long.name}") AND ALARM("${short.name}")`,
        ActionsEnabled: true,
      },
    };
  }
  return resources;
}

export function cloudWatchTemplate(rules: readonly RuleSlo[]) {
  return {
    AWSTemplateFormatVersion: '2010-09-09' as const,
    Description: 'SLO burn-rate alarms generated by aiops sla-monitor (include with CDK CfnInclude).',
    Resources: Object.assign({}, ...rules.map(sloResources)) as Record<string, unknown>,
  };
}
