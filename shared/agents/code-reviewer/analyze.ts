/**
 * code-reviewer on the scan engine (../scan/run.ts): each item (or the one
 * input) is split into its `.aiopsignore`s and files, reviewed (review.ts),
 * and the findings of all items go through one suppress → sort → count.
 * Scores (README, Scores): each file `survival` over its open findings
 * (FILE_WEIGHTS), an item and the whole review the `unit-mean` of their
 * files weighted by code lines.
 */
import { type AgentContext, countFindings, type Finding, SEVERITIES } from '../contract.js';
import { compareFindings, describeCounts, plural, runScan, splitScanFiles } from '../scan/run.js';
import { survivalScore, unitMeanScore } from '../scan/score.js';
import { parseUnifiedDiff } from './diff.js';
import { markdownOf, recommendationsOf, strengthsOf } from './report.js';
import { type ItemReview, reviewItem } from './review.js';
import { DEFAULT_THRESHOLDS, FILE_WEIGHTS, type Thresholds } from './rules.js';
import type { CodeReviewInput, CodeReviewOutput, FileSummary } from './schema.js';

export { languageOf } from './units.js';

/** A file's score: `survival` of its open findings. */
export function fileScore(findings: readonly Finding[]): number {
  return survivalScore(findings, FILE_WEIGHTS);
}

/** An item's or the review's score: the `unit-mean` of its files, weighted by code lines (at least 1). */
function filesScore(files: readonly FileSummary[]): number {
  return unitMeanScore(files.map((f) => ({ score: f.score, weight: Math.max(1, f.codeLines) })));
}

/** compareFindings, with a batch's items kept together within a severity. */
function compareInBatch(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (a.resource?.namespace ?? '').localeCompare(b.resource?.namespace ?? '') ||
    compareFindings(a, b)
  );
}

interface Item {
  name: string | undefined;
  files?: { path: string; content: string }[] | undefined;
  diff?: string | undefined;
}

async function reviewItems(items: readonly Item[], thresholds: Thresholds, now: Date): Promise<ItemReview[]> {
  const reviews: ItemReview[] = [];
  for (const item of items) {
    const split = splitScanFiles(item.files ?? [], { inline: false });
    const diffs = item.diff === undefined ? [] : parseUnifiedDiff(item.diff);
    const review = await reviewItem(split.files, diffs, { item: item.name, thresholds, now });
    reviews.push({ ...review, suppressions: [...split.suppressions, ...review.suppressions] });
  }
  return reviews;
}

/** Each file's counts and score from the findings in it (suppressed ones marked). */
function scoreFiles(files: FileSummary[], findings: readonly Finding[]): void {
  for (const file of files) {
    const own = findings.filter(
      (f) => f.resource?.file === file.path && (f.resource?.namespace ?? undefined) === file.item,
    );
    file.findingCounts = countFindings(own);
    file.score = fileScore(own);
  }
}

function itemSummaries(
  names: readonly string[],
  files: readonly FileSummary[],
  findings: readonly Finding[],
) {
  return names.map((name) => {
    const own = files.filter((f) => f.item === name);
    const counts = countFindings(findings.filter((f) => f.resource?.namespace === name));
    return {
      name,
      summary: `${plural(own.length, 'file')} reviewed: ${describeCounts(counts)}.`,
      score: filesScore(own),
      findingCounts: counts,
      files: own.length,
    };
  });
}

export async function analyzeCode(input: CodeReviewInput, context: AgentContext): Promise<CodeReviewOutput> {
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const batch: Item[] = input.items ?? [{ name: undefined, files: input.files, diff: input.diff }];
  const reviews = await reviewItems(batch, thresholds, context.now);
  const scan = await runScan({
    ignore: input.ignore,
    inline: false,
    check: () => ({
      findings: reviews.flatMap((r) => r.findings),
      suppressions: reviews.flatMap((r) => r.suppressions),
    }),
  });
  const findings = input.items === undefined ? scan.findings : scan.findings.sort(compareInBatch);
  const files = reviews.flatMap((r) => r.files);
  scoreFiles(files, findings);
  const score = filesScore(files);
  const items =
    input.items === undefined
      ? undefined
      : itemSummaries(
          input.items.map((i) => i.name),
          files,
          findings,
        );
  const addedLines = files.reduce((n, f) => n + (f.addedLines ?? 0), 0);
  const functions = reviews.flatMap((r) => r.functions);
  const generated = reviews.reduce((n, r) => n + r.generated.length, 0);
  const output = {
    summary: summaryOf(
      files.length,
      items?.length,
      reviews.some((r) => r.diffMode) ? addedLines : undefined,
      scan,
      score,
      generated,
    ),
    score,
    findings,
    strengths: strengthsOf(reviews, scan.open, thresholds),
    recommendations: recommendationsOf(scan.open),
    files,
    ...(items === undefined ? {} : { items }),
    metrics: {
      files: files.length,
      parsedFiles: files.filter((f) => f.language !== undefined).length,
      codeLines: files.reduce((n, f) => n + f.codeLines, 0),
      addedLines,
      functions: functions.length,
      maxComplexity: functions.length === 0 ? 0 : Math.max(...functions.map((f) => f.complexity)),
      suppressed: scan.suppressed,
      generatedFiles: generated,
      score,
    },
  };
  return { ...output, markdown: markdownOf(output) };
}

function summaryOf(
  files: number,
  items: number | undefined,
  addedLines: number | undefined,
  scan: { counts: Parameters<typeof describeCounts>[0]; suppressed: number },
  score: number,
  generated: number,
): string {
  return (
    `Reviewed ${plural(files, 'file')}${items === undefined ? '' : ` in ${plural(items, 'item')}`}` +
    `${addedLines === undefined ? '' : ` (${plural(addedLines, 'added line')})`}: ${describeCounts(scan.counts)}; ` +
    `score ${score}/100${scan.suppressed > 0 ? `; ${scan.suppressed} suppressed` : ''}` +
    `${generated > 0 ? `; ${plural(generated, 'generated file')} skipped` : ''}.`
  );
}
