/**
 * test-generator: read each module (TypeScript compiler API, or tree-sitter
 * for Python), derive the cases of every exported function, constructor and
 * public method (suite.ts, cases.ts), and render them as a jest / vitest or
 * pytest file with the imports the test needs.
 */
import { posix } from 'node:path';
import type { AgentContext, Finding, SourceFile } from '../contract.js';
import { ruleFinding } from '../rules.js';
import type { ModuleModel } from './model.js';
import { readPythonModule } from './python.js';
import { renderPySuite } from './render-py.js';
import { renderTsSuite } from './render-ts.js';
import { EXPECTATION_TODO, NOTHING_TO_TEST, SYNTAX_ERRORS } from './rules.js';
import type { GeneratedTest, TestGeneratorInput, TestGeneratorOutput } from './schema.js';
import { buildSuite } from './suite.js';
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

export async function generateTests(
  input: TestGeneratorInput,
  _context?: AgentContext,
): Promise<TestGeneratorOutput> {
  const sources: SourceFile[] = input.files?.map((f) => ({
    path: normalise(f.path),
    content: f.content,
  })) ?? [
    {
      path: normalise(input.path ?? (input.language === 'python' ? 'module.py' : 'module.ts')),
      content: input.source ?? '',
    },
  ];
  const targets = sources.filter(
    (s) => isTestableSource(s.path) || (input.files === undefined && input.language !== undefined),
  );
  const tsFiles = sources.filter((s) => TS_SOURCE.test(s.path));
  const single = targets.length === 1;
  const findings: Finding[] = [];
  const tests: GeneratedTest[] = [];
  const metrics = {
    files: 0,
    functions: 0,
    classes: 0,
    methods: 0,
    cases: 0,
    happy: 0,
    edge: 0,
    error: 0,
    todo: 0,
  };

  for (const source of targets) {
    const language = languageOf(source.path, input.files === undefined ? input.language : undefined);
    const parsed =
      language === 'python'
        ? await readPythonModule(source.content)
        : readTypeScriptModule(
            tsFiles.some((f) => f.path === source.path) ? tsFiles : [...tsFiles, source],
            source,
          );
    for (const error of parsed.syntaxErrors.slice(0, 5)) {
      findings.push(
        ruleFinding(SYNTAX_ERRORS, {
          message: `${source.path}:${error.line}: ${error.message}`,
          resource: { kind: 'module', name: source.path, file: source.path, line: error.line },
          key: [error.line],
        }),
      );
    }
    const model: ModuleModel = parsed.model;
    metrics.files += 1;
    if (model.functions.length === 0 && model.classes.length === 0) {
      findings.push(
        ruleFinding(NOTHING_TO_TEST, {
          message: `${source.path} has nothing exported to test`,
          resource: { kind: 'module', name: source.path, file: source.path },
        }),
      );
      continue;
    }
    const framework = input.framework ?? (language === 'python' ? 'pytest' : 'jest');
    const testPath =
      single && input.testPath !== undefined
        ? normalise(input.testPath)
        : defaultTestPath(source.path, language);
    const suite = buildSuite(model);
    let importPath: string;
    let content: string;
    if (language === 'python') {
      importPath =
        single && input.importPath !== undefined ? input.importPath : pythonModule(source.path, testPath);
      content = renderPySuite(suite, { module: importPath });
    } else {
      const style =
        input.importExtension ?? (language === 'javascript' ? 'ts' : (importStyleOf(source.content) ?? 'js'));
      importPath =
        single && input.importPath !== undefined
          ? input.importPath
          : moduleSpecifier(source.path, testPath, style);
      const sourceDir = posix.dirname(source.path);
      const testDir = posix.dirname(testPath);
      content = renderTsSuite(suite, {
        framework: framework === 'vitest' ? 'vitest' : 'jest',
        specifier: importPath,
        rebase: (specifier) => relativeSpecifier(testDir, posix.join(sourceDir, specifier)),
      });
    }
    const cases: GeneratedTest['cases'] = [];
    metrics.functions += model.functions.length;
    metrics.classes += model.classes.length;
    for (const target of suite.targets) {
      if (target.kind === 'method' || target.kind === 'static') metrics.methods += 1;
      for (const c of target.cases) {
        metrics.cases += 1;
        metrics[c.kind] += 1;
        const row: GeneratedTest['cases'][number] = {
          target: target.id,
          name: c.name,
          kind: c.kind,
          priority: c.priority,
        };
        if (c.errorClass !== undefined) row.errorClass = c.errorClass;
        if (c.reason !== undefined) row.reason = c.reason;
        const line = c.line ?? target.line;
        if (line > 0) row.line = line;
        cases.push(row);
        if (c.kind === 'todo') {
          findings.push(
            ruleFinding(EXPECTATION_TODO, {
              message: `${target.id}: "${c.name}" — ${c.reason ?? 'expectation not derived'}`,
              resource: { kind: 'function', name: target.id, file: source.path, line },
              key: [c.name],
            }),
          );
        }
      }
    }
    tests.push({ sourcePath: source.path, testPath, language, framework, importPath, content, cases });
  }
  if (targets.length === 0) {
    findings.push(
      ruleFinding(NOTHING_TO_TEST, {
        message: 'No TypeScript, JavaScript or Python source to generate tests for',
      }),
    );
  }
  const summary =
    tests.length === 0
      ? 'No tests generated.'
      : `${metrics.cases} test cases for ${metrics.functions} functions and ${metrics.classes} classes in ${tests.length} ` +
        `file(s): ${metrics.happy} happy path, ${metrics.edge} edge, ${metrics.error} error, ${metrics.todo} todo.`;
  return { summary, findings, metrics, tests };
}
