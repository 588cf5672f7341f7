import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { parseFourDVersion } from "../src/four-d/version.js";
import { BuildError } from "../src/messages/errors.js";
import { buildInLocation, tool4dHost, tool4dRelease, tool4dUrl } from "../src/toolchain/tool4d-release.js";
import { installTool4d } from "../src/toolchain/tool4d-install.js";
import { FixtureServer, TempFolders, tool4dArchive, unusedPort } from "./http-fixture.js";
import { runCli, STACK_TRACE } from "./helpers.js";

const v = (text: string) => parseFourDVersion(text)!;
const LINUX_21 = "/release/21.x/21.0/latest/linux/tool4d_Linux.tar.xz";
const BUILD_21 = "/release/21.x/21.0/100341/linux/tool4d_Linux.tar.xz";
const RESOLVED = "/files/tool4d_Linux_21.x_100341.tar.xz";

describe("the tool4d download address (4d/tool4d-action's scheme)", () => {
  test("product line, version, build and file per OS and CPU", () => {
    const url = (text: string, platform: NodeJS.Platform, arch: string, build = "latest") => {
      const release = tool4dRelease(v(text), build);
      return tool4dUrl(release, tool4dHost(release, platform, arch));
    };
    expect(url("21", "darwin", "arm64")).toBe("https://resources-download.4d.com/release/21.x/21.0/latest/mac/tool4d_arm64.tar.xz");
    expect(url("21", "darwin", "x64")).toBe("https://resources-download.4d.com/release/21.x/21.0/latest/mac/tool4d_x86_64.tar.xz");
    expect(url("21 R2", "win32", "x64", "100066")).toBe("https://resources-download.4d.com/release/21%20Rx/21%20R2/100066/win/tool4d_win.tar.xz");
    expect(url("21", "linux", "x64")).toBe("https://resources-download.4d.com/release/21.x/21.0/latest/linux/tool4d_Linux.tar.xz");
    // 20 LTS keeps the older macOS names (download.sh's special case for "20.x"/"20").
    expect(url("20", "darwin", "arm64")).toBe("https://resources-download.4d.com/release/20.x/20/latest/mac/tool4d_mac_arm.tar.xz");
    const release = tool4dRelease(v("21"));
    expect(tool4dUrl(release, tool4dHost(release, "linux", "x64"), { base: "https://mirror.example/4d/", token: "s3cret" })).toBe("https://mirror.example/4d/21.x/21.0/latest/linux/tool4d_Linux.tar.xz?token=s3cret");
    expect(() => tool4dRelease(v("21"), "12a")).toThrow(BuildError);
  });

  test("the build number of a latest redirect, as 4D's VS Code extension reads it", () => {
    expect(buildInLocation("https://x.example/files/tool4d_Linux_21.x_100341.tar.xz?sig=1")).toBe("100341");
    expect(buildInLocation("/a/tool4d_arm64_21R2_100066.tar.xz")).toBe("100066");
    expect(buildInLocation("/a/tool4d_arm64.tar.xz")).toBeUndefined();
  });
});

