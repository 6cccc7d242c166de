/**
 * How sure a secret finding is, as a number in [0, 1] in its evidence
 * (`confidence`). Every term is read off the match itself; no constant is
 * fitted to a corpus.
 *
 * Each term halves the doubt that the match is a live credential, at most:
 *
 *   doubt      = 2^(−fixed) × (1 − name / 2) × (1 − randomness / 2)
 *   confidence = (1 − doubt) × 2^(−doubts)
 *
 *   fixed      the literal characters the kind's pattern demands in the match
 *              (its longest keyword found there: `ghp_` 4, `sk_live_` 8,
 *              `github_pat_` 11; a credential file's field marker: `password`,
 *              `_authToken`, `$6$`), 0 for the generic rule: each fixed
 *              character halves the odds that text of that form is something
 *              else, so a prefixed token is 0.94 and more on its shape alone.
 *   name       1 when the value is assigned to a name that says secret
 *              (shared/core/secret-names.ts) or a credential file's field
 *              says password/token, 0 otherwise: a secret name is even odds.
 *   randomness clamp((H − floor) / (Hmax − floor)) × min(1, length / 16)
 *              H the value's Shannon entropy, floor the entropy it was held to
 *              (the kind's, or the generic rule's for its length and for
 *              passwords; 0 when none), Hmax = log2(min(length, alphabet)) the
 *              most a value of that length over its own alphabet can have (16
 *              for hex, else 26 per letter case, 10 digits, 33 symbols);
 *              values shorter than 16 characters (the generic rule's "long"
 *              bound) carry proportionally fewer random bits. A random value
 *              is even odds too: a secret name with a fully random 16-character
 *              value is 0.75, a short password about 0.6, a prefixed token 0.97.
 *   doubts     one halving (even odds of not being a live credential) for each
 *              of: a test-fixture path, a documentation file, an example or
 *              template file, a reason the match was reported lower
 *              (placeholder, test-mode key, local host, expired or unsigned
 *              token).
 *
 * Rounded to two decimals.
 */
import { shannonEntropy } from '../../core/secret-values.js';
import { isTestPath } from '../source/files.js';

export interface ConfidenceInput {
  /** Literal characters the kind's pattern demands in the match (0: none). */
  fixed: number;
  /** 1: assigned to a secret name (or a credential file's password field); 0: no name. */
  name: number;
  value: string;
  /** The kind's entropy floor (bits per character); 0 when it has none. */
  floor: number;
  path: string;
  /** Whether the match was reported lower (a placeholder, a test-mode key…). */
  lowered: boolean;
}

const DOCS = /\.(?:md|markdown|mdx|rst|adoc|asciidoc|txt)$|(?:^|\/)docs?\//i;
/** An example or template file by its name (`.env.example`, `config.sample.yml`); example folders are test material. */
const EXAMPLE = /[._-](?:example|sample|template|dist|tmpl)(?:\.[^/]*)?$/i;

let lastPath: string | undefined;
let lastDoubts = 0;

/** Doubts a file's path casts: test material, documentation, an example or template (the last path's answer kept). */
export function pathDoubts(path: string): number {
  if (path !== lastPath) {
    lastDoubts = (isTestPath(path) ? 1 : 0) + (DOCS.test(path) ? 1 : 0) + (EXAMPLE.test(path) ? 1 : 0);
    lastPath = path;
  }
  return lastDoubts;
}

/** Whether the file is documentation (Markdown, reStructuredText, AsciiDoc, text, a docs folder). */
export function isDocumentation(path: string): boolean {
  return DOCS.test(path);
}

function clamp(x: number): number {
  return Math.max(0, Math.min(1, x));
}

/** The size of the alphabet a value is drawn from: hex, or the character classes it uses. */
function alphabetSize(value: string): number {
  if (/^[0-9a-f]+$/i.test(value) && /\d/.test(value)) return 16;
  const classes: [RegExp, number][] = [
    [/[a-z]/, 26],
    [/[A-Z]/, 26],
    [/[0-9]/, 10],
    [/[^A-Za-z0-9]/, 33],
  ];
  return classes.reduce((size, [test, n]) => (test.test(value) ? size + n : size), 0);
}

/** The randomness term: entropy above the floor, relative to the most the value's length and alphabet allow. */
export function randomness(value: string, floor: number): number {
  const length = [...value].length;
  if (length === 0) return 0;
  const entropy = shannonEntropy(value);
  const most = Math.log2(Math.min(length, alphabetSize(value)));
  const relative = most > floor ? (entropy - floor) / (most - floor) : entropy >= floor ? 1 : 0;
  return clamp(relative) * Math.min(1, length / 16);
}

/** The formula of the header: a number in [0, 1], two decimals. */
export function secretConfidence(input: ConfidenceInput): number {
  const doubt = 2 ** -input.fixed * (1 - input.name / 2) * (1 - randomness(input.value, input.floor) / 2);
  const doubts = pathDoubts(input.path) + (input.lowered ? 1 : 0);
  return Math.round(clamp((1 - doubt) * 2 ** -doubts) * 100) / 100;
}

/** The longest of a kind's keywords found in the matched text: the literal characters its pattern fixed. */
export function fixedCharacters(keywords: readonly string[], matched: string): number {
  const lower = matched.toLowerCase();
  return keywords.reduce(
    (most, keyword) => (lower.includes(keyword) ? Math.max(most, keyword.length) : most),
    0,
  );
}
