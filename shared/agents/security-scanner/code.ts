/**
 * Code patterns for JavaScript/TypeScript, Python, Go and Java, read line by
 * line (issue 9's code reviewer brings real parsers). Each pattern is narrow
 * on purpose: it needs the dangerous call and a sign that the value is built
 * at run time (a non-literal argument, interpolation, concatenation), so a
 * literal `eval("1 + 1")`, a parameterised query or an MD5 of a file does not
 * show up. Comments are skipped. A few settings are found in any text file
 * (NODE_TLS_REJECT_UNAUTHORIZED=0 in a Dockerfile or .env).
 */

import { codePart, type Language, LineIndex, languageOf, splitLines } from '../../analysis/source/files.js';
import type { Finding, Severity, SourceFile } from '../contract.js';
import { CODE_RULES } from './rules/code.js';

type CodeRuleId = (typeof CODE_RULES.rules)[number]['id'];

interface Hit {
  ruleId: CodeRuleId;
  line: number;
  message: string;
  severity?: Severity;
  evidence?: Record<string, unknown>;
}

/** Names that usually carry request or user input. */
const INPUT =
  /\b(?:req|request|params|query|body|input|user_?input|argv|args|stdin|event|form|payload|getParameter|r\.URL|r\.Form|flask\.request|sys\.argv|process\.argv)\b/;

/** A SQL statement with its shape (not the word "select" in prose). */
const SQL_STATEMENT =
  /\b(?:SELECT\s+(?:DISTINCT\s+)?(?:\*|[\w."`[\]]+|COUNT\s*\()[\s\S]*?\bFROM\b|INSERT\s+INTO\b|UPDATE\s+[\w."`[\]]+\s+SET\b|DELETE\s+FROM\b|MERGE\s+INTO\b)/i;
const SQL_CLAUSE =
  /\b(?:WHERE|AND|OR|SET|VALUES|FROM|IN|LIKE|ORDER\s+BY|GROUP\s+BY|LIMIT|OFFSET|JOIN|HAVING)\b/i;

/** Interpolated values that build placeholders or name constants rather than carry data. */
const HARMLESS_INTERPOLATION =
  /^(?:[A-Z][A-Z0-9_]*(?:\.[A-Z][A-Z0-9_]*)*|\d+|this\.#\w+|[\w.#]*(?:[Ss]chema|[Tt]able|[Cc]olumn)s?(?:Name)?|.*(?:[Pp]laceholder|\.join\(|\.map\(|\$\$|params\.length|\bi\s*\+\s*1|[Ii]ndex).*)$/;

const PASSWORD_CONTEXT = /pass(?:word|wd|phrase)?\b|\bpwd\b|passw/i;

const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;

/** Whether the argument list starting at `from` is a single string literal (no interpolation). */
function literalArgument(code: string, from: number): boolean {
  const rest = code.slice(from).trimStart();
  const m = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\$]|\\.|\$(?!\{))*`)\s*[,)]/.exec(rest);
  return m !== null;
}