describe("installTool4d against a local server", () => {
  const temp = new TempFolders();
  let server: FixtureServer;
  let archive: Buffer;
  let env: NodeJS.ProcessEnv;
  const install = (build = "latest", extra: NodeJS.ProcessEnv = {}) => installTool4d(v("21"), build, { env: { ...env, ...extra }, platform: "linux", arch: "x64" });

  beforeAll(() => {
    archive = tool4dArchive(temp.make());
  });
  beforeEach(async () => {
    server = new FixtureServer();
    env = { FOURDBUILD_CACHE: temp.make(), FOURDBUILD_TOOL4D_BASE_URL: `${await server.start()}/release` };
  });
  afterEach(async () => {
    await server.close();
  });
  afterAll(() => temp.removeAll());

  const leftovers = () => readdirSync(path.join(env.FOURDBUILD_CACHE!, "tmp"));

  test("the first run downloads and caches a numbered build; the second makes no request", async () => {
    server.on(BUILD_21, { kind: "file", body: archive });
    const first = await install("100341");
    expect(first).toEqual({ executable: path.join(env.FOURDBUILD_CACHE!, "tool4d", "21.0", "100341", "linux", "bin", "tool4d"), build: "100341", from: "download" });
    const second = await install("100341");
    expect(second.from).toBe("cache");
    expect(server.requests).toEqual([BUILD_21]);
    expect(leftovers()).toEqual([]);
  });

  test("latest is resolved through the 302's Location, kept for the TTL: the second run makes no request", async () => {
    server.on(LINUX_21, { kind: "redirect", location: RESOLVED }).on(RESOLVED, { kind: "file", body: archive });
    const first = await install();
    expect(first).toMatchObject({ build: "100341", from: "download" });
    expect(first.executable).toContain(path.join("21.0", "100341", "linux"));
    expect(await install()).toMatchObject({ build: "100341", from: "cache" });
    expect(server.requests).toEqual([LINUX_21, RESOLVED]);
    // Past the TTL the server is asked again (one request), and the same build comes from the cache.
    expect(await install("latest", { FOURDBUILD_LATEST_TTL: "0" })).toMatchObject({ build: "100341", from: "cache" });
    expect(server.requests).toEqual([LINUX_21, RESOLVED, LINUX_21]);
  });

  test("a latest answered without a redirect is kept as latest", async () => {
    server.on(LINUX_21, { kind: "file", body: archive });
    expect(await install()).toMatchObject({ build: "latest", from: "download" });
    expect(await install()).toMatchObject({ build: "latest", from: "cache" });
    expect(server.count(LINUX_21)).toBe(1);
  });

  test.each(["truncate", "longer", "garbage"] as const)("a damaged download (%s) is removed and downloaded once more", async (damage) => {
    server.on(BUILD_21, damage === "garbage" ? { kind: "garbage", size: archive.length } : { kind: damage, body: archive }, { kind: "file", body: archive });
    const log: string[] = [];
    const found = await installTool4d(v("21"), "100341", { env, platform: "linux", arch: "x64", log: (m) => log.push(m) });
    expect(found.from).toBe("download");
    expect(existsSync(found.executable)).toBe(true);
    expect(server.count(BUILD_21)).toBe(2);
    expect(log.join("\n")).toMatch(/removed, downloading it again/);
    expect(leftovers()).toEqual([]);
  });

  test.each(["truncate", "longer", "garbage"] as const)("a download damaged twice (%s) fails clearly, naming the address, and leaves nothing", async (damage) => {
    server.on(BUILD_21, damage === "garbage" ? { kind: "garbage", size: archive.length } : { kind: damage, body: archive });
    const error = await install("100341").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as Error).message).toContain(`${env.FOURDBUILD_TOOL4D_BASE_URL}/21.x/21.0/100341/linux/tool4d_Linux.tar.xz`);
    expect((error as Error).message).toMatch(damage === "garbage" ? /not a \.zip, \.tar\.gz or \.tar\.xz archive.*downloaded twice/ : /transfer stopped after \d+ bytes|received \d+ bytes/);
    expect(server.count(BUILD_21)).toBe(2);
    expect(existsSync(path.join(env.FOURDBUILD_CACHE!, "tool4d", "21.0", "100341"))).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  test("an unknown version is an HTTP error naming the address and the status, asked once", async () => {
    const error = (await install("999999").catch((e: unknown) => e)) as BuildError;
    expect(error.message).toBe(`cannot download tool4d 21.0 (build 999999, linux) from ${env.FOURDBUILD_TOOL4D_BASE_URL}/21.x/21.0/999999/linux/tool4d_Linux.tar.xz: HTTP 404 Not Found`);
    expect(error.hint).toMatch(/check the version and build/);
    expect(server.requests).toHaveLength(1);
  });

  test("a web page instead of the archive is refused (tool4d-action's check)", async () => {
    server.on(BUILD_21, { kind: "status", status: 200, contentType: "text/html" });
    await expect(install("100341")).rejects.toThrow(/the server answered with a web page, not an archive/);
  });

  test("offline: the address and the cause are named; a token in the query is masked", async () => {
    const port = await unusedPort();
    const error = (await install("latest", { FOURDBUILD_TOOL4D_BASE_URL: `http://127.0.0.1:${port}/release`, FOURDBUILD_TOOL4D_TOKEN: "tok-123" }).catch((e: unknown) => e)) as BuildError;
    expect(error).toBeInstanceOf(BuildError);
    expect(error.message).toBe(`cannot download tool4d 21.0 (build latest, linux) from http://127.0.0.1:${port}/release/21.x/21.0/latest/linux/tool4d_Linux.tar.xz?***: connection refused (offline, or nothing listens at that address) [ECONNREFUSED]`);
    expect(`${error.message}${error.hint}`).not.toContain("tok-123");
  });

  test("a mirror must be https (plain http only on this machine)", async () => {
    await expect(install("latest", { FOURDBUILD_TOOL4D_BASE_URL: "http://mirror.example/4d" })).rejects.toThrow("FOURDBUILD_TOOL4D_BASE_URL (http://mirror.example/4d): plain http is only allowed for 127.0.0.1 and localhost: use https");
  });
});

