/**
 * The one credential table: one row per kind of credential, gitleaks style —
 * its pattern, the keywords that must appear before the pattern is tried, the
 * entropy its value must reach where randomness tells a key from a word, and
 * samples it must and must not find (test/unit/analysis/secrets.test.ts runs
 * them all).
 *
 * It lives in core because the log redaction (./redaction.ts) is core and
 * core imports nothing; the detection engine (shared/analysis/secrets)
 * re-exports it and adds what needs more than a pattern (a JWT's header, a
 * key block's material, placeholders, the generic `name = value` rule). So the
 * security scanner, code-reviewer, k8s-optimizer, config-drift-detector, the
 * LLM masking and the log redaction all read one list: a token one of them
 * finds, the others find and hide too.
 *
 * Sample values are built by concatenation so that no scanner of this
 * repository reads this file as holding a credential.
 */

export type CredentialId =
  | 'aws-access-key'
  | 'aws-secret-key'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'google-api-key'
  | 'stripe-key'
  | 'stripe-publishable-key'
  | 'llm-api-key'
  | 'aiops-api-key'
  | 'private-key'
  | 'jwt'
  | 'db-url-credentials'
  | 'url-credentials'
  | 'url-query-secret'
  | 'authorization-header'
  | 'generic-secret';

export interface CredentialKind {
  id: CredentialId;
  title: string;
  /** How bad a leak of it is, before a placeholder, a test key or a fixture lowers it. */
  severity: 'critical' | 'high' | 'medium';
  /** Global; `group` is the capture group holding the secret (0: the whole match). */
  pattern: RegExp;
  group: number;
  /** Lower-case strings one of which the text must contain before the pattern is tried. */
  keywords: readonly string[];
  /** Minimum Shannon entropy (bits per character) of the secret, where a low one means a word. */
  entropy?: number;
  /**
   * Whether the security scanner reports it (a SEC-* rule). The others are
   * hidden by the redaction and the masking, not reported yet (issue #16).
   */
  reported: boolean;
  /** Found by the name it is assigned to, not by its shape: the engine's generic rule, not a bare pattern. */
  byName?: true;
  samples: { secrets: readonly string[]; notSecrets: readonly string[] };
}

