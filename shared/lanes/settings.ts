import type { Lane } from '../core/domain.js';
import type { LaneSettings } from './port.js';

/**
 * Per-lane behaviour, shared by pg-boss, SQS and CDK: priority never queues
 * behind bulk work; maintenance runs slowly and may retry for longer.
 */
export const LANE_SETTINGS: Readonly<Record<Lane, LaneSettings>> = {
  priority: { maxAttempts: 3, concurrency: 20, timeoutSec: 900, backoffSec: 2, maxBackoffSec: 60 },
  agents: { maxAttempts: 3, concurrency: 10, timeoutSec: 900, backoffSec: 5, maxBackoffSec: 300 },
  monitoring: { maxAttempts: 3, concurrency: 5, timeoutSec: 300, backoffSec: 5, maxBackoffSec: 120 },
  default: { maxAttempts: 5, concurrency: 5, timeoutSec: 60, backoffSec: 10, maxBackoffSec: 600 },
  maintenance: { maxAttempts: 5, concurrency: 2, timeoutSec: 900, backoffSec: 30, maxBackoffSec: 900 },
};
