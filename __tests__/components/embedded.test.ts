import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { planBuild } from "../../src/builder/plan-print.js";
import { componentsStep, dependenciesStep } from "../../src/builder/steps/components.js";
import type { AppUnit } from "../../src/builder/units.js";
import { githubApi } from "../../src/toolchain/github-releases.js";
import { archiveOf, FixtureServer } from "../http-fixture.js";
import { appTargets, hello, listTree, projectCopy, runStep, stageApplication, stepContext, tempDir, writeTree, type StepContext } from "../testctx.js";

const standaloneMac: AppUnit<"standalone"> = { target: "standalone", platform: "mac" };
const serverWin: AppUnit<"server"> = { target: "server", platform: "win" };

/** Runs the dependencies step, then lays the components of each unit into a staged application; returns each one's Components listing. */
async function embed(context: StepContext, ...units: AppUnit<"standalone" | "server">[]): Promise<string[][]> {
  await runStep(context, dependenciesStep);
  const listings: string[][] = [];
  for (const unit of units) {
    const paths = await stageApplication(context, unit);
    await runStep(context, componentsStep, unit);
    listings.push(existsSync(paths.components) ? await listTree(paths.components) : []);
  }
  return listings;
}

/** A copy of the example project whose dependencies.json is `dependencies` (and no environment4d.json unless given). */
function projectWith(dependencies: Record<string, unknown>, environment?: Record<string, unknown>): string {
  const dir = projectCopy();
  writeFileSync(path.join(dir, "Project", "Sources", "dependencies.json"), JSON.stringify({ dependencies }, null, "\t"));
  if (environment) writeFileSync(path.join(dir, "environment4d.json"), JSON.stringify({ dependencies: environment }));
  else writeFileSync(path.join(dir, "environment4d.json"), JSON.stringify({ dependencies: {} }));
  return dir;
}

/** A 4D installation's Components folder holding the named components (flat layout, as up to 20.x). */
function fourDComponents(...names: string[]): string {
  const folder = path.join(tempDir("4d"), "Components");
  writeTree(folder, Object.fromEntries(names.map((n) => [`${n}.4dbase/${n}.4DZ`, `compiled ${n}`])));
  return folder;
}

// The stand-in runtimes are 4D 21: the 4D 20 contexts skip validate's file checks (runtime versions), not the step's.
describe("up to 4D 20.x: 4D's own components from the building 4D's Components folder", () => {
  test("a 4D 20 project using 4D SVG and 4D NetKit gets both from components.fourD, in every stand-alone and server", async () => {
    const fourD = fourDComponents("4D SVG", "4D NetKit", "4D Progress");
    const context = stepContext(hello(`${appTargets("standalone", "server")}components:\n  fourD: \${env.FOURD_COMPONENTS}\n  use: [4D SVG, 4D NetKit]\n`, "20"), { checks: false, dir: projectWith({}), env: { FOURD_COMPONENTS: fourD } });
    const [standalone, server] = await embed(context, standaloneMac, serverWin);
    expect(standalone).toEqual(["4D NetKit.4dbase/4D NetKit.4DZ", "4D SVG.4dbase/4D SVG.4DZ"]);
    expect(server).toEqual(standalone);
    expect(readFileSync(path.join(context.out, "Final Application/Hello.app/Contents/Components/4D SVG.4dbase/4D SVG.4DZ"), "utf8")).toBe("compiled 4D SVG");
  });

  test("without components.use, every component of the folder, as 4D's v19 R8 log shows; components.exclude leaves one out", async () => {
    const fourD = fourDComponents("4D SVG", "4D NetKit", "4D Progress");
    const context = stepContext(hello(`${appTargets("standalone")}components:\n  fourD: \${env.FOURD_COMPONENTS}\n  exclude: [4D Progress]\n`, "20"), { checks: false, dir: projectWith({}), env: { FOURD_COMPONENTS: fourD } });
    const [listing] = await embed(context, standaloneMac);
    expect(listing).toEqual(["4D NetKit.4dbase/4D NetKit.4DZ", "4D SVG.4dbase/4D SVG.4DZ"]);
  });

  test("the default folder is the Components folder of the tool4d (TOOL4D), beside its bin folder", async () => {
    const root = tempDir("tool4d");
    writeTree(root, { "bin/tool4d": "stand-in", "Components/4D SVG.4dbase/4D SVG.4DZ": "svg" });
    const context = stepContext(hello(`${appTargets("standalone")}components:\n  use: [4D SVG]\n`, "20"), { checks: false, dir: projectWith({}), env: { TOOL4D: path.join(root, "bin", "tool4d") } });
    expect((await embed(context, standaloneMac))[0]).toEqual(["4D SVG.4dbase/4D SVG.4DZ"]);
  });

  test("a used 4D component that is not there fails the build, naming it and where it was looked for", async () => {
    const fourD = fourDComponents("4D SVG");
    const context = stepContext(hello(`${appTargets("standalone")}components:\n  fourD: \${env.FOURD_COMPONENTS}\n  use: [4D SVG, 4D NetKit]\n`, "20"), { checks: false, dir: projectWith({}), env: { FOURD_COMPONENTS: fourD } });
    await expect(runStep(context, dependenciesStep)).rejects.toThrow(`"4D NetKit" not found (4D: ${path.join(fourD, "4D NetKit.4dbase")})`);
  });

  test("a dependencies.json name found nowhere else comes from 4D's folder (components.md, Priority level 3)", async () => {
    const fourD = fourDComponents("4D NetKit", "4D SVG");
    const context = stepContext(hello(`${appTargets("standalone")}components:\n  fourD: \${env.FOURD_COMPONENTS}\n  use: []\n`, "20"), { checks: false, dir: projectWith({ "4D NetKit": {} }), env: { FOURD_COMPONENTS: fourD } });
    expect((await embed(context, standaloneMac))[0]).toEqual(["4D NetKit.4dbase/4D NetKit.4DZ"]);
  });

  test("from 4D 21 the 4D folder is not read: 4D's components are dependencies", async () => {
    const fourD = fourDComponents("4D SVG");
    const context = stepContext(hello(`${appTargets("standalone")}components:\n  fourD: \${env.FOURD_COMPONENTS}\n`), { dir: projectWith({}), env: { FOURD_COMPONENTS: fourD } });
    expect(dependenciesStep.skip!(context.plan)).toBe("the project declares no dependency (Project/Sources/dependencies.json)");
  });
});

