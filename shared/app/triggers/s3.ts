/**
 * The S3 trigger: an "Object Created" event (S3 → EventBridge, or
 * `aiops serve --inbox`) → the routing table → one execution per routed
 * agent, its input `{ "$object": "object:<key>" }`, owned by the system user.
 * Each execution id derives from the event id and the agent, so a redelivered
 * event creates nothing new.
 */
import * as z from 'zod';
import { logger } from '../../core/observability.js';
import { fieldErrors } from '../../core/validation.js';
import { objectRef, unsafeKeyReason } from '../objects.js';
import {
  DEFAULT_OBJECT_ROUTES,
  OBJECT_ROUTES_CONFIG_KEY,
  type ObjectRoute,
  RoutingTable,
} from './routing.js';
import {
  eventBridgeEventSchema,
  isStarted,
  type RejectedExecution,
  type StartedExecution,
  startOnce,
  type TriggerDeps,
  type TriggerOutcome,
} from './start.js';
import { derivedExecutionId, ensureSystemUser } from './system-user.js';

/** The fields of S3's EventBridge event this trigger reads (keys arrive as is, not URL-encoded). */
export const objectCreatedEventSchema = eventBridgeEventSchema(
  'Object Created',
  'aws.s3',
  z.object({
    bucket: z.object({ name: z.string().min(1).max(255) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      etag: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
);
export type ObjectCreatedEvent = z.infer<typeof objectCreatedEventSchema>;

const TRACE_ID = /^[A-Za-z0-9-]{8,128}$/;

export interface ObjectTriggerOptions {
  /** The store's bucket; an event from any other is dropped. Undefined locally (the inbox names none). */
  bucket?: string | undefined;
  /** The table when the configurations table holds none (default: DEFAULT_OBJECT_ROUTES). */
  routes?: readonly ObjectRoute[];
}

export class ObjectTrigger {
  readonly #defaults: RoutingTable;
  /** The configured table, compiled once per distinct value (warnings once, not per event). */
  #configured: { json: string; table: RoutingTable } | undefined;

  constructor(
    private readonly deps: TriggerDeps,
    private readonly options: ObjectTriggerOptions = {},
  ) {
    this.#defaults = RoutingTable.compile(options.routes ?? DEFAULT_OBJECT_ROUTES);
  }

  async handle(event: unknown): Promise<TriggerOutcome> {
    const parsed = objectCreatedEventSchema.safeParse(event);
    if (!parsed.success) {
      const problems = fieldErrors(parsed.error.issues);
      logger.warn('dropped an event that is not an S3 Object Created event', { problems });
      return { status: 'dropped', reason: `not an S3 Object Created event (${describe(problems)})` };
    }
    const { id, detail } = parsed.data;
    const { bucket } = this.options;
    if (bucket !== undefined && detail.bucket.name !== bucket) {
      logger.warn('dropped an object event from another bucket', { bucket: detail.bucket.name, eventId: id });
      return { status: 'dropped', reason: `bucket ${detail.bucket.name} is not the object store` };
    }
    const key = detail.object.key;
    const unsafe = unsafeKeyReason(key);
    if (unsafe !== undefined) {
      logger.warn('dropped an object event with a key the store does not read', { key, reason: unsafe });
      return { status: 'dropped', reason: `key ${unsafe}` };
    }
    const route = (await this.#table()).match(key);
    if (route === undefined || route.agents.length === 0) {
      logger.info('no route for object; nothing to analyse', { key, eventId: id });
      return { status: 'ignored', reason: `no route for ${key}` };
    }
    const owner = await ensureSystemUser(this.deps.repos);
    const traceId = TRACE_ID.test(id) ? id : crypto.randomUUID();
    const executions: StartedExecution[] = [];
    const rejected: RejectedExecution[] = [];
    for (const agent of route.agents) {
      const started = await startOnce(
        this.deps,
        owner,
        { agent, input: { $object: objectRef(key) } },
        { executionId: derivedExecutionId('s3', id, agent), traceId },
      );
      if (isStarted(started)) executions.push(started);
      else rejected.push(started);
    }
    if (rejected.length > 0) logger.warn('object trigger could not start some executions', { key, rejected });
    logger.info('object routed', { key, pattern: route.pattern, executions });
    return { status: 'started', executions, rejected };
  }

  /** The configurations table's routes when an admin set them, else the defaults; a broken value is logged and not used. */
  async #table(): Promise<RoutingTable> {
    const row = await this.deps.repos.configurations.get(OBJECT_ROUTES_CONFIG_KEY);
    if (row === undefined) return this.#defaults;
    const json = JSON.stringify(row.value);
    if (this.#configured?.json === json) return this.#configured.table;
    try {
      const table = RoutingTable.fromJson(row.value);
      this.#configured = { json, table };
      return table;
    } catch (error) {
      logger.error('the configured object routes are invalid; using the default table', {
        key: OBJECT_ROUTES_CONFIG_KEY,
        error,
      });
      return this.#defaults;
    }
  }
}

function describe(problems: readonly { path: string; message: string }[]): string {
  return problems
    .slice(0, 3)
    .map((p) => `${p.path || 'event'}: ${p.message}`)
    .join('; ');
}
