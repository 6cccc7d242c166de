/**
 * Licences as SPDX expressions (https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/):
 * a small parser (AND, OR, WITH, parentheses, `+`, LicenseRef-), the common
 * non-SPDX spellings registries carry ("Apache 2.0", "MIT License", "GPLv3")
 * mapped to their identifiers, and each identifier's class. The class of an
 * expression is that of its most permissive alternative: `MIT OR GPL-3.0`
 * lets the user pick MIT; `MIT AND GPL-3.0` binds them to both.
 */

/** From least to most binding; `restricted` is source-available or non-commercial, not open source. */
export const LICENSE_CLASSES = [
  'permissive',
  'weak-copyleft',
  'strong-copyleft',
  'network-copyleft',
  'restricted',
  'unknown',
] as const;
export type LicenseClass = (typeof LICENSE_CLASSES)[number];

const ids = (cls: LicenseClass, list: string): [string, LicenseClass][] =>
  list
    .split(/\s+/)
    .filter((id) => id !== '')
    .map((id) => [id, cls]);

/** SPDX identifiers by class. Every id here is on the SPDX list (a test checks it against the CycloneDX copy). */
const CLASS_OF_ID = new Map<string, LicenseClass>([
  ...ids(
    'permissive',
    `0BSD AFL-2.1 AFL-3.0 Apache-1.0 Apache-1.1 Apache-2.0 Artistic-2.0 Beerware BlueOak-1.0.0 BSD-1-Clause
     BSD-2-Clause BSD-2-Clause-Patent BSD-3-Clause BSD-3-Clause-Clear BSD-4-Clause BSL-1.0 CC-BY-3.0 CC-BY-4.0
     CC0-1.0 curl ECL-2.0 HPND ISC JSON Libpng MIT MIT-0 MIT-CMU MulanPSL-2.0 NCSA OpenSSL PHP-3.0 PHP-3.01
     PostgreSQL PSF-2.0 Python-2.0 Python-2.0.1 Ruby Unicode-3.0 Unicode-DFS-2016 Unlicense UPL-1.0 W3C WTFPL
     X11 Zlib ZPL-2.1`,
  ),
  ...ids(
    'weak-copyleft',
    `CC-BY-SA-3.0 CC-BY-SA-4.0 CDDL-1.0 CDDL-1.1 CPL-1.0 EPL-1.0 EPL-2.0 LGPL-2.0-only LGPL-2.0-or-later
     LGPL-2.1-only LGPL-2.1-or-later LGPL-3.0-only LGPL-3.0-or-later LGPL-2.0 LGPL-2.1 LGPL-3.0 LGPL-2.0+
     LGPL-2.1+ LGPL-3.0+ MPL-1.0 MPL-1.1 MPL-2.0 MPL-2.0-no-copyleft-exception`,
  ),
  ...ids(
    'strong-copyleft',
    `EUPL-1.1 EUPL-1.2 GPL-1.0-only GPL-1.0-or-later GPL-2.0-only GPL-2.0-or-later GPL-3.0-only GPL-3.0-or-later
     GPL-2.0 GPL-3.0 GPL-2.0+ GPL-3.0+ OSL-3.0 Sleepycat`,
  ),
  ...ids('network-copyleft', 'AGPL-1.0-only AGPL-1.0-or-later AGPL-3.0-only AGPL-3.0-or-later AGPL-3.0'),
  ...ids(
    'restricted',
    `BUSL-1.1 Elastic-2.0 SSPL-1.0 CC-BY-NC-3.0 CC-BY-NC-4.0 CC-BY-NC-SA-4.0 CC-BY-NC-ND-4.0 CC-BY-ND-4.0`,
  ),
]);

const CANONICAL = new Map([...CLASS_OF_ID.keys()].map((id) => [id.toLowerCase(), id]));

/** Spellings seen in registries and lockfiles that are not SPDX ids, normalised (lower case, no punctuation). */
const ALIASES: Readonly<Record<string, string>> = {
  'apache 2': 'Apache-2.0',
  'apache 20': 'Apache-2.0',
  'apache license 20': 'Apache-2.0',
  'apache license version 20': 'Apache-2.0',
  'apache software license': 'Apache-2.0',
  'the apache software license version 20': 'Apache-2.0',
  asl2: 'Apache-2.0',
  'mit license': 'MIT',
  'the mit license': 'MIT',
  expat: 'MIT',
  bsd: 'BSD-3-Clause',
  'bsd license': 'BSD-3-Clause',
  'new bsd': 'BSD-3-Clause',
  'new bsd license': 'BSD-3-Clause',
  'bsd 3clause': 'BSD-3-Clause',
  'simplified bsd': 'BSD-2-Clause',
  'bsd 2clause': 'BSD-2-Clause',
  'isc license': 'ISC',
  'mozilla public license 20': 'MPL-2.0',
  'mpl 20': 'MPL-2.0',
  gplv2: 'GPL-2.0-only',
  gpl2: 'GPL-2.0-only',
  'gpl 2': 'GPL-2.0-only',
  gplv3: 'GPL-3.0-only',
  gpl3: 'GPL-3.0-only',
  'gpl 3': 'GPL-3.0-only',
  gpl: 'GPL-2.0-or-later',
  'gnu general public license v3 gplv3': 'GPL-3.0-only',
  'gnu general public license v2 gplv2': 'GPL-2.0-only',
  lgpl: 'LGPL-2.1-or-later',
  lgplv3: 'LGPL-3.0-only',
  lgplv2: 'LGPL-2.1-only',
  'gnu lesser general public license v3 lgplv3': 'LGPL-3.0-only',
  agplv3: 'AGPL-3.0-only',
  'eclipse public license 10': 'EPL-1.0',
  'eclipse public license 20': 'EPL-2.0',
  'public domain': 'Unlicense',
  'python software foundation license': 'PSF-2.0',
};

