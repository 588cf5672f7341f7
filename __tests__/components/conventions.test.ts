import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { dataStep } from "../../src/builder/steps/app-files.js";
import { componentPlistStep } from "../../src/builder/steps/component-plist.js";
import { packStep } from "../../src/builder/steps/pack.js";
import { layoutStep } from "../../src/builder/steps/target-folder.js";
import { appTargets, hello, listTree, projectCopy, readPlist, runStep, stageApplication, stagePacked, stageProject, stepContext, writeTree, zipNames } from "../testctx.js";

const PROJECT = { "Hello.4DProject": "{}\n", "DerivedData/CompiledCode/map.json": "{}\n", "Sources/dependencies.json": '{"dependencies":{}}\n', "Sources/Forms/Main/form.4DForm": "{}\n" };

describe("Default Data by convention (4D integrates the project's Default Data folder)", () => {
  test("the project's Default Data folder is embedded without data.defaultFolder", async () => {
    const context = stepContext(hello(appTargets("standalone")));
    expect(context.plan.config.data?.defaultFolder).toBe("Default Data");
    await runStep(context, dataStep, { target: "standalone", platform: "win" });
    expect(await listTree(context.out)).toEqual(["Final Application/Hello/Database/Default Data/Default.4DD"]);
  });

  test("data.embedDefaultData: false turns it off; a project without the folder has none", () => {
    const off = stepContext(hello(`${appTargets("standalone")}data:\n  embedDefaultData: false\n`));
    expect(off.plan.config.data?.defaultFolder).toBeUndefined();
    expect(dataStep.skip!(off.plan, { target: "standalone", platform: "mac" })).toBe("data.embedDefaultData is false");
    const dir = projectCopy();
    rmSync(path.join(dir, "Default Data"), { recursive: true });
    const none = stepContext(hello(appTargets("standalone")), { dir });
    expect(dataStep.skip!(none.plan, { target: "standalone", platform: "mac" })).toBe("the project has no Default Data folder and data.defaultFolder is not set");
  });
});

describe("dependencies.json: left out of stand-alone and server structures, as Build4D does", () => {
  test("the stand-alone's .4DZ has no Sources/dependencies.json; the compiled structure's keeps it", async () => {
    const context = stepContext(hello(`${appTargets("standalone")}  compiled: {}\n`));
    stageProject(context, PROJECT);
    await runStep(context, packStep);
    await stageApplication(context, { target: "standalone", platform: "mac" });
    await runStep(context, layoutStep, { target: "standalone", platform: "mac" });
    await runStep(context, layoutStep, { target: "compiled" });
    expect(zipNames(path.join(context.out, "Final Application/Hello.app/Contents/Database/Hello.4DZ"))).not.toContain("Project/Sources/dependencies.json");
    expect(zipNames(path.join(context.out, "Final Application/Hello.app/Contents/Database/Hello.4DZ"))).toContain("Project/Sources/Forms/Main/form.4DForm");
    expect(zipNames(path.join(context.out, "Compiled Database/Hello/Hello.4DZ"))).toContain("Project/Sources/dependencies.json");
  });

  test("unpacked (structure.pack: false), the server's Project folder has none either", async () => {
    const context = stepContext(hello(`${appTargets("server")}structure:\n  pack: false\n`));
    stageProject(context, PROJECT);
    await stageApplication(context, { target: "server", platform: "win" });
    await runStep(context, layoutStep, { target: "server", platform: "win" });
    const project = path.join(context.out, "Client Server executable/Hello Server/Server Database/Project");
    expect(existsSync(path.join(project, "Sources", "Forms", "Main", "form.4DForm"))).toBe(true);
    expect(existsSync(path.join(project, "Sources", "dependencies.json"))).toBe(false);
  });
});

describe("a component as 4D 21 and Build4D build it", () => {
  test("Info.plist says CFBundlePackageType BNDL, even over the project's own Info.plist", async () => {
    const dir = projectCopy();
    writeTree(dir, { "Info.plist": '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>CFBundlePackageType</key><string>APPL</string><key>com.4d.minSupportedVersion</key><string>21</string></dict></plist>\n' });
    const context = stepContext(hello("targets:\n  component: {}\n"), { dir });
    stagePacked(context);
    await runStep(context, layoutStep, { target: "component" });
    await runStep(context, componentPlistStep, { target: "component" });
    expect(readPlist(path.join(context.out, "Components/Hello.4dbase/Contents/Info.plist"))).toEqual(expect.objectContaining({ CFBundlePackageType: "BNDL", "com.4d.minSupportedVersion": "21", CFBundleName: "Hello" }));
  });

  test("the package's <Name>.htm, Documentation, Macros v2 and logo files go beside the .4DZ; README, LICENSE and Settings do not", async () => {
    const dir = projectCopy();
    writeTree(dir, { "Hello.htm": "<html></html>", "Macros v2/Hello.xml": "<macros/>", "logo.svg": "<svg/>", "logo.png": "png", "README.md": "# no", LICENSE: "no" });
    const context = stepContext(hello("targets:\n  component: {}\n"), { dir });
    stagePacked(context);
    await runStep(context, layoutStep, { target: "component" });
    expect(await listTree(path.join(context.out, "Components/Hello.4dbase/Contents"))).toEqual([
      "Documentation/Methods/hello_greet.md",
      "Hello.4DZ",
      "Hello.htm",
      "Libraries/lib4d-arm64.dylib",
      "Macros v2/Hello.xml",
      "Resources/en.lproj/Hello.xlf",
      "logo.png",
      "logo.svg",
    ]);
  });
});
