import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseSettings } from "../src/generator/settings-xml.js";
import { sameValue } from "../src/generator/import.js";
import { keyDef } from "../src/generator/keys.js";
import { FIXTURES, packageWith, runCli, tempDir } from "./helpers.js";

// What import writes validates with the same 4dbuild: what a rule would refuse, or the file's 4D version
// ignores, is kept as the file wrote it (passthrough) and reported once, by the import.

const settings = (body: string) => `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<Preferences4D>\n\n  <BuildApp>\n${body}\n  </BuildApp>\n\n\n</Preferences4D>\n`;

/** A Windows file of 4D v19 R8 still listing the licences of 4D 15, and a module list 4D 19 ignores. */
const OLD_LICENCES = settings(`    <BuildCompiled>False</BuildCompiled>
    <BuildComponent>False</BuildComponent>
    <BuildApplicationSerialized>True</BuildApplicationSerialized>
    <SourcesFiles>
      <RuntimeVL>
        <RuntimeVLIncludeIt>True</RuntimeVLIncludeIt>
        <RuntimeVLWinFolder>C:\\Program Files\\4D\\4D v19 R8\\4D Volume Desktop\\</RuntimeVLWinFolder></RuntimeVL>
      <CS>
        <ServerIncludeIt>False</ServerIncludeIt>
        <ClientWinIncludeIt>False</ClientWinIncludeIt>
        <ClientMacIncludeIt>False</ClientMacIncludeIt>
      </CS>
    </SourcesFiles>
    <CS>
      <BuildServerApplication>False</BuildServerApplication>
    </CS>
    <BuildApplicationName>Ledger</BuildApplicationName>
    <BuildWinDestFolder>.\\Build\\</BuildWinDestFolder>
    <ArrayExcludedModuleName>
      <ItemsCount>1</ItemsCount>
      <Item1>CEF</Item1>
    </ArrayExcludedModuleName>
    <Licenses>
      <ArrayLicenseWin>
        <ItemsCount>2</ItemsCount>
        <Item1>C:\\ProgramData\\4D\\Licenses\\4DDP150UUS0011TESTC3.license4D</Item1>
        <Item2>C:\\ProgramData\\4D\\Licenses\\4UUD150UUS0012TESTD4.license4D</Item2>
      </ArrayLicenseWin>
    </Licenses>`);

