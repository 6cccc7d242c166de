import { describe, expect, it } from '@jest/globals';
import { fixedClock, systemClock } from '../../../shared/core/clock.js';
import { isUuid, newId } from '../../../shared/core/ids.js';

describe('ids', () => {
  it('generates distinct v4 uuids that isUuid accepts', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(isUuid(id)).toBe(true);
  });

  it.each(['', 'abc', '123e4567-e89b-12d3-a456-42661417400', 'exec-42'])('rejects %p', (value) => {
    expect(isUuid(value)).toBe(false);
  });
});

describe('clock', () => {
  it('a fixed clock always answers the same instant, as a fresh Date', () => {
    const clock = fixedClock(new Date('2026-11-25T12:00:00.000Z'));
    const first = clock.now();
    first.setFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-11-25T12:00:00.000Z');
  });

  it('the system clock follows real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('refuses an invalid date', () => {
    expect(() => fixedClock(new Date('not a date'))).toThrow(RangeError);
  });
});
