/**
 * JUnit XML test reports, read far enough for flakiness: each `<testcase>`
 * with its class name, name and whether it failed (a `<failure>` or `<error>`
 * child) or was skipped. The format has many dialects (surefire, jest-junit,
 * pytest, go-junit-report) that agree on exactly this much. The commit comes
 * from the input, a `<property name="sha|commit|revision">`, or a path segment
 * of 7–40 hex digits (`reports/3f2a1bc/junit.xml`).
 */
export interface TestResult {
  test: string;
  outcome: 'passed' | 'failed' | 'skipped';
}

const TESTCASE = /<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const SHA_PROPERTY =
  /<property\s+name=["'](?:sha|commit|git[._-]?sha|git[._-]?commit|revision|head_sha)["']\s+value=["']([0-9a-f]{7,40})["']/i;

function decodeEntities(value: string): string {
  return value
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}

function attributes(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of source.matchAll(ATTRIBUTE)) out[m[1] ?? ''] = decodeEntities(m[2] ?? m[3] ?? '');
  return out;
}

/** The test cases of a report, or a problem when it holds none. */
export function parseJunit(xml: string): { results: TestResult[] } | { problem: string } {
  const results: TestResult[] = [];
  for (const m of xml.matchAll(TESTCASE)) {
    const attrs = attributes(m[1] ?? '');
    const name = attrs.name;
    if (name === undefined) continue;
    const body = m[2] ?? '';
    const outcome = /<(?:failure|error)\b/.test(body)
      ? 'failed'
      : /<skipped\b/.test(body)
        ? 'skipped'
        : 'passed';
    const suite = attrs.classname;
    // jest-junit repeats the title as the class name: keep one.
    const test = suite === undefined || suite === '' || name.startsWith(suite) ? name : `${suite} › ${name}`;
    results.push({ test, outcome });
  }
  if (results.length === 0) return { problem: 'no <testcase> with a name in the JUnit report' };
  return { results };
}

/** The commit a report file names, in a property or its path. */
export function commitOf(path: string, xml: string): string | undefined {
  const property = SHA_PROPERTY.exec(xml);
  if (property !== null) return property[1];
  const segment = path
    .replaceAll('\\', '/')
    .split('/')
    .find((part) => /^[0-9a-f]{7,40}$/i.test(part));
  return segment;
}
