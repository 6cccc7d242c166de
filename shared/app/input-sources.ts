/**
 * Inputs that name where the data is instead of carrying it (../../docs/architecture.md,
 * The agent contract: "the app layer resolves object references — S3 or local
 * files — with size caps before it calls the agent"). An execution's `input`
 * may be, instead of the agent's input itself:
 *
 * - `{ "$object": "object:<key>" }` — the agent's natural input is this file
 *   (a log, a CSV, a manifest...), built with the agent's `fromFiles` like
 *   `aiops analyze <agent> FILE`; a `.json` object is the agent's JSON input.
 * - `{ "$cloudwatchLogs": { logGroup, from, to, filterPattern?, limit? } }` —
 *   log events of a CloudWatch Logs group (log-analyzer; on AWS only).
 *
 * `check` runs when the execution is created (the source exists and the
 * caller may read it); `resolve` runs in the worker, just before the agent,
 * and reads at most `AIOPS_MAX_OBJECT_BYTES`.
 */
import * as z from 'zod';
import { MAX_LINES } from '../agents/log-analyzer/schema.js';
import { loadAgent } from '../agents/registry.js';
import { LOG_AGENTS } from '../core/domain.js';
import { AgentValidationError, ValidationError } from '../core/errors.js';
import { jsonShapeProblem, MAX_JSON_DEPTH } from '../core/json.js';
import { fieldErrors } from '../core/validation.js';
import type { AppDeps } from './deps.js';
import type { LogEventsQuery } from './log-events.js';
import {
  formatBytes,
  MAX_KEY_BYTES,
  OBJECT_REF_PREFIX,
  parseObjectRef,
  userUploadsPrefix,
} from './objects.js';
import type { Principal } from './principal.js';

/** A log group name, or its ARN (`arn:aws:logs:<region>:<account>:log-group:<name>`). */
const LOG_GROUP = /^(?:arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:)?[.\-_/#A-Za-z0-9]{1,512}(?::\*)?$/;

const objectSourceSchema = z.strictObject({
  $object: z.string().max(OBJECT_REF_PREFIX.length + MAX_KEY_BYTES),
});

const instant = z.iso.datetime({ offset: true });

const cloudWatchLogsSourceSchema = z.strictObject({
  $cloudwatchLogs: z
    .strictObject({
      logGroup: z.string().regex(LOG_GROUP, 'must be a CloudWatch Logs log group name or ARN'),
      from: instant,
      to: instant,
      /** CloudWatch Logs filter pattern syntax, e.g. `?ERROR ?WARN`. */
      filterPattern: z.string().max(1024).optional(),
      /** At most this many events, the first in the range (default and maximum: the log analyzer's line limit). */
      limit: z.number().int().min(1).max(MAX_LINES).optional(),
    })
    .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'must be before `to`', path: ['from'] }),
});

export type InputSource =
  | { kind: 'object'; key: string }
  | { kind: 'cloudwatch-logs'; query: LogEventsQuery };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSource<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError('Invalid input source', fieldErrors(parsed.error.issues, 'input'));
  }
  return parsed.data;
}

/** The source an input names; undefined for an ordinary input (the agent's own value). */
export function inputSourceOf(input: unknown): InputSource | undefined {
  if (!isRecord(input)) return undefined;
  if ('$object' in input) {
    const { $object } = parseSource(objectSourceSchema, input);
    return { kind: 'object', key: parseObjectRef($object) };
  }
  if ('$cloudwatchLogs' in input) {
    const { $cloudwatchLogs: q } = parseSource(cloudWatchLogsSourceSchema, input);
    return {
      kind: 'cloudwatch-logs',
      query: {
        logGroup: q.logGroup,
        from: new Date(q.from),
        to: new Date(q.to),
        filterPattern: q.filterPattern,
        limit: q.limit ?? MAX_LINES,
      },
    };
  }
  return undefined;
}

