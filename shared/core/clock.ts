/** Time as a dependency, so code that stamps or compares times can be tested at a known instant. */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock stopped at `date`; each call returns a fresh copy so a caller cannot move it by mutation. */
export function fixedClock(date: Date | string | number): Clock {
  const millis = new Date(date).getTime();
  if (Number.isNaN(millis)) {
    // A typo in a test's date would otherwise surface as "Invalid Date" far from its cause.
    throw new RangeError(`fixedClock: not a valid date: ${String(date)}`);
  }
  return {
    now: () => new Date(millis),
  };
}
