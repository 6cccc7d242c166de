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
 * The rows live in families: this file keeps the core ones (AWS keys, GitHub,
 * GitLab, Slack, Google, Stripe, key blocks, JWTs, URLs, the generic rule);
 * ./secret-providers/*.ts hold the cloud, developer-tool, SaaS and key-file
 * rows. A row's id and `reported` stay literal types (./secret-kind.ts), so
 * CredentialId and the reported ids are derived from the rows.
 *
 * Sample values are built by concatenation so that no scanner of this
 * repository reads this file as holding a credential.
 */
import type { CredentialRow } from './secret-kind.js';
import { CLOUD_CREDENTIALS } from './secret-providers/cloud.js';
import { DEVTOOLS_CREDENTIALS } from './secret-providers/devtools.js';
import { KEY_CREDENTIALS } from './secret-providers/keys.js';
import { SAAS_CREDENTIALS } from './secret-providers/saas.js';

export type { CredentialRow, CredentialSeverity } from './secret-kind.js';

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

const CORE_CREDENTIALS = [
  {
    id: 'aws-access-key',
    title: 'AWS access key id',
    description:
      'An AWS access key id (AKIA… long-term user keys, ASIA… temporary keys). With its secret key it signs requests as the IAM user or role.',
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
    description:
      'A 40-character AWS secret access key next to an aws…secret… name: whoever holds it acts as the IAM principal it belongs to.',
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
    description:
      'A GitHub personal access, OAuth, app installation, refresh or fine-grained token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_): repository and organisation access as its owner.',
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
    description:
      'A GitLab personal, project, deploy, runner, pipeline-trigger, feed, OAuth, SCIM, agent or feature-flag token (glpat-, gldt-, glrt-, glptt-, glffct-, …).',
    severity: 'critical',
    pattern:
      /(?<![A-Za-z0-9_-])(gl(?:pat|dt|rt|ptt|ft|imt|oas|cbt|soat|agent|ffct)-[A-Za-z0-9_-]{20,255}|GR1348941[A-Za-z0-9_-]{20,255})(?![A-Za-z0-9_-])/g,
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
      'glffct-',
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
    description:
      'A Slack bot, user or legacy workspace token (xoxb-, xoxp-, xoxa-, xoxr-, …): reads and posts in the workspace.',
    severity: 'high',
    pattern: /(?<![A-Za-z0-9.])(xox[abposr]-(?:\d{1,20}-){1,4}[A-Za-z0-9-]{8,200})(?![A-Za-z0-9-])/g,
    group: 1,
    keywords: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-'],
    reported: true,
    samples: {
      secrets: [`${'xo'}xb-482937561204-7720395816473-Xy7kQ2mN9pL4rT8vW1zBq3Hs`],
      notSecrets: [`${'xo'}xb-AbCdEfGhIjKl`, `${'xo'}xz-482937561204-Xy7kQ2mN9pL4`],
    },
  },
  {
    id: 'slack-webhook',
    title: 'Slack incoming webhook URL',
    description:
      'A Slack incoming webhook URL: anyone holding it can post into the channel (phishing, alert spoofing).',
    severity: 'medium',
    pattern:
      /(https?:\/\/hooks\.slack\.com\/)((?:services|workflows|triggers)\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_/-]{8,200})/g,
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
    description:
      'A Google Cloud / Firebase API key (AIza…): billed usage of every API the key is not restricted from.',
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
    description:
      'A Stripe secret or restricted key or webhook secret (sk_live_, rk_live_, whsec_; test-mode keys sk_test_ are reported lower): charges, refunds and customer data.',
    severity: 'critical',
    pattern:
      /(?<![A-Za-z0-9_])((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,247}|whsec_[0-9A-Za-z]{32,200})(?![0-9A-Za-z])/g,
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
    description: 'A Stripe publishable key (pk_live_…): public by design, hidden from logs only.',
    severity: 'medium',
    pattern: /(?<![A-Za-z0-9_])(pk_(?:live|test)_[0-9A-Za-z]{16,247})(?![0-9A-Za-z])/g,
    group: 1,
    keywords: ['pk_live_', 'pk_test_'],
    reported: false,
    samples: {
      secrets: [`${'pk'}_live_${ALNUM_36.slice(0, 24)}`],
      notSecrets: [`${'pk'}_live_short`],
    },
  },
  {
    id: 'aiops-api-key',
    title: 'AIOps API key',
    description: 'An AIOps API key (aiops_…): runs analyses and reads findings of the workspace.',
    severity: 'critical',
    pattern: /(?<![A-Za-z0-9_-])(aiops_[A-Za-z0-9_-]{16,200})/g,
    group: 1,
    keywords: ['aiops_'],
    reported: true,
    samples: {
      secrets: [`x-api-key: ${'aiops'}_${ALNUM_36.slice(0, 20)}`],
      notSecrets: [`${'aiops'}_short`, `my_aiops_${ALNUM_36.slice(0, 20)}`],
    },
  },
  {
    id: 'private-key',
    title: 'Private key',
    description:
      'A PEM or OpenSSH private key block (RSA, EC, DSA, OpenSSH, PGP, PKCS#8) with its key material.',
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
    description:
      'A signed JSON Web Token (three base64url parts, a JSON header with alg): a bearer credential until it expires, often long-lived in configs.',
    severity: 'medium',
    pattern:
      /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,8000}\.eyJ[A-Za-z0-9_-]{8,16000}\.[A-Za-z0-9_-]{0,2000})(?![A-Za-z0-9_.-])/g,
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
    id: 'db-url-credentials',
    title: 'Database URL with a password',
    description:
      'A connection URL (postgres://, mysql://, mongodb+srv://, redis://, amqp://, snowflake://, jdbc:…) with user and password in it.',
    severity: 'high',
    pattern:
      /(?<![A-Za-z0-9+])((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|couchdb|neo4j(?:\+s)?|snowflake|redshift|trino|presto|cassandra|influxdb|elasticsearch|jdbc:[a-z0-9]+(?::[a-z0-9]+)?)(?:\+[a-z0-9]+)?:\/\/)([^\s:@/'"`]{0,128}):([^\s@/'"`]{1,256})@([^\s/'"`:?,;)]{1,255})/gi,
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
] as const satisfies readonly CredentialRow[];

/** Wide shapes that may hold another row's token: tried after every specific row. */
const FALLBACK_CREDENTIALS = [
  {
    id: 'url-credentials',
    title: 'URL with a password',
    description:
      'A URL with a user and password in it (https://user:pass@host, .git-credentials lines): logs in to the host as that user.',
    severity: 'high',
    // The scheme is bounded (schemes are short): an unbounded run makes the search quadratic on long values.
    pattern:
      /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s:@/'"`]{1,128}:[^\s@/'"`]{1,256})@(?=([^\s/'"`:?#,;)]{1,255}))/gi,
    group: 2,
    keywords: ['://'],
    reported: true,
    fallback: true,
    samples: {
      secrets: [`git clone https://deploy:${'tok3n'}-Value@git.example.com/repo.git`],
      notSecrets: ['https://git.example.com/repo.git', 'mailto:ops@example.com'],
    },
  },
  {
    id: 'url-query-secret',
    title: 'Secret in a URL query',
    description:
      'A password, token or key in a URL query; hidden from logs, reported by the connection-string and generic rules.',
    severity: 'high',
    pattern: /[?&;](?:password|pwd|secret|token|api[_-]?key|access[_-]?key)=([^&;\s]+)/gi,
    group: 1,
    keywords: ['password=', 'pwd=', 'secret=', 'token=', 'key='],
    reported: false,
    fallback: true,
    samples: {
      secrets: [`https://api.example.com/v1/report?user=ops&${'api_key'}=${'Zq8Tb2'}Lm4Nw7Rx1`],
      notSecrets: ['https://example.com/list?page=2&sort=name'],
    },
  },
  {
    id: 'authorization-header',
    title: 'Bearer or Basic credential',
    description:
      'A Bearer / Basic / Token credential anywhere in text; hidden from logs, reported as SEC-HTTP-AUTHORIZATION-HEADER in an Authorization header.',
    severity: 'high',
    pattern: /\b(Bearer|Basic|Token|bearer|basic)[ \t]{1,5}([A-Za-z0-9._~+/=-]{12,2000})/g,
    group: 2,
    keywords: ['bearer', 'basic', 'token'],
    reported: false,
    fallback: true,
    samples: {
      secrets: [`Authorization: Bearer ${ALNUM_36}`],
      notSecrets: ['Bearer token', 'a basic setup'],
    },
  },
  {
    id: 'llm-api-key',
    title: 'OpenAI or Anthropic API key',
    description:
      'Any sk-… model API key (OpenAI-compatible providers); hidden from logs and prompts, reported through the vendor rows.',
    severity: 'critical',
    pattern: /(?<![A-Za-z0-9_-])(sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,400})/g,
    group: 1,
    keywords: ['sk-'],
    reported: false,
    fallback: true,
    samples: {
      secrets: [`${'sk'}-ant-${ALNUM_36}`, `${'sk'}-proj-${ALNUM_36}`],
      notSecrets: [`${'sk'}-short`, `task-${ALNUM_36}`],
    },
  },
] as const satisfies readonly CredentialRow[];

