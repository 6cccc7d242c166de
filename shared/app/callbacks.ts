/**
 * Signed completion callbacks. The body is signed with HMAC-SHA256 over
 * `<timestamp>.<body>` and sent as `X-Aiops-Signature: t=<unix seconds>,v1=<hex>`,
 * so a receiver can check both origin and freshness (replays). Delivery runs as
 * a job on the default lane: a 5xx, 408, 429 or network failure is retried with
 * backoff by the lane; other 4xx answers are final. Where a callback may go
 * is ./callback-policy.ts: refused targets are logged and not retried.
 */
import { createHmac } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { IntegrationError } from '../core/errors.js';
import { logger } from '../core/observability.js';
import {
  addressProblem,
  type CallbackPolicy,
  callbackPolicy,
  callbackUrlProblem,
} from './callback-policy.js';
import type { AppDeps } from './deps.js';
import { EXECUTION_COMPLETED } from './events.js';
import { viewExecution } from './executions.js';

export const SIGNATURE_HEADER = 'X-Aiops-Signature';
const TIMEOUT_MS = 10_000;

export function signPayload(secret: string, body: string, timestampSec: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${mac}`;
}

/** What sending a callback needs of HTTP: one POST, no redirects, the answer's status. */
export type CallbackPost = (
  url: string,
  init: { headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ ok: boolean; status: number }>;

/** The address a callback may not reach: final, the receiver is refused, not retried. */
class CallbackTargetRefused extends Error {}

/**
 * A DNS lookup that refuses the whole name when any address it resolves to is
 * internal. It is the lookup of the connection itself, so the address checked
 * is the address connected to: a name cannot resolve to a public address for
 * a check and to 169.254.169.254 for the request (DNS rebinding).
 */
function guardedLookup(policy: CallbackPolicy): LookupFunction {
  return (hostname, options, callback) => {
    // A host on the allow-list may resolve to anything (a receiver on a private network is why it is listed).
    const trusted = policy.hosts.has(hostname.toLowerCase());
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = trusted
        ? undefined
        : addresses.map((a) => addressProblem(a.address, policy)).find((p): p is string => p !== undefined);
      if (refused !== undefined || addresses.length === 0) {
        const cause = new CallbackTargetRefused(
          refused === undefined
            ? `${hostname} resolves to nothing`
            : `${hostname} resolves to an internal address: ${refused}`,
        );
        return callback(Object.assign(cause, { code: 'ECALLBACKREFUSED' }), '', 0);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      return callback(null, first?.address ?? '', first?.family ?? 4);
    });
  };
}

/** POSTs with node:http(s), every resolved address checked in the connection's own lookup. */
export function guardedPost(policy: CallbackPolicy = callbackPolicy()): CallbackPost {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        target,
        {
          method: 'POST',
          headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
          lookup: guardedLookup(policy),
          signal: init.signal,
          // A fresh connection each time: nothing pooled from before the check.
          agent: false,
        },
        (response) => {
          // Only the status matters; the body is read and dropped so the socket closes.
          response.resume();
          const status = response.statusCode ?? 0;
          resolve({ ok: status >= 200 && status < 300, status });
        },
      );
      request.on('error', reject);
      request.end(init.body);
    });
}

export class CallbackSender {
  constructor(
    private readonly deps: Pick<AppDeps, 'repos' | 'clock' | 'settings'>,
    private readonly post?: CallbackPost,
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
    // Checked again at send time: the allow-list may have changed, and the URL may predate these rules.
    const policy = callbackPolicy();
    const problem = callbackUrlProblem(execution.callbackUrl, policy);
    if (problem !== undefined) {
      logger.warn('callback not sent: its URL is refused; not retried', { executionId, reason: problem });
      return;
    }
    let response: { ok: boolean; status: number };
    try {
      response = await (this.post ?? guardedPost(policy))(execution.callbackUrl, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'aiops-callback/1',
          [SIGNATURE_HEADER]: signPayload(secret, body, timestamp),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (cause) {
      if (cause instanceof CallbackTargetRefused) {
        logger.warn('callback not sent: its host resolves to an internal address; not retried', {
          executionId,
          reason: cause.message,
        });
        return;
      }
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
