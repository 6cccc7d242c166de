/**
 * WebAssembly tier-up, off for the process. V8 first compiles a WASM module
 * with its baseline compiler (Liftoff) and recompiles hot functions with its
 * optimizing one in the background. For the WASM we run — PostgreSQL's parser
 * (libpg-query), PGlite, tree-sitter, HashiCorp's HCL parser — that
 * recompilation costs more than it saves: libpg-query's generated parser is
 * one huge function whose optimized compile takes ~550 MB and ~1.5 s of a
 * core, where parsing a 72-file migration history takes 0.2 s on the baseline
 * code; PGlite starts faster and peaks at 0.7 GB instead of 1.1 GB without it.
 *
 * V8 flags are process-wide and read when a function would tier up, so the
 * entry points (the CLI, the agent worker threads' host, the Lambda agent
 * functions) call this before any module is compiled. `--liftoff-only` would
 * say the same but cannot be set once V8 runs; a tier-up filter naming no
 * function index can.
 */
import { setFlagsFromString } from 'node:v8';

/** A function index no module has: no function tiers up. */
const NO_FUNCTION = 2_147_483_647;

let applied = false;

/** Turns WASM tier-up off for this process (idempotent). */
export function disableWasmTierUp(): void {
  if (applied) return;
  setFlagsFromString(`--wasm-tier-up-filter=${NO_FUNCTION}`);
  applied = true;
}
