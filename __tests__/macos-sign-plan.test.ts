import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BuildContext } from "../src/builder/context.js";
import { macPlanFor } from "../src/builder/steps/sign.js";
import { loadManifest } from "../src/manifest/load.js";
import { packageRoot } from "../src/files/package-root.js";
import { loadIdentity } from "../src/signing/certificate.js";
import { createCodeSigningCertificate } from "../src/signing/create.js";
import { commandLine } from "../src/signing/macos.js";
import { SecretFolder } from "../src/signing/secret-folder.js";
import { notaryVerdict, runCommands } from "../src/signing/run-commands.js";
import { Redactor } from "../src/messages/redactor.js";
import { cliEnv, exampleCopy, ROOT, runCli, tempDir, tempEnv, testKey } from "./helpers.js";

const EXPECTED = path.join(ROOT, "__tests__", "expected", "hello-macos-sign-plan.txt");
const PASSWORD = "keychain-import-password";

/**
 * The commands that sign and notarize the example's macOS applications and component, as a macOS host would
 * run them, computed here on any host from the built bundles. Set UPDATE_EXPECTED=1 to rewrite the file after review.
 */
test("the macOS signing plan of the example is the committed expectation", async () => {
  const copy = exampleCopy();
  const release = "signing:\n  certificate:\n    p12Base64: ${secret.SIGNING_P12}\n    password: ${secret.SIGNING_PASSWORD}\n  mac:\n    identity: \"Developer ID Application: Example Ltd (ABCDE12345)\"\n    notarize:\n      enabled: true\n      keychainProfile: notary4d\n      timeoutMinutes: 20\n";
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace(/signing:\n {2}mac:\n {4}adHoc: true.*\n/, release));
  const p12 = createCodeSigningCertificate({ name: "Developer ID Application: Example Ltd (ABCDE12345)", days: 365, notBefore: new Date(Date.now() - 86_400_000), password: PASSWORD, key: testKey("a") }).p12.toString("base64");
  const env = cliEnv({ SIGNING_P12: p12, SIGNING_PASSWORD: PASSWORD });
  expect((await runCli(["build", copy.manifest, "--out", copy.out, "--platform", "mac"], { env })).code).toBe(0);

  const { plan, redactor } = loadManifest(copy.manifest, { env });
  const work = tempDir("work");
  const source = { p12Base64: p12, password: PASSWORD };
  const secrets = new SecretFolder(work);
  const context = { plan: plan!, work, secrets, redactor, signing: { identity: loadIdentity(source), source } } as unknown as BuildContext;
  const secretsDir = await secrets.path();
  const sections: string[] = [];
  for (const bundle of ["Final Application/Hello.app", "Client Server executable/Hello Server.app", "Client Server executable/Hello Client.app", "Components/Hello.4dbase"]) {
    const commands = await macPlanFor(context, path.join(copy.out, bundle));
    const lines = commands.map((c) => redactor.redact(commandLine(c)).replaceAll(secretsDir, "$SECRETS").replaceAll(work, "$WORK").replaceAll(packageRoot(), "$4DBUILD"));
    sections.push(`# ${bundle} (run in ${path.dirname(bundle)})\n${lines.join("\n")}\n`);
  }
  const text = sections.join("\n");
  expect(text).not.toContain(PASSWORD);
  if (process.env.UPDATE_EXPECTED === "1" || !existsSync(EXPECTED)) writeFileSync(EXPECTED, text);
  expect(text).toBe(readFileSync(EXPECTED, "utf8"));
});

describe("running a plan", () => {
  const node = process.execPath;
  const options = (log: string[]) => ({ cwd: tmpdir(), env: { PATH: process.env.PATH, ...tempEnv() }, redactor: Object.assign(new Redactor(), {}), signal: new AbortController().signal, log: (l: string) => log.push(l) });

  test("the first failure stops the plan, clean-up still runs, and the message quotes the masked output", async () => {
    const log: string[] = [];
    const run = options(log);
    run.redactor.add("s3cret");
    const plan = [
      { program: node, args: ["-e", "process.stdout.write('step one')"] },
      { program: node, args: ["-e", "console.error('bad password s3cret'); process.exit(3)"] },
      { program: node, args: ["-e", "0"] },
      { program: node, args: ["-e", "0", "cleanup"], always: true },
    ];
    await expect(runCommands(plan, run)).rejects.toMatchObject({ name: "BuildError", message: expect.stringMatching(/failed \(exit code 3\):\nbad password \*\*\*$/) });
    expect(log.map((l) => l.replace(node, "node"))).toEqual(["  $ node -e 'process.stdout.write('\\''step one'\\'')'", expect.stringContaining("  $ node -e"), "  $ node -e 0 cleanup"]);
  });

  test("a command past its hard timeout is stopped with a clear message", async () => {
    const plan = [{ program: node, args: ["notarytool", "-e", "setTimeout(() => 0, 60000)"], timeoutMs: 300 }];
    await expect(runCommands([{ ...plan[0]!, args: ["-e", "setTimeout(() => 0, 60000)"] }], options([]))).rejects.toThrow(/did not finish within 0 minutes and was stopped/);
  });

  test("a missing tool is named, with what to install", async () => {
    await expect(runCommands([{ program: "codesign-not-here", args: [] }], options([]))).rejects.toThrow("codesign-not-here was not found");
  });

  test("notarytool's verdict: Accepted passes, anything else fails with the submission id", () => {
    const submit = { program: "xcrun", args: ["notarytool", "submit", "x.zip"] };
    expect(notaryVerdict(submit, "  id: 2efe2717-52ef-43a5-96dc-0797e4ca1041\n  status: Accepted\n")).toBeUndefined();
    expect(notaryVerdict(submit, "  id: 2efe2717-52ef-43a5-96dc-0797e4ca1041\n  status: Invalid\n")).toBe("notarization was not accepted (Invalid); see xcrun notarytool log 2efe2717-52ef-43a5-96dc-0797e4ca1041");
    expect(notaryVerdict({ program: "codesign", args: [] }, "")).toBeUndefined();
  });
});
