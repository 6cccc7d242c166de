/**
 * Online log template miner.
 *
 * Messages are masked (./masking.ts) and cut into tokens; messages with the
 * same masked tokens share a cluster at once. Clusters of the same length
 * then become one template, with `<*>` at a position, when that position
 * shows it holds a variable:
 * - siblings: clusters equal everywhere but at one position take there at
 *   least `minVariableValues` different words (a user name, a host), while
 *   a position that takes only two or three values, all else equal, is read
 *   as part of the event (`from RUNNING to SUCCEEDED`, `... for root`);
 * - known variables: clusters equal but at one position, where every word
 *   they hold there has already been seen as the value of a variable
 *   elsewhere (`session opened for user cyrus` once `session closed for
 *   user <*>` took `cyrus`);
 * - masks: a cluster with a mask at a position covers every cluster that
 *   has anything there (`user <*>` covers `user admin`, `(<*>)` covers `()`).
 * A first token that is a plain word is never made a variable from sibling
 * evidence (like Drain, which routes on it): messages starting with
 * different words are different events. One that reads as a value (a
 * program `chrome.exe`, a host, a quoted name) may be. A template keeps at
 * least one constant token.
 *
 * Variables that change the token count (`Dropbox.exe *64` where others
 * have `chrome.exe`, a list of pairs): a cluster with a bare `<*>` also takes
 * messages and clusters of other lengths that it covers with each `<*>`
 * spanning one token or up to `maxVariableSpan` value-like ones (a mask, a
 * digit, the punctuation of names, paths and assignments). Plain words never
 * join a span, so `Failed password for <*>` does not take `Failed password
 * for invalid user admin`. Matching across lengths runs only for messages no
 * same-length template covers (then cached), and consolidation only when a
 * template appears, through an index by the template's first constant token.
 * Both are bounded (HOSTS_PER_ANCHOR, ABSORB_BUDGET), so a stream of ever
 * new messages costs no more per line as it grows than the same-length
 * search does.
 *
 * Known limit: two word-only variables that change together, each
 * combination seen once, never show the single-position evidence above;
 * and a variable made of plain words (`Google Chrome Helper` unquoted) splits
 * its event by length.
 *
 * Everything is decided from what the stream has shown, with one setting
 * for every system; the order of messages changes when a template forms,
 * not what it ends up covering. Memory is bounded: past `maxTemplates` the
 * least recently used template is forgotten (its messages start a new one
 * if they come back), and the caches of masked messages and variable words
 * drop their oldest entries.
 */
import { maskedTokens, WILDCARD } from './masking.js';

export interface MinerOptions {
  /** Live templates kept; past it the least recently used one is forgotten. Default 10,000. */
  readonly maxTemplates?: number;
  /** Masked messages cached for the one-lookup path. Default 100,000. */
  readonly maxPatterns?: number;
  /** Words remembered as values of variables. Default 100,000. */
  readonly maxVariableWords?: number;
  /** Different values a position must take, all else equal, to be a variable. Default 4. */
  readonly minVariableValues?: number;
  /**
   * Most tokens one variable may span when a template takes a message or
   * template of another length (1 turns joining across lengths off). Default 8.
   */
  readonly maxVariableSpan?: number;
}

export interface TemplateMatch {
  /** Identifies the template while it lives; a template that absorbs others gets a new id. */
  readonly templateId: number;
  /** Tokens joined by one space, `<*>` where a variable is. */
  readonly template: string;
}

export interface TemplateInfo extends TemplateMatch {
  /** Messages assigned to it (including those of the templates it absorbed). */
  readonly count: number;
}

export interface Miner {
  /** Learns from a message and returns its template as it stands now. */
  add(content: string): TemplateMatch;
  /** The template a message belongs to now, without learning; undefined when none covers it. */
  match(content: string): TemplateMatch | undefined;
  /** Live templates, most frequent first. */
  templates(): TemplateInfo[];
  /** Number of live templates. */
  readonly size: number;
}

interface Cluster {
  readonly id: number;
  readonly tokens: readonly string[];
  readonly text: string;
  /** Tokens that are not a bare wildcard; a template with none would cover every message of its length. */
  readonly constants: number;
  count: number;
  live: boolean;
  /** The template that absorbed this one. */
  into: Cluster | undefined;
  /** Sibling keys this cluster is registered under. */
  readonly keys: string[];
  /** The token it is found by in the span index, when it takes messages of other lengths. */
  anchor: string | undefined;
  /** Its tokens with each run of wildcards as one, when it takes messages of other lengths. */
  skeleton: readonly string[];
  /** The most tokens a message it takes across lengths can have. */
  longest: number;
}

