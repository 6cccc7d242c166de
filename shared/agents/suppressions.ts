/**
 * Suppressions: a user silences one rule at one place, always with a reason
 * (../../docs/architecture.md, CLI conventions). Four written forms — an inline
 * `aiops:allow RULE reason` comment, a manifest annotation
 * `aiops.dev/ignore`, CloudFormation `Metadata.aiops.ignore` and an
 * `.aiopsignore` file — plus the agents' JSON input field `ignore`.
 * Suppressed findings stay in the result (`suppressed: true` and the reason)
 * and leave the counts; a malformed suppression is never applied silently but
 * reported as an AIOPS000 finding at its place.
 */
import { dirname, posix } from 'node:path';
import * as z from 'zod';
import { compileGlob, type Glob, MAX_GLOB_LENGTH } from '../analysis/glob.js';
import { ValidationError } from '../core/errors.js';
import type { Finding, SUPPRESSION_SOURCES } from './contract.js';
import { RULE_ID_PATTERN, type Rule, type RuleCatalog, ruleCatalog, ruleFinding } from './rules.js';

export type SuppressionSource = (typeof SUPPRESSION_SOURCES)[number];

export interface Suppression {
  /** Exact ids; '*' is not allowed (suppressions are specific). */
  ruleIds: readonly string[];
  /** Required, non-empty. */
  reason: string;
  source: SuppressionSource;
  // Scope: whichever of the following are set must all match the finding.
  /** finding.resource.file equals this (inline, annotation, cloudformation). */
  file?: string;
  /** finding.resource.line equals this (inline). */
  line?: number;
  /** finding.resource.file matches this glob (aiopsignore, input); checked when parsed, matched by ../analysis/glob.ts. */
  pathGlob?: string;
  /** annotation / cloudformation: the resource. */
  resource?: { kind?: string; name: string; namespace?: string };
}

/** A malformed suppression (no reason, unknown syntax): reported as a finding of rule AIOPS000 at its place, never silently applied. */
export interface SuppressionProblem {
  file?: string;
  line?: number;
  message: string;
}

export interface ParsedSuppressions {
  suppressions: Suppression[];
  problems: SuppressionProblem[];
}

const AIOPS000: Rule = {
  id: 'AIOPS000',
  severity: 'low',
  category: 'correctness',
  title: 'Suppression without a reason or malformed',
  description:
    'A suppression (inline `aiops:allow` comment, `aiops.dev/ignore` annotation, CloudFormation `Metadata.aiops.ignore` or `.aiopsignore` entry) that cannot be applied: it names no rule id, uses a wildcard, has no reason, or covers no line. It is not applied, so the findings it meant to silence are still reported.',
  remediation:
    'Write the exact rule ids and a reason: `aiops:allow K8S004 probes are served by the sidecar`. Wildcards are not accepted; list each rule.',
};

export const SUPPRESSION_RULES: RuleCatalog = ruleCatalog([AIOPS000]);

/** The directive, its rule ids and its reason, or what is wrong with it. */
type Directive = { ruleIds: string[]; reason: string } | { problem: string };

/**
 * `RULE[,RULE…] reason…`. Ids may be separated by commas with optional
 * spaces; the reason is the rest, with a leading `:` or dash separator removed.
 */
function parseDirective(text: string, what: string): Directive {
  const match = /^\s*([^\s,]+(?:\s*,\s*[^\s,]+)*)(?:\s+(.*))?$/s.exec(text);
  if (!match?.[1]) return { problem: `${what} names no rule id; write ${what} RULE[,RULE…] reason` };
  const ruleIds = match[1].split(/\s*,\s*/);
  const wildcard = ruleIds.find((id) => id.includes('*'));
  if (wildcard !== undefined) {
    return { problem: `${what} ${wildcard}: wildcards are not accepted; name each rule id` };
  }
  const invalid = ruleIds.find((id) => !RULE_ID_PATTERN.test(id));
  if (invalid !== undefined) {
    return {
      problem: `${what} "${invalid}" is not a rule id (upper-case, like K8S004 or SEC-AWS-ACCESS-KEY); write ${what} RULE[,RULE…] reason`,
    };
  }
  const reason = (match[2] ?? '').replace(/^[-:—–]+\s*/, '').trim();
  if (reason === '') return { problem: `${what} ${ruleIds.join(',')} has no reason; a reason is required` };
  return { ruleIds, reason };
}

