import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createCodeSigningCertificate } from "../src/signing/create.js";
import { cliEnv, exampleCopy, runCli, testKey } from "./helpers.js";

test("merge combines per-runner outputs into one release set with one SHA256SUMS, one signature and one report", async () => {
  const copy = exampleCopy();
  const made = createCodeSigningCertificate({ name: "Hello Release", days: 30, notBefore: new Date(Date.now() - 86_400_000), password: "pw", key: testKey("a") });
  const pem = path.join(copy.root, "signer.pem");
  writeFileSync(pem, made.certificatePem);
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("signing:\n", "signing:\n  certificate:\n    p12Base64: ${secret.P12}\n    password: ${secret.P12_PASSWORD}\n"));
  const env = cliEnv({ P12: made.p12.toString("base64"), P12_PASSWORD: "pw" });
  const runners = [["--target", "compiled", "standalone", "client", "server", "--platform", "win"], ["--target", "component", "standalone", "client", "server", "--platform", "mac"]];
  for (const [i, args] of runners.entries()) expect((await runCli(["build", copy.manifest, "--out", path.join(copy.root, `runner-${i}`), ...args], { env })).code).toBe(0);
  const release = path.join(copy.root, "release");
  const merged = await runCli(["merge", path.join(copy.root, "runner-0"), path.join(copy.root, "runner-1"), "--out", release, "--manifest", copy.manifest], { env });
  expect(merged.stderr).toBe("");
  expect(merged.code).toBe(0);
  expect(merged.stdout).toMatch(/: \d+ files from 2 outputs, SHA256SUMS signed\n$/);
  expect(spawnSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: release, encoding: "utf8" }).status).toBe(0);
  const verify = await runCli(["verify", release, "--cert", pem], { env });
  expect(verify.stdout).toMatch(/^OK: \d+ files checked, 1 signature$/m);
  const report = JSON.parse(readFileSync(path.join(release, "build-report.json"), "utf8")) as { mergedFrom: number; targets: { target: string; platform?: string }[] };
  expect(report.mergedFrom).toBe(2);
  expect(new Set(report.targets.map((t) => `${t.target}${t.platform ? ` ${t.platform}` : ""}`))).toEqual(new Set(["compiled", "component", "standalone win", "standalone mac", "client win", "client mac", "server win", "server mac"]));
  // A whole build in one run has the same files, but for the other platform's client update archive in each
  // server: one runner cannot embed the client another runner builds (autoUpdate.otherPlatformClient does).
  const whole = path.join(copy.root, "whole");
  expect((await runCli(["build", copy.manifest, "--out", whole], { env })).code).toBe(0);
  const names = (dir: string) => new Set(readFileSync(path.join(dir, "SHA256SUMS"), "utf8").trim().split("\n").map((l) => l.slice(66)));
  const mergedNames = names(release);
  expect([...names(whole)].filter((n) => !mergedNames.has(n)).sort()).toEqual(["Client Server executable/Hello Server.app/Contents/Upgrade4DClient/update.win.4darchive", "Client Server executable/Hello Server/Upgrade4DClient/update.mac.4darchive"]);
});

test("the same file with different bytes in two outputs is refused", async () => {
  const copy = exampleCopy();
  const env = cliEnv();
  expect((await runCli(["build", copy.manifest, "--out", path.join(copy.root, "a"), "--target", "compiled"], { env })).code).toBe(0);
  expect((await runCli(["build", copy.manifest, "--out", path.join(copy.root, "b"), "--target", "compiled"], { env: { ...env, SOURCE_DATE_EPOCH: "1700086400" } })).code).toBe(0);
  const merged = await runCli(["merge", path.join(copy.root, "a"), path.join(copy.root, "b"), "--out", path.join(copy.root, "release")], { env });
  expect(merged.code).toBe(1);
  expect(merged.stderr).toMatch(/^error: Compiled Database\/Hello\/Hello\.4DZ differs between /);
});