/** The variables the header of an imported manifest says to set, with their values where it shows them. */
const variablesOf = (manifest: string, licences: Record<string, string>) =>
  Object.fromEntries([...manifest.matchAll(/^# {3}([A-Z0-9_]+)=(.*)$/gm)].map(([, name, value]) => [name!, value!.startsWith("<") ? licences[name!]! : value!]));

describe("a 4D v19 R8 file with 4D 15 licences and a module list", () => {
  const dir = packageWith(path.join(FIXTURES, "settings", "every-key.win.4DSettings"));
  writeFileSync(path.join(dir, "Settings", "buildApp.4DSettings"), OLD_LICENCES);

  test("import keeps them as written, reports each once, and never prints a licence file name", async () => {
    const run = await runCli(["import"], { cwd: dir });
    expect(run.code).toBe(0);
    const kept = run.stderr.split("\n").filter((l) => l.includes("[import-kept]"));
    expect(kept).toEqual([
      "Settings/buildApp.4DSettings: warning: ArrayExcludedModuleName is kept in passthrough as the file wrote it, not as modules.exclude: modules.exclude needs 4D 20 or later; 4D 19 R8 ignores it [import-kept]",
      "Settings/buildApp.4DSettings: warning: Licenses/ArrayLicenseWin is kept in passthrough as the file wrote it, not as licenses.files.win: licenses.files.win[0] is not an R- licence, but 4D 19 R8 is an R-release [import-kept]",
    ]);
    expect(run.stderr).toContain("set LICENSES_FILES_WIN_1 to the path of that licence file, as 4D writes it (used by passthrough.Licenses/ArrayLicenseWin.0)");
    const manifest = readFileSync(path.join(dir, "4dbuild.yml"), "utf8");
    expect(run.stderr + manifest).not.toMatch(/TESTC3|TESTD4/);
    expect(manifest).toContain("passthrough:\n  ArrayExcludedModuleName:\n    - CEF\n  Licenses/ArrayLicenseWin:\n    - ${env.LICENSES_FILES_WIN_1}\n    - ${env.LICENSES_FILES_WIN_2}\n");
    // The same path in another form (.\Build\ and \Build\) is the field's: no passthrough entry shadows it.
    expect(manifest).toContain("output:\n  win: Build\n");
    expect(manifest).not.toContain("BuildWinDestFolder");
  });

  test("→ validate: valid, nothing refused, nothing said twice → generate: the file's keys and values", async () => {
    const manifest = readFileSync(path.join(dir, "4dbuild.yml"), "utf8");
    const env = variablesOf(manifest, { LICENSES_FILES_WIN_1: "C:\\ProgramData\\4D\\Licenses\\4DDP150UUS0011TESTC3.license4D", LICENSES_FILES_WIN_2: "C:\\ProgramData\\4D\\Licenses\\4UUD150UUS0012TESTD4.license4D" });
    const valid = await runCli(["validate"], { cwd: dir, env });
    expect(valid.stdout).toMatch(/\n0 errors, \d+ warnings\n4dbuild\.yml is valid\n$/);
    expect(valid.code).toBe(0);
    expect(valid.stdout + valid.stderr).not.toMatch(/\[(newer-than-4d|not-r-license|license-version|overridden-field)\]/);
    const generated = await runCli(["generate", "--host", "win"], { cwd: dir, env });
    expect(generated.code).toBe(0);
    const [original, again] = [parseSettings(OLD_LICENCES, "a").settings, parseSettings(generated.stdout, "b").settings];
    for (const [key, value] of original.values) expect([key, sameValue(keyDef(key), value, again.values.get(key))]).toEqual([key, true]);
  });
});

test("a file of 4D 19 R8 with an empty module list imports without a version warning", async () => {
  const dir = packageWith(path.join(FIXTURES, "settings", "every-key.win.4DSettings"));
  writeFileSync(path.join(dir, "Settings", "buildApp.4DSettings"), OLD_LICENCES.replace(/<ArrayExcludedModuleName>[\s\S]*?<\/ArrayExcludedModuleName>/, "<ArrayExcludedModuleName>\n      <ItemsCount>0</ItemsCount>\n    </ArrayExcludedModuleName>").replace(/<Licenses>[\s\S]*<\/Licenses>/, "<Licenses>\n    </Licenses>"));
  expect((await runCli(["import"], { cwd: dir })).stderr).not.toContain("[import-kept]");
  const valid = await runCli(["validate"], { cwd: dir, env: { STANDALONE_RUNTIME_WIN: "C:\\Program Files\\4D\\4D v19 R8\\4D Volume Desktop" } });
  expect(valid.stdout).toBe("4dbuild.yml is valid\n");
  expect(valid.code).toBe(0);
});

test("a cross-platform client flag the field would contradict stays in passthrough with its folder, and shadows no field", async () => {
  const text = settings(`    <BuildApplicationName>Ledger</BuildApplicationName>
    <BuildMacDestFolder>::Build:</BuildMacDestFolder>
    <SourcesFiles>
      <CS>
        <ClientWinIncludeIt>False</ClientWinIncludeIt>
        <ClientWinFolderToMac>Data:Windows:4D Volume Desktop 20.3:</ClientWinFolderToMac>
      </CS>
    </SourcesFiles>`);
  const dir = packageWith(path.join(FIXTURES, "settings", "every-key.mac.4DSettings"));
  writeFileSync(path.join(dir, "Settings", "buildApp.4DSettings"), text);
  const run = await runCli(["import", "-o", "-", "--4d-version", "20"], { cwd: dir });
  expect(run.code).toBe(0);
  expect(run.stdout).not.toContain("otherPlatformClient");
  expect(run.stdout).toMatch(/passthrough:\n {2}SourcesFiles\/CS\/ClientWinFolderToMac: "?Data:Windows:4D Volume Desktop 20\.3:"?\n$/);
  expect(run.stderr).toContain(
    'warning: SourcesFiles/CS/ClientWinFolderToMac is kept in passthrough as the file wrote it, not as autoUpdate.otherPlatformClient.win.source: with it 4dbuild would write SourcesFiles/CS/ClientWinIncludeIt as "True", the file has "False" [import-kept]',
  );
});

describe("project: found from the settings file's own repository, written relative to the manifest", () => {
  function repository() {
    const root = tempDir("repo");
    cpSync(path.join(FIXTURES, "app", "Project"), path.join(root, "app", "Project"), { recursive: true });
    execFileSync("git", ["init", "-q"], { cwd: root });
    return root;
  }

  test("a revision's settings file saved anywhere in the repository finds the project of the repository", async () => {
    const root = repository();
    mkdirSync(path.join(root, "review"));
    writeFileSync(path.join(root, "review", "old.4DSettings"), OLD_LICENCES);
    const run = await runCli(["import", "review/old.4DSettings", "-o", "4dbuild.yml"], { cwd: root });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(root, "4dbuild.yml"), "utf8")).toContain("project: app/Project/App.4DProject\n");
  });

  test("one saved in a scratch folder outside any repository, imported from inside one, is not given the repository's project", async () => {
    const root = repository();
    const scratch = tempDir("scratch");
    writeFileSync(path.join(scratch, "old.4DSettings"), OLD_LICENCES);
    const run = await runCli(["import", path.join(scratch, "old.4DSettings"), "-o", path.join(scratch, "4dbuild.yml")], { cwd: root });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(scratch, "4dbuild.yml"), "utf8")).toContain("project: Project/Ledger.4DProject\n");
    expect(run.stderr).toContain("no Project/*.4DProject beside the settings; project is set to Project/Ledger.4DProject");
  });

  test("a manifest written outside the project's repository gets the usual layout, not a path validate refuses", async () => {
    const root = repository();
    mkdirSync(path.join(root, "app", "Settings"));
    writeFileSync(path.join(root, "app", "Settings", "buildApp.4DSettings"), OLD_LICENCES);
    const elsewhere = tempDir("elsewhere");
    const run = await runCli(["import", "app/Settings/buildApp.4DSettings", "-o", path.join(elsewhere, "4dbuild.yml")], { cwd: root });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(elsewhere, "4dbuild.yml"), "utf8")).toContain("project: Project/App.4DProject\n");
    expect(run.stderr).toContain("is outside the repository the manifest is written in; project is set to Project/App.4DProject");
  });
});

