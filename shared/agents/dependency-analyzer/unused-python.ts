/**
 * Unused Python dependencies: what requirements*.txt and pyproject.toml
 * (`[project].dependencies`, `[tool.poetry.dependencies]`) declare against
 * what the given .py sources import, judged only when sources under the
 * manifest's folder are given. A distribution is imported under its own
 * name (normalised: `python-dateutil` → `python_dateutil`) or under the
 * module names the table below knows (`PyYAML` → `yaml`, `beautifulsoup4` →
 * `bs4`). Servers, test runners, linters, type stubs and build tools are run
 * or read by tools, not imported, and are never reported; a distribution or
 * module named in quotes or run as a command (`gunicorn app:app` in a
 * Procfile, `"psycopg2"` in a database URL) is used.
 */
import { dirname } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { isObject } from '../../analysis/dependencies/json.js';
import { requirementLines } from '../../analysis/dependencies/python.js';
import { normalisePackageName } from '../../analysis/dependencies/versions.js';
import type { Finding, SourceFile } from '../contract.js';
import { textCorpus } from './references.js';
import { DEPENDENCY_ANALYZER_RULES as RULES } from './rules.js';

/** Distributions whose import name differs from their own (PEP 503 normalised names). */
const MODULES: Readonly<Record<string, readonly string[]>> = {
  pyyaml: ['yaml'],
  beautifulsoup4: ['bs4'],
  pillow: ['PIL'],
  'scikit-learn': ['sklearn'],
  'scikit-image': ['skimage'],
  'python-dateutil': ['dateutil'],
  'opencv-python': ['cv2'],
  'opencv-python-headless': ['cv2'],
  'psycopg2-binary': ['psycopg2'],
  'psycopg-binary': ['psycopg'],
  pyjwt: ['jwt'],
  'python-dotenv': ['dotenv'],
  protobuf: ['google'],
  'google-cloud-storage': ['google'],
  'google-api-python-client': ['googleapiclient'],
  attrs: ['attr', 'attrs'],
  mysqlclient: ['MySQLdb'],
  pyserial: ['serial'],
  pycryptodome: ['Crypto'],
  pycryptodomex: ['Cryptodome'],
  dnspython: ['dns'],
  'python-magic': ['magic'],
  gitpython: ['git'],
  pyzmq: ['zmq'],
  'faiss-cpu': ['faiss'],
  'ruamel-yaml': ['ruamel'],
  'python-multipart': ['multipart'],
  'email-validator': ['email_validator'],
  'websocket-client': ['websocket'],
  'typing-extensions': ['typing_extensions'],
  setuptools: ['setuptools', 'pkg_resources'],
  'msgpack-python': ['msgpack'],
  djangorestframework: ['rest_framework'],
  'django-cors-headers': ['corsheaders'],
  'python-jose': ['jose'],
  'python-slugify': ['slugify'],
  pymupdf: ['fitz'],
  'pytest-asyncio': ['pytest_asyncio'],
  'sentry-sdk': ['sentry_sdk'],
  pywin32: ['win32api', 'win32con', 'pywintypes'],
  'influxdb-client': ['influxdb_client'],
  'azure-storage-blob': ['azure'],
  'azure-identity': ['azure'],
  grpcio: ['grpc'],
  'grpcio-tools': ['grpc_tools'],
  'tensorflow-cpu': ['tensorflow'],
  markdown: ['markdown'],
  jinja2: ['jinja2'],
};

/** Run or read by tools, not imported. */
const TOOLS =
  /^(?:gunicorn|uvicorn|hypercorn|daphne|waitress|pytest(?:-.+)?|coverage|tox|nox|black|isort|flake8(?:-.+)?|pylint|mypy|ruff|bandit|pre-commit|setuptools|wheel|pip|twine|build|hatchling|poetry-core|types-.+|.+-stubs|ipython|jupyter|notebook|celery|alembic|supervisor)$/;

interface Declared {
  name: string;
  line: number;
}

