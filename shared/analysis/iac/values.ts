/**
 * How template values are read by every IaC normaliser: objects, lists,
 * tri-state truth. A value computed at deploy time (a `Ref`, `${var.x}`) is
 * unknown, and an unknown value is never reported as a problem.
 */

/** A finding's severity as the checks judge it (the agents' Severity, without importing the agent layer). */
export type IacSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export type Json = Record<string, unknown>;

/** A value with the line it was written on (absent: not written, or the line is unknown). */
export interface Located<T> {
  value: T;
  line?: number;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Tri-state truth of a template value: undefined when computed at deploy time. */
export function truth(value: unknown): boolean | undefined {
  if (value === true || value === 'true' || value === 'True') return true;
  if (value === false || value === 'false' || value === 'False' || value === undefined || value === null)
    return false;
  return undefined;
}

export function strings(value: unknown): string[] {
  return asList(value).filter((v): v is string => typeof v === 'string');
}
