/**
 * The Numenta Anomaly Benchmark on the shared series: runs the detector over
 * every labelled file under $BENCH_DIR/nab/data (default ../shared/bench),
 * scores it with bench/nab-scoring.ts, re-scores the published reference
 * detectors to show the scorer reproduces the official numbers, prints the
 * per-profile scores and the detection time, and writes bench/results/nab.json.
 *
 * Two normalisations are printed: "reference" puts the null baseline where the
 * official NAB run of the reference table put it (the null detector's total
 * over the full 58-file corpus, 116 windows), so its numbers compare with the
 * published ones (HTM 76.80, ARTime 76.99 on these series); "strict" puts the
 * null detector of these very files at 0.
 *
 * The corpus threshold is optimised with the labels of the series it scores,
 * so the corpus figure is in-sample. The leave-one-category-out figures are
 * the honest ones: each NAB category is scored at the threshold optimised on
 * the other three (the detector has no other setting to choose), per category
 * (its own null at 0) and summed over the four.
 *
 *   npm run bench:nab -- [--verbose] [--out bench/results/nab.json]
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { detectAnomalies } from '../shared/analysis/timeseries/index.js';
import { benchData } from './data.js';
import {
  categoryOf,
  type GroupScore,
  type LabelledSeries,
  leaveOneGroupOut,
  loadNabData,
  loadReferenceScores,
  NAB_FULL_CORPUS_WINDOWS,
  PROFILE_NAMES,
  type ProfileName,
  type ProfileResult,
  scoreByGroup,
  scoreCorpus,
} from './nab-scoring.js';

const { values: args } = parseArgs({
  // `npx tsx bench/nab.ts -- --verbose` passes the separator through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    verbose: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results/nab.json' },
  },
});

/** What the official scorer gives for the reference detectors (reference-results/README.md). */
const PUBLISHED: Record<string, Record<ProfileName, number>> = {
  windowedGaussian: { standard: 47.08, reward_low_FP_rate: 36.44, reward_low_FN_rate: 55.85 },
  numenta: { standard: 76.8, reward_low_FP_rate: 72.24, reward_low_FN_rate: 81.42 },
};

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function scoreAll(corpus: readonly LabelledSeries[]) {
  const profiles = {} as Record<ProfileName, { reference: ProfileResult; strict: ProfileResult }>;
  for (const profile of PROFILE_NAMES) {
    profiles[profile] = {
      reference: scoreCorpus(corpus, profile, { nullWindows: NAB_FULL_CORPUS_WINDOWS }),
      strict: scoreCorpus(corpus, profile),
    };
  }
  return profiles;
}

function leaveOneOut(corpus: readonly LabelledSeries[]) {
  return Object.fromEntries(
    PROFILE_NAMES.map((p) => {
      const reference = leaveOneGroupOut(corpus, categoryOf, p, { nullWindows: NAB_FULL_CORPUS_WINDOWS });
      return [p, { reference, strict: leaveOneGroupOut(corpus, categoryOf, p) }];
    }),
  ) as Record<
    ProfileName,
    { reference: ReturnType<typeof leaveOneGroupOut>; strict: ReturnType<typeof leaveOneGroupOut> }
  >;
}

const groupJson = (g: GroupScore) => ({
  category: g.group,
  score: round(g.score),
  raw: round(g.raw, 3),
  windows: g.windows,
  falsePositives: g.falsePositives,
  threshold: g.threshold,
});

const summary = (profiles: ReturnType<typeof scoreAll>) =>
  Object.fromEntries(
    PROFILE_NAMES.map((p) => [
      p,
      {
        score: round(profiles[p].reference.score),
        strictScore: round(profiles[p].strict.score),
        raw: round(profiles[p].reference.raw, 3),
        threshold: profiles[p].reference.threshold,
      },
    ]),
  );

const benchDir = benchData('nab');
const files = await loadNabData(benchDir);
if (files.length === 0) {
  process.stderr.write(`No NAB data under ${benchDir}/nab (set BENCH_DIR)\n`);
  process.exit(2);
}

