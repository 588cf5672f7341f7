import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cliEnv, tempDir } from "./helpers.js";

// jest.config.js gives each run one private temporary folder (__tests__/setup/temp-root.mjs), removed at the end.
test("the temporary folder is the run's private one, in the test and in the processes it starts with cliEnv()", () => {
  expect(path.basename(tmpdir())).toMatch(/^4dbuild-tests-/);
  expect(execFileSync(process.execPath, ["-p", "require('node:os').tmpdir()"], { env: cliEnv(), encoding: "utf8" }).trim()).toBe(tmpdir());
});

test("tempDir makes a new empty folder in it, named after its use", () => {
  const dir = tempDir("probe");
  expect(path.dirname(dir)).toBe(tmpdir());
  expect(path.basename(dir)).toMatch(/^4dbuild-probe-/);
  expect(existsSync(dir)).toBe(true);
});
