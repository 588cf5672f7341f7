import { mkdirSync, writeFileSync, cpSync } from "node:fs";
import path from "node:path";
import { FIXTURES, runCli, tempDir } from "./helpers.js";

const SECRET = "Zq8-very-secret-VALUE";

/** A manifest that puts one secret into every kind of message: enum, pattern, path, length, valid use. */
function manifest(): string {
  const dir = tempDir("secret");
  cpSync(path.join(FIXTURES, "app"), dir, { recursive: true });
  mkdirSync(path.join(dir, "m"));
  const file = path.join(dir, "m", "4dbuild.yml");
  writeFileSync(
    file,
    [
      "version: 1",
      "project: ../Project/App.4DProject",
      '4dVersion: "21"',
      "name: ${secret.APP_SECRET}/x",
      "targets:",
      "  standalone:",
      "    runtime:",
      "      mac: ../runtimes/mac/4D Volume Desktop.app",
      "    dataLinking: ${secret.APP_SECRET}",
      "data:",
      "  defaultFolder: ../${secret.APP_SECRET}",
      "network:",
      "  linkCode: ${secret.APP_SECRET}${secret.APP_SECRET}",
      "versioning:",
      "  common:",
      "    comment: ${secret.APP_SECRET}",
      "",
    ].join("\n"),
  );
  return file;
}

test.each(["text", "json", "github"])("a secret never appears in validate's %s output", async (format) => {
  const run = await runCli(["validate", "--format", format, manifest()], { env: { APP_SECRET: SECRET } });
  expect(run.code).toBe(1);
  const output = run.stdout + run.stderr;
  expect(output).not.toContain(SECRET);
  expect(output).toContain("***");
  // the problems are still reported, located
  expect(output).toMatch(/dataLinking/);
  expect(output).toMatch(/linkCode/);
  expect(output).toMatch(/defaultFolder/);
});

test("a secret used correctly is not echoed by a successful validate", async () => {
  const run = await runCli(["validate", "--format", "json", "examples/hello/4dbuild.yml"], { env: { HELLO_LINK_CODE: SECRET } });
  expect(run.code).toBe(0);
  expect(run.stdout + run.stderr).not.toContain(SECRET);
});