const INLINE = /aiops:allow\b/;
/** Ends of block comments that are not part of the reason. */
const COMMENT_END = /\*\/|-->/;

/**
 * `aiops:allow RULE[,RULE…] reason…` inside a comment. A comment that is alone
 * on its line covers the next non-blank, non-comment line; a trailing comment
 * covers its own line. `commentMarkers` e.g. ['#'] for YAML/shell/Dockerfile/
 * HCL, ['--'] for SQL, ['//', '/*'] for JS/TS/Go/Java, ['#'] for Python.
 */
export function parseInlineAllows(
  file: string,
  content: string,
  commentMarkers: readonly string[],
): ParsedSuppressions {
  // Most files hold no directive: skip splitting them into lines (a large part of a big tree's scan).
  if (!content.includes('aiops:allow')) return { suppressions: [], problems: [] };
  const lines = content.split(/\r?\n/);
  const isComment = (line: string) => {
    const trimmed = line.trimStart();
    return commentMarkers.some((marker) => trimmed.startsWith(marker));
  };
  const result: ParsedSuppressions = { suppressions: [], problems: [] };
  lines.forEach((line, index) => {
    const at = INLINE.exec(line);
    if (!at) return;
    const before = line.slice(0, at.index);
    // Only inside a comment: a marker must open somewhere before the directive.
    if (!commentMarkers.some((marker) => before.includes(marker))) return;
    const lineNo = index + 1;
    // A block comment ends the directive; code after it makes the comment a trailing one.
    const [text = '', ...after] = line.slice(at.index + 'aiops:allow'.length).split(COMMENT_END);
    const codeAfter = after.join('').trim() !== '';
    const directive = parseDirective(text, 'aiops:allow');
    if ('problem' in directive) {
      result.problems.push({ file, line: lineNo, message: directive.problem });
      return;
    }
    let target = lineNo;
    if (isComment(line) && !codeAfter) {
      const next = lines.findIndex((l, i) => i > index && l.trim() !== '' && !isComment(l));
      if (next === -1) {
        result.problems.push({
          file,
          line: lineNo,
          message: `aiops:allow ${directive.ruleIds.join(',')} is followed by no line to cover`,
        });
        return;
      }
      target = next + 1;
    }
    result.suppressions.push({ ...directive, source: 'inline', file, line: target });
  });
  return result;
}

/** Forward slashes, no leading `./`: how paths are compared with files and globs. */
function normalisePath(path: string): string {
  return posix.normalize(path.replaceAll('\\', '/')).replace(/^\.\//, '');
}

/**
 * A gitignore-like glob made relative to the folder holding the `.aiopsignore`
 * (or the current directory): a pattern without a slash matches at any depth,
 * a leading slash anchors at the folder, a trailing slash means the folder's
 * content.
 */
function anchorGlob(glob: string, base: string): string {
  let pattern = glob.replaceAll('\\', '/');
  if (pattern.endsWith('/')) pattern = `${pattern}**`;
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  else if (!pattern.includes('/')) pattern = `**/${pattern}`;
  pattern = pattern.replace(/^\.\//, '');
  return base === '.' || base === '' ? pattern : `${normalisePath(base)}/${pattern}`;
}

/**
 * A suppression's path glob (the `ignore[].path` and `.aiopsignore` syntax, see
 * ../analysis/glob.ts), anchored and checked: throws a ValidationError when the
 * glob the user wrote is over the length cap or its braces expand too far.
 */
function checkedPathGlob(glob: string, base: string, field: string): string {
  const anchored = anchorGlob(glob, base);
  // The cap is on what the user wrote; the `**/` and folder that anchoring adds are ours.
  compileGlob(anchored, {
    syntax: 'path',
    field,
    maxLength: MAX_GLOB_LENGTH + anchored.length - glob.length,
  });
  return anchored;
}

function compilePathGlob(glob: string): Glob {
  return compileGlob(glob, { syntax: 'path', maxLength: Number.POSITIVE_INFINITY });
}

/** `.aiopsignore`: one entry per line `RULE[,RULE…] PATH-GLOB reason…`; blank lines and `#` comments skipped. */
export function parseAiopsIgnore(content: string, file?: string): ParsedSuppressions {
  const base = file === undefined ? '.' : dirname(normalisePath(file));
  const result: ParsedSuppressions = { suppressions: [], problems: [] };
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const place = { ...(file === undefined ? {} : { file }), line: index + 1 };
    const match = /^(\S+)(?:\s+(\S+))?(?:\s+(.*))?$/.exec(line);
    const [, ids = '', glob, reason = ''] = match ?? [];
    if (glob === undefined) {
      result.problems.push({
        ...place,
        message: `.aiopsignore entry "${line}" has no path glob; write RULE[,RULE…] PATH-GLOB reason`,
      });
      return;
    }
    const directive = parseDirective(`${ids} ${reason}`, '.aiopsignore');
    if ('problem' in directive) {
      result.problems.push({ ...place, message: directive.problem });
      return;
    }
    let pathGlob: string;
    try {
      pathGlob = checkedPathGlob(glob, base, 'path');
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      result.problems.push({
        ...place,
        message: `.aiopsignore path glob: ${error.errors[0]?.message ?? error.message}`,
      });
      return;
    }
    result.suppressions.push({ ...directive, source: 'aiopsignore', pathGlob });
  });
  return result;
}

