import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { engineStep } from "../../src/builder/steps/engine.js";
import { build4dRequest } from "../../src/engine/build4d-settings.js";
import { BUILD4D_BASE_URL_ENV, build4dPin, provideBuild4D } from "../../src/engine/build4d-source.js";
import { parseFourDVersion } from "../../src/four-d/version.js";
import { archiveOf, FixtureServer } from "../http-fixture.js";
import { artifactPaths, hello, listTree, RUNTIMES, runStep, stepContext, tempDir } from "../testctx.js";
import { STAND_IN_4D } from "./stand-in.js";

const COMMIT = "b6670c53b8ee23187e1310ef363eeeee0f380289"; // the pin for 4D 21
const SECRET = "Canary-Link-build4d-93ab";

/** A stand-in of GitHub's source archive of 4d/Build4D at COMMIT: Build4D-<commit>/Build4D/Project/Build4D.4DProject. */
async function build4dArchive(commit = COMMIT): Promise<Buffer> {
  const root = path.join(tempDir("b4d-src"), `Build4D-${commit}`);
  mkdirSync(path.join(root, "Build4D", "Project"), { recursive: true });
  writeFileSync(path.join(root, "Build4D", "Project", "Build4D.4DProject"), '{"$comment": "STAND-IN for Build4D: not Build4D"}\n');
  writeFileSync(path.join(root, "LICENSE.md"), "MIT License (stand-in)\n");
  return archiveOf(root, "tar.gz", path.join(path.dirname(root), "archive.tar.gz"));
}

const server = new FixtureServer();
beforeAll(async () => {
  await server.start();
  server.on(`/4d/Build4D/archive/${COMMIT}.tar.gz`, { kind: "file", body: await build4dArchive() });
});
afterAll(() => server.close());

const body = `build:\n  engine: build4d\n  fourD: \${env.FOURD_APP}\ntargets:\n  compiled: {}\n  component: {}\n  standalone:\n    platforms: [mac]\n    runtime:\n      mac: \${env.RUNTIMES}/mac/4D Volume Desktop.app\n    dataLinking: inStructure\n  client:\n    platforms: [mac]\n    runtime:\n      mac: \${env.RUNTIMES}/mac/4D Volume Desktop.app\nnetwork:\n  serverAddress: hello.example.com\n  port: 19900\n  linkCode: \${secret.LINK_CODE}\nversioning:\n  common:\n    version: 3.1.0\n    companyName: Example Ltd\n  client:\n    fileDescription: Hello Client\nmodules:\n  exclude: [CEF]\n`;

describe("the manifest mapped to Build4D's settings objects", () => {
  const ctx = () => stepContext(hello(body), { env: { LINK_CODE: SECRET, FOURD_APP: STAND_IN_4D } });
  const places = { projectFile: "/p/Project/Hello.4DProject", destinationFolder: "/d/", buildName: "Hello", runtime: "/rt/4D Volume Desktop.app" };

  test("a compiled structure: CompiledProject with the compiler options and the structure options", () => {
    const { plan } = ctx();
    expect(build4dRequest(plan, { target: "compiled" }, places)).toEqual({
      class: "CompiledProject",
      settings: { buildName: "Hello", projectFile: "/p/Project/Hello.4DProject", destinationFolder: "/d/", compilerOptions: expect.objectContaining({ typeInference: "all" }), packedProject: true, obfuscated: false },
      unmapped: [],
    });
  });

  test("a client: Client with the network, versions (common then the client's), runtime, modules and signing", () => {
    const { plan } = ctx();
    const request = build4dRequest(plan, { target: "client", platform: "mac" }, places);
    expect(request.class).toBe("Client");
    expect(request.settings).toMatchObject({
      sourceAppFolder: "/rt/4D Volume Desktop.app",
      IPAddress: "hello.example.com",
      portNumber: 19900,
      hardLink: SECRET,
      versioning: { version: "3.1.0", companyName: "Example Ltd", fileDescription: "Hello Client" },
      excludeModules: ["CEF"],
      rangeVersMin: 1,
      rangeVersMax: 1,
      currentVers: 1,
      signApplication: { macSignature: false, adHocSignature: expect.any(Boolean) },
    });
  });

  test("a field Build4D cannot carry is listed for the units it concerns, never dropped silently", () => {
    const { plan } = ctx();
    expect(build4dRequest(plan, { target: "standalone", platform: "mac" }, places).unmapped).toEqual(["targets.standalone.dataLinking"]);
    expect(build4dRequest(plan, { target: "standalone", platform: "mac" }, places).settings.lastDataPathLookup).toBeUndefined();
    expect(build4dRequest(plan, { target: "client", platform: "mac" }, places).unmapped).toEqual([]);
  });
});

