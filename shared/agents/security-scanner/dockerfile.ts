/**
 * Dockerfile rules. The file is read as Docker reads it (./docker-read.ts):
 * the `# escape=` parser directive, line continuations (comment lines inside
 * a continuation are dropped), heredocs (`RUN <<EOF … EOF`), flags, ENV/ARG
 * properties; RUN commands are split into shell commands (./docker-shell.ts).
 * Stages are tracked, so the checks that concern the image that
 * ships (user, health check, caches) look at the final stage and the stages
 * it is built FROM, while a build stage that runs as root or keeps a cache is
 * left alone.
 */
import { isSecretName, placeholderReason } from '../../analysis/secrets/index.js';
import type { Finding, SourceFile } from '../contract.js';
import type { RuleFindingInput } from '../rules.js';
import { cachesLeft } from './docker-caches.js';
import {
  type BuildContext,
  buildContext,
  carriedBy,
  type SecretLayer,
  stageSecrets,
} from './docker-layers.js';
import { type Instruction, parseDockerfile } from './docker-read.js';
import { programOf, type ShellCommand, shellCommands } from './docker-shell.js';
import { DOCKER_RULES } from './rules/docker.js';

export type { Assignment, Instruction } from './docker-read.js';
export { parseDockerfile } from './docker-read.js';

interface Stage {
  index: number;
  name?: string;
  image: string;
  from: Instruction;
  instructions: Instruction[];
  /** The stage this one is built FROM, when it names an earlier stage. */
  parent?: Stage;
  /** Each RUN's position among the stage's RUNs (its fingerprint), counted once. */
  runs: Map<Instruction, number>;
}

const FLAG = /^--[\w-]+(?:=\S*)?\s*/;

function stripFlags(args: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let rest = args.trim();
  for (let m = FLAG.exec(rest); m; m = FLAG.exec(rest)) {
    flags.push(m[0].trim());
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** ARGs declared before the first FROM, with their defaults: they may name the base image. */
function substitute(text: string, args: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}?/g,
    (whole, name: string, fallback?: string) => {
      const value = args.get(name);
      if (value !== undefined && value !== '') return value;
      return fallback ?? whole;
    },
  );
}

function splitStages(instructions: readonly Instruction[]): Stage[] {
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const { rest } = stripFlags(instruction.args);
      const [imageRaw = '', as, name] = rest.split(/\s+/);
      const image = substitute(imageRaw, globalArgs);
      const parent = stages.find((s) => s.name !== undefined && s.name === image.toLowerCase());
      stages.push({
        index: stages.length,
        ...(as?.toLowerCase() === 'as' && name ? { name: name.toLowerCase() } : {}),
        image,
        from: instruction,
        instructions: [],
        ...(parent ? { parent } : {}),
        runs: new Map(),
      });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (stage) {
      if (instruction.keyword === 'RUN') stage.runs.set(instruction, stage.runs.size);
      stage.instructions.push(instruction);
    } else if (instruction.keyword === 'ARG') {
      for (const { name, value } of instruction.assignments ?? []) globalArgs.set(name, value ?? '');
    }
  }
  return stages;
}

/** The final stage and the stages it inherits from, final first. */
function shippedChain(stages: readonly Stage[]): Stage[] {
  const chain: Stage[] = [];
  for (let stage = stages[stages.length - 1]; stage; stage = stage.parent) chain.push(stage);
  return chain;
}

function lastOf(chain: readonly Stage[], keyword: string): Instruction | undefined {
  for (const stage of chain) {
    const found = stage.instructions.filter((i) => i.keyword === keyword).pop();
    if (found) return found;
  }
  return undefined;
}

const ROOT_USER = /^(?:root|0)(?::.*)?$/i;
const NON_ROOT_BASE = /(?:^|[/:@-])nonroot\b|^cgr\.dev\/chainguard\/(?!.*-dev\b)/i;