const references: Record<string, unknown> = {};
for (const [detector, published] of Object.entries(PUBLISHED)) {
  const profiles = scoreAll(await loadReferenceScores(benchDir, detector, files));
  references[detector] = { published, ours: summary(profiles) };
  const line = PROFILE_NAMES.map(
    (p) => `${p} ${profiles[p].reference.score.toFixed(2)} (published ${published[p].toFixed(2)})`,
  ).join('  ');
  process.stdout.write(`reference ${detector.padEnd(17)} ${line}\n`);
}

const started = performance.now();
const corpus: LabelledSeries[] = files.map((f) => ({
  name: f.file,
  times: f.times,
  scores: detectAnomalies({ values: f.values, times: f.times }).scores,
  windows: f.windows,
}));
const seconds = (performance.now() - started) / 1000;
const rows = files.reduce((sum, f) => sum + f.values.length, 0);
const profiles = scoreAll(corpus);

if (args.verbose) {
  const standard = profiles.standard.reference;
  for (const s of standard.series) {
    process.stdout.write(
      `  ${s.raw.toFixed(2).padStart(6)}  ${s.name.padEnd(60)} windows ${s.detectedWindows}/${s.windows}  FP ${s.falsePositives}\n`,
    );
  }
}
for (const p of PROFILE_NAMES) {
  const { reference, strict } = profiles[p];
  process.stdout.write(
    `detector ${p.padEnd(19)} ${reference.score.toFixed(2)}  (strict ${strict.score.toFixed(2)}, threshold ${reference.threshold.toFixed(4)})\n`,
  );
}

const loo = leaveOneOut(corpus);
const inSample = Object.fromEntries(
  PROFILE_NAMES.map((p) => [p, scoreByGroup(profiles[p].strict, categoryOf)]),
) as Record<ProfileName, GroupScore[]>;
process.stdout.write(
  '\nper category (own null = 0): in-sample at the corpus threshold | held out, threshold from the other three\n',
);
process.stdout.write(`  ${'category'.padEnd(24)}${PROFILE_NAMES.map((p) => `${p.padStart(22)}`).join('')}\n`);
for (const [i, g] of loo.standard.strict.groups.entries()) {
  const cells = PROFILE_NAMES.map((p) => {
    const held = loo[p].strict.groups[i];
    const seen = inSample[p].find((x) => x.group === g.group);
    return `${(seen?.score ?? Number.NaN).toFixed(2).padStart(10)} | ${(held?.score ?? Number.NaN).toFixed(2).padStart(7)}  `;
  });
  process.stdout.write(`  ${g.group.padEnd(24)}${cells.join('')}  FP ${g.falsePositives}\n`);
}
for (const p of PROFILE_NAMES) {
  const { reference, strict } = loo[p];
  process.stdout.write(
    `leave-one-category-out ${p.padEnd(19)} ${reference.score.toFixed(2)}  (strict ${strict.score.toFixed(2)}; in-sample ${profiles[p].reference.score.toFixed(2)})\n`,
  );
}
process.stdout.write(
  `${files.length} series, ${rows} rows detected in ${seconds.toFixed(2)} s (${Math.round(rows / seconds)} rows/s)\n`,
);

await mkdir(dirname(args.out), { recursive: true });
await writeFile(
  args.out,
  `${JSON.stringify(
    {
      benchmark: 'NAB (shared subset)',
      series: files.length,
      windows: profiles.standard.reference.windows,
      rows,
      detectSeconds: round(seconds, 3),
      normalisation: {
        score: `null = the published null baseline (${NAB_FULL_CORPUS_WINDOWS} windows), as in the reference table`,
        strictScore: 'null = missing every window of these series',
      },
      detector: summary(profiles),
      leaveOneCategoryOut: Object.fromEntries(
        PROFILE_NAMES.map((p) => [
          p,
          {
            score: round(loo[p].reference.score),
            strictScore: round(loo[p].strict.score),
            categories: loo[p].strict.groups.map(groupJson),
          },
        ]),
      ),
      inSampleByCategory: Object.fromEntries(PROFILE_NAMES.map((p) => [p, inSample[p].map(groupJson)])),
      references,
      perSeries: profiles.standard.reference.series.map((s) => ({
        file: s.name,
        raw: round(s.raw, 3),
        detected: s.detectedWindows,
        windows: s.windows,
        falsePositives: s.falsePositives,
      })),
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`wrote ${args.out}\n`);
