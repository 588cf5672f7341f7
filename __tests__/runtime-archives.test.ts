import { cpSync, existsSync, readdirSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { writeTarGz } from "../src/archives/tar.js";
import { writeZip } from "../src/archives/zip.js";
import { locateRuntime } from "../src/builder/provision.js";
import { walkTree } from "../src/files/tree.js";
import { BuildError } from "../src/messages/errors.js";
import { provisionRuntimeArchive } from "../src/toolchain/runtime-archives.js";
import { listZip } from "../src/toolchain/zip-listing.js";
import { archiveOf, FixtureServer, TempFolders } from "./http-fixture.js";
import { ROOT } from "./helpers.js";

const STAND_IN_MAC = path.join(ROOT, "examples", "runtimes", "mac", "4D Volume Desktop.app");
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
/** A tree as it matters for a bundle: paths, kinds, executable bits, link targets. */
const shape = async (root: string) => (await walkTree(root, root, "keep")).map((e) => `${e.relative} ${e.kind}${e.executable ? " +x" : ""}${e.linkTarget ? ` -> ${e.linkTarget}` : ""}`);

describe("runtimes from archives and downloads", () => {
  const temp = new TempFolders();
  let server: FixtureServer;
  let cache: string;
  let work: string;
  const env = () => ({ FOURDBUILD_CACHE: cache });

  beforeEach(async () => {
    server = new FixtureServer();
    await server.start();
    cache = temp.make();
    work = temp.make();
  });
  afterEach(async () => {
    await server.close();
    temp.removeAll();
  });

  test.each(["zip", "tar.gz", "tar.xz"] as const)("a .%s of a macOS bundle arrives intact: framework symbolic links and executable bits", async (format) => {
    const archive = path.join(work, `vd.${format}`);
    await archiveOf(STAND_IN_MAC, format, archive);
    const got = await provisionRuntimeArchive({ kind: "archive", path: archive }, "targets.standalone.runtime.mac", { env: env() });
    expect(got.from).toBe("unpack");
    const runtime = locateRuntime(got.folder, { platform: "mac", kind: "Volume Desktop", field: "targets.standalone.runtime.mac" });
    expect(path.basename(runtime)).toBe("4D Volume Desktop.app");
    expect(await shape(runtime)).toEqual(await shape(STAND_IN_MAC));
    expect(readlinkSync(path.join(runtime, "Contents", "Frameworks", "4DZip.framework", "Versions", "Current"))).toBe("A");
    expect(readlinkSync(path.join(runtime, "Contents", "Frameworks", "Chromium Embedded Framework.framework"))).toBe("../Native Components/WebViewerCEF.bundle/Contents/Frameworks/Chromium Embedded Framework.framework");
    expect(statSync(path.join(runtime, "Contents", "MacOS", "4D Volume Desktop")).mode & 0o111).not.toBe(0);
    // The archive's digest is remembered: the next build neither hashes nor unpacks it.
    expect(await provisionRuntimeArchive({ kind: "archive", path: archive }, "x", { env: env() })).toEqual({ folder: got.folder, from: "cache" });
    expect(readdirSync(path.join(cache, "tmp"))).toEqual([]);
  });

  test("a download is fetched once, checked against its sha256, unpacked and reused with no request", async () => {
    const body = await archiveOf(STAND_IN_MAC, "zip", path.join(work, "vd.zip"));
    server.on("/store/vd-mac.zip", { kind: "file", body });
    const source = { kind: "url" as const, url: `${server.base}/store/vd-mac.zip?sig=top-secret`, sha256: sha256(body) };
    const first = await provisionRuntimeArchive(source, "targets.standalone.runtime.mac", { env: env() });
    expect(first).toEqual({ folder: path.join(cache, "runtimes", sha256(body)), from: "download" });
    expect(await shape(path.join(first.folder, "4D Volume Desktop.app"))).toEqual(await shape(STAND_IN_MAC));
    expect(await provisionRuntimeArchive(source, "targets.standalone.runtime.mac", { env: env() })).toEqual({ ...first, from: "cache" });
    expect(server.requests).toEqual(["/store/vd-mac.zip"]);
  });

  test("a download with another SHA-256 is removed; the error names the address (query masked) and both digests", async () => {
    const body = await archiveOf(STAND_IN_MAC, "tar.gz", path.join(work, "vd.tgz"));
    server.on("/store/vd-mac.tgz", { kind: "file", body });
    const expected = "0".repeat(64);
    const error = (await provisionRuntimeArchive({ kind: "url", url: `${server.base}/store/vd-mac.tgz?sig=top-secret`, sha256: expected }, "targets.standalone.runtime.mac", { env: env() }).catch((e: unknown) => e)) as BuildError;
    expect(error).toBeInstanceOf(BuildError);
    expect(error.message).toBe(`targets.standalone.runtime.mac: the download from ${server.base}/store/vd-mac.tgz?*** has SHA-256 ${sha256(body)}, but the manifest expects ${expected}; it was removed`);
    expect(existsSync(path.join(cache, "runtimes", expected))).toBe(false);
    expect(readdirSync(path.join(cache, "tmp"))).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  test("archive entries outside the folder and links leaving it are refused", async () => {
    const file = path.join(work, "payload.txt");
    writeFileSync(file, "x");
    const escaping = path.join(work, "escaping.tar.gz");
    await writeTarGz([{ name: "../escaped.txt", kind: "file", absolute: file, size: 1, executable: false }], escaping, { sourceDate: 1_700_000_000 });
    await expect(provisionRuntimeArchive({ kind: "archive", path: escaping }, "targets.server.runtime.win", { env: env() })).rejects.toThrow("targets.server.runtime.win: the archive holds an entry outside its folder: ../escaped.txt");
    expect(existsSync(path.join(cache, "escaped.txt")) || existsSync(path.join(cache, "tmp", "escaped.txt"))).toBe(false);
    for (const [format, write] of [["zip", writeZip], ["tar.gz", writeTarGz]] as const) {
      const linked = path.join(work, `linked.${format}`);
      await write([{ name: "app", kind: "directory", size: 0, executable: false }, { name: "app/passwd", kind: "symlink", size: 0, executable: false, linkTarget: "../../../../../../etc/passwd" }], linked, { sourceDate: 1_700_000_000 });
      await expect(provisionRuntimeArchive({ kind: "archive", path: linked }, "targets.server.runtime.mac", { env: env() })).rejects.toThrow(/targets\.server\.runtime\.mac: the archive holds a symbolic link leaving it: app\/passwd → /);
    }
    const through = path.join(work, "through.zip");
    await writeZip([{ name: "app", kind: "directory", size: 0, executable: false }, { name: "app/up", kind: "symlink", size: 0, executable: false, linkTarget: "../.." }, { name: "app/up/evil.txt", kind: "file", absolute: file, size: 1, executable: false }], through, { sourceDate: 1_700_000_000 });
    await expect(provisionRuntimeArchive({ kind: "archive", path: through }, "targets.server.runtime.mac", { env: env() })).rejects.toThrow("targets.server.runtime.mac: the archive holds an entry inside one of its symbolic links: app/up/evil.txt");
    expect(readdirSync(path.join(cache, "runtimes")).filter((n) => n !== "local")).toEqual([]);
    expect(readdirSync(path.join(cache, "tmp"))).toEqual([]);
  });

  test("a zip is listed from its central directory, zip64 records included, with its symbolic links", async () => {
    const tree = await walkTree(STAND_IN_MAC, STAND_IN_MAC, "keep");
    for (const forceZip64 of [false, true]) {
      const zip = path.join(work, `listed-${forceZip64}.zip`);
      await writeZip(tree.map((e) => ({ ...e, name: e.relative })), zip, { sourceDate: 1_700_000_000, forceZip64 });
      const listed = await listZip(zip);
      expect(listed?.filter((e) => e.symlink).map((e) => e.name)).toEqual(tree.filter((e) => e.kind === "symlink").map((e) => e.relative));
      expect(listed).toHaveLength(tree.length);
    }
  });

  test("a damaged local archive is named with the file", async () => {
    const broken = path.join(work, "broken.zip");
    writeFileSync(broken, "PK\u0003\u0004 not really a zip");
    await expect(provisionRuntimeArchive({ kind: "archive", path: broken }, "targets.client.runtime.win", { env: env() })).rejects.toThrow(/^targets\.client\.runtime\.win: the zip archive cannot be (read|unpacked) \(.*\): .*broken\.zip$/);
  });

  test("an archive of a 4D folder holding several runtimes: each target finds its own", async () => {
    const folder = path.join(work, "4D v21");
    for (const name of ["4D Volume Desktop.app", "4D Server.app"]) cpSync(path.join(ROOT, "examples", "runtimes", "mac", name), path.join(folder, name), { recursive: true, verbatimSymlinks: true });
    const archive = path.join(work, "4d-v21-mac.tar.xz");
    await archiveOf(folder, "tar.xz", archive);
    const { folder: root } = await provisionRuntimeArchive({ kind: "archive", path: archive }, "x", { env: env() });
    expect(path.relative(root, locateRuntime(root, { platform: "mac", kind: "Server", field: "targets.server.runtime.mac" }))).toBe(path.join("4D v21", "4D Server.app"));
    expect(path.relative(root, locateRuntime(root, { platform: "mac", kind: "Volume Desktop", field: "f" }))).toBe(path.join("4D v21", "4D Volume Desktop.app"));
    expect(() => locateRuntime(root, { platform: "win", kind: "Server", field: "targets.server.runtime.win" })).toThrow("targets.server.runtime.win: the archive holds no 4D Server for Windows (it holds 4D Server for mac, 4D Volume Desktop for mac)");
  });
});
