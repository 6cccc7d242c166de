/** Jest runs the TypeScript sources as ESM through SWC (type-checking is `npm run typecheck`). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript' },
          target: 'es2023',
          // Keeps `with { type: 'json' }` (the workflow definitions), which Node and Jest require for JSON modules.
          experimental: { keepImportAttributes: true },
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Fixtures are inputs to the agents (a code-review fixture may be a test suite), never tests to run.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/fixtures/'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // Every aiops process a test starts keeps its log; after the run no line may hold a fixture secret (#7).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  coverageProvider: 'v8',
  // bin/ is exercised by test/e2e in child processes, which in-process coverage cannot see.
  collectCoverageFrom: ['shared/**/*.ts', 'functions/**/*.ts'],
  coverageReporters: ['text-summary', 'text', 'json-summary'],
  coverageThreshold: { './shared/': { lines: 90 } },
  // Generous: a new PGlite and pg-boss take seconds, and seconds become a minute or more when the machine
  // runs several times the work it has cores for (hooks opening PGlite hit 60 s at a load of 14 on 2 cores).
  testTimeout: 180000,
  // Jest's default leaves a core to itself; most suites here wait on PGlite, child processes and sockets,
  // so two workers on two cores finish the run in far less time.
  maxWorkers: 2,
  verbose: true,
};
