import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { licensesStep } from "../../src/builder/steps/app-files.js";
import { chooseLicenseIndex } from "../../src/four-d/license-names.js";
import { loadManifestText } from "../../src/manifest/load.js";
import { defaultLicenseEmbed } from "../../src/manifest/plan.js";
import { STAND_IN_TOOL4D } from "../helpers.js";
import { appTargets, hello, HELLO_DIR, runStep, stageApplication, stepContext, tempDir } from "../testctx.js";

const DEVELOPER = "4DDP210UUS001NUMBERDEV01.license4D";
const DESKTOP = "4UUD210UUS001NUMBERDEP02.license4D";
const SERVER = "4UOS210UUS001NUMBERSRV03.license4D";
const NAMES = /NUMBER(DEV|DEP|SRV)/;

/** Licence files written from "secrets" into a folder outside the project, named by ${env.LICENCES}. */
function licenceFolder(): string {
  const folder = tempDir("licences");
  for (const name of [DEVELOPER, DESKTOP, SERVER]) writeFileSync(path.join(folder, name), `${name.slice(0, 4)}-LICENCE-BYTES`);
  return folder;
}
const list = `      - \${env.LICENCES}/${DEVELOPER}\n      - \${env.LICENCES}/${DESKTOP}\n      - \${env.LICENCES}/${SERVER}\n`;
const licences = (extra = "") => `licenses:\n${extra}  files:\n    mac:\n${list}    win:\n${list}`;

describe("licences like 4D", () => {
  test("embed: copy puts exactly one licence per application, the one whose product code fits it", async () => {
    const env = { LICENCES: licenceFolder() };
    const context = stepContext(hello(`${appTargets("standalone", "server")}${licences("  embed: copy\n")}`), { env });
    for (const target of ["standalone", "server"] as const) {
      const paths = await stageApplication(context, { target, platform: "mac" });
      await runStep(context, licensesStep, { target, platform: "mac" });
      expect(readdirSync(paths.licenses)).toEqual(["1.license4D"]);
      expect(readFileSync(path.join(paths.licenses, "1.license4D"), "utf8")).toBe(target === "server" ? "4UOS-LICENCE-BYTES" : "4UUD-LICENCE-BYTES");
    }
  });

  test("the most appropriate licence: OEM before the regular one, a partner licence last, a name without a code only as a last resort", () => {
    expect(chooseLicenseIndex(["4UUD210.license4D", "4UOE210.license4D"], "standalone")).toBe(1);
    expect(chooseLicenseIndex(["PNUD210.license4D", "4USE210.license4D"], "server")).toBe(1);
    expect(chooseLicenseIndex(["4DDP210.license4D", "deployment.license4D"], "standalone")).toBe(1);
    expect(chooseLicenseIndex(["4DDP210.license4D", "4UOS210.license4D"], "standalone")).toBeUndefined();
  });

  test("from 4D 20 the default is create: 4D's Create deployment license, run by the stand-in tool4d that checks its command line, gets the server licence for the server", async () => {
    const env = { LICENCES: licenceFolder(), TOOL4D: STAND_IN_TOOL4D, STANDIN_TOOL4D_ARGS: path.join(tempDir("args"), "args.json") };
    const context = stepContext(hello(`${appTargets("server")}${licences()}`), { env });
    expect(context.plan.config.licenses.embed).toBe("create");
    const paths = await stageApplication(context, { target: "server", platform: "mac" });
    await runStep(context, licensesStep, { target: "server", platform: "mac" });
    expect(readFileSync(path.join(paths.licenses, "Deployment.license4D"), "utf8")).toBe(`STAND-IN deployment licence for Hello Server.app made from ${SERVER}\n`);
    const args = JSON.parse(readFileSync(env.STANDIN_TOOL4D_ARGS, "utf8")) as string[];
    expect(args.slice(0, 6).map((a, i) => (i === 1 ? path.basename(a) : a))).toEqual(["--project", "Compiler.4DProject", "--dataless", "--skip-onstartup", "--startup-method", "deployment_license"]);
    const request = JSON.parse(args[7]!) as Record<string, string>;
    expect(request).toMatchObject({ action: "create", application: paths.root, license: path.join(env.LICENCES, SERVER) });
  });

  test("without a runner, create fails clearly, naming the setting", async () => {
    const context = stepContext(hello(`${appTargets("standalone")}${licences()}`), { env: { LICENCES: licenceFolder() } });
    await stageApplication(context, { target: "standalone", platform: "mac" });
    await expect(runStep(context, licensesStep, { target: "standalone", platform: "mac" })).rejects.toMatchObject({ message: "licenses.embed: create runs 4D's licence commands but no tool4d is configured", hint: expect.stringContaining("set licenses.runner or the TOOL4D environment variable") });
  });

  test("before 4D 20 the copy stays the default, without a warning", () => {
    expect(["19", "19 R8", "20", "20 R5", "21 R2"].map(defaultLicenseEmbed)).toEqual(["copy", "copy", "create", "create", "create"]);
    const loaded = loadManifestText(path.join(HELLO_DIR, "4dbuild.yml"), hello(`${appTargets("standalone")}${licences()}`.replaceAll("210", "190"), "19"), { env: { LICENCES: licenceFolder(), RUNTIMES: "/nowhere" }, checkFiles: false, checkProject: false, git: () => undefined });
    expect(loaded.diagnostics.find((d) => d.code === "license-choice")?.message).toBe("targets.standalone (mac): Licenses/1.license4D is a copy of licenses.files.mac[1] (4UUD, Unlimited Desktop)");
    expect(loaded.diagnostics.filter((d) => d.code === "license-copied")).toEqual([]);
  });

  test("validate says which licence each application gets, by list entry, never by file name; a copy from 4D 20 is a warning", () => {
    const env = { LICENCES: licenceFolder(), RUNTIMES: "/nowhere" };
    const load = (extra: string) => loadManifestText(path.join(HELLO_DIR, "4dbuild.yml"), hello(`${appTargets("standalone", "server")}${licences(extra)}`), { env, checkFiles: false, checkProject: false, git: () => undefined });
    const created = load("");
    const notices = created.diagnostics.filter((d) => d.code === "license-choice" && d.message.includes("(mac)")).map((d) => d.message);
    expect(notices).toEqual([
      "targets.standalone (mac): 4D's Create deployment license generates the application's licence from licenses.files.mac[1] (4UUD, Unlimited Desktop)",
      "targets.server (mac): 4D's Create deployment license generates the application's licence from licenses.files.mac[2] (4UOS, OEM Server)",
    ]);
    const copied = load("  embed: copy\n");
    expect(copied.diagnostics.filter((d) => d.code === "license-choice").map((d) => d.message)[0]).toBe("targets.standalone (mac): Licenses/1.license4D is a copy of licenses.files.mac[1] (4UUD, Unlimited Desktop)");
    expect(copied.diagnostics.find((d) => d.code === "license-copied")).toMatchObject({ severity: "warning", message: expect.stringContaining("generates a new licence for each application at each build") });
    for (const d of [...created.diagnostics, ...copied.diagnostics]) expect(JSON.stringify(d)).not.toMatch(NAMES);
    expect(created.redactor.redact(`see ${DESKTOP} and ${path.join(env.LICENCES, SERVER)}`)).not.toMatch(NAMES);
  });
});
