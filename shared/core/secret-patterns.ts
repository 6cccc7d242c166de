/**
 * The shapes of credentials that are recognisable by their value alone: the
 * LLM masking step (../llm/masking.ts) and the log redaction
 * (./redaction.ts) use this one list, so a token the one hides the other
 * hides too. Every pattern is global (`g`), for replace-all.
 */
export const SECRET_TOKENS: readonly RegExp[] = [
  // AWS access key ids, GitHub, GitLab, Slack, Google, Stripe, OpenAI/Anthropic-style keys.
  /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9_])(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,251}|github_pat_[A-Za-z0-9_]{40,255})/g,
  /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,255}/g,
  /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/g,
  /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/g,
  /(?<![A-Za-z0-9_])(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,247}/g,
  /(?<![A-Za-z0-9_-])sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/g,
  /(?<![A-Za-z0-9_-])aiops_[A-Za-z0-9_-]{16,}/g,
  // JSON Web Tokens.
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  // PEM private keys, whole.
  /-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----/g,
];