/** Clusters equal but at one position, by their value there. */
interface Siblings {
  readonly position: number;
  readonly members: Map<string, Cluster>;
}

/** Clusters of one token count, indexed by first token (a first token holding a mask goes to `wild`). */
interface Bucket {
  readonly byFirst: Map<string, Set<Cluster>>;
  readonly wild: Set<Cluster>;
}

/** FNV-1a over a token, from a seed: one of the two independent hashes below. */
function tokenHash(token: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The sibling key of every position at once: a 2 × 64-bit hash of the tokens
 * before and after it. Written out, the keys of a cluster would cost its
 * length squared; long messages make that matter.
 */
function siblingKeys(tokens: readonly string[]): string[] {
  const n = tokens.length;
  const a = tokens.map((t) => tokenHash(t, 0x811c9dc5));
  const b = tokens.map((t) => tokenHash(t, 0x050c5d1f));
  const prefix = new Uint32Array(2 * (n + 1));
  for (let i = 0; i < n; i++) {
    prefix[2 * i + 2] = Math.imul(prefix[2 * i] ?? 0, 0x9e3779b1) + (a[i] ?? 0);
    prefix[2 * i + 3] = Math.imul(prefix[2 * i + 1] ?? 0, 0x85ebca77) + (b[i] ?? 0);
  }
  const suffix = new Uint32Array(2 * (n + 1));
  for (let i = n - 1; i >= 0; i--) {
    suffix[2 * i] = Math.imul(suffix[2 * i + 2] ?? 0, 0xc2b2ae3d) + (a[i] ?? 0);
    suffix[2 * i + 1] = Math.imul(suffix[2 * i + 3] ?? 0, 0x27d4eb2f) + (b[i] ?? 0);
  }
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    keys.push(`${n}:${i}:${prefix[2 * i]}:${prefix[2 * i + 1]}:${suffix[2 * i + 2]}:${suffix[2 * i + 3]}`);
  }
  return keys;
}

/**
 * Whether a template token covers a message token: equal, a wildcard, or a
 * token with masks in it, each standing for any text, empty included
 * (`(<*>)` covers `()`: a variable may be empty).
 */
function covers(general: string, specific: string): boolean {
  if (general === specific || general === WILDCARD) return true;
  if (!general.includes(WILDCARD)) return false;
  const parts = general.split(WILDCARD);
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (specific.length < first.length + last.length) return false;
  if (!specific.startsWith(first) || !specific.endsWith(last)) return false;
  let at = first.length;
  const end = specific.length - last.length;
  for (let p = 1; p < parts.length - 1; p++) {
    const part = parts[p] ?? '';
    const found = specific.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

function subsumes(general: readonly string[], specific: readonly string[]): boolean {
  for (let i = 0; i < general.length; i++) {
    if (!covers(general[i] ?? '', specific[i] ?? '')) return false;
  }
  return true;
}

/**
 * Whether a token reads as a value rather than a word of the event: it holds
 * a mask, a digit or the punctuation of names, paths, addresses and
 * assignments. A variable spans several tokens only over such tokens, so
 * `Failed password for <*> from` never takes `Failed password for invalid
 * user admin from`, while `<*> - <*> open` takes `Dropbox.exe <*> - <*> open`.
 */
function isValueLike(token: string): boolean {
  if (token.includes(WILDCARD) || EMPTY_VALUE.test(token)) return true;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    // digits . / \ : @ = # * " '
    if ((c >= 48 && c <= 57) || c === 46 || c === 47 || c === 92 || c === 58 || c === 64) return true;
    if (c === 61 || c === 35 || c === 42 || c === 34 || c === 39) return true;
  }
  return false;
}

/** Empty brackets or quotes: where a value was printed empty. */
const EMPTY_VALUE = /^(?:\(\)|\[\]|\{\}|""|'')[,;:.]?$/;

/** A template's tokens with each run of wildcards as one: what its messages of every length share. */
function skeleton(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) if (token !== WILDCARD || out[out.length - 1] !== WILDCARD) out.push(token);
  return out;
}

/**
 * Whether a skeleton covers tokens when each wildcard takes one token, or up
 * to `maxSpan` value-like ones (`valueLike`). Memoised on (skeleton position,
 * token position), so at most skeleton × tokens steps.
 */
