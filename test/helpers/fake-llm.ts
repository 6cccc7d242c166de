/**
 * A fake LLM server for tests: a real HTTP server on 127.0.0.1 (random port)
 * speaking enough of the Anthropic Messages API (POST /v1/messages) and the
 * OpenAI Chat Completions API (POST /v1/chat/completions) for the official
 * SDKs. Each API has its own queue of scripted replies, consumed in order;
 * when a queue is empty the default reply answers. Every request is recorded
 * (path, headers, parsed body) so tests can check what left the process.
 *
 *   const llm = await startFakeLlm();
 *   llm.script('openai', fakeReply.status(500), fakeReply.ok('{"a":1}'));
 *   new OpenAiProvider({ apiKey: 'test', model: 'gpt-4.1-mini', baseUrl: llm.openaiBaseUrl });
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeApi = 'anthropic' | 'openai';

export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
}

export type FakeReply =
  | { kind: 'ok'; text: string; usage?: FakeUsage }
  /** An error status with the API's error body; `retryAfter` becomes the Retry-After header (seconds or a date). */
  | { kind: 'status'; status: number; message?: string; retryAfter?: string }
  /** Waits `ms` before answering with `then` (default: ok): past a client's deadline, it times out. */
  | { kind: 'delay'; ms: number; then?: FakeReply }
  /** A 200 whose body is not JSON at all (a broken proxy). */
  | { kind: 'garbage'; body: string };

/** Every reply's token usage unless the reply names its own: a fixed count makes costs exact. */
export const FAKE_USAGE: Readonly<FakeUsage> = { inputTokens: 120, outputTokens: 80 };

export const fakeReply = {
  ok: (text: string, usage?: FakeUsage): FakeReply => ({ kind: 'ok', text, ...(usage ? { usage } : {}) }),
  /** A reply whose text is not valid JSON (for structured output: repair, then LlmResponseError). */
  invalidJson: (text = 'Sure! Here is the JSON you asked for: {"summary": '): FakeReply => ({
    kind: 'ok',
    text,
  }),
  status: (status: number, message?: string): FakeReply => ({
    kind: 'status',
    status,
    ...(message === undefined ? {} : { message }),
  }),
  rateLimited: (retryAfterSeconds: number): FakeReply => ({
    kind: 'status',
    status: 429,
    message: 'rate limited',
    retryAfter: String(retryAfterSeconds),
  }),
  delay: (ms: number, then?: FakeReply): FakeReply => ({ kind: 'delay', ms, ...(then ? { then } : {}) }),
  garbage: (body = '<html>502 Bad Gateway</html>'): FakeReply => ({ kind: 'garbage', body }),
} as const;

export interface RecordedRequest {
  api: FakeApi;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  /** The body exactly as received. */
  raw: string;
}

export interface FakeLlmServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** For `@anthropic-ai/sdk` (`baseURL`) and ANTHROPIC_BASE_URL. */
  readonly anthropicBaseUrl: string;
  /** For `openai` (`baseURL`) and OPENAI_BASE_URL. */
  readonly openaiBaseUrl: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Appends replies to an API's queue. */
  script(api: FakeApi, ...replies: FakeReply[]): void;
  /** What answers when a queue is empty (initially ok with the text `{"ok":true}`). */
  setDefault(reply: FakeReply): void;
  /** Replies still queued for an API. */
  pending(api: FakeApi): number;
  /** Empties the queues and the recorded requests, restores the default reply. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_REPLY: FakeReply = { kind: 'ok', text: '{"ok":true}' };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function modelOf(body: unknown): string {
  const model = (body as { model?: unknown } | undefined)?.model;
  return typeof model === 'string' ? model : 'unknown-model';
}

function okBody(api: FakeApi, model: string, text: string, usage: FakeUsage): unknown {
  if (api === 'anthropic') {
    return {
      id: `msg_${randomUUID().replaceAll('-', '')}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
    };
  }
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: usage.inputTokens,
      completion_tokens: usage.outputTokens,
      total_tokens: usage.inputTokens + usage.outputTokens,
    },
  };
}

function errorBody(api: FakeApi, status: number, message: string): unknown {
  if (api === 'anthropic') {
    const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
    return { type: 'error', error: { type, message } };
  }
  return { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null } };
}

function apiOf(req: IncomingMessage): FakeApi | undefined {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'POST') return undefined;
  if (path === '/v1/messages') return 'anthropic';
  if (path === '/v1/chat/completions') return 'openai';
  return undefined;
}

export async function startFakeLlm(): Promise<FakeLlmServer> {
  const queues: Record<FakeApi, FakeReply[]> = { anthropic: [], openai: [] };
  const requests: RecordedRequest[] = [];
  let fallback: FakeReply = DEFAULT_REPLY;
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, api: FakeApi, model: string, reply: FakeReply): void => {
    if (res.destroyed || res.writableEnded) return;
    switch (reply.kind) {
      case 'ok': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(okBody(api, model, reply.text, reply.usage ?? FAKE_USAGE)));
        return;
      }
      case 'status': {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (reply.retryAfter !== undefined) headers['retry-after'] = reply.retryAfter;
        res.writeHead(reply.status, headers);
        res.end(JSON.stringify(errorBody(api, reply.status, reply.message ?? `scripted ${reply.status}`)));
        return;
      }
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send(res, api, model, reply.then ?? fallback);
        }, reply.ms);
        timers.add(timer);
        return;
      }
      case 'garbage': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(reply.body);
        return;
      }
    }
  };

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const api = apiOf(req);
    if (api === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const body = parse(raw);
    requests.push({
      api,
      method: req.method ?? '',
      path: req.url ?? '',
      headers: { ...req.headers },
      body,
      raw,
    });
    send(res, api, modelOf(body), queues[api].shift() ?? fallback);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    anthropicBaseUrl: url,
    openaiBaseUrl: `${url}/v1`,
    requests,
    script: (api, ...replies) => {
      queues[api].push(...replies);
    },
    setDefault: (reply) => {
      fallback = reply;
    },
    pending: (api) => queues[api].length,
    reset: () => {
      queues.anthropic.length = 0;
      queues.openai.length = 0;
      requests.length = 0;
      fallback = DEFAULT_REPLY;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
