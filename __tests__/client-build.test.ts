import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "plist";
import { cliEnv, exampleCopy, runCli, STACK_TRACE } from "./helpers.js";

/** The example whose client embeds the compiled structure of an earlier build (a single-user application). */
async function embeddingExample(withDefaultData: boolean) {
  const copy = exampleCopy();
  const first = path.join(copy.root, "first");
  expect((await runCli(["build", copy.manifest, "--out", first, "--target", "compiled"], { env: cliEnv() })).code).toBe(0);
  const embedded = path.join(copy.root, "single-user");
  cpSync(path.join(first, "Compiled Database", "Hello"), embedded, { recursive: true });
  if (withDefaultData) {
    mkdirSync(path.join(embedded, "Default Data"));
    writeFileSync(path.join(embedded, "Default Data", "Default.4DD"), "STAND-IN data file");
    mkdirSync(path.join(path.dirname(copy.manifest), "licences"));
    writeFileSync(path.join(path.dirname(copy.manifest), "licences", "4UUD210UUS001NUMBERDEP02.license4D"), "DESKTOP-LICENCE");
  }
  const licenses = withDefaultData ? "licenses:\n  files:\n    mac: [licences/4UUD210UUS001NUMBERDEP02.license4D]\n    win: [licences/4UUD210UUS001NUMBERDEP02.license4D]\n" : "";
  const text = readFileSync(copy.manifest, "utf8")
    .replace("    serverSelection: true\n", "    embeddedApplication:\n      mac: ${env.EMBEDDED}\n      win: ${env.EMBEDDED}\n")
    .replace(/licenses:\n {2}mode: none.*\n/, licenses);
  writeFileSync(copy.manifest, text);
  return { ...copy, env: cliEnv({ EMBEDDED: embedded }) };
}

test("a client embedding a single-user application holds its folder, renamed after the client, and no connection file", async () => {
  const copy = await embeddingExample(false);
  const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "client"], { env: copy.env });
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.code).toBe(0);
  const mac = path.join(copy.out, "Client Server executable", "Hello Client.app", "Contents");
  const win = path.join(copy.out, "Client Server executable", "Hello Client");
  for (const database of [path.join(mac, "Database"), path.join(win, "Database")]) {
    expect(readdirSync(database).sort()).toEqual(["Hello Client.4DZ", "Libraries", "Resources"]);
    expect(existsSync(path.join(database, "EnginedServer.4DLink"))).toBe(false);
  }
  const keys = parse(readFileSync(path.join(mac, "Info.plist"), "utf8")) as Record<string, unknown>;
  expect(keys["com.4d.BuildApp.dataless"]).toBe("true");
  expect(keys).not.toHaveProperty("PublishName");
  expect(existsSync(path.join(mac, "Licenses"))).toBe(false);
});

test("with a Default Data folder the embedded application gets a stand-alone deployment licence", async () => {
  const copy = await embeddingExample(true);
  const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "client"], { env: copy.env });
  expect(run.code).toBe(0);
  expect(readFileSync(path.join(copy.out, "Client Server executable/Hello Client.app/Contents/Licenses/1.license4D"), "utf8")).toBe("DESKTOP-LICENCE");
  expect(readFileSync(path.join(copy.out, "Client Server executable/Hello Client/Database/Default Data/Default.4DD"), "utf8")).toBe("STAND-IN data file");
});

test("a folder without a compiled structure is a clear build error", async () => {
  const copy = await embeddingExample(false);
  const empty = path.join(copy.root, "empty");
  mkdirSync(empty);
  const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "client", "--platform", "win"], { env: { ...copy.env, EMBEDDED: empty } });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("error: layout (client win): targets.client.embeddedApplication.win holds no compiled structure (.4DZ or .4DC)");
  expect(run.stderr).not.toMatch(STACK_TRACE);
});

test("network.tls.certificateAuthorities is copied into each client's Resources and named in its Info.plist", async () => {
  const copy = exampleCopy();
  const pem = "-----BEGIN CERTIFICATE-----\nU1RBTkQtSU4gQ0E=\n-----END CERTIFICATE-----\n";
  writeFileSync(path.join(path.dirname(copy.manifest), "company-ca.pem"), pem);
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("network:\n", "network:\n  tls:\n    domainName: hello.example.com\n    certificateAuthorities: company-ca.pem\n"));
  const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "client"], { env: cliEnv() });
  expect(run.code).toBe(0);
  const mac = path.join(copy.out, "Client Server executable", "Hello Client.app", "Contents");
  expect(readFileSync(path.join(mac, "Resources", "company-ca.pem"), "utf8")).toBe(pem);
  expect(readFileSync(path.join(copy.out, "Client Server executable", "Hello Client", "Resources", "company-ca.pem"), "utf8")).toBe(pem);
  const keys = parse(readFileSync(path.join(mac, "Info.plist"), "utf8")) as Record<string, unknown>;
  expect(keys).toMatchObject({ CertificateAuthoritiesCertificates: "company-ca.pem", CertificateDomainName: "hello.example.com" });
});
