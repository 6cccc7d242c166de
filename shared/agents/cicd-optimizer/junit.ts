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

const ATTRIBUTE = /([\w:.-]{1,200})\s*=\s*(?:"([^"]{0,10000})"|'([^']{0,10000})')/g;
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

/**
 * Each `<testcase …>` start tag and its body (up to `</testcase>` or the next
 * test case), found with indexOf so that a report of unclosed tags stays
 * linear.
 */
function testcases(xml: string): { attributes: string; body: string }[] {
  const out: { attributes: string; body: string }[] = [];
  let at = xml.indexOf('<testcase');
  while (at >= 0) {
    const tagEnd = xml.indexOf('>', at);
    if (tagEnd < 0) break;
    const next = xml.indexOf('<testcase', tagEnd);
    const selfClosing = xml[tagEnd - 1] === '/';
    const attrs = xml.slice(at + '<testcase'.length, selfClosing ? tagEnd - 1 : tagEnd);
    let body = '';
    if (!selfClosing) {
      const close = xml.indexOf('</testcase>', tagEnd);
      const stop = close < 0 || (next >= 0 && next < close) ? (next < 0 ? xml.length : next) : close;
      body = xml.slice(tagEnd + 1, stop);
    }
    if (/^\s/.test(attrs) || attrs === '') out.push({ attributes: attrs, body });
    at = next;
  }
  return out;
}

/** The test cases of a report, or a problem when it holds none. */
export function parseJunit(xml: string): { results: TestResult[] } | { problem: string } {
  const results: TestResult[] = [];
  for (const testcase of testcases(xml)) {
    const attrs = attributes(testcase.attributes);
    const name = attrs.name;
    if (name === undefined) continue;
    const body = testcase.body;
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
