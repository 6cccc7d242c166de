/**
 * `@cdktf/hcl2json` on a thread of its own. Its start is the cost of reading
 * Terraform (about 0.4 s: gunzip the WASM, compile it, start Go's runtime),
 * far more than parsing a file; on its own thread that start runs while the
 * caller scans the other files. One thread per process, started by the first
 * parse and kept for the next ones; it holds the process open only while a
 * parse is pending. Inside a thread with resource limits (the agent pool's),
 * the parser's thread gets the same limits.
 */
import { createRequire } from 'node:module';
import { isMainThread, resourceLimits, Worker } from 'node:worker_threads';

interface Reply {
  id: number;
  value?: unknown;
  error?: string;
}

interface Pending {
  resolve: (json: unknown) => void;
  reject: (error: Error) => void;
}

// Plain CommonJS, run by `eval`: the thread needs no file of ours, from source or from the build.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { parse } = require(workerData.module);
// One parse at a time, in the order sent, as a caller awaiting each in turn would have it.
let last = Promise.resolve();
parentPort.on('message', ({ id, name, content }) => {
  last = last.then(() => parse(name, content)).then(
    (value) => parentPort.postMessage({ id, value }),
    (error) => parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});`;

let thread: { worker: Worker; pending: Map<number, Pending> } | undefined;
let nextId = 0;

function fail(pending: Map<number, Pending>, error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function start(): NonNullable<typeof thread> {
  const module = createRequire(import.meta.url).resolve('@cdktf/hcl2json');
  const worker = new Worker(THREAD, {
    eval: true,
    name: 'aiops-hcl2json',
    workerData: { module },
    execArgv: [],
    ...(isMainThread ? {} : { resourceLimits }),
  });
  const pending = new Map<number, Pending>();
  const current = { worker, pending };
  worker.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.error !== undefined) p.reject(new Error(reply.error));
    else p.resolve(reply.value);
  });
  const gone = (error: Error) => {
    if (thread === current) thread = undefined;
    fail(pending, error);
  };
  worker.on('error', gone);
  worker.on('exit', (code) => gone(new Error(`The hcl2json thread exited (code ${code})`)));
  worker.unref();
  return current;
}

/** Parses one HCL file as hcl2json does; rejects with hcl2json's message (a syntax error starts 'parse config'). */
export function parseHcl(name: string, content: string): Promise<unknown> {
  thread ??= start();
  const { worker, pending } = thread;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ id, name, content });
  });
}