describe("passthrough never shadows a field silently", () => {
  const dir = tempDir("shadow");
  cpSync(path.join(FIXTURES, "app"), dir, { recursive: true });
  const head = 'version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\ntargets:\n  compiled: {}\n';

  test.each([
    ["output.win", "output:\n  win: ../Out\npassthrough:\n  BuildWinDestFolder: ..\\Release\\\n", "BuildWinDestFolder", "output.win", "9:3"],
    ["output.dir (both destinations)", 'output:\n  dir: ../Out\npassthrough:\n  BuildMacDestFolder: "::Release:"\n', "BuildMacDestFolder", "output.dir", "9:3"],
    ["a target's flag", "passthrough:\n  BuildCompiled: \"False\"\n", "BuildCompiled", "targets.compiled", "7:3"],
  ])("%s", async (_name, extra, key, field, at) => {
    writeFileSync(path.join(dir, "4dbuild.yml"), head + extra);
    const run = await runCli(["validate"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`4dbuild.yml:${at}: warning: passthrough ${key} overrides ${field}: editing ${field} changes nothing while this entry is here [overridden-field]`);
  });

  test("an entry no field writes is no warning", async () => {
    writeFileSync(path.join(dir, "4dbuild.yml"), `${head}passthrough:\n  CS/AllowMacSiliconClient: "False"\n`);
    const run = await runCli(["validate"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("overridden-field");
  });
});