/** Users read what they uploaded; admins (and the trigger's system user, an admin) read every object. */
export function mayReadObject(principal: Principal, key: string): boolean {
  return principal.role === 'admin' || key.startsWith(userUploadsPrefix(principal.userId));
}

export class InputSources {
  constructor(private readonly deps: Pick<AppDeps, 'objects' | 'logEvents' | 'settings'>) {}

  /** At create time: the source exists, the caller may read it, this agent can take it, and it fits the cap. */
  async check(principal: Principal, agent: string, source: InputSource): Promise<void> {
    if (source.kind === 'cloudwatch-logs') {
      if (!LOG_AGENTS.has(agent)) {
        throw new ValidationError('This agent does not read logs', [
          { path: 'input.$cloudwatchLogs', message: `is a log source; ${agent} does not analyse logs` },
        ]);
      }
      if (this.deps.logEvents === undefined) {
        throw new ValidationError('CloudWatch Logs sources need AWS', [
          {
            path: 'input.$cloudwatchLogs',
            message:
              'this deployment has no CloudWatch Logs access (it runs outside AWS); upload the log and give it as $object',
          },
        ]);
      }
      return;
    }
    const info = mayReadObject(principal, source.key) ? await this.deps.objects.head(source.key) : undefined;
    if (info === undefined) {
      // Someone else's object is "not found" too: keys do not leak.
      throw new ValidationError('No such object', [
        { path: 'input.$object', message: `no object ${source.key}; upload it first (POST /v1/uploads)` },
      ]);
    }
    const max = this.deps.settings.maxObjectBytes;
    if (info.size > max) {
      throw new ValidationError('The object is too large', [
        {
          path: 'input.$object',
          message: `is ${formatBytes(info.size)}; objects are read up to ${formatBytes(max)} (AIOPS_MAX_OBJECT_BYTES)`,
        },
      ]);
    }
  }

  /** In the worker: the agent's input, read from the source it names (or the input itself when it names none). */
  async resolve(agent: string, input: unknown, signal?: AbortSignal): Promise<unknown> {
    const source = inputSourceOf(input);
    if (source === undefined) return input;
    const maxBytes = this.deps.settings.maxObjectBytes;
    if (source.kind === 'cloudwatch-logs') {
      if (this.deps.logEvents === undefined) {
        throw new ValidationError('CloudWatch Logs sources need AWS', [
          { path: 'input.$cloudwatchLogs', message: 'this deployment has no CloudWatch Logs access' },
        ]);
      }
      const lines = await this.deps.logEvents.read(source.query, { maxBytes, ...(signal ? { signal } : {}) });
      return { lines };
    }
    const bytes = await this.deps.objects.get(source.key, { maxBytes, ...(signal ? { signal } : {}) });
    const content = bytes.toString('utf8');
    if (source.key.toLowerCase().endsWith('.json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(content);
      } catch {
        throw new AgentValidationError(`Object ${source.key} is not valid JSON`, [
          { path: 'input.$object', message: 'a .json object must hold the agent input as JSON' },
        ]);
      }
      // The same shape check as a request body: an uploaded file is client JSON too.
      const problem = jsonShapeProblem(parsed);
      if (problem !== undefined) {
        throw new AgentValidationError(`Object ${source.key} holds JSON the API refuses`, [
          {
            path: 'input.$object',
            message:
              problem.reason === 'depth'
                ? `must nest at most ${MAX_JSON_DEPTH} levels deep`
                : 'must not contain NUL (\\u0000)',
          },
        ]);
      }
      return parsed;
    }
    const definition = await loadAgent(agent);
    if (definition.fromFiles === undefined) {
      throw new AgentValidationError(`Agent ${agent} does not read files`, [
        { path: 'input.$object', message: `give ${agent} a .json object holding its input` },
      ]);
    }
    return definition.fromFiles([{ path: source.key, content }]);
  }
}