/** Whether every top-level argument is a plain string or number literal. */
function allLiteral(args: string): boolean {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const c = args[i] as string;
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(args.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(args.slice(start));
  return parts.every((part) =>
    /^\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\$]|\\.|\$(?!\{))*`|\d+(?:\.\d+)?)?\s*$/.test(part),
  );
}

function argumentText(code: string, from: number): string {
  let depth = 0;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return code.slice(from, i);
      depth--;
    }
  }
  return code.slice(from);
}

/** What a file imports, looked up once rather than per line. */
interface FileTraits {
  childProcess: boolean;
  scriptEngine: boolean;
}

// --- per language -----------------------------------------------------------------------

function evalHits(language: Language, code: string, line: number, file: FileTraits): Hit[] {
  const hits: Hit[] = [];
  const calls: RegExp[] =
    language === 'javascript'
      ? [
          /(?<![\w.$])eval\s*\(/g,
          /\bnew\s+Function\s*\(/g,
          /\bvm\.(?:runInNewContext|runInThisContext|runInContext|compileFunction)\s*\(|\bnew\s+vm\.Script\s*\(/g,
          /(?<![\w.$])set(?:Timeout|Interval)\s*\(\s*(?=["'`])/g,
        ]
      : language === 'python'
        ? [/(?<![\w.])(?:eval|exec)\s*\(/g]
        : language === 'java' && file.scriptEngine
          ? [/\.eval\s*\(/g]
          : [];
  for (const pattern of calls) {
    for (const m of code.matchAll(pattern)) {
      const from = (m.index ?? 0) + m[0].length;
      const args = argumentText(code, from);
      // setTimeout("code") evaluates its string even when it is a literal; the others only matter when built.
      const stringCode = /set(?:Timeout|Interval)/.test(m[0]);
      if (!stringCode && (args.trim() === '' || allLiteral(args))) continue;
      const fromInput = INPUT.test(args);
      hits.push({
        ruleId: 'CODE-EVAL',
        line,
        severity: fromInput ? 'high' : 'medium',
        message: `${m[0].replace(/\s*\($/, '').trim()}(…) evaluates ${fromInput ? 'a value derived from input' : 'a value built at run time'} as code.`,
      });
    }
  }
  return hits;
}

function commandHits(language: Language, code: string, line: number, file: FileTraits): Hit[] {
  const hits: Hit[] = [];
  const built = (args: string) => /\$\{|["'`]\s*\+|\+\s*["'`]|\bf["']|%\s*[\w(]|\.format\(/.test(args);
  const push = (call: string, args: string) =>
    hits.push({
      ruleId: 'CODE-COMMAND-INJECTION',
      line,
      severity: INPUT.test(args) ? 'critical' : 'high',
      message: `${call} runs a shell command built from strings${INPUT.test(args) ? ' that include input' : ''}.`,
    });
  if (language === 'javascript' && file.childProcess) {
    for (const m of code.matchAll(
      /(?:(?<![\w.$])|\b(?:child_process|cp|childProcess)\.)(exec|execSync)\s*\(/g,
    )) {
      const args = argumentText(code, (m.index ?? 0) + m[0].length);
      if (built(args.split(/,\s*[{(]/)[0] ?? args)) push(m[1] ?? 'exec', args);
    }
    for (const m of code.matchAll(/\bspawn(?:Sync)?\s*\(/g)) {
      const args = argumentText(code, (m.index ?? 0) + m[0].length);
      if (/shell\s*:\s*true/.test(args) && built(args)) push('spawn with shell: true', args);
    }
  } else if (language === 'python') {
    for (const m of code.matchAll(
      /\bos\.(?:system|popen)\s*\(|\bsubprocess\.(?:call|run|Popen|check_output|check_call|getoutput|getstatusoutput)\s*\(/g,
    )) {
      const args = argumentText(code, (m.index ?? 0) + m[0].length);
      const shell =
        /^os\.|getoutput|getstatusoutput/.test(m[0].replace(/^\W+/, '')) || /shell\s*=\s*True/.test(args);
      if (shell && (built(args) || !literalArgument(code, (m.index ?? 0) + m[0].length))) {
        push(m[0].replace(/\s*\($/, ''), args);
      }
    }
  } else if (language === 'go') {
    for (const m of code.matchAll(/\bexec\.Command(?:Context)?\s*\(/g)) {
      const args = argumentText(code, (m.index ?? 0) + m[0].length);
      if (
        /["'](?:\/bin\/)?(?:ba|z)?sh["']\s*,\s*["']-c["']\s*,/.test(args) &&
        (/\+/.test(args) || /fmt\.Sprintf/.test(args))
      ) {
        push('exec.Command("sh", "-c", …)', args);
      }
    }
  } else if (language === 'java') {
    for (const m of code.matchAll(/\.exec\s*\(/g)) {
      if (!/Runtime\.getRuntime\(\)|\bruntime\b/i.test(code.slice(0, m.index))) continue;
      const args = argumentText(code, (m.index ?? 0) + m[0].length);
      if (built(args)) push('Runtime.exec', args);
    }
  }
  return hits;
}

function sqlHit(line: number, how: string, values: readonly string[]): Hit {
  const harmless = values.length > 0 && values.every((v) => HARMLESS_INTERPOLATION.test(v.trim()));
  const fromInput = values.some((v) => INPUT.test(v));
  return {
    ruleId: 'CODE-SQL-INJECTION',
    line,
    severity: harmless ? 'medium' : 'high',
    message: `SQL built by ${how}${fromInput ? ' with request input' : ''}${harmless ? ' (the values look like constants or placeholders; check them)' : ''}.`,
    evidence: { how },
  };
}

/** `"SELECT … WHERE id = " + id`, or a WHERE/AND fragment concatenated after a statement started nearby. */
function concatenationHits(code: string, line: number, window: string): Hit[] {
  for (const s of code.matchAll(STRING)) {
    const body = s[0].slice(1, -1);
    if (!SQL_CLAUSE.test(body) && !SQL_STATEMENT.test(body)) continue;
    const start = s.index ?? 0;
    const after = code.slice(start + s[0].length);
    const before = code.slice(0, start);
    const next = /^\s*\+\s*([A-Za-z_$][\w$.]*(?:\([^)]*\))?)/.exec(after);
    const prev = /([A-Za-z_$][\w$.]*(?:\([^)]*\))?)\s*\+\s*$/.exec(before);
    const operand = next?.[1] ?? prev?.[1];
    if (operand === undefined) continue;
    if (!SQL_STATEMENT.test(body) && !SQL_STATEMENT.test(window)) continue;
    return [sqlHit(line, 'string concatenation', [operand])];
  }
  return [];
}

function sqlLineHits(language: Language, code: string, line: number, window: string): Hit[] {
  if (language === 'python') {
    const fstring = /\b[rR]?[fF][rR]?(["'])((?:(?!\1)[^\\]|\\.)*)\1/g;
    for (const m of code.matchAll(fstring)) {
      const body = m[2] ?? '';
      if (SQL_STATEMENT.test(body) || (SQL_CLAUSE.test(body) && SQL_STATEMENT.test(window))) {
        const values = [...body.matchAll(/\{([^}]+)\}/g)].map((v) => v[1] ?? '');
        if (values.length > 0) return [sqlHit(line, 'an f-string', values)];
      }
    }
    const percent = /(["'])((?:(?!\1)[^\\]|\\.)*%[sdr](?:(?!\1)[^\\]|\\.)*)\1\s*%\s*([\w(][^,)]*)/.exec(code);
    if (percent && SQL_STATEMENT.test(percent[2] ?? ''))
      return [sqlHit(line, '% formatting', [percent[3] ?? ''])];
    const format = /(["'])((?:(?!\1)[^\\]|\\.)*\{[^}]*\}(?:(?!\1)[^\\]|\\.)*)\1\s*\.format\(([^)]*)/.exec(
      code,
    );
    if (format && SQL_STATEMENT.test(format[2] ?? '')) return [sqlHit(line, 'str.format', [format[3] ?? ''])];
  }
  if (language === 'go' || language === 'java') {
    const sprintf =
      /\b(?:fmt\.Sprintf|String\.format|\.formatted)\s*\(\s*(["`])((?:(?!\1)[^\\]|\\.)*)\1([^)]*)/.exec(code);
    if (sprintf && SQL_STATEMENT.test(sprintf[2] ?? '') && /%[svq]/.test(sprintf[2] ?? '')) {
      return [
        sqlHit(line, language === 'go' ? 'fmt.Sprintf' : 'String.format', [
          (sprintf[3] ?? '').replace(/^\s*,/, ''),
        ]),
      ];
    }
  }
  return concatenationHits(code, line, window);
}

/** JavaScript template literals that are not tagged (sql`…` and Prisma.sql`…` bind their values). */
function templateSqlHits(text: string, index: LineIndex, skipLine: (line: number) => boolean): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(/(^|[^\w$.`\\])`((?:[^`\\]|\\.){0,20000})`/g)) {
    const body = m[2] ?? '';
    // Interpolations out, including one cut short by a nested template literal.
    const text = body.replace(/\$\{[^}]*\}/g, 'x').replace(/\$\{[\s\S]*$/, '');
    if (!body.includes('${') || !SQL_STATEMENT.test(text)) continue;
    const start = (m.index ?? 0) + (m[1]?.length ?? 0);
    const { line } = index.position(start);
    if (skipLine(line)) continue;
    const values = [...body.matchAll(/\$\{([^}]*)\}/g)].map((v) => v[1] ?? '');
    hits.push(sqlHit(line, 'a template literal', values));
  }
  return hits;
}

/** Python triple-quoted f-strings spanning lines. */
function tripleFStringHits(text: string, index: LineIndex): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(/\b[rR]?[fF][rR]?("""|''')([\s\S]{0,20000}?)\1/g)) {
    const body = m[2] ?? '';
    if (!SQL_STATEMENT.test(body)) continue;
    const values = [...body.matchAll(/\{([^}]+)\}/g)].map((v) => v[1] ?? '');
    if (values.length === 0) continue;
    hits.push(sqlHit(index.position(m.index ?? 0).line, 'an f-string', values));
  }
  return hits;
}

function tlsHits(language: Language | undefined, code: string, line: number): Hit[] {
  const patterns: [RegExp, string][] = [
    [
      /NODE_TLS_REJECT_UNAUTHORIZED["']?\s*(?:=|:|\s)\s*["']?0\b/,
      'NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks for the whole Node.js process',
    ],
    [
      /PYTHONHTTPSVERIFY["']?\s*(?:=|:|\s)\s*["']?0\b/,
      'PYTHONHTTPSVERIFY=0 turns off certificate checks in urllib',
    ],
  ];
  if (language === 'javascript') {
    patterns.push(
      [
        /\brejectUnauthorized["']?\s*:\s*false\b/,
        'rejectUnauthorized is false, so any certificate is accepted',
      ],
      [/\bstrictSSL["']?\s*:\s*false\b/, 'strictSSL is false, so any certificate is accepted'],
      [
        /\bcheckServerIdentity\s*:\s*\([^)]*\)\s*=>\s*(?:undefined|null|\{\s*\})/,
        'checkServerIdentity accepts any host name',
      ],
    );
  } else if (language === 'python') {
    patterns.push(
      [/\bverify\s*=\s*False\b/, 'verify=False accepts any certificate'],
      [
        /\bssl\._create_unverified_context\b|\b_create_unverified_https_context\b/,
        'an unverified SSL context accepts any certificate',
      ],
      [
        /\bverify_mode\s*=\s*ssl\.CERT_NONE\b|\bcert_reqs\s*=\s*["']?(?:ssl\.)?CERT_NONE\b/,
        'CERT_NONE accepts any certificate',
      ],
      [/\bcheck_hostname\s*=\s*False\b/, 'check_hostname=False accepts any host name'],
    );
  } else if (language === 'go') {
    patterns.push([/\bInsecureSkipVerify\s*:\s*true\b/, 'InsecureSkipVerify: true accepts any certificate']);
  } else if (language === 'java') {
    patterns.push(
      [
        /\bNoopHostnameVerifier\b|\bALLOW_ALL_HOSTNAME_VERIFIER\b/,
        'a hostname verifier that accepts any host',
      ],
      [
        /\bTrustAllStrategy\b|\bTrustSelfSignedStrategy\b|\bInsecureTrustManagerFactory\b/,
        'a trust strategy that accepts any certificate',
      ],
      [/setHostnameVerifier\s*\(\s*\(?[^)]*\)?\s*->\s*true\s*\)/, 'a hostname verifier that returns true'],
      [
        /\bvoid\s+checkServerTrusted\s*\([^)]*\)\s*(?:throws\s+[\w.,\s]+)?\{\s*\}/,
        'checkServerTrusted with an empty body trusts every certificate',
      ],
    );
  }
  // An import names a class; only its use turns verification off.
  if (/^\s*import\s/.test(code) && language !== 'javascript') return [];
  for (const [pattern, what] of patterns) {
    if (pattern.test(code)) {
      return [
        {
          ruleId: 'CODE-TLS-DISABLED',
          line,
          message: `${what}.`,
          evidence: { setting: pattern.exec(code)?.[0] },
        },
      ];
    }
  }
  return [];
}

const WEAK_HASH: Readonly<Record<Language, RegExp>> = {
  javascript: /\bcreateHash\s*\(\s*["'](?:md5|sha1|sha-1|md4)["']\s*\)|\bmd5\s*\(|\bsha1\s*\(/i,
  python: /\bhashlib\.(?:md5|sha1)\s*\(|\bhashlib\.new\s*\(\s*["'](?:md5|sha1)["']/i,
  go: /\b(?:md5|sha1)\.(?:Sum|New)\s*\(/,
  java: /\bMessageDigest\.getInstance\s*\(\s*"(?:MD5|SHA-?1|MD4)"|\bDigestUtils\.(?:md5|sha1|sha)(?:Hex)?\s*\(|Hashing\.(?:md5|sha1)\(\)/i,
};

function weakHashHits(language: Language, code: string, line: number, nearby: string): Hit[] {
  const m = WEAK_HASH[language].exec(code);
  if (!m || !PASSWORD_CONTEXT.test(nearby)) return [];
  const algorithm = /md4/i.test(m[0]) ? 'MD4' : /md5/i.test(m[0]) ? 'MD5' : 'SHA-1';
  return [
    {
      ruleId: 'CODE-WEAK-HASH',
      line,
      message: `${algorithm} is used next to a password: not a password hash.`,
      evidence: { algorithm },
    },
  ];
}

function deserializationHits(language: Language, code: string, line: number): Hit[] {
  const found = (message: string, severity: Severity): Hit[] => [
    { ruleId: 'CODE-UNSAFE-DESERIALIZATION', line, message, severity },
  ];
  if (language === 'python') {
    if (
      /\byaml\.unsafe_load\s*\(|\byaml\.load\s*\((?![^)]*Loader\s*=\s*(?:yaml\.)?(?:C?SafeLoader|BaseLoader))/.test(
        code,
      )
    ) {
      return found('yaml.load without SafeLoader can build arbitrary Python objects.', 'high');
    }
    const pickle = /\b(?:c?[Pp]ickle|marshal|dill|jsonpickle)\.(?:loads?|decode)\s*\(([^)]*)/.exec(code);
    if (pickle) {
      return found(
        'Unpickling runs code chosen by whoever wrote the bytes.',
        INPUT.test(pickle[1] ?? '') ? 'high' : 'medium',
      );
    }
  } else if (language === 'java' && /\bnew\s+ObjectInputStream\s*\(/.test(code)) {
    return found(
      'ObjectInputStream deserializes any class on the class path unless a filter is set.',
      'medium',
    );
  } else if (language === 'javascript' && /\b(?:serialize|nodeSerialize)\.unserialize\s*\(/.test(code)) {
    return found('node-serialize unserialize evaluates functions in the payload.', 'high');
  }
  return [];
}

// --- the scan ---------------------------------------------------------------------------

const COMMENT_MARKERS: Readonly<Record<Language, readonly string[]>> = {
  javascript: ['//'],
  python: ['#'],
  go: ['//'],
  java: ['//'],
};

/** String literals that hold a space (messages, docs) emptied; short values such as '0' stay. */
function withoutProse(code: string): string {
  return code.replace(/(["'`])((?:(?!\1)[^\\]|\\.)*\s(?:(?!\1)[^\\]|\\.)*)\1/g, '$1$1');
}

/** The code part of each line (comments and block comments blanked), for pattern matching. */
function codeLines(language: Language, lines: readonly string[]): string[] {
  let inBlock = false;
  return lines.map((raw) => {
    let line = raw;
    if (language !== 'python') {
      if (inBlock) {
        const end = line.indexOf('*/');
        if (end < 0) return '';
        line = line.slice(end + 2);
        inBlock = false;
      }
      line = line.replace(/\/\*.*?\*\//g, ' ');
      const open = line.indexOf('/*');
      if (open >= 0 && codePart(line, ['/*']) !== line) {
        inBlock = true;
        line = line.slice(0, open);
      }
    }
    return codePart(line, COMMENT_MARKERS[language]);
  });
}

/** Documentation describes settings rather than making them. */
const DOCUMENTATION = /\.(?:md|markdown|rst|adoc|txt|html?)$/i;

export function scanCode(file: SourceFile): Finding[] {
  if (DOCUMENTATION.test(file.path)) return [];
  const language = languageOf(file.path);
  const lines = splitLines(file.content);
  const hits: Hit[] = [];
  if (language === undefined) {
    lines.forEach((line, i) => {
      if (line.trimStart().startsWith('#')) return;
      // Kubernetes and Compose write an environment variable as `name:` and `value:` on two lines.
      const pair = /^\s*(?:-\s*)?name:\s*["']?(\w+)["']?\s*$/.exec(line);
      const value = pair ? /^\s*value:\s*(.*)$/.exec(lines[i + 1] ?? '') : null;
      hits.push(...tlsHits(undefined, pair && value ? `${pair[1]}=${value[1]}` : line, i + 1));
    });
  } else {
    const code = codeLines(language, lines);
    const index = new LineIndex(file.content);
    const traits: FileTraits = {
      childProcess: /child_process|\bexecSync\b|\bexeca\b/.test(file.content),
      scriptEngine: /\bScriptEngine\b/.test(file.content),
    };
    const sqlLines = new Set<number>();
    code.forEach((text, i) => {
      if (text.trim() === '') return;
      const line = i + 1;
      const window = code.slice(Math.max(0, i - 5), i + 1).join('\n');
      const nearby = code.slice(Math.max(0, i - 2), i + 3).join('\n');
      // Settings are matched outside prose: a message that names `rejectUnauthorized: false` sets nothing.
      const settings = withoutProse(text);
      hits.push(
        ...evalHits(language, text, line, traits),
        ...commandHits(language, text, line, traits),
        ...tlsHits(language, settings, line),
        ...weakHashHits(language, settings, line, nearby),
        ...deserializationHits(language, settings, line),
      );
      for (const hit of sqlLineHits(language, text, line, window)) {
        sqlLines.add(line);
        hits.push(hit);
      }
    });
    // A line that is only a comment, or already reported by the line patterns.
    const skip = (line: number) => (code[line - 1] ?? '').trim() === '' || sqlLines.has(line);
    if (language === 'javascript') hits.push(...templateSqlHits(file.content, index, skip));
    if (language === 'python')
      hits.push(...tripleFStringHits(file.content, index).filter((h) => !skip(h.line)));
  }
  const ordinals = new Map<string, number>();
  return hits
    .sort((a, b) => a.line - b.line)
    .map((hit) => {
      const ordinal = (ordinals.get(hit.ruleId) ?? 0) + 1;
      ordinals.set(hit.ruleId, ordinal);
      return CODE_RULES.finding(hit.ruleId, {
        message: `${file.path}:${hit.line}: ${hit.message}`,
        resource: { kind: 'File', name: file.path, file: file.path, line: hit.line },
        ...(hit.severity ? { severity: hit.severity } : {}),
        evidence: {
          ...hit.evidence,
          ...(language ? { language } : {}),
          cwe: CODE_RULES.rule(hit.ruleId).cwe?.[0],
        },
        key: [ordinal],
      });
    });
}
