import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { structureArtifact } from "../../src/builder/context.js";
import { packStep } from "../../src/builder/steps/pack.js";
import { structureStep } from "../../src/builder/steps/structure.js";
import { BuildError } from "../../src/messages/errors.js";
import { artifactPaths, hello, listTree, projectCopy, runStep, SOURCE_DATE, stageProject, stepContext, writeTree, zipNames } from "../testctx.js";

const COMPILED = "targets:\n  compiled: {}\n";

describe("structure: copy Project/ into the work folder and strip it", () => {
  test("default policy: sources, Trash, hidden files and emptied folders go; folders.json and dependencies.json stay", async () => {
    const dir = projectCopy();
    writeFileSync(path.join(dir, "Project", "Sources", ".DS_Store"), "finder");
    writeTree(path.join(dir, "Project", "Trash"), { "Forms/Old/form.4DForm": "{}\n" }); // a deleted form: not code, still removed
    const context = stepContext(hello(COMPILED), { dir });
    await runStep(context, structureStep);
    const project = path.join(context.work, "Project");
    expect(await listTree(project, { folders: true })).toEqual([
      "DerivedData/",
      "DerivedData/CompiledCode/",
      "DerivedData/CompiledCode/classes.json",
      "DerivedData/CompiledCode/map.json",
      "DerivedData/methodAttributes.json",
      "Hello.4DProject",
      "Sources/",
      "Sources/Forms/",
      "Sources/Forms/Main/",
      "Sources/Forms/Main/form.4DForm",
      "Sources/TableForms/",
      "Sources/TableForms/1/",
      "Sources/TableForms/1/Input/",
      "Sources/TableForms/1/Input/Contact/",
      "Sources/TableForms/1/Input/Contact/form.4DForm",
      "Sources/catalog.4DCatalog",
      "Sources/dependencies.json",
      "Sources/folders.json",
      "Sources/menus.json",
      "Sources/settings.4DSettings",
    ]);
    expect(context.artifacts).toEqual([{ kind: "structure", path: project }]);
    // Copies are stamped with SOURCE_DATE_EPOCH and normalised permissions.
    const map = lstatSync(path.join(project, "DerivedData", "CompiledCode", "map.json"));
    expect([map.mtimeMs / 1000, map.mode & 0o777]).toEqual([SOURCE_DATE, 0o644]);
    expect(context.logger.lastProgress()?.files).toBe(11);
  });

  test("the configured policy: keep Trash, hidden files and empty folders, drop folders.json, dependencies.json and structure.delete", async () => {
    const dir = projectCopy();
    writeFileSync(path.join(dir, "Project", "Sources", ".DS_Store"), "finder");
    writeTree(path.join(dir, "Project", "Trash"), { "Forms/Old/form.4DForm": "{}\n" });
    const policy = "structure:\n  strip: { trash: false, emptyFolders: false, hiddenFiles: false, foldersJson: true, dependenciesJson: true }\n  delete: [Sources/TableForms/]\n";
    const context = stepContext(hello(COMPILED + policy), { dir });
    await runStep(context, structureStep);
    const tree = await listTree(path.join(context.work, "Project"), { folders: true });
    expect(tree).toEqual(expect.arrayContaining(["Trash/Forms/Old/form.4DForm", "Sources/.DS_Store", "Sources/DatabaseMethods/", "Sources/Triggers/", "Sources/Forms/Main/ObjectMethods/"]));
    expect(tree.filter((p) => /TableForms|folders\.json|dependencies\.json|\.4dm$|Sources\/(Methods|Classes)/.test(p))).toEqual([]);
  });

  test("a project without compiled code is refused, as 4D does; Apple Silicon code alone is enough", async () => {
    const dir = projectCopy();
    rmSync(path.join(dir, "Project", "DerivedData"), { recursive: true });
    const context = stepContext(hello(COMPILED), { dir });
    await runStep(context, structureStep); // Libraries/lib4d-arm64.dylib is there
    rmSync(path.join(dir, "Libraries"), { recursive: true });
    const again = stepContext(hello(COMPILED), { dir, checks: false });
    const run = runStep(again, structureStep);
    await expect(run).rejects.toThrow(BuildError);
    await expect(run).rejects.toThrow(`the project has no compiled code: neither Project/DerivedData/CompiledCode nor Libraries/lib4d-arm64.dylib exists in ${dir}`);
    expect(again.artifacts).toEqual([]);
  });

  test("a symbolic link leaving the project is refused with a clear message", async () => {
    const dir = projectCopy();
    mkdirSync(path.join(dir, "Project", "Sources", "Links"));
    symlinkSync("/etc/hostname", path.join(dir, "Project", "Sources", "Links", "outside.json"));
    const context = stepContext(hello(COMPILED), { dir });
    await expect(runStep(context, structureStep)).rejects.toThrow(/Project\/Sources\/Links\/outside\.json is a symbolic link to \/etc\/hostname, outside the project/);
  });

  test("an aborted build stops copying", async () => {
    const context = stepContext(hello(COMPILED));
    context.abort();
    await expect(runStep(context, structureStep)).rejects.toThrow("aborted by the test");
    expect(artifactPaths(context, "structure")).toEqual([]);
  });
});