describe("Build4D at a pinned commit", () => {
  test("the pin follows the 4D version line; a line without one asks for build.build4d.commit", () => {
    expect(build4dPin(parseFourDVersion("21")!, {}).commit).toBe(COMMIT);
    expect(build4dPin(parseFourDVersion("20 R8")!, {}).commit).toBe("ff44f0358b9ca15f97fd8dbd372ad71e48c3c18f");
    expect(build4dPin(parseFourDVersion("21 R3")!, {}).commit).toBe("bfd39383c13b3b6ee81f8d4a59fa4415d11628f7");
    expect(() => build4dPin(parseFourDVersion("20 R3")!, {})).toThrow("4dbuild pins no Build4D for 4D 20 R3");
    expect(build4dPin(parseFourDVersion("20 R3")!, { commit: "a".repeat(40) }).commit).toBe("a".repeat(40));
  });

  test("is downloaded once into the cache, from the address the environment gives, and checked against the commit and the SHA-256", async () => {
    const cache = tempDir("b4d-cache");
    const env = { FOURDBUILD_CACHE: cache, [BUILD4D_BASE_URL_ENV]: `${server.base}/4d/Build4D/archive` };
    const before = server.count(`/4d/Build4D/archive/${COMMIT}.tar.gz`);
    const folder = await provideBuild4D({ commit: COMMIT }, { env });
    expect(folder).toBe(path.join(cache, "build4d", COMMIT, `Build4D-${COMMIT}`, "Build4D"));
    expect(existsSync(path.join(folder, "Project", "Build4D.4DProject"))).toBe(true);
    await provideBuild4D({ commit: COMMIT }, { env });
    expect(server.count(`/4d/Build4D/archive/${COMMIT}.tar.gz`)).toBe(before + 1);
    // Another commit's archive at this commit's address is refused, and so is a digest other than the pinned one.
    const other = "c".repeat(40);
    server.on(`/4d/Build4D/archive/${other}.tar.gz`, { kind: "file", body: await build4dArchive() });
    await expect(provideBuild4D({ commit: other }, { env: { ...env, FOURDBUILD_CACHE: tempDir("b4d-cache2") } })).rejects.toThrow(`holds no Build4D-${other}/Build4D/Project/Build4D.4DProject`);
    await expect(provideBuild4D({ commit: COMMIT, sha256: "0".repeat(64) }, { env: { ...env, FOURDBUILD_CACHE: tempDir("b4d-cache3") } })).rejects.toThrow(/has SHA-256 [0-9a-f]{64}, not build\.build4d\.sha256 0{64}/);
  });
});

describe("build.engine: build4d", () => {
  test("runs Build4D in 4dbuild's runner project under 4D, each unit into a folder of its own, the real values in a private request file only; outputs collected", async () => {
    const record = path.join(tempDir("record"), "record.json");
    const env = { LINK_CODE: SECRET, FOURD_APP: STAND_IN_4D, FOURDBUILD_CACHE: tempDir("b4d-cache"), [BUILD4D_BASE_URL_ENV]: `${server.base}/4d/Build4D/archive`, STANDIN_FOURD_SECRET: SECRET, STANDIN_FOURD_RECORD: record };
    const ctx = stepContext(hello(body), { env: { ...env, TMPDIR: tempDir("tmp") } });
    await runStep(ctx, engineStep);
    const seen = JSON.parse(readFileSync(record, "utf8")) as { args: string[]; file: string; fileMode: string; folderMode: string; secretPresent: boolean };
    const folder = path.dirname(seen.file);
    expect(seen.args.slice(0, 8)).toEqual(["--project", path.join(folder, "runner", "Project", "Build4DRunner.4DProject"), "--headless", "--dataless", "--skip-onstartup", "--startup-method", "build4d_run", "--user-param"]);
    expect(JSON.parse(seen.args[8]!)).toEqual({ request: path.join(folder, "build4d-request.json"), result: path.join(folder, "result.json") });
    expect(seen.args.join(" ")).not.toContain(SECRET);
    expect({ fileMode: seen.fileMode, folderMode: seen.folderMode, secretPresent: seen.secretPresent }).toEqual({ fileMode: "600", folderMode: "700", secretPresent: true });
    expect(readdirSync(ctx.env.TMPDIR!)).toEqual([]);
    expect(artifactPaths(ctx, "target").sort()).toEqual(["Client Server executable/Hello Client.app", "Compiled Database/Hello", "Components/Hello.4dbase", "Final Application/Hello.app"]);
    expect(await listTree(path.join(ctx.out, "Compiled Database"))).toEqual(["Hello/Hello.4DZ"]);
    const warnings = ctx.warnings.map((w) => w.message);
    expect(warnings).toContain("targets.standalone.dataLinking has no Build4D setting: ignored for standalone mac");
    for (const file of await listTree(ctx.out)) expect({ file, secret: readFileSync(path.join(ctx.out, file), "utf8").includes(SECRET) }).toEqual({ file, secret: false });
    expect(RUNTIMES).toBeTruthy();
  });

  test("Build4D's errors become diagnostics located in the log it keeps, and fail the build", async () => {
    const env = { LINK_CODE: SECRET, FOURD_APP: STAND_IN_4D, FOURDBUILD_CACHE: tempDir("b4d-cache"), [BUILD4D_BASE_URL_ENV]: `${server.base}/4d/Build4D/archive`, STANDIN_FOURD_SCENARIO: "errors" };
    const ctx = stepContext(hello("build:\n  engine: build4d\n  fourD: ${env.FOURD_APP}\ntargets:\n  compiled: {}\n"), { env });
    await expect(runStep(ctx, engineStep)).rejects.toThrow("Build4D failed (CompiledProject) with 1 error");
    const diagnostics = ctx.logger.events.flatMap((e) => (e.kind === "diagnostic" ? [e.diagnostic] : []));
    expect(diagnostics).toEqual([{ severity: "error", code: "build4d-log", message: "Build4D CompiledProject (Source application version checking): Source application version doesn't match to current application version", file: "Build4D.log.json", line: 3, column: 3 }]);
    const kept = readFileSync(path.join(ctx.out, "Build4D.log.json"), "utf8").split("\n");
    expect(JSON.parse(kept[2]!.trim())).toMatchObject({ severity: 2, function: "Source application version checking" });
  });
});
