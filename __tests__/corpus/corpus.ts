import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../helpers.js";

/**
 * The reference corpus of real-world buildApp.4DSettings files, which CI provides beside the checkout and which
 * is never copied into the repository. Only npm run test:corpus reads it; its global-setup.mjs (the same path)
 * stops the run with one clear message when the folder is missing.
 */
export const CORPUS = path.resolve(ROOT, "..", "shared", "corpus", "buildapp");

export function corpusFile(name: string): string {
  const file = path.join(CORPUS, name);
  if (!existsSync(file)) throw new Error(`the reference corpus has no ${name}: ${file} is missing`);
  return file;
}
