/**
 * The agent contract (../../docs/architecture.md, The agent contract): every agent takes
 * its whole input as a value and returns the common result, deterministically
 * and offline. Agents import no AWS SDK, no database and no network.
 */
import * as z from 'zod';
import type { AgentResult } from './finding.js';
import type { Catalog } from './scan/catalog.js';

export {
  type AgentResult,
  agentResultSchema,
  countFindings,
  type Finding,
  type FindingCounts,
  findingSchema,
  fingerprint,
  resourceSchema,
  SEVERITIES,
  type Severity,
  SUPPRESSION_SOURCES,
} from './finding.js';

export interface AgentContext {
  traceId: string;
  /** The instant the run started; agents use it instead of reading the clock. */
  now: Date;
  signal?: AbortSignal;
  /**
   * The other agents of the catalog, for an agent that composes their
   * findings (compliance-checker). Given by the catalog when it runs an agent
   * (catalog.ts analyzeChecked), so an agent never imports another.
   */
  agents?: AgentRunner;
}

/** What a composing agent may ask of the catalog: run another agent on files, as `aiops analyze` would. */
export interface AgentRunner {
  /**
   * Runs agent `name` on the files it reads (its `accepts`; `.aiopsignore`
   * files go to every agent) through its `fromFiles`, with this run's context.
   * Undefined when the agent reads none of the files.
   */
  runOnFiles(name: string, files: readonly SourceFile[]): Promise<FilesRun | undefined>;
}

export interface FilesRun {
  result: AgentResult;
  /** The paths the agent was given. */
  files: string[];
}

/** What an agent asks a language model for (enrichment); masked, budgeted and cached by the platform. */
export interface EnrichmentPrompt {
  /** Instructions: the role, the rules, the reply format. */
  system: string;
  /** The material: the deterministic result, shaped for the model. */
  prompt: string;
  /** Output tokens at most (default AIOPS_LLM_MAX_TOKENS). */
  maxTokens?: number;
  /** Resource names in the material (pods, namespaces, services): masked before the prompt leaves. */
  knownIdentifiers?: readonly string[];
}

/**
 * The context of `enrich`: `ask` is the only way an agent reaches a model, and
 * it goes through the platform's gateway (masking, budget, cache, cost).
 */
export interface EnrichmentContext extends AgentContext {
  ask<T>(prompt: EnrichmentPrompt, reply: z.ZodType<T>): Promise<T>;
}

/** What an enrichment adds to a result, under `enrichment`: explanation and remediation, never new findings. */
export const enrichmentSchema = z.object({
  explanation: z.string().min(1).max(8000),
  remediations: z
    .array(
      z.object({
        title: z.string().min(1).max(300),
        /** The finding it addresses, when it addresses one. */
        ruleId: z.string().max(200).optional(),
        steps: z.array(z.string().max(2000)).max(20),
      }),
    )
    .max(20),
});
export type Enrichment = z.infer<typeof enrichmentSchema>;

export interface AgentResources {
  memoryMb: number;
  timeoutSec: number;
}

/** What the registry knows without loading an agent's code. */
export interface AgentMetadata {
  name: string;
  version: string;
  description: string;
  /** Lane for executions of this agent ('priority' is chosen per request). */
  lane: 'agents' | 'monitoring';
  resources: AgentResources;
  /**
   * Extra `aiops analyze` options, each naming a JSON file whose parsed
   * content becomes one field of the input (k8s-optimizer: `--usage FILE.json`
   * → `usage`). Metadata, not code, so the CLI lists them without loading the
   * agent: declare them in the agent's meta.ts.
   */
  fileOptions?: readonly FileOption[];
  /**
   * Extra `aiops analyze` options that take a comma-separated list of words
   * for one input field (security-scanner: `--areas secrets,iac` → `areas`).
   * Metadata too; the agent's schema validates the words.
   */
  listOptions?: readonly ListOption[];
  /**
   * Packages the agent's own Lambda function ships in node_modules instead of
   * inlining them in its bundle: an engine that loads WASM or data files from
   * beside its JS (libpg-query, PGlite). infra/stacks/agents-stack.ts passes
   * them to that function alone; each must be a dependency in package.json.
   */
  nodeModules?: readonly string[];
  /**
   * Agents this one runs through the catalog (`context.agents`): its own
   * Lambda bundle keeps their code and ships their `nodeModules` too.
   */
  composes?: readonly string[];
}

/** A file given to `aiops analyze` as the agent's natural input. */
export interface SourceFile {
  path: string;
  content: string;
}

/** A file (or an ignored folder) `aiops analyze` found but did not pass to the agent, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface AgentDefinition<I = unknown, O extends AgentResult = AgentResult> extends AgentMetadata {
  input: z.ZodType<I>;
  output: z.ZodType<O>;
  analyze(input: I, context: AgentContext): O | Promise<O>;
  /**
   * Builds the agent's JSON input from files (`aiops analyze <agent> PATH…`);
   * the result is validated like any other input. Absent: only `--input` works.
   */
  fromFiles?(files: readonly SourceFile[], skipped?: readonly SkippedFile[]): unknown;
  /**
   * The agent lists the files the CLI skipped in its result (`skipped`), the
   * ones of a type it does not read (`accepts`) included: `fromFiles` gets
   * them. Otherwise only files skipped for size, encoding or the file cap
   * are reported, on stderr.
   */
  reportsSkippedFiles?: boolean;
  /**
   * `aiops analyze` walks dot-folders (.github, .docker, .ssh) for this agent,
   * all but those on the default ignore list (.git, caches). Otherwise
   * dot-folders are not walked, and counted on stderr.
   */
  readsDotFolders?: boolean;
  /**
   * The rules this agent reports (SARIF rule metadata, docs/rules, test/rules):
   * a catalog from `defineRules` (shared/agents/scan/catalog.ts).
   */
  rules?: Catalog;
  /**
   * Which files the agent reads when `aiops analyze` is given a folder (by
   * path, relative to the current directory). An agent that declares it also
   * receives every `.aiopsignore` found, to parse with `parseAiopsIgnore`.
   * Absent: every text file in the folder, and no `.aiopsignore`.
   */
  accepts?(path: string): boolean;
  /**
   * Optional LLM enrichment (prompt.ts): explanation and remediation on top of
   * the deterministic result, asked for through `context.ask` only. Runs when
   * an execution asks for it and a provider is configured; a failure here
   * never fails the execution.
   */
  enrich?(input: I, result: O, context: EnrichmentContext): Promise<Enrichment>;
}

/** `--<flag> FILE.json`: the file is parsed as JSON and set as the input's `field`. */
export interface FileOption {
  /** Long option name without dashes, lower-case words joined by dashes ('usage', 'advisories'). */
  flag: string;
  /** Top-level field of the agent's JSON input that receives the parsed file. */
  field: string;
  description: string;
}

export interface ListOption {
  flag: string;
  field: string;
  /** The words the field takes, for the help text. */
  choices: readonly string[];
  description: string;
}

export function defineAgent<I, O extends AgentResult>(
  definition: AgentDefinition<I, O>,
): AgentDefinition<I, O> {
  return definition;
}
