import { readFileSync, writeFileSync } from "node:fs";
import { cliEnv, exampleCopy, runCli } from "./helpers.js";

test("a naming pattern without {name} is refused at its line", async () => {
  const copy = exampleCopy();
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("targets:\n", "naming:\n  server: Server\ntargets:\n"));
  const run = await runCli(["validate", copy.manifest], { env: cliEnv() });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/4dbuild\.yml:\d+:11: error: naming\.server: the text "Server" is not in the expected form/);
  expect(run.stdout).toContain("hint: a name containing {name}");
});
