/**
 * Agreement of two migration linters on a folder with no truth (bench:sql
 * --dir): each finding is mapped to a hazard class through its rule id, and
 * per (file, class) the findings of both tools are merged where their line
 * spans overlap. A merged place holding findings of both tools counts as
 * "both", one holding only one tool's as "squawk only" / "ours only". Per class
 * and over the classes both tools cover, agreement = both / (both + squawk
 * only + ours only). Findings whose rule maps to no class are counted apart,
 * per rule.
 *
 * One rule of ours may cover several classes (MIG015: varchar, timestamp,
 * small keys): `classesOf` says which classes a finding stands for (from its
 * message); without an answer, a finding takes the classes in which squawk
 * flagged an overlapping line, else the first class of its rule.
 */

export interface LintFinding {
  file: string;
  /** 1-based; 0 when the tool gave no line. */
  line: number;
  /** Last line of the span the tool reported, when it gave one. */
  endLine?: number;
  rule: string;
  message?: string;
}

export type RuleClasses = ReadonlyMap<string, string | readonly string[]>;

/** One merged place of a class in a file: the span it covers and the findings of each tool in it. */
export interface Place {
  file: string;
  line: number;
  endLine: number;
  squawk: LintFinding[];
  ours: LintFinding[];
}

export interface ClassAgreement {
  class: string;
  squawkCovers: boolean;
  oursCovers: boolean;
  both: Place[];
  squawkOnly: Place[];
  oursOnly: Place[];
  /** both / (both + squawk only + ours only); null when the class is not covered by both or nothing was flagged. */
  agreement: number | null;
}

export interface Agreement {
  classes: ClassAgreement[];
  /** Summed over the classes both tools cover. */
  overall: { both: number; squawkOnly: number; oursOnly: number; agreement: number | null };
  /** Findings whose rule maps to no class, per tool and rule id. */
  unmapped: { squawk: Record<string, LintFinding[]>; ours: Record<string, LintFinding[]> };
}

export interface AgreementInput {
  squawk: readonly LintFinding[];
  ours: readonly LintFinding[];
  squawkRules: RuleClasses;
  ourRules: RuleClasses;
  /** Every class to report a row for, in order. */
  classIds: readonly string[];
  /** The classes an our finding stands for, among its rule's candidates; empty when it cannot tell. */
  classesOf?: (finding: LintFinding, candidates: readonly string[]) => readonly string[];
}

const asList = (c: string | readonly string[] | undefined): readonly string[] =>
  c === undefined ? [] : typeof c === 'string' ? [c] : c;

const spanOf = (f: LintFinding): [number, number] => [f.line, Math.max(f.endLine ?? f.line, f.line)];

const overlaps = (a: LintFinding, b: LintFinding) => {
  const [a0, a1] = spanOf(a);
  const [b0, b1] = spanOf(b);
  return a0 <= b1 && b0 <= a1;
};

const ratio = (both: number, all: number) => (all === 0 ? null : both / all);

/** Places of one (file, class): spans of both tools sorted by start and merged where they overlap. */
function merge(file: string, squawk: readonly LintFinding[], ours: readonly LintFinding[]): Place[] {
  const tagged = [
    ...squawk.map((f) => ({ f, tool: 'squawk' as const })),
    ...ours.map((f) => ({ f, tool: 'ours' as const })),
  ].sort((a, b) => spanOf(a.f)[0] - spanOf(b.f)[0]);
  const places: Place[] = [];
  for (const { f, tool } of tagged) {
    const [start, end] = spanOf(f);
    const last = places.at(-1);
    if (last && start <= last.endLine) {
      last.endLine = Math.max(last.endLine, end);
      last[tool].push(f);
    } else
      places.push({
        file,
        line: start,
        endLine: end,
        squawk: tool === 'squawk' ? [f] : [],
        ours: tool === 'ours' ? [f] : [],
      });
  }
  return places;
}

