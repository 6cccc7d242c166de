/**
 * The shape of a framework's data: its controls (id and a short title in our
 * own words, never the standard's text) and the mapping of checks to them,
 * each with the one-line reason the check is evidence for the control.
 * test/unit/agents/compliance-checker-mappings.test.ts holds every file to it:
 * rules that exist, controls that belong to the framework, no empty list.
 */
import type { CheckId } from '../checks.js';

export interface Control {
  id: string;
  title: string;
}

export interface ControlMapping {
  control: string;
  check: CheckId;
  rationale: string;
}

export interface Framework {
  /** Lower-case id used in the policy and in findings ('cis-aws'). */
  id: string;
  name: string;
  version: string;
  controls: readonly Control[];
  mappings: readonly ControlMapping[];
}
