import { readFileSync, writeFileSync } from "node:fs";
import { cliEnv, exampleCopy, runCli } from "../helpers.js";

/**
 * What the jobs of examples/workflows/release.yml need: the matrix job reads no input, so none of the build's
 * secrets; a runner building one platform needs only that platform's runtime address (a `url` is part of its
 * runtime input).
 */
const SHA = "5f0c".padEnd(64, "0");
const copy = exampleCopy();
writeFileSync(
  copy.manifest,
  readFileSync(copy.manifest, "utf8")
    .replaceAll("mac: !external ${env.VOLUME_DESKTOP_MAC:-../runtimes/mac/4D Volume Desktop.app}", `mac: { url: "\${secret.VOLUME_DESKTOP_MAC_URL}", sha256: ${SHA} }`)
    .replace("licenses:\n  mode: none", 'licenses:\n  files: { mac: ["${env.LICENSE_DEPLOYMENT_MAC}"], win: ["${env.LICENSE_DEPLOYMENT_WIN}"] }\n  mode: files'),
);

test("matrix: unset secrets and variables naming inputs are not errors", async () => {
  const run = await runCli(["matrix", copy.manifest], { env: cliEnv() });
  expect([run.code, run.stderr]).toEqual([0, ""]);
  expect((JSON.parse(run.stdout) as { include: { platforms: string }[] }).include.map((e) => e.platforms).sort()).toEqual(["mac", "win"]);
});

test("validate --platform win: the macOS runtime's url secret is not needed, the Windows licence files are", async () => {
  const run = await runCli(["validate", copy.manifest, "--platform", "win"], { env: cliEnv() });
  expect(run.code).toBe(1);
  expect(run.stdout).not.toContain("VOLUME_DESKTOP_MAC_URL is not set");
  expect(run.stdout).toContain("environment variable LICENSE_DEPLOYMENT_WIN is not set");
  expect(run.stdout).not.toContain("LICENSE_DEPLOYMENT_MAC is not set");
});

test("validate of every unit still needs every input", async () => {
  const run = await runCli(["validate", copy.manifest], { env: cliEnv() });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("secret VOLUME_DESKTOP_MAC_URL is not set");
  expect(run.stdout).toContain("environment variable LICENSE_DEPLOYMENT_MAC is not set");
});
