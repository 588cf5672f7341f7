import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./helpers.js";

// The published library: package.json "exports" → dist/index.js and dist/types/ (both built by npm run build).
const entry = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { exports: { ".": { types: string; import: string } } }).exports["."];
const API = ["validateManifest", "openManifest", "planManifest", "buildManifest", "diffManifests", "planMatrix", "mergeBuilds", "verifyBuild", "readBuildReport", "formatDiagnostics", "renderPlanText", "renderDiff", "exitCodeFor"];

test("package.json exports dist/index.js with its declarations", () => {
  expect(entry).toEqual({ types: "./dist/types/src/index.d.ts", import: "./dist/index.js" });
  for (const file of [entry.import, entry.types]) expect([file, existsSync(path.join(ROOT, file)) ? "built" : "missing: run npm run build"]).toEqual([file, "built"]);
  const declarations = readFileSync(path.join(ROOT, entry.types), "utf8");
  for (const name of API) expect(declarations).toMatch(new RegExp(`\\b${name}\\b`));
  // index.d.ts re-exports from the modules' own declarations: each must be there.
  const modules = [...declarations.matchAll(/from "(\.\/[^"]+)\.js"/g)].map((m) => `${m[1]}.d.ts`);
  expect(modules.length).toBeGreaterThan(10);
  for (const file of modules) expect([file, existsSync(path.join(ROOT, path.dirname(entry.types), file))]).toEqual([file, true]);
  expect(readFileSync(path.join(ROOT, path.dirname(entry.types), "manifest", "open.d.ts"), "utf8")).toContain("export declare function validateManifest(manifest: string, options?: ManifestOptions): Validation;");
});

test("the built entry, imported by its package name, validates, plans and fans out the example, and reads reports with clear errors", () => {
  // A separate Node process in the checkout, where "@4dbuild/cli" resolves through package.json "exports".
  const script = `
    import * as lib from "@4dbuild/cli";
    const manifest = "examples/hello/4dbuild.yml";
    const validation = lib.validateManifest(manifest, { env: {} });
    const { planned } = lib.planManifest(manifest, { env: {} });
    const { matrix } = lib.planMatrix(manifest, { env: {} });
    let error;
    try { lib.readBuildReport("no-such-folder/build-report.json"); } catch (e) { error = { name: e.name, message: e.message, exitCode: lib.exitCodeFor(e) }; }
    console.log(JSON.stringify({
      resolved: import.meta.resolve("@4dbuild/cli"),
      notFunctions: ${JSON.stringify(API)}.filter((name) => typeof lib[name] !== "function"),
      valid: validation.valid,
      diagnostics: validation.diagnostics.map((d) => d.message),
      units: planned.units.map((u) => u.platform ? u.target + " " + u.platform : u.target),
      runners: matrix.include.map((e) => e.os),
      error,
    }));`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8", env: { PATH: process.env.PATH } });
  expect(run.stderr).toBe("");
  expect(JSON.parse(run.stdout)).toEqual({
    resolved: `file://${path.join(ROOT, "dist", "index.js")}`,
    notFunctions: [],
    valid: true,
    diagnostics: [],
    units: ["compiled", "component", "standalone mac", "standalone win", "client mac", "client win", "server mac", "server win"],
    runners: ["ubuntu-latest", "macos-latest"],
    error: { name: "BuildError", message: "no-such-folder/build-report.json does not exist", exitCode: 1 },
  });
});