const PROJECT = { "Hello.4DProject": "{}\n", "DerivedData/CompiledCode/map.json": '{"map":1}\n', "Sources/Forms/Main/form.4DForm": "{}\n", "Sources/catalog.4DCatalog": "<catalog/>\n" };

describe("pack: the staged Project folder zipped into <name>.4DZ", () => {
  test("a standard zip rooted at Project/, every folder listed, registered as the structure", async () => {
    const context = stepContext(hello(COMPILED));
    stageProject(context, PROJECT);
    await runStep(context, packStep);
    const file = path.join(context.work, "Hello.4DZ");
    expect(execFileSync("unzip", ["-t", file], { encoding: "utf8" })).toContain("No errors detected");
    expect(zipNames(file)).toEqual([
      "Project/",
      "Project/DerivedData/",
      "Project/DerivedData/CompiledCode/",
      "Project/DerivedData/CompiledCode/map.json",
      "Project/Hello.4DProject",
      "Project/Sources/",
      "Project/Sources/Forms/",
      "Project/Sources/Forms/Main/",
      "Project/Sources/Forms/Main/form.4DForm",
      "Project/Sources/catalog.4DCatalog",
    ]);
    expect(execFileSync("unzip", ["-p", file, "Project/DerivedData/CompiledCode/map.json"], { encoding: "utf8" })).toBe('{"map":1}\n');
    expect(structureArtifact(context).path).toBe(file);
    expect(context.artifacts.map((a) => path.relative(context.work, a.path))).toEqual(["Project", "Hello.4DZ"]);
    // Every entry is dated SOURCE_DATE_EPOCH (2023-11-14 22:13 UTC).
    const listing = execFileSync("unzip", ["-Z", "-T", file], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    expect(listing.split("\n").filter((l) => l.includes("Project/")).every((l) => l.includes(" 20231114.2213"))).toBe(true);
  });

  test("the same tree gives the same bytes, whatever the files' times", async () => {
    const first = stepContext(hello(COMPILED));
    stageProject(first, PROJECT);
    await runStep(first, packStep);
    const second = stepContext(hello(COMPILED));
    const project = stageProject(second, PROJECT);
    utimesSync(path.join(project, "Hello.4DProject"), 1234567890, 1234567890);
    await runStep(second, packStep);
    expect(readFileSync(path.join(second.work, "Hello.4DZ")).equals(readFileSync(path.join(first.work, "Hello.4DZ")))).toBe(true);
  });

  test("skipped with pack: false; 4D's non-standard format is refused", async () => {
    expect(packStep.skip!(stepContext(hello(`${COMPILED}structure:\n  pack: false\n`)).plan)).toBe("structure.pack is false: the structure stays a Project folder");
    expect(packStep.skip!(stepContext(hello(COMPILED)).plan)).toBe(false);
    const context = stepContext(hello(`${COMPILED}structure:\n  standardZip: false\n`));
    stageProject(context);
    await expect(runStep(context, packStep)).rejects.toThrow("structure.standardZip: false asks for 4D's obfuscated .4DZ");
  });
});