const GENERIC_CREDENTIAL = [
  {
    id: 'generic-secret',
    title: 'Hard-coded secret',
    description:
      'A literal value assigned to a name that says password, secret, token, api key, private key or credential, random enough (Shannon entropy) to be a real credential rather than a word or a reference.',
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
] as const satisfies readonly CredentialRow[];

const ROWS = [
  ...CORE_CREDENTIALS,
  ...CLOUD_CREDENTIALS,
  ...DEVTOOLS_CREDENTIALS,
  ...SAAS_CREDENTIALS,
  ...KEY_CREDENTIALS,
  ...FALLBACK_CREDENTIALS,
  ...GENERIC_CREDENTIAL,
] as const;

type Row = (typeof ROWS)[number];

/** Every kind of the table, derived from its rows. */
export type CredentialId = Row['id'];

/** The kinds the security scanner reports, each as rule SEC-<ID>. */
export type ReportedCredentialId = Extract<Row, { reported: true }>['id'];

export type CredentialKind = CredentialRow<CredentialId>;

/** The table, in the order the engine tries it: specific rows, then the fallbacks, then the generic rule. */
export const CREDENTIALS: readonly CredentialKind[] = ROWS;

/** The rows a bare pattern finds (all but the generic rule). */
export const CREDENTIAL_SHAPES: readonly CredentialKind[] = CREDENTIALS.filter(
  (row) => row.byName === undefined,
);

/** Whether the text may hold this kind at all (its keywords), before the pattern is tried. */
function mayHold(kind: CredentialKind, lowerCaseText: string): boolean {
  return kind.keywords.length === 0 || kind.keywords.some((keyword) => lowerCaseText.includes(keyword));
}

/**
 * The keyword pre-filter of a set of kinds as one pass over the text: an
 * Aho-Corasick automaton of every keyword (a DFA over the characters keywords
 * use, ASCII letters folded), so that 170 rows cost one scan of the text, not
 * 300 `includes`, and a keyword inside another (`sk-` in `sk-ant-`) is found
 * with it.
 */
interface KeywordAutomaton {
  keywords: readonly string[];
  /** Character class of each ASCII code (0: a character no keyword uses). */
  classes: Uint8Array;
  width: number;
  /** next[state * width + class]: the DFA. */
  next: Int32Array;
  /** Keyword indices that end in each state (its own and its fail chain's). */
  outputs: (readonly number[] | undefined)[];
  /** 1 where outputs is not empty: the hot loop reads a typed array only. */
  ending: Uint8Array;
}

const AUTOMATA = new WeakMap<readonly CredentialKind[], KeywordAutomaton>();

function keywordAutomaton(kinds: readonly CredentialKind[]): KeywordAutomaton {
  const cached = AUTOMATA.get(kinds);
  if (cached !== undefined) return cached;
  const keywords = [...new Set(kinds.flatMap((kind) => kind.keywords))];
  const classes = new Uint8Array(128);
  let width = 1;
  for (const code of new Set([...keywords.join('')].map((c) => c.charCodeAt(0) & 127))) {
    classes[code] = width;
    const upper = String.fromCharCode(code).toUpperCase().charCodeAt(0);
    if (upper !== code && upper < 128) classes[upper] = width;
    width += 1;
  }
  // The trie, then breadth-first fail links folded into a full transition table.
  const goto: number[][] = [new Array<number>(width).fill(-1)];
  const ends: number[][] = [[]];
  keywords.forEach((keyword, index) => {
    let state = 0;
    for (const char of keyword) {
      const cls = classes[char.charCodeAt(0) & 127] ?? 0;
      const row = goto[state] as number[];
      if (row[cls] === -1) {
        row[cls] = goto.length;
        goto.push(new Array<number>(width).fill(-1));
        ends.push([]);
      }
      state = row[cls] as number;
    }
    (ends[state] as number[]).push(index);
  });
  const next = new Int32Array(goto.length * width);
  const fail = new Int32Array(goto.length);
  const outputs: (readonly number[] | undefined)[] = new Array(goto.length);
  const queue: number[] = [];
  for (let cls = 0; cls < width; cls += 1) {
    const child = (goto[0] as number[])[cls] as number;
    next[cls] = child === -1 ? 0 : child;
    if (child !== -1) queue.push(child);
  }
  for (let head = 0; head < queue.length; head += 1) {
    const state = queue[head] as number;
    const own = ends[state] as number[];
    const inherited = outputs[fail[state] as number] ?? [];
    outputs[state] = own.length + inherited.length > 0 ? [...own, ...inherited] : undefined;
    for (let cls = 0; cls < width; cls += 1) {
      const child = (goto[state] as number[])[cls] as number;
      const viaFail = next[(fail[state] as number) * width + cls] as number;
      if (child === -1) next[state * width + cls] = viaFail;
      else {
        next[state * width + cls] = child;
        fail[child] = viaFail;
        queue.push(child);
      }
    }
  }
  const ending = Uint8Array.from(outputs, (ended) => (ended === undefined ? 0 : 1));
  const automaton = { keywords, classes, width, next, outputs, ending };
  AUTOMATA.set(kinds, automaton);
  return automaton;
}

/** The keywords of `kinds` the text contains (letters compared case-insensitively), in one pass. */
export function keywordsIn(text: string, kinds: readonly CredentialKind[] = CREDENTIAL_SHAPES): Set<string> {
  const { keywords, classes, width, next, outputs, ending } = keywordAutomaton(kinds);
  const seen = new Uint8Array(keywords.length);
  let left = keywords.length;
  let state = 0;
  const length = text.length;
  for (let i = 0; i < length; i += 1) {
    const code = text.charCodeAt(i);
    state = next[state * width + (code < 128 ? (classes[code] as number) : 0)] as number;
    if (ending[state] === 0) continue;
    for (const index of outputs[state] as readonly number[]) {
      if (seen[index] === 0) {
        seen[index] = 1;
        left -= 1;
      }
    }
    if (left === 0) break;
  }
  return new Set(keywords.filter((_, index) => seen[index] === 1));
}

/**
 * The kinds (in table order) whose keywords the text holds: the only ones
 * whose pattern is worth trying. ASCII letters are compared case-insensitively,
 * so the text need not be lower-cased first.
 */
export function candidateKinds(
  text: string,
  kinds: readonly CredentialKind[] = CREDENTIAL_SHAPES,
): CredentialKind[] {
  const found = keywordsIn(text, kinds);
  return kinds.filter((kind) => kind.keywords.length === 0 || kind.keywords.some((k) => found.has(k)));
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

/** Where a kind's pattern finds its secret in a text, its keywords not checked (see candidateKinds). */
export function* patternSpans(kind: CredentialKind, text: string): Generator<CredentialSpan> {
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

/** Where a kind's pattern finds its secret in a text (none when its keywords are absent). */
export function* credentialSpans(
  kind: CredentialKind,
  text: string,
  lowerCaseText = text.toLowerCase(),
): Generator<CredentialSpan> {
  if (mayHold(kind, lowerCaseText)) yield* patternSpans(kind, text);
}

/** Every span of the kinds (default: every shape) in a text, kind by kind in table order, one keyword pass. */
export function* credentialSpansIn(
  text: string,
  kinds: readonly CredentialKind[] = CREDENTIAL_SHAPES,
): Generator<CredentialSpan> {
  for (const kind of candidateKinds(text, kinds)) yield* patternSpans(kind, text);
}

/** The first of the kinds (default: every shape) a text holds, if any. */
export function holdsCredential(
  text: string,
  kinds: readonly CredentialKind[] = CREDENTIAL_SHAPES,
): CredentialKind | undefined {
  return credentialSpansIn(text, kinds).next().value?.kind;
}
