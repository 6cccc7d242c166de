/**
 * test-generator: read each module (TypeScript compiler API, or tree-sitter
 * for Python), derive the cases of every exported function, constructor and
 * public method (suite.ts, cases.ts), and render them as a jest / vitest or
 * pytest file with the imports the test needs.
 */
import { posix } from 'node:path';
import type { AgentContext, Finding, SourceFile } from '../contract.js';
import { runScan } from '../scan/run.js';
import type { ModuleModel } from './model.js';
import { readPythonModule } from './python.js';
import { renderPySuite } from './render-py.js';
import { renderTsSuite } from './render-ts.js';
import { TEST_GENERATOR_RULES } from './rules.js';
import type { GeneratedTest, TestGeneratorInput, TestGeneratorOutput } from './schema.js';
import { buildSuite, type Suite } from './suite.js';
import { readTypeScriptModule } from './typescript.js';

const TS_SOURCE = /\.(?:[cm]?tsx?|[cm]?jsx?)$/;
const PY_SOURCE = /\.py$/;

/** Source files tests are generated for: not tests, declarations, or config. */
export function isTestableSource(path: string): boolean {
  const base = posix.basename(path.replaceAll('\\', '/'));
  if (/\.d\.[cm]?ts$/.test(base) || /\.(test|spec)\.[^.]+$/.test(base)) return false;
  if (/^test_.*\.py$|_test\.py$|^conftest\.py$/.test(base)) return false;
  if (/\.config\.[cm]?[jt]s$/.test(base)) return false;
  return TS_SOURCE.test(base) || PY_SOURCE.test(base);
}

type Language = GeneratedTest['language'];

function languageOf(path: string, given?: Language): Language {
  if (given !== undefined) return given;
  if (PY_SOURCE.test(path)) return 'python';
  return /\.[cm]?jsx?$/.test(path) ? 'javascript' : 'typescript';
}

export function defaultTestPath(sourcePath: string, language: Language): string {
  const dir = posix.dirname(sourcePath);
  const base = posix.basename(sourcePath);
  if (language === 'python') return posix.join(dir, `test_${base.replace(/\.py$/, '')}.py`);
  const match = /^(.*?)(\.[cm]?[jt]sx?)$/.exec(base);
  const name = match?.[1] ?? base;
  const ext = match?.[2] ?? '.ts';
  return posix.join(dir, `${name}.test${ext}`);
}

/** How the source imports its neighbours: `./x.js` (NodeNext), `./x` (bundler) or `./x.ts`. */
export function importStyleOf(content: string): 'js' | 'ts' | 'none' | undefined {
  const specifiers = [...content.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] as string);
  if (specifiers.length === 0) return undefined;
  if (specifiers.some((s) => /\.[cm]?js$/.test(s))) return 'js';
  if (specifiers.some((s) => /\.[cm]?tsx?$/.test(s))) return 'ts';
  return 'none';
}