function spans(
  pattern: readonly string[],
  tokens: readonly string[],
  maxSpan: number,
  valueLike: (token: string) => boolean,
): boolean {
  // The last tokens first: most candidates fail there, before any search.
  const last = pattern[pattern.length - 1] ?? '';
  if (last !== WILDCARD && !covers(last, tokens[tokens.length - 1] ?? '')) return false;
  return spansFrom({ pattern, tokens, maxSpan, valueLike, failed: undefined }, 0, 0);
}

interface SpanSearch {
  readonly pattern: readonly string[];
  readonly tokens: readonly string[];
  readonly maxSpan: number;
  readonly valueLike: (token: string) => boolean;
  /** (pattern position, token position) pairs known not to match, made on the first failure. */
  failed: Set<number> | undefined;
}

function spansFrom(search: SpanSearch, i: number, j: number): boolean {
  const { pattern, tokens, maxSpan, valueLike } = search;
  const n = tokens.length;
  if (i === pattern.length) return j === n;
  if (j === n || search.failed?.has(i * (n + 1) + j)) return false;
  const part = pattern[i] ?? '';
  let ok = false;
  if (part === WILDCARD) {
    for (let k = 1; k <= maxSpan && j + k <= n && !ok; k++) {
      if (k > 1 && !valueLike(tokens[j + k - 1] ?? '')) break;
      if (k === 2 && !valueLike(tokens[j] ?? '')) break;
      ok = spansFrom(search, i + 1, j + k);
    }
  } else ok = covers(part, tokens[j] ?? '') && spansFrom(search, i + 1, j + 1);
  if (!ok) {
    search.failed ??= new Set();
    search.failed.add(i * (n + 1) + j);
  }
  return ok;
}

const KEY = /^[A-Za-z_][\w.-]*[=:]/;

/** The wildcard for a position's values, keeping the key they all share (`user=<*>`, `node:<*>`). */
function keyedWildcard(values: Iterable<string>): string {
  let shared: string | undefined;
  for (const value of values) {
    const key = KEY.exec(value)?.[0];
    if (key === undefined || (shared !== undefined && key !== shared)) return WILDCARD;
    shared = key;
  }
  return shared === undefined ? WILDCARD : `${shared}${WILDCARD}`;
}

/** Templates of other lengths tried per anchor token: the most recently useful are kept. */
const HOSTS_PER_ANCHOR = 64;
/** Clusters a new template compares itself with when it consolidates other lengths. */
const ABSORB_BUDGET = 512;

/** Longer messages are never matched across lengths: the span search is quadratic in the worst case. */
const MAX_SPAN_TOKENS = 256;

/** The clusters of a bucket a template starting with `first` can cover, lazily: the caller stops on a budget. */
function* candidatesIn(bucket: Bucket, first: string): Generator<Cluster> {
  if (first === WILDCARD) {
    yield* bucket.wild;
    for (const set of bucket.byFirst.values()) yield* set;
  } else {
    yield* bucket.byFirst.get(first) ?? [];
    yield* bucket.wild;
  }
}

function boundedAdd<T>(set: Set<T>, value: T, max: number): void {
  set.add(value);
  if (set.size > max) {
    const oldest = set.values().next();
    if (!oldest.done) set.delete(oldest.value);
  }
}

class TemplateMiner implements Miner {
  readonly #maxTemplates: number;
  readonly #maxPatterns: number;
  readonly #maxWords: number;
  readonly #minValues: number;
  readonly #maxSpan: number;

  #nextId = 1;
  /** Masked message → the cluster it was assigned (follow `into` to the live one). */
  readonly #exact = new Map<string, Cluster>();
  readonly #byText = new Map<string, Cluster>();
  readonly #buckets = new Map<number, Bucket>();
  /** Live clusters, least recently used first. */
  readonly #recency = new Map<number, Cluster>();
  readonly #siblings = new Map<string, Siblings>();
  readonly #keysByValue = new Map<string, Set<string>>();
  readonly #variableWords = new Set<string>();
  /** Clusters with a bare wildcard, by their first constant token: the hosts for messages of other lengths. */
  readonly #spanIndex = new Map<string, Set<Cluster>>();
  readonly #valueLike = (token: string) => isValueLike(token) || this.#variableWords.has(token);
  readonly #clusterWork: Cluster[] = [];
  readonly #keyWork: string[] = [];

