/**
 * Dockerfile rules. The file is read as Docker reads it: `# escape=` parser
 * directive, line continuations (comment lines inside a continuation are
 * dropped), heredocs (`RUN <<EOF … EOF`), JSON and shell forms. Stages are
 * tracked, so the checks that concern the image that ships (user, health
 * check, caches) look at the final stage and the stages it is built FROM,
 * while a build stage that runs as root or keeps a cache is left alone.
 */

import { isSecretName, placeholderReason } from '../../analysis/secrets/index.js';
import { splitLines } from '../../analysis/source/files.js';
import type { Finding, SourceFile } from '../contract.js';
import { ruleFinding } from '../rules.js';
import { rule } from './rules.js';

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, USER… */
  keyword: string;
  /** Arguments, continuation lines joined with a space, heredoc bodies appended. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
}

const HEREDOC = /<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g;

/** The instructions of a Dockerfile, continuation lines joined. */
export function parseDockerfile(content: string): Instruction[] {
  const lines = splitLines(content);
  let escapeChar = '\\';
  // Parser directives: only at the very top, before any instruction or other comment.
  for (const line of lines) {
    const directive = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(line);
    if (!directive) break;
    if (directive[1]?.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) {
      escapeChar = directive[2];
    }
  }
  const instructions: Instruction[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = (lines[i] ?? '').trim();
    const startLine = i + 1;
    i++;
    if (first === '' || first.startsWith('#')) continue;
    let text = first;
    while (text.endsWith(escapeChar) && i < lines.length) {
      text = text.slice(0, -1);
      const next = (lines[i] ?? '').trim();
      i++;
      if (next.startsWith('#')) {
        text += escapeChar; // a comment inside a continuation is skipped, the continuation goes on
        continue;
      }
      text = `${text} ${next}`;
    }
    const match = /^([A-Za-z]+)(?:\s+(.*))?$/s.exec(text);
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    let args = (match[2] ?? '').trim();
    for (const heredoc of args.matchAll(HEREDOC)) {
      const end = heredoc[1];
      const body: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim() !== end) body.push(lines[i++] ?? '');
      i++;
      args = `${args}\n${body.join('\n')}`;
    }
    instructions.push({ keyword, args, line: startLine });
  }
  return instructions;
}

interface Stage {
  index: number;
  name?: string;
  image: string;
  from: Instruction;
  instructions: Instruction[];
  /** The stage this one is built FROM, when it names an earlier stage. */
  parent?: Stage;
}

