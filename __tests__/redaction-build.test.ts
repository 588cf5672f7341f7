import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "plist";
import { LOG_FORMATS } from "../src/builder/logger.js";
import { cliEnv, exampleCopy, runCli, STACK_TRACE } from "./helpers.js";

/*
 * Two canaries: the example's link code (${secret.HELLO_LINK_CODE}), which must reach the files a client and
 * server need and nothing else, and a signing identity read from a secret, which a step message quotes (on a
 * non-macOS host: "…not signed with "<identity>"") and which must be masked wherever that message goes.
 */
const LINK_CODE = "Canary-Link-7f3a91";
const IDENTITY = "Canary Identity 52c8e0";
const CANARIES = [LINK_CODE, IDENTITY];

/** The only files that legitimately hold a canary, and which ones they hold. */
const ALLOWED: [RegExp, string[]][] = [
  // Server and client Info.plist carry the link code (BuildHardLink): the client is tied to its server by it.
  [/^Client Server executable\/Hello (Server|Client)\.app\/Contents\/Info\.plist$/, [LINK_CODE]],
  // The client update description the server hands to clients: link code and the certificate that signs updates.
  [/^Client Server executable\/Hello Server\.app\/Contents\/Upgrade4DClient\/info\.json$/, [LINK_CODE, IDENTITY]],
];

function allFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return allFiles(path.join(dir, entry.name), relative);
    return entry.isFile() ? [relative] : [];
  });
}

describe.each(LOG_FORMATS)("a build with secrets, --log %s", (format) => {
  const copy = exampleCopy();
  let run: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    // Not macOS: the identity is not used for signing, only quoted in a warning (and given to clients in info.json).
    writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace(/^ {4}adHoc: true.*$/m, "    identity: ${secret.MAC_SIGNING_IDENTITY}"));
    run = await runCli(["build", copy.manifest, "--out", copy.out, "--log", format, "--target", "server", "--target", "client", "--platform", "mac"], {
      env: cliEnv({ HELLO_LINK_CODE: LINK_CODE, MAC_SIGNING_IDENTITY: IDENTITY }),
    });
  });
  afterAll(() => rmSync(copy.root, { recursive: true, force: true }));

  test("succeeds, and its message quoting the secret is shown masked", () => {
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/not signed with (\\?")\*\*\*\1/);
  });

  test("standard output and standard error never show a secret", () => {
    for (const canary of CANARIES) expect({ canary, stdout: run.stdout.includes(canary), stderr: run.stderr.includes(canary) }).toEqual({ canary, stdout: false, stderr: false });
  });

  test("build-report.json, BuildApp.log.xml and SHA256SUMS never hold a secret; the report and log keep the masked warning", () => {
    for (const file of ["build-report.json", "BuildApp.log.xml", "SHA256SUMS"]) {
      const text = readFileSync(path.join(copy.out, file), "utf8");
      for (const canary of CANARIES) expect({ file, canary, found: text.includes(canary) }).toEqual({ file, canary, found: false });
    }
    const report = JSON.parse(readFileSync(path.join(copy.out, "build-report.json"), "utf8")) as { warnings: { message: string }[] };
    // Off macOS the macOS applications are also marked unsigned (steps/unsigned.ts).
    expect(report.warnings.map((w) => w.message).filter((m) => !m.includes("unsigned: must be signed on macOS"))).toEqual([expect.stringContaining('not signed with "***"')]);
    expect(readFileSync(path.join(copy.out, "BuildApp.log.xml"), "utf8")).toMatch(/<MessageType>Warning<\/MessageType>[\s\S]*?<Message>macOS code signing skipped: .*not signed with "\*\*\*"<\/Message>/);
  });

  test("only the files that must carry a secret do, and they carry the real value", () => {
    const holders = allFiles(copy.out).flatMap((file) => {
      const content = readFileSync(path.join(copy.out, file)).toString("latin1");
      const found = CANARIES.filter((c) => content.includes(Buffer.from(c).toString("latin1")));
      return found.length ? [[file, found] as const] : [];
    });
    for (const [file, found] of holders) {
      const allowed = ALLOWED.find(([pattern]) => pattern.test(file))?.[1] ?? [];
      expect({ file, unexpected: found.filter((c) => !allowed.includes(c)) }).toEqual({ file, unexpected: [] });
    }
    // The link code did reach the applications (the canary is not vacuous).
    for (const app of ["Hello Server.app", "Hello Client.app"]) {
      const plist = parse(readFileSync(path.join(copy.out, "Client Server executable", app, "Contents", "Info.plist"), "utf8")) as Record<string, string>;
      expect({ app, link: plist.BuildHardLink }).toEqual({ app, link: LINK_CODE });
    }
  });
});