  constructor(options: MinerOptions) {
    this.#maxTemplates = Math.max(1, options.maxTemplates ?? 10_000);
    this.#maxPatterns = Math.max(1, options.maxPatterns ?? 100_000);
    this.#maxWords = Math.max(1, options.maxVariableWords ?? 100_000);
    this.#minValues = Math.max(2, options.minVariableValues ?? 4);
    this.#maxSpan = Math.max(1, options.maxVariableSpan ?? 8);
  }

  get size(): number {
    return this.#recency.size;
  }

  add(content: string): TemplateMatch {
    const tokens = maskedTokens(content);
    const pattern = tokens.join(' ');
    let cluster = this.#cached(pattern);
    if (!cluster) {
      const found = this.#find(tokens, pattern);
      if (found) this.#learnValues(found, tokens);
      else if (!this.#spanFind(tokens)) this.#place(tokens);
      this.#drain();
      // The work above may have merged the cluster into a more general one.
      cluster = this.#find(tokens, pattern) ?? this.#spanFind(tokens) ?? this.#place(tokens);
      this.#exact.set(pattern, cluster);
      if (this.#exact.size > this.#maxPatterns) {
        const oldest = this.#exact.keys().next();
        if (!oldest.done) this.#exact.delete(oldest.value);
      }
    }
    cluster.count++;
    this.#recency.delete(cluster.id);
    this.#recency.set(cluster.id, cluster);
    this.#evict();
    return { templateId: cluster.id, template: cluster.text };
  }

  match(content: string): TemplateMatch | undefined {
    const tokens = maskedTokens(content);
    const pattern = tokens.join(' ');
    const cluster = this.#cached(pattern) ?? this.#find(tokens, pattern) ?? this.#spanFind(tokens, false);
    return cluster ? { templateId: cluster.id, template: cluster.text } : undefined;
  }

  templates(): TemplateInfo[] {
    return [...this.#recency.values()]
      .map((c) => ({ templateId: c.id, template: c.text, count: c.count }))
      .sort((a, b) => b.count - a.count || a.templateId - b.templateId);
  }

  #cached(pattern: string): Cluster | undefined {
    const cached = this.#exact.get(pattern);
    if (!cached) return undefined;
    let cluster = cached;
    while (cluster.into) cluster = cluster.into;
    if (cluster.live) {
      if (cluster !== cached) this.#exact.set(pattern, cluster);
      return cluster;
    }
    this.#exact.delete(pattern);
    return undefined;
  }

  /** The most specific live cluster covering the tokens. */
  #find(tokens: readonly string[], pattern: string): Cluster | undefined {
    const bucket = this.#buckets.get(tokens.length);
    if (!bucket) return undefined;
    let best: Cluster | undefined;
    const consider = (cluster: Cluster) => {
      const fits = cluster.constants === 0 ? cluster.text === pattern : subsumes(cluster.tokens, tokens);
      if (fits && (!best || cluster.constants > best.constants)) best = cluster;
    };
    for (const cluster of bucket.byFirst.get(tokens[0] ?? '') ?? []) consider(cluster);
    for (const cluster of bucket.wild) consider(cluster);
    return best;
  }