/** A parsed expression: an identifier (with its WITH exception), or AND / OR of parts. */
export type LicenseNode = { id: string; exception?: string } | { op: 'AND' | 'OR'; parts: LicenseNode[] };

const TOKEN = /\s*(\(|\)|[A-Za-z0-9.+:-]+)/y;

/** Parses an SPDX expression; undefined when it is not one. Identifiers keep the case written. */
export function parseExpression(text: string): LicenseNode | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  const source = text.trim();
  while (TOKEN.lastIndex < source.length) {
    const m = TOKEN.exec(source);
    if (!m?.[1]) return undefined;
    tokens.push(m[1]);
  }
  let at = 0;
  const keyword = (t: string | undefined) => t?.toUpperCase();
  const primary = (): LicenseNode | undefined => {
    const token = tokens[at++];
    if (token === '(') {
      const inner = orList();
      return tokens[at++] === ')' ? inner : undefined;
    }
    if (token === undefined || token === ')' || ['AND', 'OR', 'WITH'].includes(keyword(token) ?? ''))
      return undefined;
    if (keyword(tokens[at]) === 'WITH') {
      const exception = tokens[at + 1];
      if (exception === undefined || exception === '(' || exception === ')') return undefined;
      at += 2;
      return { id: token, exception };
    }
    return { id: token };
  };
  const list = (op: 'AND' | 'OR', next: () => LicenseNode | undefined) => (): LicenseNode | undefined => {
    const parts: LicenseNode[] = [];
    for (;;) {
      const part = next();
      if (part === undefined) return undefined;
      parts.push(part);
      if (keyword(tokens[at]) !== op) break;
      at++;
    }
    return parts.length === 1 ? parts[0] : { op, parts };
  };
  const andList = list('AND', primary);
  const orList = list('OR', andList);
  const tree = orList();
  return tree !== undefined && at === tokens.length ? tree : undefined;
}

/** The SPDX id for an identifier or a known spelling, or undefined. */
export function canonicalId(id: string): string | undefined {
  const known = CANONICAL.get(id.toLowerCase());
  if (known) return known;
  const key = id
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ALIASES[key];
}

/** A licence as written, normalised: an SPDX expression with known ids in their SPDX case, or undefined. */
export function normaliseLicense(text: string): { expression: string; tree: LicenseNode } | undefined {
  const trimmed = text.trim();
  const alias = canonicalId(trimmed);
  const tree = parseExpression(alias ?? trimmed);
  if (tree === undefined) return undefined;
  const fix = (node: LicenseNode): LicenseNode =>
    'id' in node
      ? { ...node, id: canonicalId(node.id) ?? node.id }
      : { op: node.op, parts: node.parts.map(fix) };
  const fixed = fix(tree);
  return { expression: render(fixed), tree: fixed };
}

function render(node: LicenseNode, parent?: 'AND' | 'OR'): string {
  if ('id' in node) return node.exception ? `${node.id} WITH ${node.exception}` : node.id;
  const text = node.parts.map((p) => render(p, node.op)).join(` ${node.op} `);
  return parent !== undefined && parent !== node.op ? `(${text})` : text;
}

/** The alternatives a user may choose among: each a set of licences that all apply (disjunctive normal form). */
export function alternatives(node: LicenseNode): { id: string; exception?: string }[][] {
  if ('id' in node) return [[node]];
  const parts = node.parts.map(alternatives);
  if (node.op === 'OR') return parts.flat();
  return parts.reduce<{ id: string; exception?: string }[][]>(
    (acc, alts) => acc.flatMap((left) => alts.map((right) => [...left, ...right])),
    [[]],
  );
}

const rank = (cls: LicenseClass) => LICENSE_CLASSES.indexOf(cls);

/** The class of one identifier; a GPL with an exception (Classpath, GCC runtime) binds like a weak copyleft. */
export function classOfId(id: string, exception?: string): LicenseClass {
  const cls = CLASS_OF_ID.get(canonicalId(id) ?? id.replace(/\+$/, '')) ?? 'unknown';
  return exception !== undefined && cls === 'strong-copyleft' ? 'weak-copyleft' : cls;
}

/** The class of an expression: its least binding alternative, each alternative as binding as its worst part. */
export function classOf(node: LicenseNode): LicenseClass {
  const each = alternatives(node).map((alt) =>
    alt.reduce<LicenseClass>((worst, l) => {
      const cls = classOfId(l.id, l.exception);
      return rank(cls) > rank(worst) ? cls : worst;
    }, 'permissive'),
  );
  return each.reduce<LicenseClass>((best, cls) => (rank(cls) < rank(best) ? cls : best), 'unknown');
}

/** Whether an identifier is one this table knows as SPDX (for CycloneDX `license.id`). */
export function isKnownSpdxId(id: string): boolean {
  return CANONICAL.get(id.toLowerCase()) === id;
}

/** Every identifier of the table (tests check them against the SPDX list). */
export function knownSpdxIds(): string[] {
  return [...CLASS_OF_ID.keys()];
}
