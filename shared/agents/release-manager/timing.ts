/**
 * When the deploy is planned: inside a freeze window, on a weekend or a
 * Friday afternoon, or outside working hours — in the time zone the planned
 * time was written in (UTC when it was not given).
 */
import type { FreezeWindow, PlannedTime } from './model.js';

/** Working hours, local: fewer people around outside them to notice and roll back. */
export const WORKING_HOURS = { start: 9, end: 17 } as const;
/** From this local hour on Friday, a problem found late lands on the weekend. */
export const FRIDAY_CUTOFF = 15;

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface Timing {
  freeze?: FreezeWindow;
  slot: 'working-hours' | 'off-hours' | 'weekend';
  /** "Friday 16:30 (UTC+02:00)". */
  local: string;
}

function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function timingOf(planned: PlannedTime, freezes: readonly FreezeWindow[]): Timing {
  const local = new Date(planned.instant.getTime() + planned.offsetMinutes * 60_000);
  const day = local.getUTCDay();
  const hour = local.getUTCHours() + local.getUTCMinutes() / 60;
  const freeze = freezes.find((w) => planned.instant >= w.start && planned.instant < w.end);
  const weekend = day === 0 || day === 6 || (day === 5 && hour >= FRIDAY_CUTOFF);
  const slot = weekend
    ? 'weekend'
    : hour < WORKING_HOURS.start || hour >= WORKING_HOURS.end
      ? 'off-hours'
      : 'working-hours';
  const clock = `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
  return {
    ...(freeze === undefined ? {} : { freeze }),
    slot,
    local: `${DAYS[day]} ${clock} (${offsetLabel(planned.offsetMinutes)})`,
  };
}
