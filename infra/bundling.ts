/**
 * The one set of esbuild options for every Lambda bundle, shared by the CDK
 * construct (through NodejsFunction) and `npm run bench:bundles` (through
 * esbuild directly), so the benchmark measures what is deployed.
 */

/** Lambda's `nodejs24.x`; esbuild then keeps modern syntax as is. */
export const BUNDLE_TARGET = 'node24';

/**
 * ESM output, because top-level await and `import()` of lazily loaded agents
 * stay as they are; CommonJS dependencies inside the bundle still call
 * `require`, which ESM lacks, so the banner provides one.
 */
export const BUNDLE_BANNER =
  "import { createRequire as __aiopsCreateRequire } from 'node:module'; const require = __aiopsCreateRequire(import.meta.url);";

/**
 * The LLM providers' SDKs (over 800 KB together), imported only where
 * AIOPS_LLM_PROVIDERS names their provider: a stage that configures one ships
 * the package in every function's node_modules instead (llmNodeModules), so
 * the functions of a stage without it never carry it.
 */
export const LLM_SDKS: readonly string[] = ['@anthropic-ai/sdk', 'openai'];

/**
 * Sentry (about 650 KB with its dependencies), imported only when SENTRY_DSN
 * is set: a stage with a DSN ships it in every function's node_modules.
 */
export const SENTRY_SDK = '@sentry/aws-serverless';

/** The packages a stage's functions need for its LLM providers (Bedrock's client comes with the runtime). */
export function llmNodeModules(providers: readonly string[]): string[] {
  const byProvider: Readonly<Record<string, string>> = { anthropic: '@anthropic-ai/sdk', openai: 'openai' };
  return providers.flatMap((provider) => (byProvider[provider] === undefined ? [] : [byProvider[provider]]));
}

/**
 * Left out of every bundle. The AWS SDK v3 ships with the nodejs24.x runtime.
 * PGlite, pg-boss and pg serve only the local and Kubernetes paths and are
 * reached through `import()` there, never in Lambda, so bundling them would
 * only add megabytes (PGlite's WASM) to every cold start.
 */
export const BUNDLE_EXTERNALS: readonly string[] = [
  '@aws-sdk/*',
  '@electric-sql/pglite',
  'pg-boss',
  'pg',
  ...LLM_SDKS,
  SENTRY_SDK,
];

/**
 * The agents' code (each `shared/agents/<name>/index.ts`, which the registry
 * loads with `import()`), to leave out of a bundle: esbuild inlines dynamic
 * imports, so without this every function would carry every engine (parsers,
 * WASM glue) while on AWS only an agent's own function runs it — the API, the
 * lane workers, the triggers and the workflow tasks invoke that function
 * instead. Paths are relative to the repository root, esbuild's working
 * directory; a resolved import matching one is left as an import that is never
 * taken (loading it would fail with AgentExecutionError). `keep` is the agent
 * of an agent function (with the agents it `composes`).
 */
export function agentCodeExternals(agents: readonly string[], keep?: string | readonly string[]): string[] {
  const kept = typeof keep === 'string' ? [keep] : (keep ?? []);
  return agents.filter((name) => !kept.includes(name)).map((name) => `./shared/agents/${name}/index.ts`);
}

/** Prefer packages' ESM builds, which tree-shake better than their CommonJS ones. */
export const BUNDLE_MAIN_FIELDS: readonly string[] = ['module', 'main'];

/** The entry of each function kind, relative to the repository root. */
export const FUNCTION_ENTRIES = {
  api: 'functions/api.ts',
  'lane-worker': 'functions/lane-worker.ts',
  agent: 'functions/agent.ts',
  'workflow-task': 'functions/workflow-task.ts',
  'object-trigger': 'functions/object-trigger.ts',
  'alarm-trigger': 'functions/alarm-trigger.ts',
} as const;

export type FunctionKind = keyof typeof FUNCTION_ENTRIES;