/** Parse a base image reference into name, tag and digest. */
export function imageReference(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest = '', digest] = image.split('@', 2);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > slash) {
    return {
      name: withoutDigest.slice(0, colon),
      tag: withoutDigest.slice(colon + 1),
      ...(digest ? { digest } : {}),
    };
  }
  return { name: withoutDigest, ...(digest ? { digest } : {}) };
}

/** TLS verification off, by flags any command may carry. */
const INSECURE_SETTING =
  /--trusted-host\b|strict-ssl\s+false|sslVerify=false|GIT_SSL_NO_VERIFY=(?:1|true)|\bsslverify\s*=\s*(?:0|false)/i;
const CURL_INSECURE = /^(?:--insecure|-[a-zA-Z]*k[a-zA-Z]*)$/;
const SHELL_PROGRAM = /^(?:(?:ba|z|da|k)?sh|python[23]?|perl|ruby|node)$/;
/** `sh -c "$(curl …)"` and `bash <(curl …)`: a download run without a pipe. */
const SHELL_OF_DOWNLOAD = /\b(?:ba)?sh\s+-c\s+["']?\$\((?:curl|wget)\b|\b(?:ba)?sh\s+<\(\s*(?:curl|wget)\b/;

function insecureDownload(command: string, commands: readonly ShellCommand[]): boolean {
  if (INSECURE_SETTING.test(command)) return true;
  return commands.some((c) => {
    const program = programOf(c);
    const args = program ? c.words.slice(program.at + 1) : [];
    if (program?.name === 'curl') return args.some((a) => CURL_INSECURE.test(a));
    return program?.name === 'wget' && args.includes('--no-check-certificate');
  });
}

function pipeToShell(command: string, commands: readonly ShellCommand[]): boolean {
  if (SHELL_OF_DOWNLOAD.test(command)) return true;
  return commands.some((c, i) => {
    const program = programOf(c)?.name;
    const next = commands[i + 1];
    return (
      c.pipedInto &&
      (program === 'curl' || program === 'wget') &&
      next !== undefined &&
      SHELL_PROGRAM.test(programOf(next)?.name ?? '')
    );
  });
}
const WORLD_WRITABLE = /\bchmod\s+(?:-\S+\s+)*(?:0?777|[0-7]?[0-7][0-7][2367]\b|(?:a|o|ugo)\+\w*w)/;

/**
 * Secret-like names, as Docker's own SecretsUsedInArgOrEnv check sees them: the
 * secret words, and names ending in KEY or AUTH (SSH_KEY, LICENSE_KEY, NPM_AUTH).
 */
function secretEnvName(name: string): boolean {
  if (isSecretName(name)) return true;
  return (
    /(?:^|_)(?:KEY|AUTH|PWORD)$/i.test(name) &&
    !/(?:^|_)(?:PUBLIC|GPG|CACHE|SORT|PARTITION|ROUTING|PRIMARY)_KEY$/i.test(name)
  );
}

function commandText(args: string): string {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parts: unknown = JSON.parse(trimmed);
      if (Array.isArray(parts)) return parts.map(String).join(' ');
    } catch {
      // not JSON: the shell form after all
    }
  }
  return trimmed;
}

type DockerRuleId = (typeof DOCKER_RULES.rules)[number]['id'];

/** A finding of a Dockerfile rule; its CWE goes into the evidence. */
function dockerFinding(id: DockerRuleId, input: RuleFindingInput): Finding {
  const cwe = DOCKER_RULES.rule(id).cwe?.[0];
  const evidence = cwe === undefined ? input.evidence : { ...(input.evidence as object | undefined), cwe };
  return DOCKER_RULES.finding(id, { ...input, ...(evidence === undefined ? {} : { evidence }) });
}

/** What every check of one file needs: where an instruction is, and which stages ship. */
interface DockerContext {
  at(instruction: Instruction): NonNullable<Finding['resource']>;
  shipped: ReadonlySet<Stage>;
  /** The stage sets PIP_NO_CACHE_DIR (computed once per stage). */
  pipNoCache(stage: Stage): boolean;
  /** The files of the build context, when the input has them. */
  build?: BuildContext;
}

const stageLabel = (stage: Stage) => stage.name ?? `stage ${stage.index}`;

