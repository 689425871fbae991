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
  testTimeout: 60000,
  // e2e browser tests start servers and Chromium: give them room without slowing the rest.
  slowTestThreshold: 20,
};
