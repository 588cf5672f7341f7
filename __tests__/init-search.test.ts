import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { componentTraces, findProjects } from "../src/four-d/projects.js";
import { FIXTURES, runCli, tempDir } from "./helpers.js";

/** A 4D project package (the fixture app's Project folder with its compiled code, its .4DProject renamed) at `dir`/`where`. */
function packageAt(dir: string, where: string, name = "App"): string {
  const packageDir = path.join(dir, where);
  mkdirSync(packageDir, { recursive: true });
  cpSync(path.join(FIXTURES, "app", "Project"), path.join(packageDir, "Project"), { recursive: true });
  if (name !== "App") renameSync(path.join(packageDir, "Project", "App.4DProject"), path.join(packageDir, "Project", `${name}.4DProject`));
  return packageDir;
}

const PLIST_BODY = '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n  <dict>\n    <key>CFBundleName</key>\n    <string>Tools</string>\n  </dict>\n</plist>\n';

describe("init finds the project below the repository root", () => {
  test("one project in a sub-folder: project is written relative to the manifest, which validates", async () => {
    const repo = tempDir("init-search");
    packageAt(repo, "src/App");
    const run = await runCli(["init"], { cwd: repo });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("4dbuild.yml is valid\n");
    const manifest = readFileSync(path.join(repo, "4dbuild.yml"), "utf8");
    expect(manifest).toContain("name: App\nproject: src/App/Project/App.4DProject\n");
    expect(manifest).toMatch(/^ {2}compiled:$/m);
    expect(manifest).toMatch(/^ {2}# component: \{\}$/m);
  });

  test("-o elsewhere: the project path starts from the manifest's folder", async () => {
    const repo = tempDir("init-search");
    execFileSync("git", ["init", "-q"], { cwd: repo }); // the project stays inside the repository
    packageAt(repo, "App");
    mkdirSync(path.join(repo, "build-config"));
    expect((await runCli(["init", "-o", "build-config/4dbuild.yml"], { cwd: repo })).code).toBe(0);
    expect(readFileSync(path.join(repo, "build-config", "4dbuild.yml"), "utf8")).toContain("project: ../App/Project/App.4DProject\n");
  });

  test("copies in node_modules, .git, DerivedData, build outputs and installed components are not projects", () => {
    const repo = tempDir("init-search");
    const app = packageAt(repo, "App");
    for (const copy of ["node_modules/x", ".git/x", "App2/Project/DerivedData/x", "App_Build/Compiled Database/App", "Build/App", "out/Final Application/App"]) packageAt(repo, copy);
    packageAt(app, "Components/Tools.4dbase", "Tools");
    expect(findProjects(repo).map((f) => path.relative(repo, f))).toEqual([path.join("App", "Project", "App.4DProject")]);
    // Packages up to three folders down.
    packageAt(repo, "a/b/Deep");
    packageAt(repo, "a/b/c/TooDeep");
    expect(findProjects(repo).map((f) => path.relative(repo, f))).toEqual([path.join("App", "Project", "App.4DProject"), path.join("a", "b", "Deep", "Project", "App.4DProject")]);
  });

  test("several projects: exit 2, listing them and asking for --project; --project chooses", async () => {
    const repo = tempDir("init-search");
    packageAt(repo, "Tools", "Tools");
    packageAt(repo, "Tools_UnitTests", "Tools_UnitTests");
    const run = await runCli(["init"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: 2 4D projects here:\n  Tools/Project/Tools.4DProject\n  Tools_UnitTests/Project/Tools_UnitTests.4DProject\n  hint: choose one: 4dbuild init --project Tools/Project/Tools.4DProject\n");
    expect(existsSync(path.join(repo, "4dbuild.yml"))).toBe(false);
    const chosen = await runCli(["init", "--project", "Tools"], { cwd: repo });
    expect(chosen.code).toBe(0);
    expect(readFileSync(path.join(repo, "4dbuild.yml"), "utf8")).toContain("name: Tools\nproject: Tools/Project/Tools.4DProject\n");
    const missing = await runCli(["init", "--force", "--project", "Nowhere"], { cwd: repo });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: --project Nowhere: not found");
  });
});

describe("init proposes the component target for a component project", () => {
  test.each([
    ["an Info.plist at the package root, with a byte-order mark", (pkg: string) => writeFileSync(path.join(pkg, "Info.plist"), `\uFEFF${PLIST_BODY}`), "an Info.plist at the package root"],
    [
      "a component namespace in its settings",
      (pkg: string) => {
        mkdirSync(path.join(pkg, "Project", "Sources"), { recursive: true });
        writeFileSync(path.join(pkg, "Project", "Sources", "settings.4DSettings"), '\uFEFF<?xml version="1.0" encoding="UTF-8"?><preferences stamp="8">\r\n\t<com.4d>\r\n\t\t<general component_classStore_name="Tools"/>\r\n\t</com.4d>\r\n</preferences>');
      },
      'a component namespace, "Tools"',
    ],
    [
      "an On Host Database Event method",
      (pkg: string) => {
        mkdirSync(path.join(pkg, "Project", "Sources", "DatabaseMethods"), { recursive: true });
        writeFileSync(path.join(pkg, "Project", "Sources", "DatabaseMethods", "onHostDatabaseEvent.4dm"), "#DECLARE($event : Integer)\n");
      },
      "an On Host Database Event method",
    ],
  ])("%s", async (_name, trace, reason) => {
    const repo = tempDir("init-search");
    trace(packageAt(repo, "Tools", "Tools"));
    const run = await runCli(["init", "--4d-version", "20 R8"], { cwd: repo });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`wrote 4dbuild.yml for Tools (Tools/Project/Tools.4DProject), a component: it has ${reason}`);
    const manifest = readFileSync(path.join(repo, "4dbuild.yml"), "utf8");
    expect(manifest).toMatch(/^ {2}component: \{\}$/m);
    expect(manifest).toMatch(/^ {2}# compiled:$/m);
    expect(manifest).toContain(`# Proposed because the project has ${reason}`);
  });

  test("an empty namespace, or none, is no trace", () => {
    const pkg = packageAt(tempDir("init-search"), "App");
    expect(componentTraces(pkg)).toEqual([]);
    mkdirSync(path.join(pkg, "Project", "Sources"));
    writeFileSync(path.join(pkg, "Project", "Sources", "settings.4DSettings"), '<?xml version="1.0"?><preferences><com.4d><general component_classStore_name=""/></com.4d></preferences>');
    expect(componentTraces(pkg)).toEqual([]);
  });
});

describe("the OS a settings file was written on", () => {
  // A bare file name in a key written in the build host's syntax: an HFS volume on macOS, a file of the package on Windows.
  const hostDependent = "<Preferences4D><BuildApp><BuildCompiled>True</BuildCompiled><CS><CertificateAuthoritiesCertificates>cert.pem</CertificateAuthoritiesCertificates></CS></BuildApp></Preferences4D>";

  test("import needs no --host when nothing it imports depends on it", async () => {
    const dir = tempDir("init-search");
    writeFileSync(path.join(dir, "any.4DSettings"), "<Preferences4D><BuildApp><BuildCompiled>True</BuildCompiled><BuildComponent>True</BuildComponent></BuildApp></Preferences4D>");
    const run = await runCli(["import", "any.4DSettings", "-o", "-"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("(nothing in it depends on the system it was written on)");
    expect(run.stdout).toContain("targets:\n  compiled: {}\n  component: {}\n");
    expect(run.stderr).not.toMatch(/BuildMacDestFolder|BuildWinDestFolder/);
  });

  test("init --from takes --host when the import depends on it", async () => {
    const dir = tempDir("init-search");
    packageAt(dir, ".");
    mkdirSync(path.join(dir, "Settings"));
    writeFileSync(path.join(dir, "Settings", "buildApp.4DSettings"), hostDependent);
    const asked = await runCli(["init", "--from", "Settings/buildApp.4DSettings"], { cwd: dir });
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain("and its import depends on it\n  hint: pass --host mac or --host win");
    // Read as written on Windows, the name is a file of the package.
    writeFileSync(path.join(dir, "cert.pem"), "-----BEGIN CERTIFICATE-----\n");
    const win = await runCli(["init", "--from", "Settings/buildApp.4DSettings", "--host", "win"], { cwd: dir });
    expect(win.code).toBe(0);
    expect(win.stdout).toBe("4dbuild.yml is valid\n");
    const manifest = readFileSync(path.join(dir, "4dbuild.yml"), "utf8");
    expect(manifest).toContain("(written on Windows)");
    expect(manifest).toContain("network:\n  tls:\n    certificateAuthorities: cert.pem\n");
  });

  test("a client flag without its runtime is kept as the file wrote it on either system: no --host needed", async () => {
    const dir = tempDir("init-search");
    writeFileSync(path.join(dir, "client.4DSettings"), "<Preferences4D><BuildApp><BuildCompiled>True</BuildCompiled><SourcesFiles><CS><ClientMacIncludeIt>True</ClientMacIncludeIt><ClientWinIncludeIt>False</ClientWinIncludeIt></CS></SourcesFiles></BuildApp></Preferences4D>");
    const run = await runCli(["import", "client.4DSettings", "-o", "-"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("targets:\n  compiled: {}\n");
    expect(run.stdout).toContain('passthrough:\n  SourcesFiles/CS/ClientMacIncludeIt: "True"\n');
    const mac = await runCli(["import", "client.4DSettings", "-o", "-", "--host", "mac"], { cwd: dir });
    expect(mac.stdout).toBe(run.stdout.replace("nothing in it depends on the system it was written on", "written on macOS").replace("--host mac|win", "--host mac"));
    expect(mac.stderr).toContain('warning: SourcesFiles/CS/ClientMacIncludeIt is kept in passthrough as the file wrote it, not as targets.client: with it 4dbuild would write SourcesFiles/CS/ClientMacIncludeIt as "False", the file has "True" [import-kept]');
  });
});
