/**
 * What a changed path is, from its name alone: the kinds the risk model
 * counts apart. A path can be several kinds (a Helm values file is
 * infrastructure and configuration); tests are never source.
 */

const lower = (path: string) => path.replaceAll('\\', '/').toLowerCase();
const nameOf = (path: string) => lower(path).split('/').pop() ?? '';

/**
 * Schema migrations: Rails / Django / Alembic / Knex / golang-migrate /
 * Flyway / Liquibase folders, Prisma's `prisma/migrations`, and any `.sql`
 * file (DDL shipped with the release).
 */
export function isMigration(path: string): boolean {
  const p = lower(path);
  return (
    /(^|\/)(migrations?|migrate|alembic\/versions|flyway|liquibase|changelogs?|schema-changes)\//.test(p) ||
    p.endsWith('.sql')
  );
}

/** A migration that undoes another: `*.down.sql`, Flyway undo `U1__x.sql`, `down/` folders, `rollback`. */
export function isRollbackMigration(path: string): boolean {
  const name = nameOf(path);
  return (
    /\.down\.sql$|(^|[._-])(down|rollback|revert|undo)([._-]|\.sql$)/.test(name) ||
    /^u\d+(?:[._]\d+)*__/.test(name) ||
    /(^|\/)(down|rollback)\//.test(lower(path))
  );
}

const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'poetry.lock',
  'pipfile.lock',
  'uv.lock',
  'go.sum',
  'cargo.lock',
  'gemfile.lock',
  'composer.lock',
  'packages.lock.json',
  'gradle.lockfile',
]);

const MANIFESTS = new Set([
  'package.json',
  'pyproject.toml',
  'pipfile',
  'setup.py',
  'setup.cfg',
  'go.mod',
  'cargo.toml',
  'gemfile',
  'composer.json',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
]);

export function isLockfile(path: string): boolean {
  return LOCKFILES.has(nameOf(path));
}

/** Dependency manifests (package.json, requirements*.txt, go.mod …); lockfiles apart. */
export function isManifest(path: string): boolean {
  const name = nameOf(path);
  return MANIFESTS.has(name) || /^requirements[\w.-]*\.(txt|in)$/.test(name);
}

/** Feature-flag definitions: flag folders and files (LaunchDarkly, Unleash, flagd, OpenFeature exports). */
export function isFlagFile(path: string): boolean {
  const p = lower(path);
  return /(^|\/)(feature[-_]?flags?|flags|toggles)(\/|\.[a-z]+$)|(^|[./_-])flags?\.(json|ya?ml|toml)$|flagd|launchdarkly|unleash/.test(
    p,
  );
}

/**
 * Infrastructure: Kubernetes manifests and Helm charts, Terraform, CDK and
 * CloudFormation, container and compose files, CI/CD pipelines.
 */
export function isInfrastructure(path: string): boolean {
  const p = lower(path);
  const name = nameOf(path);
  return (
    /(^|\/)(k8s|kubernetes|manifests|helm|charts|kustomize|deploy|deployments?|infra|infrastructure|terraform|cdk|cloudformation|\.github\/workflows)\//.test(
      p,
    ) ||
    /\.(tf|tfvars|hcl)$/.test(name) ||
    /(^|[.-])stack\.(ts|js|py)$/.test(name) ||
    /^(dockerfile|containerfile)(\..+)?$|^docker-compose.*\.ya?ml$|^compose\.ya?ml$|^kustomization\.ya?ml$|^chart\.yaml$|^cdk\.json$|^serverless\.ya?ml$|^template\.ya?ml$|\.template\.(json|ya?ml)$|^\.gitlab-ci\.yml$|^jenkinsfile$/.test(
      name,
    )
  );
}

/** Runtime configuration: env files, config folders, application settings, properties. */
export function isConfiguration(path: string): boolean {
  const p = lower(path);
  const name = nameOf(path);
  return (
    /(^|\/)(config|configs|conf|settings)\//.test(p) ||
    /^\.env(\..+)?$|\.env$/.test(name) ||
    /^(application|appsettings|settings|config)([.-][\w-]+)?\.(ya?ml|json|properties|toml|ini)$/.test(name) ||
    /\.(properties|ini|cfg|conf)$/.test(name) ||
    /^values(-[\w-]+)?\.ya?ml$/.test(name)
  );
}

/** Test code: test folders and the usual test file names of JS/TS, Python, Go, Java, Ruby. */
export function isTest(path: string): boolean {
  const p = lower(path);
  const name = nameOf(path);
  return (
    /(^|\/)(tests?|__tests__|spec|specs|e2e|testing)\//.test(p) ||
    /\.(test|spec)\.[cm]?[jt]sx?$|_test\.(go|py|rb)$|^test_.*\.py$|(test|tests|it)\.(java|kt|cs)$|_spec\.rb$/.test(
      name,
    )
  );
}

const SOURCE =
  /\.(ts|tsx|js|jsx|mjs|cjs|py|go|java|kt|kts|scala|rb|rs|cs|php|swift|c|cc|cpp|h|hpp|m|ex|exs|clj|vue|svelte)$/;

/** Application source (not tests, migrations or infrastructure code). */
export function isSource(path: string): boolean {
  return SOURCE.test(nameOf(path)) && !isTest(path) && !isMigration(path) && !isInfrastructure(path);
}

/** Generated files whose size says nothing about the change (lockfiles, snapshots, minified bundles). */
export function isGenerated(path: string): boolean {
  const name = nameOf(path);
  return (
    isLockfile(path) ||
    /\.(snap|min\.js|min\.css|map)$/.test(name) ||
    /(^|\/)(dist|vendor|node_modules)\//.test(lower(path))
  );
}
