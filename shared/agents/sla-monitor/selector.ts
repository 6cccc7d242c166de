/**
 * PromQL instant-vector selectors (`http_requests_total{service="checkout",code!~"5.."}`):
 * the one way an SLO names its good, bad and total series. The same selector
 * picks the series out of the metric files the agent is given and goes,
 * unchanged, into the generated recording rules, so what the agent measured
 * is what Prometheus will alert on. Regular expressions are fully anchored,
 * as in PromQL.
 */

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

export interface Selector {
  /** The metric name; absent for a selector of labels only (`{job="api"}`). */
  metric?: string;
  matchers: LabelMatcher[];
  /** As written, for messages and rules. */
  text: string;
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const OP = /^(=~|!~|!=|=)/;
/** A double-quoted PromQL string: escapes kept for the unescape below. */
const QUOTED = /^"((?:[^"\\]|\\.)*)"/;

function unquote(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

function readMatchers(body: string): LabelMatcher[] | string {
  const matchers: LabelMatcher[] = [];
  let rest = body.trim();
  while (rest.length > 0) {
    const name = LABEL.exec(rest)?.[0];
    if (name === undefined) return `expected a label name at "${rest.slice(0, 20)}"`;
    rest = rest.slice(name.length).trimStart();
    const op = OP.exec(rest)?.[0] as MatchOp | undefined;
    if (op === undefined) return `expected =, !=, =~ or !~ after ${name}`;
    rest = rest.slice(op.length).trimStart();
    const quoted = QUOTED.exec(rest);
    if (quoted === null) return `expected a double-quoted value for ${name}`;
    const value = unquote(quoted[1] ?? '');
    if (op === '=~' || op === '!~') {
      try {
        new RegExp(`^(?:${value})$`);
      } catch {
        return `the regular expression of ${name} does not compile`;
      }
    }
    matchers.push({ name, op, value });
    rest = rest.slice(quoted[0].length).trimStart();
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    else if (rest.length > 0) return `expected , between matchers at "${rest.slice(0, 20)}"`;
  }
  return matchers;
}

/** The selector in `text`, or why it is not one. */
export function parseSelector(text: string): Selector | { error: string } {
  const trimmed = text.trim();
  const metric = METRIC.exec(trimmed)?.[0];
  const rest = trimmed.slice(metric?.length ?? 0).trim();
  if (rest.length === 0) {
    return metric === undefined ? { error: 'empty selector' } : { metric, matchers: [], text: trimmed };
  }
  if (!rest.startsWith('{') || !rest.endsWith('}')) {
    return { error: `"${trimmed}" is not a metric name with optional {label matchers}` };
  }
  const matchers = readMatchers(rest.slice(1, -1));
  if (typeof matchers === 'string') return { error: matchers };
  if (metric === undefined && !matchers.some((m) => m.op === '=' && m.value !== '')) {
    return { error: 'a selector without a metric name needs a label matcher that is not empty' };
  }
  return { ...(metric === undefined ? {} : { metric }), matchers, text: trimmed };
}

/** Compiled once per pattern (a selector is tested against every series of every file); a worker runs many inputs, so the cache is bounded. */
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 1000;

function anchored(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    regex = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, regex);
  }
  return regex;
}

function holds(m: LabelMatcher, actual: string): boolean {
  switch (m.op) {
    case '=':
      return actual === m.value;
    case '!=':
      return actual !== m.value;
    case '=~':
      return anchored(m.value).test(actual);
    case '!~':
      return !anchored(m.value).test(actual);
  }
}

/** Whether a series with these labels (`__name__` its metric) is selected; a missing label is "". */
export function matches(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  if (selector.metric !== undefined && labels.__name__ !== selector.metric) return false;
  return selector.matchers.every((m) => holds(m, labels[m.name] ?? ''));
}

/** The selector with `metric` as its name and `extra` matchers added (histogram `_bucket{le="0.3"}`). */
export function renderSelector(
  selector: Selector,
  metric: string | undefined,
  extra: readonly LabelMatcher[] = [],
): string {
  const all = [...selector.matchers.filter((m) => !extra.some((e) => e.name === m.name)), ...extra];
  const body = all.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(',');
  return `${metric ?? ''}${all.length > 0 || metric === undefined ? `{${body}}` : ''}`;
}
