import { readFileSync } from "node:fs";
import path from "node:path";
import { packageWith, runCli } from "../helpers.js";
import { corpusFile } from "./corpus.js";

// import and init --from on real-world files of the reference corpus (npm run test:corpus); the same commands on
// the project's own fixtures: generate-import-cli.test.ts.
describe("import", () => {
  test("reads Settings/buildApp.4DSettings, writes 4dbuild.yml, and says which variables to set", async () => {
    const dir = packageWith(corpusFile("madamov_appBuilder.buildApp.4DSettings"));
    const run = await runCli(["import"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("set STANDALONE_RUNTIME_MAC to /Applications/4D 20.3/4D Volume Desktop.app (used by targets.standalone.runtime.mac, targets.client.runtime.mac)");
    expect(run.stderr).toContain("set LICENSES_FILES_MAC_1 to the path of that licence file");
    expect(run.stderr).not.toMatch(/PNUD200|PNDP200/);
    const manifest = readFileSync(path.join(dir, "4dbuild.yml"), "utf8");
    expect(manifest).toContain("project: Project/App.4DProject");
    expect(manifest).toContain('identity: "Developer ID Application: ADAMOV KONSULTACIJE DOO BEOGRAD (JZ5A5UZ7M5)"');
  });

  test("init --from imports and validates", async () => {
    const dir = packageWith(corpusFile("vdelachaux_4DPop-AppMaker.buildApp.4DSettings"));
    const run = await runCli(["init", "--from", "Settings/buildApp.4DSettings", "--4d-version", "20 R8"], { cwd: dir });
    expect(run.stdout).toBe("4dbuild.yml is valid\n");
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(dir, "4dbuild.yml"), "utf8")).toContain('4dVersion: "20 R8"');
  });
});