export function agreement(input: AgreementInput): Agreement {
  const { squawkRules, ourRules, classIds } = input;
  const unmapped: Agreement['unmapped'] = { squawk: {}, ours: {} };
  // class → file → findings of each tool
  const byClass = new Map<string, Map<string, { squawk: LintFinding[]; ours: LintFinding[] }>>();
  const add = (cls: string, tool: 'squawk' | 'ours', f: LintFinding) => {
    const files = byClass.get(cls) ?? new Map<string, { squawk: LintFinding[]; ours: LintFinding[] }>();
    byClass.set(cls, files);
    const entry = files.get(f.file) ?? { squawk: [], ours: [] };
    files.set(f.file, entry);
    entry[tool].push(f);
  };

  for (const f of input.squawk) {
    const cls = asList(squawkRules.get(f.rule))[0];
    if (cls === undefined) unmapped.squawk[f.rule] = [...(unmapped.squawk[f.rule] ?? []), f];
    else add(cls, 'squawk', f);
  }
  for (const f of input.ours) {
    const candidates = asList(ourRules.get(f.rule));
    if (candidates.length === 0) {
      unmapped.ours[f.rule] = [...(unmapped.ours[f.rule] ?? []), f];
      continue;
    }
    const told = (input.classesOf?.(f, candidates) ?? []).filter((c) => candidates.includes(c));
    const flaggedBySquawk = candidates.filter((c) =>
      (byClass.get(c)?.get(f.file)?.squawk ?? []).some((s) => overlaps(s, f)),
    );
    const classes =
      told.length > 0 ? told : flaggedBySquawk.length > 0 ? flaggedBySquawk : candidates.slice(0, 1);
    for (const cls of classes) add(cls, 'ours', f);
  }

  const squawkCovered = new Set([...squawkRules.values()].flatMap(asList));
  const oursCovered = new Set([...ourRules.values()].flatMap(asList));
  const classes = classIds.map((cls): ClassAgreement => {
    const places = [...(byClass.get(cls) ?? new Map()).entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([file, e]) => merge(file, e.squawk, e.ours));
    const both = places.filter((p) => p.squawk.length > 0 && p.ours.length > 0);
    const squawkOnly = places.filter((p) => p.ours.length === 0);
    const oursOnly = places.filter((p) => p.squawk.length === 0);
    const squawkCovers = squawkCovered.has(cls);
    const oursCovers = oursCovered.has(cls);
    return {
      class: cls,
      squawkCovers,
      oursCovers,
      both,
      squawkOnly,
      oursOnly,
      agreement: squawkCovers && oursCovers ? ratio(both.length, places.length) : null,
    };
  });
  const covered = classes.filter((c) => c.squawkCovers && c.oursCovers);
  const sum = (pick: (c: ClassAgreement) => number) => covered.reduce((n, c) => n + pick(c), 0);
  const both = sum((c) => c.both.length);
  const squawkOnly = sum((c) => c.squawkOnly.length);
  const oursOnly = sum((c) => c.oursOnly.length);
  return {
    classes,
    overall: { both, squawkOnly, oursOnly, agreement: ratio(both, both + squawkOnly + oursOnly) },
    unmapped,
  };
}

/**
 * The classes a db-query-analyzer finding stands for, read from its message,
 * for the rules of ours that cover several classes (MIG004, MIG007, MIG008,
 * MIG010, MIG011, MIG015). A 32-bit serial key is both a serial and a 32-bit
 * column; a foreign key added validated is both a foreign key and a constraint
 * added without NOT VALID.
 */
export function classesFromMessage(finding: LintFinding): string[] {
  const m = finding.message ?? '';
  switch (finding.rule) {
    case 'MIG004':
      return /^REINDEX /.test(m) ? ['reindex-not-concurrent'] : ['drop-index-not-concurrent'];
    case 'MIG007':
      return /^Foreign key /.test(m) ? ['foreign-key', 'constraint-not-valid'] : ['constraint-not-valid'];
    case 'MIG008':
      return /^PRIMARY KEY /.test(m) ? ['primary-key-without-index'] : ['unique-constraint'];
    case 'MIG010':
      return /^Column /.test(m) ? ['rename-column'] : ['rename-table'];
    case 'MIG011':
      if (/^Database /.test(m)) return ['drop-database'];
      return /^Column /.test(m) ? ['drop-column'] : ['drop-table'];
    case 'MIG015': {
      if (/varchar\(n\)/.test(m)) return ['varchar-length'];
      if (/timestamp without time zone/.test(m)) return ['timestamp-without-tz'];
      const key = /is an? (\w+) primary key/.exec(m)?.[1] ?? '';
      const serial = /serial/.test(key) ? ['serial-column'] : [];
      const width = /^(int2|serial2|smallserial)$/.test(key) ? ['int16-column'] : ['int32-column'];
      return [...serial, ...width];
    }
    default:
      return [];
  }
}

/**
 * The 1-based [first, last] lines of each statement in a SQL text, split at
 * semicolons outside quotes, quoted identifiers, dollar quotes and comments.
 * Our findings carry the line where their statement starts, squawk's the line
 * of the column or clause at fault: widening ours to the statement lets the
 * two meet. A statement's first line is that of its first token.
 */
export function statementSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let line = 1;
  let start = 0;
  let i = 0;
  const end = () => {
    if (start > 0) spans.push([start, line]);
    start = 0;
  };
  const skipTo = (close: string) => {
    const at = text.indexOf(close, i);
    const stop = at < 0 ? text.length : at + close.length;
    for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
    i = stop;
  };
  while (i < text.length) {
    const c = text[i] ?? '';
    const two = text.slice(i, i + 2);
    if (c === '\n') {
      line++;
      i++;
    } else if (two === '--') skipTo('\n');
    else if (two === '/*') {
      i += 2;
      skipTo('*/');
    } else if (/\s/.test(c)) i++;
    else if (c === ';') {
      end();
      i++;
    } else {
      if (start === 0) start = line;
      if (c === "'" || c === '"') {
        i++;
        skipTo(c);
      } else if (c === '$') {
        const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i, i + 64))?.[0];
        i += tag?.length ?? 1;
        if (tag) skipTo(tag);
      } else i++;
    }
  }
  end();
  return spans;
}
