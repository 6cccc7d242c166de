/**
 * Signed completion callbacks. The body is signed with HMAC-SHA256 over
 * `<timestamp>.<body>` and sent as `X-Aiops-Signature: t=<unix seconds>,v1=<hex>`,
 * so a receiver can check both origin and freshness (replays). Delivery runs as
 * a job on the default lane: a 5xx, 408, 429 or network failure is retried with
 * backoff by the lane; other 4xx answers are final.
 */
import { createHmac } from 'node:crypto';
import { IntegrationError } from '../core/errors.js';
import { logger } from '../core/observability.js';
import type { AppDeps } from './deps.js';
import { EXECUTION_COMPLETED } from './events.js';
import { viewExecution } from './executions.js';

export const SIGNATURE_HEADER = 'X-Aiops-Signature';
const TIMEOUT_MS = 10_000;

export function signPayload(secret: string, body: string, timestampSec: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${mac}`;
}

export type Fetch = typeof fetch;

export class CallbackSender {
  constructor(
    private readonly deps: Pick<AppDeps, 'repos' | 'clock' | 'settings'>,
    private readonly fetchImpl: Fetch = fetch,
  ) {}

  async deliver(executionId: string): Promise<void> {
    const execution = await this.deps.repos.executions.findById(executionId);
    if (!execution?.callbackUrl) return;
    const secret = this.deps.settings.callbackSecret;
    if (secret === undefined) {
      logger.error('callback not sent: AIOPS_CALLBACK_SECRET is not set', { executionId });
      return;
    }
    const body = JSON.stringify({
      type: EXECUTION_COMPLETED,
      data: viewExecution(execution, { withInput: false }),
    });
    const timestamp = Math.floor(this.deps.clock.now().getTime() / 1000);
    let response: Response;
    try {
      response = await this.fetchImpl(execution.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'aiops-callback/1',
          [SIGNATURE_HEADER]: signPayload(secret, body, timestamp),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (cause) {
      throw new IntegrationError('Callback endpoint unreachable', {
        cause,
        retryable: true,
        details: { executionId },
      });
    }
    if (response.ok) return;
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    if (retryable) {
      throw new IntegrationError(`Callback endpoint answered ${response.status}`, {
        retryable: true,
        details: { executionId, status: response.status },
      });
    }
    logger.warn('callback refused by the receiver; not retried', { executionId, status: response.status });
  }
}
