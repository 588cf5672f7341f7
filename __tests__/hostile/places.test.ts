import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { artifactPath } from "../../src/builder/destinations.js";
import { layoutStep } from "../../src/builder/steps/target-folder.js";
import { loadManifestText } from "../../src/manifest/load.js";
import type { ResolvedConfig } from "../../src/manifest/plan.js";
import { cliEnv, runCli, STACK_TRACE } from "../helpers.js";
import { hello, projectCopy, runStep, RUNTIMES, stagePacked, stepContext, tempDir } from "../testctx.js";

/**
 * Paths are places: an input resolved through its symbolic links stays inside the repository unless it is a
 * machine path; an output stays inside its target's folder of the output folder; two units never share a place.
 */

const CANARY = "CANARY-outside-the-project-7f3a9c";
const mac = (kind: string) => `"\${env.RUNTIMES}/mac/4D ${kind}.app"`;
const clientServer = `targets:\n  server:\n    runtime: { mac: ${mac("Server")} }\n  client:\n    runtime: { mac: ${mac("Volume Desktop")} }\n`;

/** Writes the manifest into a copy of the example project and validates it with the CLI. */
async function validate(body: string, env: NodeJS.ProcessEnv = {}, setUp?: (dir: string) => void) {
  const dir = projectCopy();
  setUp?.(dir);
  const manifest = path.join(dir, "4dbuild.yml");
  writeFileSync(manifest, hello(body));
  const run = await runCli(["validate", manifest], { env: cliEnv({ RUNTIMES, ...env }), cwd: dir });
  expect(run.stderr).not.toMatch(STACK_TRACE);
  return { ...run, dir, manifest, all: run.stdout + run.stderr };
}

