import { describe, expect, it } from '@jest/globals';
import {
  describeMinutes,
  formatDuration,
  parseDuration,
} from '../../../shared/agents/sla-monitor/durations.js';
import { findGaps, resolutionMinutes, staleMinutes } from '../../../shared/agents/sla-monitor/gaps.js';
import { jsonLocator } from '../../../shared/agents/sla-monitor/json-lines.js';
import {
  matches,
  parseSelector,
  renderSelector,
  type Selector,
} from '../../../shared/agents/sla-monitor/selector.js';
import type { Series } from '../../../shared/agents/sla-monitor/series.js';
import { perStep } from '../../../shared/agents/sla-monitor/sli.js';

describe('durations', () => {
  it.each([
    ['5m', 5],
    ['1h30m', 90],
    ['28d', 40_320],
    ['4w', 40_320],
    ['90s', 1.5],
  ])('%s is %d minutes', (text, minutes) => expect(parseDuration(text)).toBe(minutes));

  it.each(['30 days', 'monthly', '0d', '', '5M'])('"%s" is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats with the largest unit that divides the span', () => {
    expect([5, 60, 1440, 4320, 10_080, 90, 0.5].map(formatDuration)).toEqual([
      '5m',
      '1h',
      '1d',
      '3d',
      '1w',
      '90m',
      '30s',
    ]);
    expect([43.2, 2070, 8640].map(describeMinutes)).toEqual(['43.2 min', '34.5 h', '6.0 d']);
  });
});

describe('selectors', () => {
  const sel = (text: string) => parseSelector(text) as Selector;

  it('parses names, every matcher and escapes, and renders them back', () => {
    const s = sel('http_requests_total{service="check\\"out", code!~"5..", path=~"/api/.*", env!=""}');
    expect(s.metric).toBe('http_requests_total');
    expect(s.matchers).toEqual([
      { name: 'service', op: '=', value: 'check"out' },
      { name: 'code', op: '!~', value: '5..' },
      { name: 'path', op: '=~', value: '/api/.*' },
      { name: 'env', op: '!=', value: '' },
    ]);
    expect(renderSelector(s, 'x_bucket', [{ name: 'le', op: '=', value: '0.3' }])).toBe(
      'x_bucket{service="check\\"out",code!~"5..",path=~"/api/.*",env!="",le="0.3"}',
    );
  });

  it('anchors regular expressions and treats a missing label as empty', () => {
    const s = sel('up{code=~"5..", zone!="a"}');
    expect(matches(s, { __name__: 'up', code: '503' })).toBe(true);
    expect(matches(s, { __name__: 'up', code: '1503' })).toBe(false);
    expect(matches(s, { __name__: 'up', code: '503', zone: 'a' })).toBe(false);
    expect(matches(s, { __name__: 'down', code: '503' })).toBe(false);
  });

  it.each([
    ['', 'empty selector'],
    ['up{job="a"', 'is not a metric name'],
    ['up{="a"}', 'expected a label name'],
    ['up{job~"a"}', 'expected =, !=, =~ or !~'],
    ['up{job=a}', 'expected a double-quoted value'],
    ['up{job=~"("}', 'does not compile'],
    ['up{job="a" zone="b"}', 'expected , between matchers'],
    ['{job=""}', 'needs a label matcher that is not empty'],
  ])('"%s" is refused: %s', (text, why) => {
    expect((parseSelector(text) as { error: string }).error).toContain(why);
  });
});

describe('counters', () => {
  const series = (values: number[], cumulative: boolean): Series => ({
    file: 'm.json',
    format: 'prometheus',
    labels: { __name__: 'x_total' },
    points: values.map((value, i) => ({ at: i * 60_000, value })),
    cumulative,
    lineOf: () => undefined,
  });

  it('turns a counter into increases, a drop into a restart from zero, and skips NaN', () => {
    expect(perStep(series([100, 110, 130, 5, 25, Number.NaN, 40], true)).map((p) => p.value)).toEqual([
      10, 20, 5, 20, 15,
    ]);
    expect(perStep(series([3, 1, 4], false)).map((p) => p.value)).toEqual([3, 1, 4]);
  });
});

describe('gaps', () => {
  const minute = 60_000;
  it('measures the resolution and finds holes longer than two steps after a time', () => {
    const times = [0, 1, 2, 3, 8, 9, 10, 30].map((m) => m * minute);
    expect(resolutionMinutes(times)).toBe(1);
    expect(findGaps(times, 1, 0)).toEqual([
      { from: 3 * minute, to: 8 * minute },
      { from: 10 * minute, to: 30 * minute },
    ]);
    expect(findGaps(times, 1, 20 * minute)).toEqual([{ from: 10 * minute, to: 30 * minute }]);
    expect(resolutionMinutes([0])).toBe(1);
    expect(staleMinutes(0, 10 * minute, 1)).toBeUndefined();
    expect(staleMinutes(0, 60 * minute, 1)).toBe(60);
  });
});

describe('JSON lines', () => {
  const text = ['{', '  "a": {"b": [1,', '    {"c": "x\\"}"},', '    3]},', '  "d": "}"', '}'].join('\n');
  const lineOf = jsonLocator(text);

  it('answers the line of a path, or of the deepest part of it that exists', () => {
    expect(lineOf([])).toBe(1);
    expect(lineOf(['a'])).toBe(2);
    expect(lineOf(['a', 'b', 0])).toBe(2);
    expect(lineOf(['a', 'b', 1, 'c'])).toBe(3);
    expect(lineOf(['a', 'b', 2])).toBe(4);
    expect(lineOf(['a', 'b', 7])).toBe(2);
    expect(lineOf(['d'])).toBe(5);
    expect(lineOf(['missing', 'x'])).toBe(1);
    expect(lineOf(['d', 'x'])).toBe(5);
  });
});