function resourcePlace(resource: { file?: string; line?: number }): { file?: string; line?: number } {
  return {
    ...(resource.file === undefined ? {} : { file: resource.file }),
    ...(resource.line === undefined ? {} : { line: resource.line }),
  };
}

function resourceScope(resource: { kind: string; name: string; namespace?: string; file?: string }) {
  return {
    ...(resource.file === undefined ? {} : { file: resource.file }),
    resource: {
      kind: resource.kind,
      name: resource.name,
      ...(resource.namespace === undefined ? {} : { namespace: resource.namespace }),
    },
  };
}

/** The value of a manifest annotation `aiops.dev/ignore: "K8S004,K8S011 reason…"` for one resource. */
export function parseAnnotation(
  value: string,
  resource: { kind: string; name: string; namespace?: string; file?: string; line?: number },
): ParsedSuppressions {
  const directive = parseDirective(value, 'aiops.dev/ignore');
  if ('problem' in directive) {
    return {
      suppressions: [],
      problems: [
        { ...resourcePlace(resource), message: `${resource.kind}/${resource.name}: ${directive.problem}` },
      ],
    };
  }
  return { suppressions: [{ ...directive, source: 'annotation', ...resourceScope(resource) }], problems: [] };
}

const cloudFormationEntry = z.object({
  id: z.string().trim().regex(RULE_ID_PATTERN),
  reason: z.string().trim().min(1),
});

/** A CloudFormation resource's `Metadata: { aiops: { ignore: [{ id, reason }] } }`. */
export function parseCloudFormationIgnore(
  metadata: unknown,
  resource: { kind: string; name: string; file?: string; line?: number },
): ParsedSuppressions {
  const result: ParsedSuppressions = { suppressions: [], problems: [] };
  if (typeof metadata !== 'object' || metadata === null || !('aiops' in metadata)) return result;
  const aiops: unknown = metadata.aiops;
  const ignore = typeof aiops === 'object' && aiops !== null && 'ignore' in aiops ? aiops.ignore : undefined;
  const problem = (message: string) =>
    result.problems.push({ ...resourcePlace(resource), message: `${resource.name}: ${message}` });
  if (!Array.isArray(ignore)) {
    problem('Metadata.aiops.ignore must be a list of { id, reason }');
    return result;
  }
  ignore.forEach((entry: unknown, index) => {
    const parsed = cloudFormationEntry.safeParse(entry);
    if (!parsed.success) {
      const id = typeof entry === 'object' && entry !== null && 'id' in entry ? String(entry.id) : '?';
      problem(`Metadata.aiops.ignore[${index}] (${id}) needs an exact rule id and a non-empty reason`);
      return;
    }
    result.suppressions.push({
      ruleIds: [parsed.data.id],
      reason: parsed.data.reason,
      source: 'cloudformation',
      ...resourceScope(resource),
    });
  });
  return result;
}

type IgnoreEntry = { ruleId: string; path?: string; reason: string };

/**
 * The agents' JSON input field `ignore` (optional on every scanning agent's
 * input schema). Its type is inferred rather than written as z.ZodType<…> so
 * that the key stays optional in the agents' input objects.
 */