function relativeSpecifier(fromDir: string, target: string): string {
  const rel = posix.relative(fromDir, target);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

export function moduleSpecifier(sourcePath: string, testPath: string, style: 'js' | 'ts' | 'none'): string {
  const withExt =
    style === 'ts'
      ? sourcePath
      : style === 'none'
        ? sourcePath.replace(/\.[cm]?[jt]sx?$/, '')
        : sourcePath
            .replace(/\.ts$|\.tsx$/, '.js')
            .replace(/\.mts$/, '.mjs')
            .replace(/\.cts$/, '.cjs');
  return relativeSpecifier(posix.dirname(testPath), withExt);
}

export function pythonModule(sourcePath: string, testPath: string): string {
  const module = sourcePath.replace(/\.py$/, '');
  if (posix.dirname(sourcePath) === posix.dirname(testPath)) return posix.basename(module);
  return module.replace(/^\.?\//, '').replaceAll('/', '.');
}

function normalise(path: string): string {
  return posix.normalize(path.replaceAll('\\', '/'));
}

type Metrics = TestGeneratorOutput['metrics'];

/** The input as source files: `files`, or the one `source` at `path`. */
function sourcesOf(input: TestGeneratorInput): SourceFile[] {
  if (input.files !== undefined)
    return input.files.map((f) => ({ path: normalise(f.path), content: f.content }));
  const path = input.path ?? (input.language === 'python' ? 'module.py' : 'module.ts');
  return [{ path: normalise(path), content: input.source ?? '' }];
}

interface Generation {
  input: TestGeneratorInput;
  /** Every TS/JS file, so the program resolves imported types. */
  tsFiles: readonly SourceFile[];
  /** One source to generate for: `testPath` and `importPath` apply. */
  single: boolean;
  findings: Finding[];
  tests: GeneratedTest[];
  metrics: Metrics;
}

async function readModule(source: SourceFile, language: Language, run: Generation) {
  if (language === 'python') return readPythonModule(source.content);
  return readTypeScriptModule(run.tsFiles, source);
}

/** The test file's path, how it imports the module, and its text. */
function renderTest(source: SourceFile, language: Language, suite: Suite, run: Generation) {
  const { input, single } = run;
  const framework = input.framework ?? (language === 'python' ? 'pytest' : 'jest');
  const testPath =
    single && input.testPath !== undefined
      ? normalise(input.testPath)
      : defaultTestPath(source.path, language);
  const given = single ? input.importPath : undefined;
  if (language === 'python') {
    const importPath = given ?? pythonModule(source.path, testPath);
    return { framework, testPath, importPath, content: renderPySuite(suite, { module: importPath }) };
  }
  const style =
    input.importExtension ?? (language === 'javascript' ? 'ts' : (importStyleOf(source.content) ?? 'js'));
  const importPath = given ?? moduleSpecifier(source.path, testPath, style);
  const sourceDir = posix.dirname(source.path);
  const testDir = posix.dirname(testPath);
  const content = renderTsSuite(suite, {
    framework: framework === 'vitest' ? 'vitest' : 'jest',
    specifier: importPath,
    rebase: (specifier) => relativeSpecifier(testDir, posix.join(sourceDir, specifier)),
  });
  return { framework, testPath, importPath, content };
}

/** The cases of a suite as output rows, counted; a todo is also a TESTGEN003 finding. */
function caseRows(suite: Suite, source: SourceFile, run: Generation): GeneratedTest['cases'] {
  const cases: GeneratedTest['cases'] = [];
  for (const target of suite.targets) {
    if (target.kind === 'method' || target.kind === 'static') run.metrics.methods += 1;
    for (const c of target.cases) {
      run.metrics.cases += 1;
      run.metrics[c.kind] += 1;
      const line = c.line ?? target.line;
      cases.push({
        target: target.id,
        name: c.name,
        kind: c.kind,
        priority: c.priority,
        ...(c.errorClass === undefined ? {} : { errorClass: c.errorClass }),
        ...(c.reason === undefined ? {} : { reason: c.reason }),
        ...(line > 0 ? { line } : {}),
      });
      if (c.kind === 'todo')
        run.findings.push(
          TEST_GENERATOR_RULES.finding('TESTGEN003', {
            message: `${target.id}: "${c.name}" — ${c.reason ?? 'expectation not derived'}`,
            resource: { kind: 'function', name: target.id, file: source.path, line },
            key: [c.name],
          }),
        );
    }
  }
  return cases;
}

async function generateFor(source: SourceFile, run: Generation): Promise<void> {
  const { input } = run;
  const language = languageOf(source.path, input.files === undefined ? input.language : undefined);
  const parsed = await readModule(source, language, run);
  for (const error of parsed.syntaxErrors.slice(0, 5))
    run.findings.push(
      TEST_GENERATOR_RULES.finding('TESTGEN001', {
        message: `${source.path}:${error.line}: ${error.message}`,
        resource: { kind: 'module', name: source.path, file: source.path, line: error.line },
        key: [error.line],
      }),
    );
  const model: ModuleModel = parsed.model;
  run.metrics.files += 1;
  if (model.functions.length === 0 && model.classes.length === 0) {
    run.findings.push(
      TEST_GENERATOR_RULES.finding('TESTGEN002', {
        message: `${source.path} has nothing exported to test`,
        resource: { kind: 'module', name: source.path, file: source.path },
      }),
    );
    return;
  }
  const suite = buildSuite(model);
  const rendered = renderTest(source, language, suite, run);
  run.metrics.functions += model.functions.length;
  run.metrics.classes += model.classes.length;
  const cases = caseRows(suite, source, run);
  run.tests.push({ sourcePath: source.path, language, ...rendered, cases });
}

function summaryOf(tests: readonly GeneratedTest[], metrics: Metrics): string {
  if (tests.length === 0) return 'No tests generated.';
  return (
    `${metrics.cases} test cases for ${metrics.functions} functions and ${metrics.classes} classes in ${tests.length} ` +
    `file(s): ${metrics.happy} happy path, ${metrics.edge} edge, ${metrics.error} error, ${metrics.todo} todo.`
  );
}

export async function generateTests(
  input: TestGeneratorInput,
  _context?: AgentContext,
): Promise<TestGeneratorOutput> {
  const sources = sourcesOf(input);
  const targets = sources.filter(
    (s) => isTestableSource(s.path) || (input.files === undefined && input.language !== undefined),
  );
  const run: Generation = {
    input,
    tsFiles: sources.filter((s) => TS_SOURCE.test(s.path)),
    single: targets.length === 1,
    findings: [],
    tests: [],
    metrics: {
      files: 0,
      functions: 0,
      classes: 0,
      methods: 0,
      cases: 0,
      happy: 0,
      edge: 0,
      error: 0,
      todo: 0,
    },
  };
  const scan = await runScan({
    files: sources,
    ignore: undefined,
    check: async () => {
      for (const source of targets) await generateFor(source, run);
      if (targets.length === 0)
        run.findings.push(
          TEST_GENERATOR_RULES.finding('TESTGEN002', {
            message: 'No TypeScript, JavaScript or Python source to generate tests for',
          }),
        );
      return { findings: run.findings };
    },
  });
  return {
    summary: summaryOf(run.tests, run.metrics),
    findings: scan.findings,
    metrics: run.metrics,
    tests: run.tests,
  };
}