/** The dependencies a pyproject.toml declares, each with its line. */
function pyprojectDependencies(content: string): Declared[] {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(content);
  } catch {
    return [];
  }
  const lines = content.split(/\r?\n/);
  const lineOf = (name: string) => {
    const i = lines.findIndex((l) =>
      new RegExp(`^\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:["'\\s\\[<>=!~;,]|$)`, 'i').test(
        l,
      ),
    );
    return i < 0 ? 1 : i + 1;
  };
  const project = isObject(doc.project) ? doc.project : {};
  const pep621 = (Array.isArray(project.dependencies) ? project.dependencies : []).flatMap((spec) => {
    const m = typeof spec === 'string' ? /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec) : null;
    return m?.[1] ? [m[1]] : [];
  });
  const tool = isObject(doc.tool) ? doc.tool : {};
  const poetry =
    isObject(tool.poetry) && isObject(tool.poetry.dependencies) ? Object.keys(tool.poetry.dependencies) : [];
  return [...pep621, ...poetry.filter((n) => n.toLowerCase() !== 'python')].map((name) => ({
    name,
    line: lineOf(name),
  }));
}

const IMPORT = /^[ \t]*(?:import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)|from[ \t]+([\w.]+)[ \t]+import\b)/gm;

export function importedModules(content: string): Set<string> {
  const found = new Set<string>();
  for (const m of content.matchAll(IMPORT)) {
    for (const dotted of (m[1] ?? m[2] ?? '').split(',')) {
      const top = dotted.trim().split('.')[0];
      if (top) found.add(top);
    }
  }
  return found;
}

/** The module names a distribution is imported as. */
export function moduleNames(distribution: string): string[] {
  const normal = normalisePackageName('PyPI', distribution);
  const known = MODULES[normal] ?? [];
  const own = normal.replace(/-/g, '_');
  return [...new Set([...known, own, own.replace(/^python_/, ''), own.replace(/^py/, '')])];
}

const within = (dir: string, path: string) => dir === '.' || dir === '' || path.startsWith(`${dir}/`);

export function unusedPythonDependencies(files: readonly SourceFile[]): Finding[] {
  const findings: Finding[] = [];
  const manifests = files.filter(
    (f) =>
      /(?:^|\/)(?:requirements[^/]*\.txt|pyproject\.toml)$/.test(f.path) &&
      !/(?:^|\/)requirements[^/]*(?:dev|test|lint|doc)[^/]*\.txt$/i.test(f.path),
  );
  for (const manifest of manifests) {
    const dir = dirname(manifest.path);
    const sources = files.filter((f) => f.path.endsWith('.py') && within(dir, f.path));
    if (sources.length === 0) continue;
    const declared: Declared[] = manifest.path.endsWith('.toml')
      ? pyprojectDependencies(manifest.content)
      : requirementLines(manifest.content).map(({ name, line }) => ({ name, line }));
    const imported = new Set(sources.flatMap((f) => [...importedModules(f.content)]));
    const corpus = textCorpus(
      files.filter((f) => f !== manifest && !/(?:^|\/)requirements[^/]*\.txt$/.test(f.path)),
    );
    for (const { name, line } of declared) {
      if (TOOLS.test(normalisePackageName('PyPI', name))) continue;
      const modules = moduleNames(name);
      const used =
        modules.some((m) => imported.has(m) || corpus.quoted(m)) ||
        corpus.quoted(name) ||
        corpus.commandWord(name);
      if (used) continue;
      findings.push(
        RULES.finding('DEPS-UNUSED', {
          message: `${name} is declared in ${manifest.path}, but none of the ${sources.length} Python files given imports it (as ${modules.slice(0, 2).join(' or ')}) and no configuration or command names it.`,
          resource: { kind: 'Dependency', name, file: manifest.path, line },
          evidence: { manifest: manifest.path, sourcesRead: sources.length, ecosystem: 'PyPI', modules },
        }),
      );
    }
  }
  return findings;
}
