// npm run test:corpus: the round trip over the reference corpus of real-world settings files, which CI provides
// beside the checkout (../shared/corpus). npm test (jest.config.js) never runs these: it needs nothing beside
// the checkout.
import base from "./jest.config.js";

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: ["<rootDir>/__tests__/corpus/**/*.corpus.ts"],
  globalSetup: "<rootDir>/__tests__/corpus/global-setup.mjs",
};
