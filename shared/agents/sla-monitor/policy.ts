/**
 * The alerting policy of the Google SRE workbook, chapter 5 "Alerting on
 * SLOs" (multiwindow, multi-burn-rate alerts): each alert fires when the burn
 * rate over a long window AND over a short window (1/12 of it, so the alert
 * resets soon after the burn stops) both exceed the same factor. The factors
 * follow from the share of a 30-day budget one long window may consume:
 * 14.4 = 2 % × 720 h / 1 h, 6 = 5 % × 720 h / 6 h, 3 = 10 % × 720 h / 24 h,
 * 1 = 10 % × 720 h / 72 h. The burn rate windows the agent reports are the
 * windows these alerts use.
 */
import { formatDuration } from './durations.js';

export interface AlertPolicy {
  name: 'page-fast' | 'page-slow' | 'ticket-fast' | 'ticket-slow';
  severity: 'page' | 'ticket';
  burnRate: number;
  longWindow: string;
  longMinutes: number;
  shortWindow: string;
  shortMinutes: number;
  /** Prometheus `for:` before the alert fires; the short window already filters blips, so it stays short. */
  for: string;
}

function alert(
  name: AlertPolicy['name'],
  severity: AlertPolicy['severity'],
  burnRate: number,
  longMinutes: number,
  shortMinutes: number,
  forText: string,
): AlertPolicy {
  return {
    name,
    severity,
    burnRate,
    longWindow: formatDuration(longMinutes),
    longMinutes,
    shortWindow: formatDuration(shortMinutes),
    shortMinutes,
    for: forText,
  };
}

export const PAGE_FAST = alert('page-fast', 'page', 14.4, 60, 5, '2m');
export const PAGE_SLOW = alert('page-slow', 'page', 6, 360, 30, '2m');
export const TICKET_FAST = alert('ticket-fast', 'ticket', 3, 1440, 120, '15m');
export const TICKET_SLOW = alert('ticket-slow', 'ticket', 1, 4320, 360, '15m');

export const ALERTS: readonly AlertPolicy[] = [PAGE_FAST, PAGE_SLOW, TICKET_FAST, TICKET_SLOW];

/** The windows burn rates are reported over, shortest first: every window an alert uses. */
export const BURN_WINDOWS: readonly number[] = [5, 30, 60, 120, 360, 1440, 4320];

/** Share of the budget remaining under which the budget is reported as mostly spent (SLO005). */
export const LOW_BUDGET_REMAINING = 0.25;