/** DOCKER001 and DOCKER005: the user and health check of the image that ships. */
function shippedImageFindings(chain: readonly Stage[], context: DockerContext): Finding[] {
  const findings: Finding[] = [];
  const final = chain[0] as Stage; // the chain holds at least the final stage
  const base = chain[chain.length - 1] as Stage;
  const user = lastOf(chain, 'USER');
  if (user && ROOT_USER.test(user.args.trim())) {
    findings.push(
      dockerFinding('DOCKER001', {
        message: `The final stage switches to USER ${user.args.trim()}: the container runs as root.`,
        resource: context.at(user),
        evidence: { user: user.args.trim() },
      }),
    );
  } else if (!user && !NON_ROOT_BASE.test(base.image)) {
    findings.push(
      dockerFinding('DOCKER001', {
        message: `The final stage (${stageLabel(final)}, FROM ${final.image}) sets no USER, so the container runs as root unless the base image changes it.`,
        resource: context.at(final.from),
        evidence: { image: final.image },
      }),
    );
  }
  if (!lastOf(chain, 'HEALTHCHECK')) {
    findings.push(
      dockerFinding('DOCKER005', {
        message: `The final stage (${stageLabel(final)}) defines no HEALTHCHECK.`,
        resource: context.at(final.from),
      }),
    );
  }
  return findings;
}

/** DOCKER002: a base image (not an earlier stage, not scratch) without a pinned tag. */
function baseImageFindings(stage: Stage, context: DockerContext): Finding[] {
  if (stage.parent || stage.image.toLowerCase() === 'scratch' || stage.image.includes('$')) return [];
  const ref = imageReference(stage.image);
  if (ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== 'latest')) return [];
  return [
    dockerFinding('DOCKER002', {
      message:
        ref.tag === undefined
          ? `FROM ${stage.image} has no tag: it means :latest, whatever that is at build time.`
          : `FROM ${stage.image} uses the moving :latest tag.`,
      resource: context.at(stage.from),
      evidence: { image: stage.image },
      key: [stage.index],
    }),
  ];
}

