import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "plist";
import { chooseDeploymentLicense } from "../src/builder/app/deployment-license.js";
import { loadManifestText } from "../src/manifest/load.js";
import { cliEnv, exampleCopy, runCli, STACK_TRACE, STAND_IN_TOOL4D } from "./helpers.js";

const DEVELOPER = "4DDP210UUS001NUMBERDEV01.license4D";
const DESKTOP = "4UUD210UUS001NUMBERDEP02.license4D";
const SERVER = "4UOS210UUS001NUMBERSRV03.license4D";
const OEM_KEYS = "4DOM210UUS001NUMBEROEM04.license4D";
const LICENCE_TEXT = /LICENCE-BYTES|NUMBERDEV|NUMBERDEP|NUMBERSRV|NUMBEROEM|STANDIN-LICENSE-NUMBER/;

/** The example with licence files written from "secrets" and the licenses section replaced. */
function licensedExample(licenses: string, names = [DEVELOPER, DESKTOP, SERVER]) {
  const copy = exampleCopy();
  const folder = path.join(path.dirname(copy.manifest), "licences");
  mkdirSync(folder);
  for (const name of names) writeFileSync(path.join(folder, name), `${name.slice(0, 4)}-LICENCE-BYTES`);
  const list = names.map((n) => `\n      - licences/${n}`).join("");
  const section = licenses.replace("FILES", `files:\n    mac:${list}\n    win:${list}`);
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace(/licenses:\n {2}mode: none.*\n/, `licenses:\n  ${section}\n`));
  return copy;
}

/** Everything a build wrote that a person or a CI log could read. */
const readable = (run: { stdout: string; stderr: string }, out: string) =>
  [run.stdout, run.stderr, ...["build-report.json", "BuildApp.log.xml", "SHA256SUMS"].map((f) => readFileSync(path.join(out, f), "utf8"))].join("\n");

test("embed: copy puts the deployment licence into Licenses/ byte for byte; no licence byte or number reaches a log or report", async () => {
  const copy = licensedExample("embed: copy\n  FILES", [DEVELOPER, DESKTOP]);
  for (const log of ["text", "json", "github"]) {
    const out = path.join(copy.root, `out-${log}`);
    const run = await runCli(["build", copy.manifest, "--out", out, "--target", "standalone", "--log", log], { env: cliEnv() });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(out, "Final Application/Hello.app/Contents/Licenses/1.license4D"), "utf8")).toBe("4UUD-LICENCE-BYTES");
    expect(readdirSync(path.join(out, "Final Application/Hello/Licenses"))).toEqual(["1.license4D"]);
    expect(readable(run, out)).not.toMatch(LICENCE_TEXT);
  }
});