describe("dependencies.json: local and GitHub dependencies embedded (4D 21)", () => {
  let server: FixtureServer;
  afterEach(async () => server?.close());

  /** A GitHub release asset: <repo>.zip holding Charts.4dbase/Contents/Charts.4DZ, as a built component is zipped. */
  async function chartsAsset(version: string): Promise<Buffer> {
    const work = tempDir("asset");
    writeTree(work, {
      "Charts.4dbase/Contents/Charts.4DZ": `compiled Charts ${version}`,
      "Charts.4dbase/Contents/Info.plist": `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>CFBundleShortVersionString</key><string>${version}</string></dict></plist>\n`,
    });
    return archiveOf(path.join(work, "Charts.4dbase"), "zip", path.join(work, "charts-4d.zip"));
  }

  async function githubFixture(): Promise<{ env: NodeJS.ProcessEnv; cache: string }> {
    server = new FixtureServer();
    const base = await server.start();
    const release = (tag: string, extra: object = {}) => ({ tag_name: tag, assets: [{ name: "charts-4d.zip", url: `${base}/assets/${tag}` }], ...extra });
    const list = [release("2.0.0"), release("1.4.0-beta", { prerelease: true }), release("1.3.1"), release("1.2.0"), release("1.1.0")];
    server.on("/repos/acme/charts-4d/releases", { kind: "file", body: Buffer.from(JSON.stringify(list)), contentType: "application/json" });
    server.on("/repos/acme/charts-4d/releases/tags/1.2.0", { kind: "file", body: Buffer.from(JSON.stringify(release("1.2.0"))), contentType: "application/json" });
    server.on("/assets/1.3.1", { kind: "file", body: await chartsAsset("1.3.1") });
    server.on("/assets/1.2.0", { kind: "file", body: await chartsAsset("1.2.0") });
    const cache = tempDir("cache");
    // compile.dependencyCache stays empty, so that no 4D cache of this machine is read.
    return { env: { FOURDBUILD_GITHUB_API: base, FOURDBUILD_CACHE: cache }, cache };
  }

  const manifest = `${appTargets("standalone", "server")}compile:\n  dependencyCache: 4d-cache\n`;

  test("a local and a GitHub dependency (served from 127.0.0.1) are both embedded; the GitHub one at the release its range selects", async () => {
    const { env } = await githubFixture();
    const dir = projectWith({ HelloKit: {}, Charts: { github: "acme/charts-4d", version: "^1.2.0" } }, { HelloKit: "Dependencies/HelloKit.4dbase" });
    const context = stepContext(hello(manifest), { dir, env });
    const [standalone, win] = await embed(context, standaloneMac, serverWin);
    expect(standalone).toEqual(["Charts.4dbase/Contents/Charts.4DZ", "Charts.4dbase/Contents/Info.plist", "HelloKit.4dbase/Contents/HelloKit.4DZ", "HelloKit.4dbase/Contents/Info.plist", "HelloKit.4dbase/Contents/Resources/logo.svg"]);
    expect(win).toEqual(standalone);
    expect(readFileSync(path.join(context.out, "Final Application/Hello.app/Contents/Components/Charts.4dbase/Contents/Charts.4DZ"), "utf8")).toBe("compiled Charts 1.3.1");
    expect(server.count("/assets/1.3.1")).toBe(1);
    expect(context.logger.infos().join("\n")).toContain("Charts (GitHub acme/charts-4d, version ^1.2.0, 1.3.1)");
  });

  test("plan lists each dependency with its source and version; a pinned release in the cache is used without any request", async () => {
    const { env } = await githubFixture();
    const dir = projectWith({ HelloKit: {}, Charts: { github: "acme/charts-4d", tag: "1.2.0" } }, { HelloKit: "Dependencies/HelloKit.4dbase" });
    const before = stepContext(hello(manifest), { dir, env });
    expect(planBuild(before.plan, undefined, env).embedded.map((c) => [c.name, c.origin, c.github ?? "", c.rule ?? "", c.version ?? "", c.status])).toEqual([
      ["Charts", "dependencies.json", "acme/charts-4d", "tag 1.2.0", "", "download"],
      ["HelloKit", "environment4d.json", "", "", "1.2.0", "found"],
    ]);
    await embed(before, standaloneMac);
    const requests = server.requests.length;
    const after = stepContext(hello(manifest), { dir, env });
    expect(planBuild(after.plan, undefined, env).embedded[0]).toEqual(expect.objectContaining({ name: "Charts", version: "1.2.0", status: "found" }));
    expect((await embed(after, standaloneMac))[0]).toContain("Charts.4dbase/Contents/Charts.4DZ");
    expect(server.requests.length).toBe(requests);
  });

  test("a GitHub dependency in 4D's own dependency cache is taken from there", async () => {
    const { env } = await githubFixture();
    const dir = projectWith({ Charts: { github: "acme/charts-4d" } });
    writeTree(path.join(dir, "4d-cache"), { "acme/charts-4d/Charts.4dbase/Contents/Charts.4DZ": "compiled by 4D's cache" });
    const context = stepContext(hello(manifest), { dir, env });
    await embed(context, standaloneMac);
    expect(readFileSync(path.join(context.out, "Final Application/Hello.app/Contents/Components/Charts.4dbase/Contents/Charts.4DZ"), "utf8")).toBe("compiled by 4D's cache");
    expect(server.requests).toEqual([]);
  });

  test("a missing dependency fails the build naming it; so does a release without <repository>.zip", async () => {
    const { env } = await githubFixture();
    const missing = stepContext(hello(manifest), { dir: projectWith({ Nowhere: {} }), env });
    await expect(runStep(missing, dependenciesStep)).rejects.toThrow(/"Nowhere" not found \(dependencies\.json: .*Nowhere or .*Nowhere\.4dbase\)/);
    server.on("/repos/acme/charts-4d/releases/latest", { kind: "file", body: Buffer.from(JSON.stringify({ tag_name: "3.0.0", assets: [] })), contentType: "application/json" });
    const noAsset = stepContext(hello(manifest), { dir: projectWith({ Charts: { github: "acme/charts-4d", version: "latest" } }), env });
    await expect(runStep(noAsset, dependenciesStep)).rejects.toThrow('dependency "Charts" (acme/charts-4d): release 3.0.0 has no charts-4d.zip');
  });

  test("an interpreted local dependency is refused: a compiled application cannot load it", async () => {
    const dir = projectWith({ Draft: {} });
    writeTree(path.dirname(dir), { "Draft/Project/Draft.4DProject": "{}" });
    const context = stepContext(hello(manifest), { dir });
    await expect(runStep(context, dependenciesStep)).rejects.toThrow('"Draft" interpreted (a source project)');
  });

  test("a name the project's own Components folder has is not embedded again: the project's wins (components.md, Priority)", async () => {
    const dir = projectWith({ HelloKit: {} }, { HelloKit: "Dependencies/HelloKit.4dbase" });
    writeTree(dir, { "Components/HelloKit.4dbase/HelloKit.4DZ": "the project's own" });
    const context = stepContext(hello(manifest), { dir });
    expect(planBuild(context.plan).embedded.map((c) => [c.name, c.status])).toEqual([["HelloKit", "overloaded"]]);
    expect((await embed(context, standaloneMac))[0]).toEqual([]);
  });

  test("components.dependencies: false embeds none; clients never embed (the server sends components, components.md)", () => {
    const context = stepContext(hello(`${manifest}components:\n  dependencies: false\n`));
    expect(dependenciesStep.skip!(context.plan)).toBe("components.dependencies is false");
    expect(componentsStep.appliesTo({ target: "client", platform: "mac" })).toBe(false);
  });
});

test("FOURDBUILD_GITHUB_API must be https (plain http for 127.0.0.1 and localhost only)", () => {
  expect(githubApi({})).toBe("https://api.github.com");
  expect(githubApi({ FOURDBUILD_GITHUB_API: "http://127.0.0.1:8080/" })).toBe("http://127.0.0.1:8080");
  expect(() => githubApi({ FOURDBUILD_GITHUB_API: "http://mirror.example.com" })).toThrow("FOURDBUILD_GITHUB_API (http://mirror.example.com/): plain http is only allowed for 127.0.0.1 and localhost");
});
