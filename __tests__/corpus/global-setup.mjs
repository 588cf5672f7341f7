// globalSetup of npm run test:corpus: stops the run, with one message, when the reference corpus is not beside
// the checkout (corpus.ts names the same folder); then makes the run's private temporary folder like npm test.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createTempRoot } from "../setup/temp-root.mjs";

const corpus = fileURLToPath(new URL("../../../shared/corpus/buildapp", import.meta.url));

export default function checkCorpus() {
  if (!existsSync(corpus)) {
    const message = `npm run test:corpus needs the reference corpus of buildApp.4DSettings files in ${corpus}, beside the checkout (CI provides ../shared); it is not there. npm test does not need it.`;
    // The message is the whole story: no stack trace under it.
    throw Object.assign(new Error(message), { stack: message });
  }
  createTempRoot();
}
