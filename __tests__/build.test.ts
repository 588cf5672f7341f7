import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parse } from "plist";
import { uuidOffsets, uuidText } from "../src/builder/app/macho.js";
import { readWindowsVersion } from "../src/builder/app/pe-resources.js";
import { keepInStructure, stripPolicy } from "../src/builder/steps/structure.js";
import { loadManifestText } from "../src/manifest/load.js";
import { cliEnv, EPOCH, exampleCopy, FIXTURES, ROOT, runCli, STACK_TRACE, STAND_IN_TOOL4D } from "./helpers.js";

const CLI = path.join(ROOT, "dist", "cli.cjs");

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (d: string, prefix: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${name.name}` : name.name;
      if (name.isSymbolicLink()) out.set(rel, Buffer.from(`-> ${readlinkSync(path.join(d, name.name))}`));
      else if (name.isDirectory()) visit(path.join(d, name.name), rel);
      else out.set(rel, readFileSync(path.join(d, name.name)));
    }
  };
  visit(dir, "");
  return out;
}

const compareBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const isLink = (file: string) => lstatSync(file).isSymbolicLink();


describe("building the example", () => {
  const { manifest, out } = exampleCopy();
  let run: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    run = await runCli(["build", manifest, "--out", out], { env: cliEnv() });
  });

  test("produces every target of the example for both platforms, and the reports", () => {
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n").map((l) => path.relative(out, l)).sort()).toEqual(
      [
        ...["client", "server", "standalone"].flatMap((t) => ["mac", "win"].flatMap((p) => [`Archives/Hello-${t}-${p}.zip`, `Archives/Hello-${t}-${p}.tar.gz`])),
        "BuildApp.log.xml",
        "Client Server executable/Hello Client",
        "Client Server executable/Hello Client.app",
        "Client Server executable/Hello Server",
        "Client Server executable/Hello Server.app",
        "Client Server executable/WebFolder",
        "Compiled Database/Hello",
        "Components/Hello.4dbase",
        "Final Application/Hello",
        "Final Application/Hello.app",
        "Final Application/WebFolder",
        "SHA256SUMS",
        "build-report.json",
      ].sort(),
    );
  });

  test("lays the targets out as 4D does (component with Contents/ from 20 R8)", () => {
    expect([...files(out).keys()].filter((k) => /^(Compiled Database|Components)\//.test(k)).sort()).toEqual([
      "Compiled Database/Hello/Hello.4DZ",
      "Compiled Database/Hello/Libraries/lib4d-arm64.dylib",
      "Compiled Database/Hello/Resources/en.lproj/Hello.xlf",
      "Components/Hello.4dbase/Contents/Documentation/Methods/hello_greet.md",
      "Components/Hello.4dbase/Contents/Hello.4DZ",
      "Components/Hello.4dbase/Contents/Info.plist",
      "Components/Hello.4dbase/Contents/Libraries/lib4d-arm64.dylib",
      "Components/Hello.4dbase/Contents/Resources/en.lproj/Hello.xlf",
    ]);
    const plist = readFileSync(path.join(out, "Components/Hello.4dbase/Contents/Info.plist"), "utf8");
    for (const key of ["CFBundleDisplayName", "CFBundleName", "CFBundleShortVersionString", "CFBundleVersion", "NSHumanReadableCopyright"]) expect(plist).toContain(`<key>${key}</key>`);
    expect(plist).toContain("<string>© 2026 Example Ltd</string>");
  });

  test("every .4DZ passes unzip -t, has Project/ at its root and no .4dm", () => {
    for (const zip of ["Compiled Database/Hello/Hello.4DZ", "Components/Hello.4dbase/Contents/Hello.4DZ"]) {
      const file = path.join(out, zip);
      expect(execFileSync("unzip", ["-t", file], { encoding: "utf8" })).toContain("No errors detected");
      const names = execFileSync("unzip", ["-Z1", file], { encoding: "utf8" }).trim().split("\n");
      expect(names[0]).toBe("Project/");
      expect(names.every((n) => n.startsWith("Project/"))).toBe(true);
      expect(names.filter((n) => /\.4dm$/i.test(n))).toEqual([]);
      expect(names).toEqual(expect.arrayContaining(["Project/Hello.4DProject", "Project/DerivedData/CompiledCode/map.json", "Project/Sources/Forms/Main/form.4DForm", "Project/Sources/catalog.4DCatalog"]));
      expect(names.filter((n) => /Trash|Methods\/|Classes\/|ObjectMethods/.test(n))).toEqual([]);
    }
  });

  test("SHA256SUMS checks with sha256sum; the report lists artifacts and timed steps; the log is 4D's format", () => {
    expect(execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: out, encoding: "utf8" })).toMatch(/Hello\.4DZ: OK/);
    const report = JSON.parse(readFileSync(path.join(out, "build-report.json"), "utf8")) as { name: string; sourceDateEpoch: number; artifacts: { path: string; size: number; sha256: string }[]; steps: { step: string; status: string; durationMs: number; reason?: string }[]; warnings: { message: string }[] };
    expect(report.name).toBe("Hello");
    expect(report.sourceDateEpoch).toBe(Number(EPOCH));
    expect(report.artifacts.map((a) => a.path)).toContain("Compiled Database/Hello/Hello.4DZ");
    for (const a of report.artifacts) expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.steps.map((s) => `${s.step}:${s.status}`)).toEqual(expect.arrayContaining(["compile:skipped", "structure:done", "pack:done", "layout:done", "component-plist:done", "sign:skipped"]));
    expect(report.artifacts.map((a) => a.path)).toEqual(expect.arrayContaining(["Archives/Hello-standalone-mac.zip", "Final Application/Hello/Hello.exe"]));
    // Off macOS, the macOS applications and the component are marked unsigned (steps/unsigned.ts); nothing else warns.
    expect(report.warnings.filter((w) => !w.message.includes("unsigned: must be signed on macOS"))).toEqual([]);
    expect(report.warnings.length).toBe(process.platform === "darwin" ? 0 : 4);
    const log = readFileSync(path.join(out, "BuildApp.log.xml"), "utf8");
    expect(log).toMatch(/^<\?xml version="1.0" encoding="UTF-8" standalone="no" \?>\n<BuildApplicationLog>\n\n {2}<Log>\n {4}<MessageType>Comment<\/MessageType>/);
    expect(log).toContain("<Target>Component</Target>");
  });

  test("the built trees match the reviewed expectation, file by file and link by link", () => {
    const tree = [...files(out)].filter(([k]) => k !== "build-report.json" && k !== "BuildApp.log.xml").map(([k, v]) => (isLink(path.join(out, k)) ? `${k} ${v.toString()}` : k));
    const expected = readFileSync(path.join(ROOT, "__tests__", "expected", "hello-build.tree"), "utf8").trim().split("\n");
    expect(tree.sort(compareBytes)).toEqual(expected);
  });

  test("Info.plist keys read back equal the manifest's values", () => {
    const mac = parse(readFileSync(path.join(out, "Final Application/Hello.app/Contents/Info.plist"), "utf8")) as Record<string, string>;
    expect(mac).toEqual(expect.objectContaining({ CFBundleName: "Hello", CFBundleExecutable: "Hello", CFBundleIconFile: "Hello.icns", CFBundleShortVersionString: "1.0.0", NSHumanReadableCopyright: "© 2026 Example Ltd", "com.4D.BuildApp.LastDataPathLookup": "ByAppName", CFBundlePackageType: "APPL" }));
    const server = parse(readFileSync(path.join(out, "Client Server executable/Hello Server/Resources/Info.plist"), "utf8")) as Record<string, string>;
    expect(server).toEqual(expect.objectContaining({ BuildRangeVersMin: "2", BuildRangeVersMax: "3", BuildCurrentVers: "3", BuildHardLink: "hello-example", "com.4D.BuildApp.LastDataPathLookup": "ByAppPath", "com.4d.ServerCacheFolderName": "Hello Server 21", "com.4D.HideDataExplorerMenuItem": "true" }));
    const client = parse(readFileSync(path.join(out, "Client Server executable/Hello Client.app/Contents/Info.plist"), "utf8")) as Record<string, string>;
    expect(client).toEqual(expect.objectContaining({ CFBundleName: "Hello Client", "com.4D.BuildApp.ServerSelectionAllowed": "true", PublishName: "Hello" }));
  });

  test("PE version resources read back equal the manifest's values; Mach-O UUIDs differ per application", () => {
    expect(readWindowsVersion(readFileSync(path.join(out, "Client Server executable/Hello Server/Hello Server.exe")))).toEqual(
      expect.objectContaining({ ProductName: "Hello Server", OriginalFilename: "Hello Server.exe", FileVersion: "1.0.0", ProductVersion: "1.0.0", LegalCopyright: "© 2026 Example Ltd", CompanyName: "Example Ltd", FileDescription: "Hello Server" }),
    );
    expect(readWindowsVersion(readFileSync(path.join(out, "Final Application/Hello/Hello.exe")))).toEqual(expect.objectContaining({ ProductName: "Hello", FileDescription: "4D Volume Desktop" }));
    const uuids = (file: string) => {
      const binary = readFileSync(path.join(out, file));
      return uuidOffsets(binary).map((o) => uuidText(binary, o));
    };
    const standalone = uuids("Final Application/Hello.app/Contents/MacOS/Hello");
    const client = uuids("Client Server executable/Hello Client.app/Contents/MacOS/Hello Client");
    expect(standalone).toHaveLength(2);
    expect(standalone).not.toEqual(client);
    expect(standalone).not.toContain("D0000000000000000000000000000001");
  });

  test("the distributable archives pass unzip -t and keep the bundles' symbolic links", () => {
    const archive = path.join(out, "Archives", "Hello-standalone-mac.zip");
    expect(execFileSync("unzip", ["-t", archive], { encoding: "utf8" })).toContain("No errors detected");
    const listing = execFileSync("unzip", ["-Z", archive], { encoding: "utf8" });
    expect(listing).toMatch(/^lrwxr-xr-x .* Hello\.app\/Contents\/Frameworks\/4DZip\.framework\/Versions\/Current$/m);
  });

  test("the .tar.gz archives hold the same entries as the zips, with links, modes and one owner and date", () => {
    for (const name of ["Hello-standalone-mac", "Hello-client-win"]) {
      const tarball = path.join(out, "Archives", `${name}.tar.gz`);
      execFileSync("gzip", ["-t", tarball]);
      expect(readFileSync(tarball)[9]).toBe(3); // gzip header OS byte: the same on every host
      const tarNames = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
      const zipNames = execFileSync("unzip", ["-Z1", path.join(out, "Archives", `${name}.zip`)], { encoding: "utf8" }).trim().split("\n");
      expect(tarNames).toEqual(zipNames);
    }
    const listing = execFileSync("tar", ["--numeric-owner", "-tvzf", path.join(out, "Archives", "Hello-standalone-mac.tar.gz")], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    expect(listing).toMatch(/^lrwxr-xr-x 0\/0 +0 2023-11-14 22:13 Hello\.app\/Contents\/Frameworks\/4DZip\.framework\/Versions\/Current -> A$/m);
    expect(listing).toMatch(/^-rwxr-xr-x 0\/0 .* Hello\.app\/Contents\/MacOS\/Hello$/m);
    expect(listing).toMatch(/^-rw-r--r-- 0\/0 .* Hello\.app\/Contents\/Info\.plist$/m);
    expect(listing.trim().split("\n").every((l) => l.includes(" 2023-11-14 22:13 "))).toBe(true);
  });

  test("no staging folder or lock is left behind", () => {
    expect(readdirSync(out).filter((n) => n.startsWith("."))).toEqual([]);
  });
});

test("two builds with different mtimes, umask, time zone and file creation order give identical bytes", () => {
  const first = exampleCopy();
  const second = exampleCopy();
  // Second copy: other file times, files created again in reverse order.
  const project = path.join(second.root, "examples", "hello", "Project");
  const entries = readdirSync(project, { recursive: true, encoding: "utf8" }).reverse();
  for (const rel of entries) {
    const file = path.join(project, rel);
    if (!lstatSync(file).isFile()) continue;
    const content = readFileSync(file);
    rmSync(file);
    writeFileSync(file, content);
    utimesSync(file, 1234567890, 1234567890);
  }
  const build = (copy: ReturnType<typeof exampleCopy>, umask: string, tz: string) => {
    const result = spawnSync("sh", ["-c", `umask ${umask} && exec "${process.execPath}" "${CLI}" build "${copy.manifest}" --out "${copy.out}"`], { env: cliEnv({ TZ: tz }), encoding: "utf8" });
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.status).toBe(0);
    return files(copy.out);
  };
  const one = build(first, "022", "UTC");
  const two = build(second, "077", "Pacific/Kiritimati");
  const compared = [...one.keys()].filter((k) => k !== "build-report.json" && k !== "BuildApp.log.xml");
  expect([...two.keys()].sort()).toEqual([...one.keys()].sort());
  for (const key of compared) expect({ key, same: one.get(key)!.equals(two.get(key)!) }).toEqual({ key, same: true });
});

test("a build killed mid-way leaves the previous output intact (real process, SIGTERM)", async () => {
  const copy = exampleCopy();
  const env = cliEnv();
  expect(spawnSync(process.execPath, [CLI, "build", copy.manifest, "--out", copy.out], { env }).status).toBe(0);
  const before = files(copy.out);

  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace(/compile:\n {2}enabled: false.*\n/, "compile:\n  enabled: true\n"));
  const started = path.join(copy.root, "tool4d-started");
  const child = spawn(process.execPath, [CLI, "build", copy.manifest, "--out", copy.out], { env: { ...env, TOOL4D: STAND_IN_TOOL4D, STANDIN_TOOL4D_SCENARIO: "slow", STANDIN_TOOL4D_STARTED: started } });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  for (let i = 0; i < 200 && !existsSync(started); i++) await sleep(50);
  expect(existsSync(started)).toBe(true);
  expect(readdirSync(copy.out).some((n) => n.startsWith(".4dbuild-staging-"))).toBe(true);
  child.kill("SIGTERM");
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(code).toBe(143);
  expect(stderr).toContain("build interrupted by SIGTERM: the previous outputs are untouched");
  const after = files(copy.out);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [key, content] of before) expect({ key, same: content.equals(after.get(key)!) }).toEqual({ key, same: true });
  expect(readdirSync(copy.out).filter((n) => n.startsWith("."))).toEqual([]);
  const toolPid = Number(readFileSync(started, "utf8"));
  expect(() => process.kill(toolPid, 0)).toThrow();
});

describe("compilation through tool4d", () => {
  const setup = (scenario: string) => {
    const copy = exampleCopy();
    rmSync(path.join(copy.root, "examples", "hello", "Project", "DerivedData"), { recursive: true });
    rmSync(path.join(copy.root, "examples", "hello", "Libraries"), { recursive: true });
    const text = readFileSync(copy.manifest, "utf8").replace(/compile:\n {2}enabled: false.*\n/, "compile:\n  enabled: true\n  targets: [x86_64]\n  typeInference: locals\n  warnings:\n    - { major: 518, minor: 1, enabled: false }\n");
    writeFileSync(copy.manifest, text);
    const argsFile = path.join(copy.root, "args.json");
    return { copy, argsFile, env: cliEnv({ TOOL4D: STAND_IN_TOOL4D, STANDIN_TOOL4D_SCENARIO: scenario, STANDIN_TOOL4D_ARGS: argsFile }) };
  };

  test("runs tool4d headless on 4dbuild's compiler project with the manifest's options, then builds", async () => {
    const { copy, argsFile, env } = setup("success");
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled"], { env });
    expect(run.code).toBe(0);
    const args = JSON.parse(readFileSync(argsFile, "utf8")) as string[];
    expect(args.slice(0, 7)).toEqual(["--project", expect.stringMatching(/compiler[/\\]Project[/\\]Compiler\.4DProject$/), "--dataless", "--skip-onstartup", "--startup-method", "compile_project", "--user-param"]);
    const request = JSON.parse(args[7]!) as { project: string; options: Record<string, unknown>; result: string; errorFlag: string };
    expect(request.project).toBe(path.join(copy.root, "examples", "hello", "Project", "Hello.4DProject"));
    expect(request.options).toEqual({ targets: ["x86_64_generic"], typeInference: "locals", generateSymbols: false, generateSyntaxFile: false, warnings: [{ major: 518, minor: 1, enabled: false }] });
    expect(run.stderr).toContain("tool4d: stand-in tool4d: compiling Hello.4DProject (success)");
    expect(run.stderr).toContain("Project/Sources/Forms/Main/ObjectMethods/Button.4dm:2:1: warning: Main.Button: Pointer in an expression");
    const names = execFileSync("unzip", ["-Z1", path.join(copy.out, "Compiled Database/Hello/Hello.4DZ")], { encoding: "utf8" });
    expect(names).toContain("Project/DerivedData/CompiledCode/map.json");
  });

  // The copies are not git checkouts: paths are relative to the manifest's folder (in a repository, to its root).
  test("compiler errors become located diagnostics and GitHub annotations; the build stops with exit 1", async () => {
    const { copy, env } = setup("errors");
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--log", "github"], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("::error file=Project/Sources/Methods/hello_greet.4dm,line=4,col=1,title=4dbuild compiler::hello_greet: The variable $nme is not defined");
    expect(run.stderr).toContain("::error file=Project/Sources/Classes/Greeter.4dm,line=7,col=1,title=4dbuild compiler::Greeter.greet: Unknown member function");
    expect(run.stderr).toContain("::warning file=Project/Sources/Forms/Main/ObjectMethods/Button.4dm,line=2,col=1,title=4dbuild compiler::Main.Button: Pointer in an expression");
    expect(run.stderr).toContain("error: compile: compilation failed with 2 errors");
    expect(existsSync(copy.out) ? readdirSync(copy.out).filter((n) => !n.startsWith(".")) : []).toEqual([]);
  });

  test("tool4d ending without a result is a clear failure", async () => {
    const { copy, env } = setup("no-result");
    const run = await runCli(["build", copy.manifest, "--out", copy.out], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: compile: tool4d ended (exit code 1) without writing the compilation result");
  });

  test("a missing tool4d says how to get it", async () => {
    const { copy } = setup("success");
    const run = await runCli(["build", copy.manifest, "--out", copy.out], { env: cliEnv() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: compile: compile.enabled is true but no tool4d is configured");
    expect(run.stderr).toContain("https://resources-download.4d.com/release/21.x/21.0/latest/linux/tool4d_Linux.tar.xz");
  });

  test("without compilation a project without compiled code is refused before the build starts, at compile.enabled", async () => {
    const copy = exampleCopy();
    rmSync(path.join(copy.root, "examples", "hello", "Project", "DerivedData"), { recursive: true });
    rmSync(path.join(copy.root, "examples", "hello", "Libraries"), { recursive: true });
    const run = await runCli(["build", copy.manifest, "--out", copy.out], { env: cliEnv() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("4dbuild.yml:92:12: error: compilation is off and the project has no compiled code (neither Project/DerivedData/CompiledCode nor Libraries/lib4d-arm64.dylib)");
    expect(existsSync(copy.out)).toBe(false);
  });
});

describe("one build at a time per destination", () => {
  test("a live lock makes a second build fail with a clear message; a stale one is taken over", async () => {
    const copy = exampleCopy();
    execFileSync("mkdir", ["-p", copy.out]);
    writeFileSync(path.join(copy.out, ".4dbuild.lock"), JSON.stringify({ pid: process.pid }));
    const blocked = await runCli(["build", copy.manifest, "--out", copy.out, "--wait", "0"], { env: cliEnv() });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(`error: another build (process ${process.pid}) is writing to ${copy.out}`);
    writeFileSync(path.join(copy.out, ".4dbuild.lock"), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const takenOver = await runCli(["build", copy.manifest, "--out", copy.out, "--wait", "0"], { env: cliEnv() });
    expect(takenOver.code).toBe(0);
  });
});

test("--dry-run prints the plan and writes nothing", async () => {
  const copy = exampleCopy();
  const run = await runCli(["build", copy.manifest, "--out", copy.out, "--dry-run"], { env: cliEnv() });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("Steps:");
  expect(existsSync(copy.out)).toBe(false);
});

describe("structure strip policy", () => {
  const plan = (structure: string) =>
    loadManifestText(path.join(FIXTURES, "manifests", "s.yml"), `version: 1\nproject: ../app/Project/App.4DProject\n4dVersion: "21"\ntargets:\n  compiled: {}\n${structure}`, { env: {}, checkFiles: false }).plan!;
  const keep = (p: ReturnType<typeof plan>, relative: string, kind: "file" | "directory" = "file") => keepInStructure({ relative, kind }, stripPolicy(p));

  test("sources are always removed; DerivedData and forms stay", () => {
    const p = plan("");
    expect(keep(p, "Sources/Methods", "directory")).toBe(false);
    expect(keep(p, "Sources/Classes/Greeter.4dm")).toBe(false);
    expect(keep(p, "Sources/Forms/Main/method.4DM")).toBe(false);
    expect(keep(p, "DerivedData/CompiledCode/map.json")).toBe(true);
    expect(keep(p, "Sources/Forms/Main/form.4DForm")).toBe(true);
  });

  test("defaults: Trash and hidden files go, folders.json and dependencies.json stay; each is configurable", () => {
    const defaults = plan("");
    expect([keep(defaults, "Trash", "directory"), keep(defaults, "Sources/.DS_Store"), keep(defaults, "Sources/folders.json"), keep(defaults, "Sources/dependencies.json")]).toEqual([false, false, true, true]);
    const fourD = plan("structure:\n  strip: { trash: false, hiddenFiles: false, foldersJson: true, dependenciesJson: true }\n  delete: [Sources/Forms/Debug]\n");
    expect([keep(fourD, "Trash", "directory"), keep(fourD, "Sources/.DS_Store"), keep(fourD, "Sources/folders.json"), keep(fourD, "Sources/dependencies.json")]).toEqual([true, true, false, false]);
    expect([keep(fourD, "Sources/Forms/Debug", "directory"), keep(fourD, "Sources/Forms/Debug/form.4DForm"), keep(fourD, "Sources/Forms/Debugger/form.4DForm")]).toEqual([false, false, true]);
  });
});

test("a build error never shows a secret: a runtime path given as a secret is masked in the message", async () => {
  const copy = exampleCopy();
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("mac: !external ${env.VOLUME_DESKTOP_MAC:-../runtimes/mac/4D Volume Desktop.app}", "mac: ${secret.VOLUME_DESKTOP_PATH}"));
  const secretPath = path.join(copy.root, "examples", "hello");
  const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "standalone", "--platform", "mac"], { env: cliEnv({ VOLUME_DESKTOP_PATH: secretPath }) });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("error: runtime (standalone mac): *** is neither a 4D Volume Desktop nor a 4D Server");
  expect(run.stdout + run.stderr).not.toContain(secretPath);
});

test.each([
  ["mac", "runtimes/mac/4D Volume Desktop.app/Contents/MacOS/4D Volume Desktop", "#!/bin/sh\n", "Final Application/Hello.app/Contents/MacOS/Hello", "not a Mach-O executable"],
  ["win", "runtimes/win/4D Volume Desktop/4D Volume Desktop.4DE", "MZ but not a program\n", "Final Application/Hello/Hello.exe", ""],
])("a runtime whose %s executable is damaged is a clear build error naming the step, the unit and the file's final place", async (platform, executable, content, built, reason) => {
  const copy = exampleCopy();
  writeFileSync(path.join(copy.root, "examples", executable), content);
  const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "standalone", "--platform", platform], { env: cliEnv() });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`error: metadata (standalone ${platform}): ${path.join(copy.out, built)} cannot be edited: ${reason}`);
  expect(run.stderr).not.toContain("4dbuild-staging");
  expect(run.stderr).not.toContain("internal error");
});