/** DOCKER003, DOCKER010: what ADD fetches or copies. */
function copyFindings(stage: Stage, instruction: Instruction, context: DockerContext): Finding[] {
  const findings: Finding[] = [];
  const { keyword } = instruction;
  const { flags, rest } = stripFlags(instruction.args);
  const sources = commandText(rest).split(/\s+/).slice(0, -1);
  const resource = context.at(instruction);
  if (keyword === 'ADD') {
    const remote = sources.filter((s) => /^(?:https?|ftp):\/\/|^git@|\.git(?:#.*)?$/i.test(s));
    const checksum = flags.some((f) => f.startsWith('--checksum='));
    if (remote.length > 0 && !checksum) {
      findings.push(
        dockerFinding('DOCKER003', {
          message: `ADD fetches ${remote.join(', ')} without a checksum.`,
          resource,
          evidence: { urls: remote },
          key: [stage.index, remote.join(' ')],
        }),
      );
    } else if (remote.length === 0 && !sources.some((s) => /\.(?:tar(?:\.\w+)?|tgz|tbz2?|txz)$/i.test(s))) {
      findings.push(
        dockerFinding('DOCKER010', {
          message: `ADD ${sources.join(' ')} copies local files; COPY says what it does.`,
          resource,
          key: [stage.index, sources.join(' ')],
        }),
      );
    }
  }
  return findings;
}

/** DOCKER004: ENV and ARG with a secret-like name, by the kind of value they hold. */
function assignmentFindings(stage: Stage, instruction: Instruction, context: DockerContext): Finding[] {
  const keyword = instruction.keyword === 'ENV' ? 'ENV' : 'ARG';
  return (instruction.assignments ?? [])
    .filter(({ name }) => secretEnvName(name))
    .map(({ name, value }) => {
      const literal = value !== undefined && value !== '' && !/^\$\{?[A-Za-z_]\w*\}?$/.test(value);
      const lowered = literal ? placeholderReason(value) : undefined;
      const severity = !literal || lowered !== undefined ? (lowered ? 'info' : 'medium') : 'high';
      const what = literal
        ? `a literal value (${value.length} chars) that stays in the image ${keyword === 'ENV' ? 'config' : 'history'}`
        : keyword === 'ENV'
          ? 'a value copied from a build argument, readable in the image config'
          : 'a build argument: its value is recorded in the image history of every step that uses it';
      return dockerFinding('DOCKER004', {
        message: `${keyword} ${name} holds ${what}${lowered ? ' (looks like a placeholder)' : ''}.`,
        resource: context.at(instruction),
        severity,
        evidence: { name, literal, ...(lowered ? { lowered } : {}) },
        key: [stage.index, name],
      });
    });
}

/** DOCKER011: EXPOSE 22. */
function exposeFindings(stage: Stage, instruction: Instruction, context: DockerContext): Finding[] {
  if (!instruction.args.split(/\s+/).some((p) => /^22(?:\/tcp)?$/i.test(p))) return [];
  return [
    dockerFinding('DOCKER011', {
      message: 'EXPOSE 22 publishes an SSH port.',
      resource: context.at(instruction),
      key: [stage.index],
    }),
  ];
}

type RunTest = (command: string, commands: readonly ShellCommand[]) => boolean;

/** The RUN patterns: each rule, the test on the command, and its message. */
const RUN_CHECKS: readonly { id: DockerRuleId; suffix: string; test: RunTest; message: string }[] = [
  {
    id: 'DOCKER007',
    suffix: 'sudo',
    test: (_, commands) => commands.some((c) => c.words.includes('sudo')),
    message: 'RUN uses sudo.',
  },
  {
    id: 'DOCKER008',
    suffix: 'pipe',
    test: pipeToShell,
    message: 'RUN pipes a downloaded script straight into a shell.',
  },
  {
    id: 'DOCKER009',
    suffix: 'tls',
    test: insecureDownload,
    message: 'RUN downloads with certificate verification turned off.',
  },
  {
    id: 'DOCKER012',
    suffix: 'chmod',
    test: (command) => WORLD_WRITABLE.test(command),
    message: 'RUN makes files world-writable (chmod 777 / o+w).',
  },
];

/** DOCKER007, 008, 009, 012, and DOCKER006 in the stages that ship. */
function runFindings(stage: Stage, instruction: Instruction, context: DockerContext): Finding[] {
  const { flags, rest } = stripFlags(instruction.args);
  const command = `${flags.join(' ')} ${commandText(rest)}`;
  // The n-th RUN of the stage: the command text may hold a secret, so it stays out of the fingerprint.
  const run = stage.runs.get(instruction) ?? -1;
  const key = (suffix: string) => [stage.index, suffix, run];
  const resource = context.at(instruction);
  const commands = shellCommands(commandText(rest));
  const findings = RUN_CHECKS.filter((check) => check.test(command, commands)).map((check) =>
    dockerFinding(check.id, { message: check.message, resource, key: key(check.suffix) }),
  );
  if (!context.shipped.has(stage)) return findings;
  const pipNoCache = context.pipNoCache(stage);
  const left = cachesLeft(command, flags, commands, pipNoCache);
  if (left.length > 0) {
    findings.push(
      dockerFinding('DOCKER006', {
        message: `RUN installs packages with ${left.join(', ')} and leaves the package cache in the shipped image.`,
        resource,
        evidence: { tools: left },
        key: key(left.join(',')),
      }),
    );
  }
  return findings;
}

/** Where a stage's layers end up, for the message and the severity. */
function shipping(stage: Stage, secret: SecretLayer, context: DockerContext) {
  if (context.shipped.has(stage)) return { note: '', severity: undefined };
  const carrier = carriedBy(secret, stage, [...context.shipped]);
  if (carrier) {
    return {
      note: ` It is in build stage ${stageLabel(stage)}, and COPY --from at line ${carrier.line} copies it into the image that ships.`,
      severity: undefined,
    };
  }
  const target = stage.name ?? String(stage.index);
  return {
    note: ` It is in build stage ${stageLabel(stage)}, which does not ship: not in the final image, but in the build cache and in any image built with --target ${target}.`,
    severity: 'low' as const,
  };
}

/** DOCKER013 (a credential file left in a layer) and DOCKER014 (removed by a later layer, kept by its own). */
function layerFindings(stages: readonly Stage[], context: DockerContext): Finding[] {
  const findings: Finding[] = [];
  for (const stage of stages) {
    const secrets = stageSecrets(stage, context.build);
    const kept = new Map<Instruction, SecretLayer[]>();
    for (const secret of secrets) {
      const { note, severity } = shipping(stage, secret, context);
      if (!secret.removed) {
        kept.set(secret.added, [...(kept.get(secret.added) ?? []), secret]);
        continue;
      }
      findings.push(
        dockerFinding('DOCKER014', {
          message: `${secret.added.keyword} at line ${secret.added.line} adds ${secret.path} (${secret.what}); RUN at line ${secret.removed.line} removes it, but the layer of line ${secret.added.line} keeps it for anyone who pulls the image.${note}`,
          resource: context.at(secret.added),
          ...(severity ? { severity } : {}),
          evidence: {
            path: secret.path,
            addedAt: secret.added.line,
            removedAt: secret.removed.line,
            stage: stageLabel(stage),
          },
          key: [stage.index, secret.path],
        }),
      );
    }
    for (const [instruction, list] of kept) {
      const { note, severity } = shipping(stage, list[0] as SecretLayer, context);
      const sources = [...new Set(list.map((s) => s.source))];
      const fromContext = list.some((s) => context.build?.files.some((f) => f.path === s.source));
      findings.push(
        dockerFinding('DOCKER013', {
          message: `${instruction.keyword} puts ${sources.join(', ')} (${[...new Set(list.map((s) => s.what))].join(', ')}) into an image layer${fromContext ? ' from the build context (.dockerignore does not exclude it)' : ''}.${note}`,
          resource: context.at(instruction),
          ...(severity ? { severity } : {}),
          evidence: { sources, paths: list.map((s) => s.path) },
          key: [stage.index, sources.join(' ')],
        }),
      );
    }
  }
  return findings;
}

function instructionFindings(stage: Stage, instruction: Instruction, context: DockerContext): Finding[] {
  switch (instruction.keyword) {
    case 'ADD':
    case 'COPY':
      return copyFindings(stage, instruction, context);
    case 'ENV':
    case 'ARG':
      return assignmentFindings(stage, instruction, context);
    case 'EXPOSE':
      return exposeFindings(stage, instruction, context);
    case 'RUN':
      return runFindings(stage, instruction, context);
    default:
      return [];
  }
}

/**
 * The findings of one Dockerfile. `files`, when given, are the other input
 * files: those in the Dockerfile's folder are its build context.
 */
export function scanDockerfile(file: SourceFile, files?: readonly SourceFile[]): Finding[] {
  const stages = splitStages(parseDockerfile(file.content));
  if (stages.length === 0) return [];
  const chain = shippedChain(stages);
  const pipNoCacheOf = new Map(
    stages.map((stage) => [
      stage,
      stage.instructions.some(
        (i) => i.keyword === 'ENV' && /PIP_NO_CACHE_DIR[= ]+(?:1|true|on|yes|off|0)/i.test(i.args),
      ),
    ]),
  );
  const context: DockerContext = {
    at: (instruction) => ({ kind: 'Dockerfile', name: file.path, file: file.path, line: instruction.line }),
    shipped: new Set(chain),
    pipNoCache: (stage) => pipNoCacheOf.get(stage) ?? false,
    ...(files ? { build: buildContext(file.path, files) } : {}),
  };
  return [
    ...shippedImageFindings(chain, context),
    ...layerFindings(stages, context),
    ...stages.flatMap((stage) => [
      ...baseImageFindings(stage, context),
      ...stage.instructions.flatMap((instruction) => instructionFindings(stage, instruction, context)),
    ]),
  ];
}