function stripFlags(args: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let rest = args.trim();
  for (let m = /^--[\w-]+(?:=\S*)?\s*/.exec(rest); m; m = /^--[\w-]+(?:=\S*)?\s*/.exec(rest)) {
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
      });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (stage) stage.instructions.push(instruction);
    else if (instruction.keyword === 'ARG') {
      const [name = '', value = ''] = instruction.args.split('=', 2);
      globalArgs.set(name.trim(), value.trim().replace(/^["']|["']$/g, ''));
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

const SECRET_FILE =
  /(?:^|[/\s])(?:\.env(?:\.[\w-]+)?|id_(?:rsa|dsa|ecdsa|ed25519)|[\w.-]+\.(?:pem|key|p12|pfx|jks|keystore)|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.dockercfg|credentials(?:\.json)?|\.aws\/?|\.ssh\/?|\.docker\/config\.json)(?=$|\s)/i;

/** Package-manager steps that leave a cache behind, and what cleans them. */
const CACHES: readonly { install: RegExp; clean: RegExp; tool: string }[] = [
  {
    tool: 'apt-get',
    install: /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/,
    clean: /rm\s+-[rf]{2}\s+\/var\/lib\/apt\/lists|--mount=type=cache[^\s]*\/var\/(?:lib|cache)\/apt/,
  },
  {
    tool: 'apk',
    install: /\bapk\s+(?:-\S+\s+)*add\b/,
    clean: /--no-cache\b|rm\s+-[rf]{2}\s+\/var\/cache\/apk|--mount=type=cache[^\s]*\/var\/cache\/apk/,
  },
  {
    tool: 'pip',
    install: /\b(?:pip3?|python3?\s+-m\s+pip)\s+install\b/,
    clean: /--no-cache-dir\b|--mount=type=cache[^\s]*\/(?:root\/)?\.cache\/pip/,
  },
  {
    tool: 'yum/dnf',
    install: /\b(?:yum|dnf|microdnf)\s+(?:-\S+\s+)*install\b/,
    clean: /\b(?:yum|dnf|microdnf)\s+clean\s+all\b|rm\s+-[rf]{2}\s+\/var\/cache\/(?:yum|dnf)/,
  },
];

const INSECURE_DOWNLOAD =
  /\bcurl\b[^|;&\n]*\s(?:-k|--insecure)\b|\bcurl\b[^|;&\n]*\s-[a-zA-Z]*k[a-zA-Z]*\s|\bwget\b[^|;&\n]*--no-check-certificate|--trusted-host\b|strict-ssl\s+false|sslVerify=false|GIT_SSL_NO_VERIFY=(?:1|true)|\bsslverify\s*=\s*(?:0|false)/i;
const PIPE_TO_SHELL =
  /\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:-\S+\s+)*(?:(?:ba|z|da|k)?sh|python[23]?|perl|ruby|node)\b|\b(?:ba)?sh\s+-c\s+["']?\$\((?:curl|wget)\b|\b(?:ba)?sh\s+<\(\s*(?:curl|wget)\b/;

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

/** `KEY=value KEY2=value2` or the legacy `KEY value` form of ENV / ARG. */
function assignments(args: string, keyword: 'ENV' | 'ARG'): { name: string; value?: string }[] {
  const legacy = /^([A-Za-z_][\w.-]*)\s+(?!\S*=)(.+)$/s.exec(args);
  if (keyword === 'ENV' && legacy && !args.split(/\s+/)[0]?.includes('=')) {
    return [{ name: legacy[1] ?? '', value: (legacy[2] ?? '').trim() }];
  }
  const result: { name: string; value?: string }[] = [];
  for (const m of args.matchAll(/([A-Za-z_][\w.-]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g)) {
    const value = m[2]?.replace(/^["']|["']$/g, '');
    result.push({ name: m[1] ?? '', ...(value === undefined ? {} : { value }) });
  }
  return result;
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

export function scanDockerfile(file: SourceFile): Finding[] {
  const instructions = parseDockerfile(file.content);
  const stages = splitStages(instructions);
  if (stages.length === 0) return [];
  const findings: Finding[] = [];
  const at = (instruction: Instruction, kind = 'Dockerfile', name = file.path) => ({
    kind,
    name,
    file: file.path,
    line: instruction.line,
  });
  const stageLabel = (stage: Stage) => stage.name ?? `stage ${stage.index}`;
  const chain = shippedChain(stages);
  const shipped = new Set(chain);
  const final = chain[0] as Stage; // stages is not empty, so the chain holds at least the final stage

  // DOCKER001: the user the shipped image runs as.
  const user = lastOf(chain, 'USER');
  const base = chain[chain.length - 1] as Stage;
  if (user && ROOT_USER.test(user.args.trim())) {
    findings.push(
      ruleFinding(rule('DOCKER001'), {
        message: `The final stage switches to USER ${user.args.trim()}: the container runs as root.`,
        resource: at(user),
        evidence: { user: user.args.trim(), cwe: 'CWE-250' },
      }),
    );
  } else if (!user && !NON_ROOT_BASE.test(base.image)) {
    findings.push(
      ruleFinding(rule('DOCKER001'), {
        message: `The final stage (${stageLabel(final)}, FROM ${final.image}) sets no USER, so the container runs as root unless the base image changes it.`,
        resource: at(final.from),
        evidence: { image: final.image, cwe: 'CWE-250' },
      }),
    );
  }

  // DOCKER005: health check of the shipped image.
  if (!lastOf(chain, 'HEALTHCHECK')) {
    findings.push(
      ruleFinding(rule('DOCKER005'), {
        message: `The final stage (${stageLabel(final)}) defines no HEALTHCHECK.`,
        resource: at(final.from),
      }),
    );
  }

  const pipNoCache = (stage: Stage) =>
    stage.instructions.some(
      (i) => i.keyword === 'ENV' && /PIP_NO_CACHE_DIR[= ]+(?:1|true|on|yes|off|0)/i.test(i.args),
    );

  for (const stage of stages) {
    // DOCKER002: base images (not earlier stages, not scratch).
    if (!stage.parent && stage.image.toLowerCase() !== 'scratch' && !stage.image.includes('$')) {
      const ref = imageReference(stage.image);
      if (ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest')) {
        findings.push(
          ruleFinding(rule('DOCKER002'), {
            message:
              ref.tag === undefined
                ? `FROM ${stage.image} has no tag: it means :latest, whatever that is at build time.`
                : `FROM ${stage.image} uses the moving :latest tag.`,
            resource: at(stage.from),
            evidence: { image: stage.image, cwe: 'CWE-1357' },
            key: [stage.index],
          }),
        );
      }
    }

    for (const instruction of stage.instructions) {
      const { keyword } = instruction;
      if (keyword === 'ADD' || keyword === 'COPY') {
        const { flags, rest } = stripFlags(instruction.args);
        const sources = commandText(rest).split(/\s+/).slice(0, -1);
        if (keyword === 'ADD') {
          const remote = sources.filter((s) => /^(?:https?|ftp):\/\/|^git@|\.git(?:#.*)?$/i.test(s));
          const checksum = flags.some((f) => f.startsWith('--checksum='));
          if (remote.length > 0 && !checksum) {
            findings.push(
              ruleFinding(rule('DOCKER003'), {
                message: `ADD fetches ${remote.join(', ')} without a checksum.`,
                resource: at(instruction),
                evidence: { urls: remote, cwe: 'CWE-494' },
                key: [stage.index, remote.join(' ')],
              }),
            );
          } else if (
            remote.length === 0 &&
            !sources.some((s) => /\.(?:tar(?:\.\w+)?|tgz|tbz2?|txz)$/i.test(s))
          ) {
            findings.push(
              ruleFinding(rule('DOCKER010'), {
                message: `ADD ${sources.join(' ')} copies local files; COPY says what it does.`,
                resource: at(instruction),
                key: [stage.index, sources.join(' ')],
              }),
            );
          }
        }
        const fromStage = flags.some((f) => f.startsWith('--from='));
        const secretSources = fromStage ? [] : sources.filter((s) => SECRET_FILE.test(` ${s}`));
        if (secretSources.length > 0) {
          findings.push(
            ruleFinding(rule('DOCKER013'), {
              message: `${keyword} puts ${secretSources.join(', ')} into an image layer.`,
              resource: at(instruction),
              evidence: { sources: secretSources, cwe: 'CWE-538' },
              key: [stage.index, secretSources.join(' ')],
            }),
          );
        }
      } else if (keyword === 'ENV' || keyword === 'ARG') {
        for (const { name, value } of assignments(instruction.args, keyword)) {
          if (!secretEnvName(name)) continue;
          const literal = value !== undefined && value !== '' && !/^\$\{?[A-Za-z_]\w*\}?$/.test(value);
          const lowered = literal ? placeholderReason(value) : undefined;
          const severity = !literal || lowered !== undefined ? (lowered ? 'info' : 'medium') : 'high';
          const what = literal
            ? `a literal value (${value.length} chars) that stays in the image ${keyword === 'ENV' ? 'config' : 'history'}`
            : keyword === 'ENV'
              ? 'a value copied from a build argument, readable in the image config'
              : 'a build argument: its value is recorded in the image history of every step that uses it';
          findings.push(
            ruleFinding(rule('DOCKER004'), {
              message: `${keyword} ${name} holds ${what}${lowered ? ' (looks like a placeholder)' : ''}.`,
              resource: at(instruction),
              severity,
              evidence: { name, literal, ...(lowered ? { lowered } : {}), cwe: 'CWE-538' },
              key: [stage.index, name],
            }),
          );
        }
      } else if (keyword === 'EXPOSE') {
        if (instruction.args.split(/\s+/).some((p) => /^22(?:\/tcp)?$/i.test(p))) {
          findings.push(
            ruleFinding(rule('DOCKER011'), {
              message: 'EXPOSE 22 publishes an SSH port.',
              resource: at(instruction),
              key: [stage.index],
            }),
          );
        }
      } else if (keyword === 'RUN') {
        const { flags, rest } = stripFlags(instruction.args);
        const command = `${flags.join(' ')} ${commandText(rest)}`;
        // The n-th RUN of the stage: the command text may hold a secret, so it stays out of the fingerprint.
        const run = stage.instructions.filter((i) => i.keyword === 'RUN').indexOf(instruction);
        const key = (suffix: string) => [stage.index, suffix, run];
        if (/(?:^|[;&|(]\s*|\s)sudo\s/.test(` ${command}`)) {
          findings.push(
            ruleFinding(rule('DOCKER007'), {
              message: 'RUN uses sudo.',
              resource: at(instruction),
              key: key('sudo'),
            }),
          );
        }
        if (PIPE_TO_SHELL.test(command)) {
          findings.push(
            ruleFinding(rule('DOCKER008'), {
              message: 'RUN pipes a downloaded script straight into a shell.',
              resource: at(instruction),
              evidence: { cwe: 'CWE-494' },
              key: key('pipe'),
            }),
          );
        }
        if (INSECURE_DOWNLOAD.test(command)) {
          findings.push(
            ruleFinding(rule('DOCKER009'), {
              message: 'RUN downloads with certificate verification turned off.',
              resource: at(instruction),
              evidence: { cwe: 'CWE-295' },
              key: key('tls'),
            }),
          );
        }
        if (/\bchmod\s+(?:-\S+\s+)*(?:0?777|[0-7]?[0-7][0-7][2367]\b|(?:a|o|ugo)\+\w*w)/.test(command)) {
          findings.push(
            ruleFinding(rule('DOCKER012'), {
              message: 'RUN makes files world-writable (chmod 777 / o+w).',
              resource: at(instruction),
              evidence: { cwe: 'CWE-732' },
              key: key('chmod'),
            }),
          );
        }
        if (shipped.has(stage)) {
          const left = CACHES.filter(
            (c) =>
              c.install.test(command) && !c.clean.test(command) && !(c.tool === 'pip' && pipNoCache(stage)),
          ).map((c) => c.tool);
          if (left.length > 0) {
            findings.push(
              ruleFinding(rule('DOCKER006'), {
                message: `RUN installs packages with ${left.join(', ')} and leaves the package cache in the shipped image.`,
                resource: at(instruction),
                evidence: { tools: left },
                key: key(left.join(',')),
              }),
            );
          }
        }
      }
    }
  }
  return findings;
}
