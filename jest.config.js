// The tests never reach the network (they serve fixtures from 127.0.0.1), so the workers and the processes they
// start need no extra certificate authorities: NODE_EXTRA_CA_CERTS, where a machine sets it, makes every Node
// process read and parse that bundle at start (about 80 ms each here), for nothing. No test or source reads it.
delete process.env.NODE_EXTRA_CA_CERTS;

/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": "<rootDir>/__tests__/setup/esbuild-transform.mjs" },
  testMatch: ["<rootDir>/__tests__/**/*.test.ts"],
  testTimeout: 30000,
  // Both cores: most tests wait on child processes and the file system (Jest's default leaves one core idle here).
  maxWorkers: 2,
  // One private temporary folder for the run (TMPDIR, TMP, TEMP), removed at the end: __tests__/setup/temp-root.mjs.
  globalSetup: "<rootDir>/__tests__/setup/global-setup.mjs",
  globalTeardown: "<rootDir>/__tests__/setup/global-teardown.mjs",
};
