import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FixtureServer, tool4dArchive } from "./http-fixture.js";
import { cliEnv, FIXTURES, runCli, STACK_TRACE, tempDir } from "./helpers.js";

const TOOL4D_LATEST = "/release/21.x/21.0/latest/linux/tool4d_Linux.tar.xz";
const TOOL4D_FILE = "/files/tool4d_Linux_21.x_100341.tar.xz";

/**
 * The story of a public 4D project cloned fresh (DerivedData/ ignored, so no compiled code; a Components/ folder;
 * a dependencies.json with a local and a GitHub dependency): init, validate, build — tool4d downloaded from a
 * server on 127.0.0.1, the project compiled with every component it uses, then packed.
 */
const linuxOnly = process.platform === "linux" ? describe : describe.skip; // the served archive is tool4d's Linux one

linuxOnly("a fresh clone of a public-shaped project builds with nothing installed beforehand", () => {
  const root = tempDir("fresh-clone");
  const repo = path.join(root, "Shop");
  const manifest = path.join(repo, "4dbuild.yml");
  const server = new FixtureServer();
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    cpSync(path.join(FIXTURES, "public-shape"), root, { recursive: true });
    rmSync(manifest);
    execFileSync("git", ["init", "-q"], { cwd: repo });
    await server.start();
    server.on(TOOL4D_LATEST, { kind: "redirect", location: TOOL4D_FILE }).on(TOOL4D_FILE, { kind: "file", body: tool4dArchive(tempDir("tool4d-archive")) });
    env = cliEnv({
      FOURDBUILD_CACHE: tempDir("cache"),
      FOURDBUILD_TOOL4D_BASE_URL: `${server.base}/release`,
      STANDIN_TOOL4D_COMPONENTS: JSON.stringify(["Charts.4DZ", "Greeter.4DZ", "Mailer.4DZ"]),
    });
  });
  afterAll(() => server.close());

  test("init sees that DerivedData/ is ignored and writes compilation with tool4d: auto", async () => {
    const run = await runCli(["init"], { cwd: repo, env });
    expect(run.stderr).toContain("the repository ignores Project/DerivedData/ (no compiled code in a clone): compile.enabled is true");
    expect(readFileSync(manifest, "utf8")).toContain("compile:\n  enabled: true\n  tool4d: auto\n");
    expect(server.requests).toEqual([]);
    // 4D keeps GitHub dependencies in its own cache; this machine's is the fixture's.
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace("  tool4d: auto\n", `  tool4d: auto\n  dependencyCache: ${path.join(root, "cache")}\n`));
  });

  test("without compilation, validate stops at compile.enabled: the clone has no compiled code", async () => {
    const off = manifest.replace(/4dbuild\.yml$/, "off.yml");
    writeFileSync(off, readFileSync(manifest, "utf8").replace("  enabled: true\n", "  enabled: false\n"));
    const run = await runCli(["validate", off], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/off\.yml:\d+:12: error: compilation is off and the project has no compiled code/);
    rmSync(off);
    expect((await runCli(["validate", manifest], { env })).code).toBe(0);
  });

  test("plan lists the components compilation will use, and the tool4d it will download", async () => {
    const run = await runCli(["plan", manifest, "--format", "json"], { env });
    expect(run.code).toBe(0);
    const planned = JSON.parse(run.stdout) as { compile: { components: { name: string; origin: string; status: string }[] }; provisioning: { from: string }[] };
    expect(planned.compile.components.map((c) => `${c.name} ${c.origin} ${c.status}`)).toEqual(["Greeter Components folder found", "Charts GitHub cache found", "Mailer dependencies.json found"]);
    expect(planned.provisioning.map((p) => p.from)).toEqual(["download"]);
    expect(server.requests).toEqual([]);
  });

  test("build downloads tool4d, compiles with the discovered components and packs the .4DZ", async () => {
    const run = await runCli(["build", manifest, "--out", path.join(root, "out")], { env });
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    expect(server.requests).toEqual([TOOL4D_LATEST, TOOL4D_FILE]);
    expect(run.stderr).toContain("stand-in tool4d: compiling Shop.4DProject (success)");
    const names = execFileSync("unzip", ["-Z1", path.join(root, "out", "Compiled Database", "Shop", "Shop.4DZ")], { encoding: "utf8" }).split("\n");
    expect(names).toContain("Project/DerivedData/CompiledCode/map.json");
    expect(names.filter((n) => n.endsWith(".4dm"))).toEqual([]);
  });
});
