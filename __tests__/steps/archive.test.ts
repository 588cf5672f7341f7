import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { archiveStep } from "../../src/builder/steps/archive.js";
import { appTargets, artifactPaths, hello, listTree, runStep, stageApplication, stepContext, zipNames } from "../testctx.js";

const BOTH = "output:\n  archives: [zip, tar.gz]\n";

describe("archive: the distributable archives of an application", () => {
  test("zip and tar.gz under Archives/, holding the package with its links, modes and one date; registered as outputs", async () => {
    const context = stepContext(hello(appTargets("standalone") + BOTH));
    const paths = await stageApplication(context, { target: "standalone", platform: "mac" });
    await runStep(context, archiveStep, { target: "standalone", platform: "mac" });
    expect(artifactPaths(context, "target")).toEqual(["Archives/Hello-standalone-mac.zip", "Archives/Hello-standalone-mac.tar.gz"]);
    const zip = path.join(context.out, "Archives", "Hello-standalone-mac.zip");
    const tarball = path.join(context.out, "Archives", "Hello-standalone-mac.tar.gz");
    expect(execFileSync("unzip", ["-t", zip], { encoding: "utf8" })).toContain("No errors detected");
    const names = ["Hello.app/", ...(await listTree(paths.root, { folders: true })).map((p) => `Hello.app/${p}`)];
    expect(zipNames(zip)).toEqual(names);
    expect(execFileSync("unzip", ["-Z", zip], { encoding: "utf8" })).toMatch(/^lrwxr-xr-x .* Hello\.app\/Contents\/Frameworks\/4DZip\.framework\/Versions\/Current$/m);
    expect(execFileSync("unzip", ["-p", zip, "Hello.app/Contents/MacOS/Hello"]).equals(readFileSync(paths.executable))).toBe(true);
    expect(execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n")).toEqual(names);
    expect(readFileSync(tarball)[9]).toBe(3); // gzip header OS byte: the same on every host
    const listing = execFileSync("tar", ["--numeric-owner", "-tvzf", tarball], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    expect(listing).toMatch(/^lrwxr-xr-x 0\/0 +0 2023-11-14 22:13 Hello\.app\/Contents\/Frameworks\/4DZip\.framework\/Versions\/Current -> A$/m);
    expect(listing).toMatch(/^-rwxr-xr-x 0\/0 .* Hello\.app\/Contents\/MacOS\/Hello$/m);
    expect(listing).toMatch(/^-rw-r--r-- 0\/0 .* Hello\.app\/Contents\/Info\.plist$/m);
    expect(listing.trim().split("\n").every((l) => l.includes(" 2023-11-14 22:13 "))).toBe(true);
  });

  test("a Windows application is archived with its folder; the same tree gives the same bytes", async () => {
    const archive = async () => {
      const context = stepContext(hello(appTargets("server")));
      await stageApplication(context, { target: "server", platform: "win" });
      await runStep(context, archiveStep, { target: "server", platform: "win" });
      expect(artifactPaths(context, "target")).toEqual(["Archives/Hello-server-win.zip"]); // the default: zip only
      const file = path.join(context.out, "Archives", "Hello-server-win.zip");
      return { names: zipNames(file), bytes: readFileSync(file) };
    };
    const first = await archive();
    expect(first.names[0]).toBe("Hello Server/");
    expect(first.names.every((n) => n.startsWith("Hello Server/"))).toBe(true);
    expect(first.names).toContain("Hello Server/Hello Server.exe");
    expect((await archive()).bytes.equals(first.bytes)).toBe(true);
  });

  test("skipped with output.archives: []", () => {
    expect(archiveStep.skip!(stepContext(hello(`${appTargets("standalone")}output:\n  archives: []\n`)).plan, { target: "standalone", platform: "mac" })).toBe("output.archives is empty");
  });
});