const AKIA = 'AK' + 'IA';
const B64_40 = 'Zq8+Tb2Lm4Nw7Rx1Vc9K' + 'p3Hs6Jd0Fg5Ya/Ue2Io7';
const ALNUM_36 = 'a1B2c3D4e5F6g7H8i9J0' + 'k1L2m3N4o5P6q7R8';
const BEGIN = '-----BEGIN ';
const KEY_MATERIAL = `${'MIIEowIBAAKCAQEAq7BFUpkGp3+LQmlQ'}${'Yx2eqzDV+xeG8kx/sQFV18S5JhzGeIJ'}`;

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const JWT_SIGNED = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: 'svc-1', iat: 1_700_000_000 })}.${'sIgNaTuRe0123' + 'Qz7Wk2Pv'}`;

/** `name = value`, `name: value`, `"name": "value"`, `name := "value"`, `--name=value`. */
export const SECRET_ASSIGNMENT =
  /(?<![\w.])(["']?)([A-Za-z_][\w.-]{0,80})\1[ \t]*(?:=|:=|:|=>|\?=)[ \t]*(?:"((?:[^"\\\n]|\\.){1,300})"|'((?:[^'\\\n]|\\.){1,300})'|`([^`\n$]{1,300})`|(\$\{[^}\n]{1,100}\}|[^\s'"`,;#&}{)(\][]{1,300}))/g;

export const CREDENTIALS: readonly CredentialKind[] = [
  {
    id: 'aws-access-key',
    title: 'AWS access key id',
    severity: 'high',
    // Real ids are base32 ([A-Z2-7]); [A-Z0-9] also catches hand-made ones, which are just as leaked.
    pattern: /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9])/g,
    group: 1,
    keywords: ['akia', 'asia', 'abia', 'acca'],
    reported: true,
    samples: {
      secrets: [`key=${AKIA}Q3EGRJ5XNB2PXK7M`, `"${'AS'}IAZ4MK2QX7RT9BV3LN"`],
      notSecrets: [`${AKIA}Q3EGRJ5X`, `X${AKIA}Q3EGRJ5XNB2PXK7M`, `${AKIA.toLowerCase()}q3egrj5xnb2pxk7m`],
    },
  },
  {
    id: 'aws-secret-key',
    title: 'AWS secret access key',
    severity: 'critical',
    pattern:
      /(?:aws[\w.-]{0,30}?(?:secret|private)[\w.-]{0,20}?|secret[_-]?access[_-]?key)["']?\s*(?:=|:=|:|=>|,)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
    keywords: ['aws', 'secret'],
    entropy: 3.5,
    reported: true,
    samples: {
      secrets: [`aws_secret_access_key = ${B64_40}`, `AWS_SECRET_ACCESS_KEY: "${B64_40}"`],
      notSecrets: [`aws_secret_access_key = ${'ab'.repeat(20)}`, `aws_region = ${B64_40}`],
    },
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'critical',
    pattern:
      /(?<![A-Za-z0-9_])((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{60,255})(?![A-Za-z0-9_])/g,
    group: 1,
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    reported: true,
    samples: {
      secrets: [`token ${'gh'}p_${ALNUM_36}`, `${'github'}_pat_${ALNUM_36}_${ALNUM_36}`],
      notSecrets: [`${'gh'}p_${ALNUM_36.slice(0, 20)}`, `${'gh'}x_${ALNUM_36}`],
    },
  },
  {
    id: 'gitlab-token',
    title: 'GitLab token',
    severity: 'critical',
    pattern:
      /(?<![A-Za-z0-9_-])(gl(?:pat|dt|rt|ptt|ft|imt|oas|cbt|soat|agent)-[A-Za-z0-9_-]{20,255}|GR1348941[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/g,
    group: 1,
    keywords: [
      'glpat-',
      'gldt-',
      'glrt-',
      'glptt-',
      'glft-',
      'glimt-',
      'gloas-',
      'glcbt-',
      'glsoat-',
      'glagent-',
      'gr1348941',
    ],
    reported: true,
    samples: {
      secrets: [`${'glpat'}-Xy7kQ2mN9pL4rT8vW1zB`, `${'GR13'}48941Xy7kQ2mN9pL4rT8vW1zB`],
      notSecrets: [`${'glpat'}-short`, `${'glxyz'}-Xy7kQ2mN9pL4rT8vW1zB`],
    },
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    severity: 'high',
    pattern:
      /(?<![A-Za-z0-9])(xox[abposr]-(?:\d+-)+[A-Za-z0-9-]{8,}|xoxe(?:\.xox[bp])?-\d-[A-Za-z0-9]{60,}|xapp-\d-[A-Z0-9]+-\d+-[a-f0-9]{16,})(?![A-Za-z0-9-])/g,
    group: 1,
    keywords: ['xox', 'xapp-'],
    reported: true,
    samples: {
      secrets: [`${'xo'}xb-482937561204-7720395816473-Xy7kQ2mN9pL4rT8vW1zBq3Hs`],
      notSecrets: [`${'xo'}xb-AbCdEfGhIjKl`, `${'xo'}xz-482937561204-Xy7kQ2mN9pL4`],
    },
  },
  {
    id: 'slack-webhook',
    title: 'Slack incoming webhook URL',
    severity: 'medium',
    pattern:
      /(https?:\/\/hooks\.slack\.com\/)((?:services|workflows|triggers)\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_/-]{8,})/g,
    group: 2,
    keywords: ['hooks.slack.com'],
    reported: true,
    samples: {
      secrets: [`url: https://${'hooks.slack'}.com/services/T0A1B2C3D/B0A1B2C3D/Xy7kQ2mN9pL4rT8v`],
      notSecrets: [`https://${'hooks.slack'}.com/services/`, 'https://slack.com/intl/en-gb/help'],
    },
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
    group: 1,
    keywords: ['aiza'],
    reported: true,
    samples: {
      secrets: [`key=${'AI'}za${ALNUM_36.slice(0, 35)}`],
      notSecrets: [`${'AI'}za${ALNUM_36.slice(0, 20)}`, `${'AI'}za${ALNUM_36}`],
    },
  },
  {
    id: 'stripe-key',
    title: 'Stripe secret or restricted key',
    severity: 'critical',
    pattern:
      /(?<![A-Za-z0-9_])((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,247}|whsec_[0-9A-Za-z]{32,})(?![0-9A-Za-z])/g,
    group: 1,
    keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_'],
    reported: true,
    samples: {
      secrets: [`${'sk'}_live_${ALNUM_36.slice(0, 24)}`, `${'rk'}_live_${ALNUM_36.slice(0, 24)}`],
      notSecrets: [`${'sk'}_live_short`, `${'pk'}_live_${ALNUM_36.slice(0, 24)}`],
    },
  },
  {
    id: 'stripe-publishable-key',
    title: 'Stripe publishable key',
    severity: 'medium',
    pattern: /(?<![A-Za-z0-9_])(pk_(?:live|test)_[0-9A-Za-z]{16,247})/g,
    group: 1,
    keywords: ['pk_live_', 'pk_test_'],
    reported: false,
    samples: {
      secrets: [`${'pk'}_live_${ALNUM_36.slice(0, 24)}`],
      notSecrets: [`${'pk'}_live_short`],
    },
  },
  {
    id: 'llm-api-key',
    title: 'OpenAI or Anthropic API key',
    severity: 'critical',
    pattern: /(?<![A-Za-z0-9_-])(sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,})/g,
    group: 1,
    keywords: ['sk-'],
    reported: false,
    samples: {
      secrets: [`${'sk'}-ant-${ALNUM_36}`, `${'sk'}-proj-${ALNUM_36}`],
      notSecrets: [`${'sk'}-short`, `task-${ALNUM_36}`],
    },
  },
  {
    id: 'aiops-api-key',
    title: 'AIOps API key',
    severity: 'critical',
    pattern: /(?<![A-Za-z0-9_-])(aiops_[A-Za-z0-9_-]{16,})/g,
    group: 1,
    keywords: ['aiops_'],
    reported: false,
    samples: {
      secrets: [`x-api-key: ${'aiops'}_${ALNUM_36.slice(0, 20)}`],
      notSecrets: [`${'aiops'}_short`, `my_aiops_${ALNUM_36.slice(0, 20)}`],
    },
  },
  {
    id: 'private-key',
    title: 'Private key',
    severity: 'critical',
    pattern:
      /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----((?:[^-]|-(?!----END)){0,8000})/g,
    group: 2,
    keywords: ['private key'],
    reported: true,
    samples: {
      secrets: [
        `${BEGIN}RSA PRIVATE KEY-----\n${KEY_MATERIAL}\n${KEY_MATERIAL}\n-----END RSA PRIVATE KEY-----`,
      ],
      notSecrets: [
        `${BEGIN}PUBLIC KEY-----\n${KEY_MATERIAL}\n-----END PUBLIC KEY-----`,
        `${BEGIN}PRIVATE KEY-----\n-----END PRIVATE KEY-----`,
      ],
    },
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'medium',
    pattern:
      /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)(?![A-Za-z0-9_.-])/g,
    group: 1,
    keywords: ['eyj'],
    reported: true,
    samples: {
      secrets: [`Authorization=${JWT_SIGNED}`],
      notSecrets: [
        `${base64url({ typ: 'JWT' })}.${base64url({ sub: 'svc-1' })}.${'sIgNaTuRe'}`,
        'eyJhbGci.notatoken',
      ],
    },
  },
  {
    id: 'url-credentials',
    title: 'URL with a password',
    severity: 'high',
    // The scheme is bounded (schemes are short): an unbounded run makes the search quadratic on long values.
    pattern: /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s:@/'"`]{1,128}:[^\s@/'"`]{1,256})@/gi,
    group: 2,
    keywords: ['://'],
    reported: false,
    samples: {
      secrets: [`git clone https://deploy:${'tok3n'}-Value@git.example.com/repo.git`],
      notSecrets: ['https://git.example.com/repo.git', 'mailto:ops@example.com'],
    },
  },
  {
    id: 'db-url-credentials',
    title: 'Database URL with a password',
    severity: 'high',
    pattern:
      /(?<![A-Za-z0-9+])((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|couchdb|neo4j(?:\+s)?|jdbc:[a-z0-9]+(?::[a-z0-9]+)?)(?:\+[a-z0-9]+)?:\/\/)([^\s:@/'"`]{0,128}):([^\s@/'"`]{1,256})@([^\s/'"`:?,;)]{1,255})/gi,
    group: 3,
    keywords: ['://'],
    reported: true,
    samples: {
      secrets: [`DATABASE_URL=postgres://app:${'S3cr3t'}-Pa55@db.prod.internal:5432/app`],
      notSecrets: [
        'postgres://db.prod.internal:5432/app',
        `https://deploy:${'tok3n'}-Value@git.example.com/repo.git`,
      ],
    },
  },
  {
    id: 'url-query-secret',
    title: 'Secret in a URL query',
    severity: 'high',
    pattern: /[?&;](?:password|pwd|secret|token|api[_-]?key|access[_-]?key)=([^&;\s]+)/gi,
    group: 1,
    keywords: ['password=', 'pwd=', 'secret=', 'token=', 'key='],
    reported: false,
    samples: {
      secrets: [`jdbc:sqlserver://db:1433;user=app;password=${'Pa55'}w0rd-9`],
      notSecrets: ['https://example.com/list?page=2&sort=name'],
    },
  },
  {
    id: 'authorization-header',
    title: 'Bearer or Basic credential',
    severity: 'high',
    pattern: /\b(Bearer|Basic|Token|bearer|basic)\s+([A-Za-z0-9._~+/=-]{12,})/g,
    group: 2,
    keywords: ['bearer', 'basic', 'token'],
    reported: false,
    samples: {
      secrets: [`Authorization: Bearer ${ALNUM_36}`],
      notSecrets: ['Bearer token', 'a basic setup'],
    },
  },
  {
    id: 'generic-secret',
    title: 'Hard-coded secret',
    severity: 'medium',
    pattern: SECRET_ASSIGNMENT,
    group: 0,
    keywords: [],
    entropy: 3.5,
    reported: true,
    byName: true,
    samples: {
      secrets: [`api_key = "${'Zx8Kq2Lm'}9Pw4Rt7Vb3Nc"`, `DB_PASSWORD=${'Tr0ub4'}dor&3x`],
      notSecrets: ['password_file = "/run/secrets/db"', 'api_key = "required"', `tokenizer = "${'bpe'}-32k"`],
    },
  },
];

/** The rows a bare pattern finds (all but the generic rule). */
export const CREDENTIAL_SHAPES: readonly CredentialKind[] = CREDENTIALS.filter(
  (row) => row.byName === undefined,
);

/** Whether the text may hold this kind at all (its keywords), before the pattern is tried. */
function mayHold(kind: CredentialKind, lowerCaseText: string): boolean {
  return kind.keywords.length === 0 || kind.keywords.some((keyword) => lowerCaseText.includes(keyword));
}

const BY_ID = new Map(CREDENTIALS.map((row) => [row.id, row]));

export function credentialKind(id: CredentialId): CredentialKind {
  return BY_ID.get(id) as CredentialKind;
}

export interface Assignment {
  name: string;
  value: string;
  /** Offset of the value in the text. */
  start: number;
  quoted: boolean;
}

/** Every `name = value` of a text (SECRET_ASSIGNMENT), with where its value starts. */
export function* assignments(text: string): Generator<Assignment> {
  for (const m of text.matchAll(SECRET_ASSIGNMENT)) {
    const quotedValue = m[3] ?? m[4] ?? m[5];
    const value = quotedValue ?? m[6];
    if (value === undefined) continue;
    const quoted = quotedValue !== undefined;
    const start = (m.index ?? 0) + m[0].length - value.length - (quoted ? 1 : 0);
    yield { name: m[2] ?? '', value, start, quoted };
  }
}

export interface CredentialSpan {
  kind: CredentialKind;
  /** Offsets of the secret (the row's group) in the text. */
  start: number;
  end: number;
  match: RegExpExecArray;
}

const WITH_INDICES = new Map<CredentialKind, RegExp>();

/** Where a kind's pattern finds its secret in a text (none when its keywords are absent). */
export function* credentialSpans(
  kind: CredentialKind,
  text: string,
  lowerCaseText = text.toLowerCase(),
): Generator<CredentialSpan> {
  if (!mayHold(kind, lowerCaseText)) return;
  let pattern = WITH_INDICES.get(kind);
  if (pattern === undefined) {
    pattern = new RegExp(kind.pattern.source, `${kind.pattern.flags}d`);
    WITH_INDICES.set(kind, pattern);
  }
  for (const m of text.matchAll(pattern)) {
    const at = m.indices?.[kind.group];
    if (at === undefined || at[0] === at[1]) continue;
    yield { kind, start: at[0], end: at[1], match: m as RegExpExecArray };
  }
}

/** The first of the kinds (default: every shape) a text holds, if any. */
export function holdsCredential(
  text: string,
  kinds: readonly CredentialKind[] = CREDENTIAL_SHAPES,
): CredentialKind | undefined {
  const lower = text.toLowerCase();
  return kinds.find((kind) => !credentialSpans(kind, text, lower).next().done);
}