describe("licences made by 4D's Create deployment license (run by the configured tool4d or 4D)", () => {
  test("embed: create gives each stand-alone and server the licence for its kind, and never logs a licence name", async () => {
    const copy = licensedExample("embed: create\n  FILES");
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "standalone", "--target", "server"], { env: cliEnv({ TOOL4D: STAND_IN_TOOL4D }) });
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    const made = (file: string) => readFileSync(path.join(copy.out, file), "utf8");
    expect(made("Final Application/Hello.app/Contents/Licenses/Deployment.license4D")).toBe(`STAND-IN deployment licence for Hello.app made from ${DESKTOP}\n`);
    expect(made("Final Application/Hello/Licenses/Deployment.license4D")).toBe(`STAND-IN deployment licence for Hello made from ${DESKTOP}\n`);
    expect(made("Client Server executable/Hello Server.app/Contents/Licenses/Deployment.license4D")).toBe(`STAND-IN deployment licence for Hello Server.app made from ${SERVER}\n`);
    expect(made("Client Server executable/Hello Server/Licenses/Deployment.license4D")).toBe(`STAND-IN deployment licence for Hello Server made from ${SERVER}\n`);
    expect(readable(run, copy.out)).not.toMatch(LICENCE_TEXT);
  });

  test("mode: evaluation writes the runner's licence number as the evaluation key, and masks it everywhere else", async () => {
    const copy = licensedExample("mode: evaluation\n  evaluationName: Hello Trial", []);
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "standalone", "--log", "json"], { env: cliEnv({ TOOL4D: STAND_IN_TOOL4D }) });
    expect(run.code).toBe(0);
    for (const plist of ["Final Application/Hello.app/Contents/Info.plist", "Final Application/Hello/Resources/Info.plist"]) {
      const keys = parse(readFileSync(path.join(copy.out, plist), "utf8")) as Record<string, unknown>;
      expect(keys["com.4D.BuildApp.EvaluationKey"]).toBe("STANDIN-LICENSE-NUMBER");
      expect(keys["com.4D.BuildApp.EvaluationName"]).toBe("Hello Trial");
    }
    expect(readable(run, copy.out)).not.toMatch(LICENCE_TEXT);
  });

  test("a licence 4D refuses is a clear build error that names no licence, and the previous outputs stay", async () => {
    const copy = licensedExample("embed: create\n  FILES");
    expect((await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled"], { env: cliEnv() })).code).toBe(0);
    const before = readFileSync(path.join(copy.out, "SHA256SUMS"), "utf8");
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "standalone"], { env: cliEnv({ TOOL4D: STAND_IN_TOOL4D, STANDIN_TOOL4D_SCENARIO: "errors" }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: licenses \(standalone (mac|win)\): Create deployment license for standalone (mac|win) failed: The license is not valid for this application; Invalid license \(1021\)/);
    expect(run.stderr).toContain("hint: check the licence files");
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr + run.stdout).not.toMatch(LICENCE_TEXT);
    expect(readFileSync(path.join(copy.out, "SHA256SUMS"), "utf8")).toBe(before);
  });

  test("without a runner the build fails, leaves nothing behind and says which setting to use", async () => {
    const copy = licensedExample("mode: automatic", []);
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "standalone"], { env: cliEnv() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: licenses \(standalone (mac|win)\): licenses\.mode automatic runs 4D's licence commands but no tool4d is configured/);
    expect(run.stderr).toMatch(/hint: set licenses\.runner or the TOOL4D environment variable/);
    expect(existsSync(copy.out) && readdirSync(copy.out).filter((f) => !f.startsWith("."))).toEqual([]);
  });
});

describe("chooseDeploymentLicense", () => {
  const plan = (names: string[], oem = false) =>
    loadManifestText(
      "/repo/4dbuild.yml",
      `version: 1\nname: Hello\n4dVersion: "21"\nproject: Project/Hello.4DProject\ntargets:\n  standalone: {runtime: {win: VD}}\n  server: {runtime: {win: Server}}\nlicenses:\n  oem: {clientServer: ${oem}}\n  files:\n    win: [${names.join(", ")}]\n`,
      { env: {}, checkFiles: false },
    ).plan!;

  test("a stand-alone gets a desktop licence, a server a server licence, whatever their order", () => {
    const p = plan([DEVELOPER, SERVER, DESKTOP]);
    expect(chooseDeploymentLicense(p, "standalone", "win")).toEqual({ license: `/repo/${DESKTOP}` });
    expect(chooseDeploymentLicense(p, "server", "win")).toEqual({ license: `/repo/${SERVER}` });
  });

  test("a file whose name has no known code is taken when no named licence fits", () => {
    expect(chooseDeploymentLicense(plan([DEVELOPER, "renamed.license4D"]), "server", "win")).toEqual({ license: "/repo/renamed.license4D" });
  });

  test("an OEM server also gets the OEM XML keys licence", () => {
    expect(chooseDeploymentLicense(plan([SERVER, OEM_KEYS], true), "server", "win")).toEqual({ license: `/repo/${SERVER}`, oemLicense: `/repo/${OEM_KEYS}` });
    expect(chooseDeploymentLicense(plan([SERVER, OEM_KEYS]), "server", "win")).toEqual({ license: `/repo/${SERVER}` });
  });

  test("no fitting licence is a build error naming what to add", () => {
    expect(() => chooseDeploymentLicense(plan([DEVELOPER, DESKTOP]), "server", "win")).toThrow(/licenses\.files\.win holds no deployment licence for the server/);
  });
});
