import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { signStep } from "../../src/builder/steps/sign.js";
import { createCodeSigningCertificate } from "../../src/signing/create.js";
import { sweepSecretFolders } from "../../src/signing/secret-folder.js";
import { cliEnv, exampleCopy, jsonWhenWritten, ROOT, runCli, tempDir, testKey } from "../helpers.js";
import { appTargets, certificateSettings, hello, runStep, stageApplication, standInTools, stepContext, testCertificate } from "../testctx.js";

/**
 * Secret material a signing tool reads from a file (the .p12, the keychain) lives in a private folder outside the
 * output folder (mode 0700), removed when the build ends, and by the next build when a kill left it.
 */

const CLI = path.join(ROOT, "dist", "cli.cjs");
const HOLD = path.join(ROOT, "__tests__", "hostile", "fixtures", "hold-signing.mjs");

/** Every file below `dir` (dot entries included: staging is searched too). */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

test("the {p12} given to the signing command is outside the build's folders, owner-only, and gone after the build", async () => {
  const tools = standInTools("signtool");
  const certificate = certificateSettings();
  const context = stepContext(hello(`${appTargets("standalone")}signing:\n${certificate.yaml}  win:\n    command: [signtool, "{p12}", "{file}"]\n    files: [Hello.exe]\n`), { env: { ...tools.env, ...certificate.env } });
  await stageApplication(context, { target: "standalone", platform: "win" });
  await runStep(context, signStep, { target: "standalone", platform: "win" });
  const p12 = tools.calls()[0]!.args[0]!;
  for (const folder of [context.out, context.work]) expect(p12.startsWith(folder + path.sep)).toBe(false);
  expect(statSync(path.dirname(p12)).mode & 0o777).toBe(0o700);
  expect(statSync(p12).mode & 0o777).toBe(0o600);
  expect(readFileSync(p12).equals(Buffer.from(testCertificate().p12Base64, "base64"))).toBe(true);
  await context.secrets.dispose();
  expect(existsSync(path.dirname(p12))).toBe(false);
});

test("a build killed while signing leaves no secret in the output folder; the next build removes the private folder", async () => {
  const copy = exampleCopy();
  const password = "CANARY-p12-password-0b1e";
  const p12 = createCodeSigningCertificate({ name: "Kill Test", days: 30, notBefore: new Date(Date.now() - 86_400_000), password, key: testKey("a") }).p12;
  const signing = `$1  certificate:\n    p12Base64: \${secret.KILL_P12}\n    password: \${secret.KILL_P12_PASSWORD}\n  win:\n    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(HOLD)}, "{p12}", "{file}"]\n    files: [Hello.exe]\n`;
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace(/^( {4}adHoc: true.*\n)/m, signing));
  const temporary = tempDir("secrets-tmp");
  const marker = path.join(copy.root, "signing");
  const env = cliEnv({ KILL_P12: p12.toString("base64"), KILL_P12_PASSWORD: password, HOLD_MARKER: marker, TMPDIR: temporary });
  const child = spawn(process.execPath, [CLI, "build", copy.manifest, "--out", copy.out, "--target", "standalone", "--platform", "win"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const closed = new Promise((resolve) => child.on("close", resolve));
  let held: { p12: string; file: string };
  try {
    const written = await jsonWhenWritten<typeof held>(marker, { everyMs: 50, until: () => child.exitCode !== null });
    expect({ signing: written !== undefined, output }).toEqual({ signing: true, output: expect.any(String) });
    held = written!;
  } finally {
    // The build and the signing command it runs: the whole process group, as a CI runner's cancel does.
    process.kill(-child.pid!, "SIGKILL");
    await closed;
  }

  expect(held.file.startsWith(copy.out + path.sep)).toBe(true);
  expect(held.p12.startsWith(temporary + path.sep)).toBe(true);
  expect(existsSync(held.p12)).toBe(true);
  const left = files(copy.out);
  expect(left.some((f) => f.includes(".4dbuild-staging-"))).toBe(true);
  for (const file of left) {
    const bytes = readFileSync(file);
    expect({ file, p12: bytes.includes(p12), password: bytes.includes(password), name: /\.(p12|pfx|keychain-db)$/.test(file) }).toEqual({ file, p12: false, password: false, name: false });
  }
  expect(output).not.toContain(password);
  expect(output).not.toContain(p12.toString("base64").slice(0, 40));

  // What the next build does first.
  await sweepSecretFolders(temporary);
  expect(existsSync(path.dirname(held.p12))).toBe(false);
  expect(readdirSync(temporary).filter((n) => n.startsWith("4dbuild-secrets-"))).toEqual([]);
  // And the next build itself clears the killed one's staging.
  const next = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled"], { env: cliEnv({ KILL_P12: p12.toString("base64"), KILL_P12_PASSWORD: password }) });
  expect(next.code).toBe(0);
  expect(readdirSync(copy.out).filter((n) => n.startsWith("."))).toEqual([]);
}, 60_000);