export const ignoreInputSchema = z
  .array(
    z.object({
      ruleId: z
        .string()
        .regex(RULE_ID_PATTERN, 'an exact rule id such as K8S004 (wildcards are not accepted)')
        .describe('The rule to suppress.'),
      path: z
        .string()
        .min(1)
        .max(MAX_GLOB_LENGTH)
        .superRefine((path, ctx) => {
          // Refused at submission (400), not when the agent runs: braces that expand too far.
          try {
            checkedPathGlob(path, '.', 'path');
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            ctx.addIssue({ code: 'custom', message: error.errors[0]?.message ?? error.message });
          }
        })
        .optional()
        .describe(
          'Glob of the files it applies to (relative paths, `**` for any depth); absent: every file.',
        ),
      reason: z.string().trim().min(1).max(1000).describe('Why the finding is accepted; required.'),
    }),
  )
  .max(1000)
  .optional()
  .describe(
    'Suppressions: findings of these rules (in these files) are marked suppressed with the reason.',
  ) satisfies z.ZodType<IgnoreEntry[] | undefined>;

/** Throws a ValidationError (400) for a path glob the matcher refuses (its braces expand too far). */
export function fromIgnoreInput(ignore: readonly IgnoreEntry[] | undefined): Suppression[] {
  return (ignore ?? []).map((entry, index) => {
    if (entry.path === undefined) return { ruleIds: [entry.ruleId], reason: entry.reason, source: 'input' };
    const pathGlob = checkedPathGlob(entry.path, '.', `input.ignore.${index}.path`);
    return { ruleIds: [entry.ruleId], reason: entry.reason, source: 'input', pathGlob };
  });
}

function matches(s: Suppression, finding: Finding, globs: Map<string, Glob>): boolean {
  if (!s.ruleIds.includes(finding.ruleId)) return false;
  const r = finding.resource;
  const file = r?.file === undefined ? undefined : normalisePath(r.file);
  if (s.file !== undefined && file !== normalisePath(s.file)) return false;
  if (s.line !== undefined && r?.line !== s.line) return false;
  if (s.pathGlob !== undefined) {
    if (file === undefined) return false;
    let glob = globs.get(s.pathGlob);
    if (glob === undefined) {
      glob = compilePathGlob(s.pathGlob);
      globs.set(s.pathGlob, glob);
    }
    if (!glob.matches(file)) return false;
  }
  if (s.resource !== undefined) {
    if (r === undefined || r.name !== s.resource.name) return false;
    if (s.resource.kind !== undefined && r.kind !== s.resource.kind) return false;
    // Exact, including "no namespace": the same name in another namespace is another resource.
    if ((r.namespace ?? '') !== (s.resource.namespace ?? '')) return false;
  }
  return true;
}

/** An AIOPS000 finding for a suppression that could not be applied. */
function problemFinding(problem: SuppressionProblem): Finding {
  const name = problem.file === undefined ? 'suppression' : problem.file;
  return ruleFinding(AIOPS000, {
    message: problem.message,
    resource: {
      kind: 'Suppression',
      name,
      ...(problem.file === undefined ? {} : { file: problem.file }),
      ...(problem.line === undefined ? {} : { line: problem.line }),
    },
    key: [problem.message],
  });
}

/**
 * Marks matching findings `suppressed: true` with the reason and source, and
 * appends one AIOPS000 finding per problem. Returns a new array; the order of
 * the given findings is kept.
 */
export function applySuppressions(findings: readonly Finding[], parsed: ParsedSuppressions): Finding[] {
  const globs = new Map<string, Glob>();
  const marked = findings.map((finding) => {
    if (finding.suppressed) return finding;
    const s = parsed.suppressions.find((candidate) => matches(candidate, finding, globs));
    if (s === undefined) return finding;
    return { ...finding, suppressed: true, suppressionReason: s.reason, suppressionSource: s.source };
  });
  return [...marked, ...parsed.problems.map(problemFinding)];
}

/** Joins the suppressions and problems of several sources. */
export function mergeSuppressions(...parts: readonly ParsedSuppressions[]): ParsedSuppressions {
  return {
    suppressions: parts.flatMap((p) => p.suppressions),
    problems: parts.flatMap((p) => p.problems),
  };
}