describe("4dbuild tool4d", () => {
  const temp = new TempFolders();
  let server: FixtureServer;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    server = new FixtureServer();
    server.on(LINUX_21, { kind: "redirect", location: RESOLVED }).on(RESOLVED, { kind: "file", body: tool4dArchive(temp.make()) });
    env = { FOURDBUILD_CACHE: temp.make(), FOURDBUILD_TOOL4D_BASE_URL: `${await server.start()}/release`, NO_COLOR: "1" };
  });
  afterEach(async () => {
    await server.close();
    temp.removeAll();
  });

  const linuxOnly = process.platform === "linux" ? test : test.skip;

  linuxOnly("install downloads and prints the executable; path prints it with no request; list shows it (exit 0)", async () => {
    const install = await runCli(["tool4d", "install", "--4d-version", "21"], { env });
    expect(install).toMatchObject({ code: 0 });
    const executable = path.join(env.FOURDBUILD_CACHE!, "tool4d", "21.0", "100341", "linux", "bin", "tool4d");
    expect(install.stdout).toBe(`${executable}\n`);
    expect(install.stderr).toContain("tool4d 21.0 (build latest, linux): latest is build 100341");
    const again = await runCli(["tool4d", "install", "--4d-version", "21"], { env });
    expect(again.stderr).toContain("already in the cache");
    const where = await runCli(["tool4d", "path", "--4d-version", "21"], { env });
    expect(where).toEqual({ code: 0, stdout: `${executable}\n`, stderr: "" });
    const list = await runCli(["tool4d", "list"], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^VERSION +BUILD +HOST +EXECUTABLE\n21\.0 +100341 +linux +.*bin\/tool4d\n$/);
    expect(server.requests).toEqual([LINUX_21, RESOLVED]);
  });

  linuxOnly("the 4D version comes from the manifest", async () => {
    const run = await runCli(["tool4d", "install", path.join("examples", "hello", "4dbuild.yml")], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(path.join("tool4d", "21.0", "100341"));
  });

  test("path of a tool4d not in the cache: exit 1, no request", async () => {
    const run = await runCli(["tool4d", "path", "--4d-version", "21 R2", "--build", "100066"], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: tool4d 21 R2 (build 100066,");
    expect(run.stderr).toContain('hint: download it with 4dbuild tool4d install --4d-version "21 R2" --build 100066');
    expect(server.requests).toEqual([]);
  });

  test("usage errors exit 2; download failures exit 1 without a stack trace", async () => {
    expect((await runCli(["tool4d", "install", "--4d-version", "21", "--build", "newest"], { env })).code).toBe(2);
    expect((await runCli(["tool4d", "install", "--4d-version", "v21"], { env })).code).toBe(2);
    expect((await runCli(["tool4d", "frobnicate"], { env })).code).toBe(2);
    const missing = await runCli(["tool4d", "install", "--4d-version", "21", "--build", "1"], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: cannot download tool4d 21\.0 \(build 1, \w+(-\w+)?\) from http:\/\/127\.0\.0\.1:\d+\/release\/21\.x\/21\.0\/1\/\w+\/tool4d_\w+\.tar\.xz: HTTP 404 Not Found\n/);
    expect(missing.stderr).not.toMatch(STACK_TRACE);
    const list = await runCli(["tool4d", "list"], { env });
    expect(list).toMatchObject({ code: 0, stdout: "" });
    expect(list.stderr).toContain("no tool4d in the cache");
  });
});