  /**
   * The most specific cluster of another length whose variables, spanning
   * more or fewer tokens, cover the tokens. Candidates come from the span
   * index by the tokens a template's first constant can fall on: the first,
   * or one of the next `maxVariableSpan` after a leading variable.
   */
  #spanFind(tokens: readonly string[], learning = true): Cluster | undefined {
    if (this.#maxSpan < 2 || this.#spanIndex.size === 0 || tokens.length > MAX_SPAN_TOKENS) return undefined;
    let best: Cluster | undefined;
    const last = Math.min(tokens.length - 1, this.#maxSpan);
    const length = tokens.length;
    for (let p = 0; p <= last; p++) {
      const candidates = this.#spanIndex.get(tokens[p] ?? '');
      if (!candidates) continue;
      // Past the first token, the anchor can only be the first constant after a leading variable.
      const afterLead = p > 0;
      for (const cluster of candidates) {
        if (length === cluster.tokens.length || length < cluster.skeleton.length || length > cluster.longest)
          continue;
        const leads = cluster.tokens[0] === WILDCARD;
        if (leads !== afterLead || (best && cluster.constants <= best.constants)) continue;
        if (spans(cluster.skeleton, tokens, this.#maxSpan, this.#valueLike)) best = cluster;
      }
    }
    if (learning && best?.anchor !== undefined) {
      // Kept by recency of use, so the templates that still take messages stay in the index.
      const set = this.#spanIndex.get(best.anchor);
      set?.delete(best);
      set?.add(best);
    }
    return best;
  }

  /**
   * A new cluster with a bare wildcard takes the clusters of other lengths
   * it covers with its variables spanning more tokens: consolidation happens
   * when a template appears, not per message.
   */
  #absorbOtherLengths(host: Cluster): void {
    const pattern = host.skeleton;
    const first = host.tokens[0] ?? '';
    const covered: Cluster[] = [];
    let budget = ABSORB_BUDGET;
    for (let length = pattern.length; length <= host.longest && budget > 0; length++) {
      const bucket = this.#buckets.get(length);
      if (!bucket || length === host.tokens.length) continue;
      for (const other of candidatesIn(bucket, first)) {
        if (--budget < 0) break;
        if (other.constants > 0 && spans(pattern, other.tokens, this.#maxSpan, this.#valueLike))
          covered.push(other);
      }
    }
    for (const other of covered) this.#mergeInto(other, host);
  }

  #bucket(length: number): Bucket {
    let bucket = this.#buckets.get(length);
    if (!bucket) {
      bucket = { byFirst: new Map(), wild: new Set() };
      this.#buckets.set(length, bucket);
    }
    return bucket;
  }

  /**
   * Creates the cluster for a template (or returns the live one) and absorbs
   * the clusters it covers. `seekHost`: whether a template of another length
   * may still cover the tokens (not yet looked up).
   */
  #place(tokens: readonly string[], seekHost = false): Cluster {
    const text = tokens.join(' ');
    const existing = this.#byText.get(text);
    if (existing) return existing;
    let constants = 0;
    for (const token of tokens) if (token !== WILDCARD) constants++;
    const spanning = this.#maxSpan > 1 && constants >= 2 && constants < tokens.length;
    if (spanning && seekHost) {
      // A template of another length may already cover this one with wider variables.
      const host = this.#spanFind(tokens);
      if (host) return host;
    }
    const cluster: Cluster = {
      id: this.#nextId++,
      tokens,
      text,
      constants,
      count: 0,
      live: true,
      into: undefined,
      keys: [],
      anchor: undefined,
      skeleton: [],
      longest: 0,
    };
    const bucket = this.#bucket(tokens.length);
    const first = tokens[0] ?? '';
    if (constants > 0) {
      const candidates = first.includes(WILDCARD)
        ? [...bucket.wild, ...[...bucket.byFirst.values()].flatMap((set) => [...set])]
        : [...(bucket.byFirst.get(first) ?? []), ...bucket.wild];
      for (const other of candidates) if (subsumes(tokens, other.tokens)) this.#mergeInto(other, cluster);
    }
    if (first.includes(WILDCARD)) bucket.wild.add(cluster);
    else {
      let set = bucket.byFirst.get(first);
      if (!set) {
        set = new Set();
        bucket.byFirst.set(first, set);
      }
      set.add(cluster);
    }
    this.#byText.set(text, cluster);
    this.#recency.set(cluster.id, cluster);
    this.#clusterWork.push(cluster);
    if (spanning) {
      cluster.skeleton = skeleton(tokens);
      let wildcards = 0;
      for (const token of cluster.skeleton) if (token === WILDCARD) wildcards++;
      cluster.longest = Math.min(MAX_SPAN_TOKENS, cluster.skeleton.length + wildcards * (this.#maxSpan - 1));
      this.#absorbOtherLengths(cluster);
      const anchor = tokens.find((t) => t !== WILDCARD) ?? '';
      cluster.anchor = anchor;
      let set = this.#spanIndex.get(anchor);
      if (!set) {
        set = new Set();
        this.#spanIndex.set(anchor, set);
      }
      set.add(cluster);
      if (set.size > HOSTS_PER_ANCHOR) {
        // The template least recently found across lengths stops taking other lengths; it lives on.
        const oldest = set.values().next();
        if (!oldest.done) {
          set.delete(oldest.value);
          oldest.value.anchor = undefined;
        }
      }
    }
    return cluster;
  }

  #unlink(cluster: Cluster): void {
    cluster.live = false;
    this.#byText.delete(cluster.text);
    this.#recency.delete(cluster.id);
    const bucket = this.#buckets.get(cluster.tokens.length);
    const first = cluster.tokens[0] ?? '';
    if (bucket) {
      bucket.wild.delete(cluster);
      const set = bucket.byFirst.get(first);
      set?.delete(cluster);
      if (set?.size === 0) bucket.byFirst.delete(first);
    }
    if (cluster.anchor !== undefined) {
      const set = this.#spanIndex.get(cluster.anchor);
      set?.delete(cluster);
      if (set?.size === 0) this.#spanIndex.delete(cluster.anchor);
      cluster.anchor = undefined;
    }
    for (const key of cluster.keys) {
      const group = this.#siblings.get(key);
      if (!group) continue;
      const value = cluster.tokens[group.position] ?? '';
      if (group.members.get(value) === cluster) {
        group.members.delete(value);
        const keys = this.#keysByValue.get(value);
        keys?.delete(key);
        if (keys?.size === 0) this.#keysByValue.delete(value);
      }
      if (group.members.size === 0) this.#siblings.delete(key);
    }
    cluster.keys.length = 0;
  }

  #mergeInto(cluster: Cluster, target: Cluster): void {
    if (cluster === target || !cluster.live) return;
    this.#unlink(cluster);
    cluster.into = target;
    target.count += cluster.count;
  }

  /** Registers a new cluster under one sibling key per position but the first. */
  #register(cluster: Cluster): void {
    const keys = siblingKeys(cluster.tokens);
    // Like Drain, a first word is taken for a constant: messages that differ there are different
    // events (`cupsd startup succeeded`). A first token that reads as a value (`chrome.exe`, a
    // host) may still turn out to be a variable.
    for (let i = 0; i < cluster.tokens.length; i++) {
      const value = cluster.tokens[i] ?? '';
      const key = keys[i];
      if (value === WILDCARD || key === undefined || (i === 0 && !isValueLike(value))) continue;
      let group = this.#siblings.get(key);
      if (!group) {
        group = { position: i, members: new Map() };
        this.#siblings.set(key, group);
      }
      group.members.set(value, cluster);
      cluster.keys.push(key);
      let valueKeys = this.#keysByValue.get(value);
      if (!valueKeys) {
        valueKeys = new Set();
        this.#keysByValue.set(value, valueKeys);
      }
      valueKeys.add(key);
      this.#keyWork.push(key);
    }
  }

  /** Whether the values a position takes, all else equal, show it holds a variable. */
  #isVariable(group: Siblings): boolean {
    const values = group.members.size;
    if (values >= this.#minValues) return true;
    if (values < 2) return false;
    for (const value of group.members.keys()) if (!this.#variableWords.has(value)) return false;
    return true;
  }

  #examine(key: string): void {
    const group = this.#siblings.get(key);
    if (!group || !this.#isVariable(group)) return;
    const members = [...group.members.values()];
    const sample = members[0];
    if (!sample || sample.constants < 2) return;
    const variable = keyedWildcard(group.members.keys());
    const general = sample.tokens.map((t, j) => (j === group.position ? variable : t));
    const target = this.#place(general, true);
    for (const member of members) this.#mergeInto(member, target);
    for (const member of members) this.#learnWord(member.tokens[group.position] ?? '');
  }

  /** The words of a message that fall on its template's wildcards are values of variables. */
  #learnValues(cluster: Cluster, tokens: readonly string[]): void {
    cluster.tokens.forEach((t, i) => {
      if (t === WILDCARD) this.#learnWord(tokens[i] ?? '');
    });
  }

  #learnWord(word: string): void {
    if (word.includes(WILDCARD) || this.#variableWords.has(word)) return;
    boundedAdd(this.#variableWords, word, this.#maxWords);
    for (const key of this.#keysByValue.get(word) ?? []) this.#keyWork.push(key);
  }

  #drain(): void {
    for (;;) {
      const cluster = this.#clusterWork.pop();
      if (cluster) {
        if (cluster.live) this.#register(cluster);
        continue;
      }
      const key = this.#keyWork.pop();
      if (key === undefined) return;
      this.#examine(key);
    }
  }

  #evict(): void {
    while (this.#recency.size > this.#maxTemplates) {
      const oldest = this.#recency.values().next();
      if (oldest.done) return;
      this.#unlink(oldest.value);
    }
  }
}

export function createMiner(options: MinerOptions = {}): Miner {
  return new TemplateMiner(options);
}
