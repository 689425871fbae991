// Jest runs the TypeScript sources as ES modules (node --experimental-vm-modules, see package.json).
// Type-checking is done once by `tsc --noEmit` before jest starts, so ts-jest only transpiles.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false, tsconfig: { isolatedModules: true } }] },
  globalSetup: '<rootDir>/tests/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.mjs',
  maxWorkers: 2,
  // A worker that ran the API files grew past 1 GB (each file's ES module graph is loaded anew) and
  // took longer than jest's 500 ms to exit at the end, which jest reports as 'a worker process has
  // failed to exit gracefully' although nothing was left open. Past 600 MB a worker is replaced
  // between files instead.
  workerIdleMemoryLimit: '600MB',
  testTimeout: 60000,
  // e2e browser tests start servers and Chromium: give them room without slowing the rest.
  slowTestThreshold: 20,
};