describe("outputs stay inside the output folder", () => {
  test.each([
    // A separator in a name is refused as a name (the names rule), before it can make a path out of the folder.
    ["naming.server", `${clientServer}naming:\n  server: "../../{name}"\n`, 11, 11, 'naming.server (with {name} = "Hello") contains /, which Windows or macOS refuses in a file name [bad-name]'],
    ["naming.client", `${clientServer}naming:\n  client: "{name}/../../../x"\n`, 11, 11, 'naming.client (with {name} = "Hello") contains /, which Windows or macOS refuses in a file name [bad-name]'],
    ["naming.client with \\", `${clientServer}naming:\n  client: "..\\\\..\\\\{name}"\n`, 11, 11, 'naming.client (with {name} = "Hello") contains \\, which Windows or macOS refuses in a file name [bad-name]'],
  ])("%s with .. is an error at its line and column (exit 1), and the only one", async (_field, body, line, column, message) => {
    const run = await validate(body);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`4dbuild.yml:${line}:${column}: error: ${message}`);
    expect(run.stdout).toContain("1 error, 0 warnings");
  });

  test("a name of '..' would put the compiled structure at the output folder itself: refused at name", () => {
    const text = hello("targets:\n  compiled: {}\n").replace("name: Hello", 'name: ".."');
    const loaded = loadManifestText(path.join(projectCopy(), "4dbuild.yml"), text, { env: { RUNTIMES }, git: () => undefined, displayName: "4dbuild.yml" });
    expect(loaded.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(["2:7 bad-name"]);
    expect(loaded.plan).toBeUndefined();
  });

  test("a build with .. in naming.server writes nothing outside --out (exit 1, nothing written)", async () => {
    const dir = projectCopy();
    const manifest = path.join(dir, "4dbuild.yml");
    writeFileSync(manifest, hello(`${clientServer}naming:\n  server: "../../../{name}"\n`));
    const parent = tempDir("parent");
    const out = path.join(parent, "a", "b", "out");
    const run = await runCli(["build", manifest, "--out", out], { env: cliEnv({ RUNTIMES }), cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).toContain("naming.server (with {name} = \"Hello\") contains /");
    expect(readdirSync(parent)).toEqual([]);
  });

  test("the builder refuses such a name too, whoever made the plan", () => {
    const plan = { config: { name: "Hello", naming: { server: "../{name}", client: "{name} Client" } } as unknown as ResolvedConfig };
    expect(() => artifactPath(plan, { target: "server", platform: "win" })).toThrow("the server would be written to Client Server executable/../Hello, not inside Client Server executable/ of the output folder");
    expect(artifactPath({ config: { ...plan.config, naming: { server: "{name} Server", client: "{name} Client" } } as ResolvedConfig }, { target: "server", platform: "win" })).toBe("Client Server executable/Hello Server");
  });

  test("structure.include to: with Windows separators and .. is refused by the layout step too (validate refuses it first: a name with \\)", async () => {
    const valid = stepContext(hello("targets:\n  compiled: {}\nstructure:\n  include:\n    - from: Hello.icns\n      to: escape.icns\n"));
    const { config } = valid.plan;
    // The plan as if validation had been bypassed (a library caller): the step's own check is the last line.
    const context = { ...valid, plan: { ...valid.plan, config: { ...config, structure: { ...config.structure, include: [{ from: "Hello.icns", to: "..\\..\\escape.icns" }] } } } };
    stagePacked(context);
    await expect(runStep(context, layoutStep, { target: "compiled" })).rejects.toThrow('structure.include "to: ..\\..\\escape.icns" leaves the folder it is copied into');
    expect(readdirSync(path.dirname(context.out)).sort()).toEqual(["out", "work"]);
  });

  test("server and client given the same name are refused where the name is written (also when only the case differs)", async () => {
    const same = await validate(`${clientServer}naming:\n  client: "{name} Server"\n`);
    expect(same.code).toBe(1);
    expect(same.stdout).toContain("4dbuild.yml:11:11: error: the server and the client (mac) would both be written to Client Server executable/Hello Server.app [same-output]");
    const cased = await validate(`${clientServer}naming:\n  server: "{name} app"\n  client: "{name} APP"\n`);
    expect(cased.code).toBe(1);
    expect(cased.stdout).toContain("4dbuild.yml:11:11: error: the server and the client (mac) would both be written to Client Server executable/Hello app.app [same-output]");
  });
});

describe("inputs stay inside the repository, symbolic links followed", () => {
  test("an icon that is a symbolic link to a file outside the project is refused; a build copies nothing from it", async () => {
    const outside = path.join(tempDir("outside"), "secret.icns");
    writeFileSync(outside, CANARY);
    const body = `targets:\n  standalone:\n    runtime: { mac: ${mac("Volume Desktop")} }\n    icon: { mac: Linked.icns }\n`;
    const run = await validate(body, {}, (dir) => symlinkSync(outside, path.join(dir, "Linked.icns")));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("4dbuild.yml:8:18: error: targets.standalone.icon.mac leads outside the repository through a symbolic link [outside-repository]");
    expect(run.all).not.toContain(CANARY);
    expect(run.all).not.toContain(outside);

    const out = path.join(tempDir("out"), "out");
    const build = await runCli(["build", run.manifest, "--out", out], { env: cliEnv({ RUNTIMES }), cwd: run.dir });
    expect(build.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(build.stdout + build.stderr).not.toContain(CANARY);
  });

  test("a link that stays inside the repository is fine", async () => {
    const body = `targets:\n  standalone:\n    runtime: { mac: ${mac("Volume Desktop")} }\n    icon: { mac: Linked.icns }\n`;
    const run = await validate(body, {}, (dir) => symlinkSync(path.join(dir, "Hello.icns"), path.join(dir, "Linked.icns")));
    expect({ code: run.code, out: run.stdout }).toEqual({ code: 0, out: expect.stringContaining("is valid") });
  });

  test("${env.UNSET:-../x}: a default is written in the manifest, so it is checked as written; the variable set is a machine path", async () => {
    const outside = tempDir("outside");
    writeFileSync(path.join(outside, "Other.icns"), CANARY);
    const relative = (dir: string) => path.relative(dir, path.join(outside, "Other.icns"));
    let dir = "";
    const body = () => `targets:\n  standalone:\n    runtime: { mac: ${mac("Volume Desktop")} }\n    icon: { mac: "\${env.ICON_UNSET:-${relative(dir)}}" }\n`;
    dir = projectCopy();
    writeFileSync(path.join(dir, "4dbuild.yml"), hello(body()));
    const unset = await runCli(["validate", path.join(dir, "4dbuild.yml")], { env: cliEnv({ RUNTIMES }), cwd: dir });
    expect(unset.code).toBe(1);
    expect(unset.stdout).toContain("4dbuild.yml:8:18: error: targets.standalone.icon.mac points outside the repository [outside-repository]");
    expect(unset.stdout + unset.stderr).not.toContain(CANARY);
    const set = await runCli(["validate", path.join(dir, "4dbuild.yml")], { env: cliEnv({ RUNTIMES, ICON_UNSET: path.join(outside, "Other.icns") }), cwd: dir });
    expect({ code: set.code, out: set.stdout }).toEqual({ code: 0, out: expect.stringContaining("is valid") });
  });

  test("!external marks a literal machine path: allowed outside, through links too", async () => {
    const outside = path.join(tempDir("outside"), "Machine.icns");
    writeFileSync(outside, "icon");
    const run = await validate(`targets:\n  standalone:\n    runtime: { mac: ${mac("Volume Desktop")} }\n    icon: { mac: !external ${outside} }\n`);
    expect({ code: run.code, out: run.stdout }).toEqual({ code: 0, out: expect.stringContaining("is valid") });
    expect(readFileSync(outside, "utf8")).toBe("icon");
  });
});
