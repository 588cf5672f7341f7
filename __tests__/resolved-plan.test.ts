import path from "node:path";
import { parseFourDVersion } from "../src/four-d/version.js";
import type { Manifest } from "../src/manifest/manifest.generated.js";
import { loadManifestText } from "../src/manifest/load.js";
import { normalize } from "../src/manifest/plan.js";
import { eachSchemaNode } from "../src/manifest/schema-walk.js";
import type { PathSegment } from "../src/manifest/source.js";
import { ROOT, runCli, FIXTURES } from "./helpers.js";

const EXAMPLE = path.join(ROOT, "examples", "hello");
const FIXTURE_MANIFEST = path.join(FIXTURES, "manifests", "resolved.yml");
const BASE = { version: 1, project: "../app/Project/App.4DProject", "4dVersion": "21" };

/** A manifest that declares every mapping (and one list item) on the way to `field`, and nothing else. */
function declaring(field: readonly PathSegment[]): Manifest {
  const manifest: Record<string, unknown> = structuredClone(BASE);
  let node: Record<string, unknown> | unknown[] = manifest;
  field.slice(0, -1).forEach((segment, i) => {
    const child = field[i + 1] === "*" ? [] : {};
    if (Array.isArray(node)) node.push(child);
    else node[String(segment)] ??= child;
    node = Array.isArray(node) ? node[0] as Record<string, unknown> : (node[String(segment)] as Record<string, unknown>);
  });
  if (Array.isArray(node)) node.push({});
  return manifest as unknown as Manifest;
}

const valueAt = (value: unknown, field: readonly PathSegment[]) => field.reduce<unknown>((v, s) => (v as Record<string, unknown> | undefined)?.[s === "*" ? 0 : s], value);

const defaulted = [...eachSchemaNode()].filter(({ schema }) => schema.default !== undefined);

test("the schema documents defaults, and every one of them is in the plan", () => {
  expect(defaulted.length).toBeGreaterThan(70);
});

test.each(defaulted.map(({ path: field, schema }) => [field.join("."), field, schema.default] as const))("%s: the resolved plan holds the schema default", (_name, field, fallback) => {
  const plan = normalize(declaring(field), FIXTURE_MANIFEST, parseFourDVersion("21")!);
  // A mapping's default ({}) is filled in with its own fields' defaults, each checked by its own case.
  if (fallback !== null && typeof fallback === "object" && !Array.isArray(fallback)) expect(valueAt(plan.config, field)).toEqual(expect.objectContaining(fallback));
  else expect(valueAt(plan.config, field)).toEqual(fallback);
});

test("derived defaults: the name from the project file, licences off without files, platforms from the runtimes, WebFolder when present", () => {
  const text = ["version: 1", "project: Project/Hello.4DProject", '4dVersion: "21"', "targets:", "  standalone:", "    runtime: { win: ../runtimes/win/4D Volume Desktop }", ""].join("\n");
  const { plan, diagnostics } = loadManifestText(path.join(EXAMPLE, "derived.yml"), text, { env: {}, git: () => undefined });
  expect(diagnostics).toEqual([]);
  expect(plan!.config.name).toBe("Hello");
  expect(plan!.config.licenses.mode).toBe("none");
  expect(plan!.config.targets.standalone!.platforms).toEqual(["win"]);
  expect(plan!.config.web?.folder).toBe("WebFolder");
  expect(plan!.written).toEqual(["4dVersion", "project", "targets.standalone.runtime.win", "version"]);
});

test("a project without WebFolder gets no web folder", () => {
  const plan = normalize(declaring(["targets", "compiled"]), FIXTURE_MANIFEST, parseFourDVersion("21")!);
  expect(plan.config.web).toBeUndefined();
});

test("the plan is read-only all the way down", () => {
  const plan = normalize(declaring(["targets", "compiled"]), FIXTURE_MANIFEST, parseFourDVersion("21")!);
  expect(Object.isFrozen(plan.config.structure.strip)).toBe(true);
  expect(Object.isFrozen(plan.config.output.archives)).toBe(true);
});

describe("settings-only fields", () => {
  const manifest = (extra: string[]) => [
    "version: 1",
    "project: ../app/Project/App.4DProject",
    '4dVersion: "21"',
    "targets:",
    "  compiled: {}",
    "  standalone:",
    "    platforms: [win]",
    "    runtime: { win: ../app/runtimes/win/4D Volume Desktop }",
    ...extra,
    "",
  ].join("\n");

  test("set to something other than the default, each is a located warning", () => {
    const text = manifest(["    lightLicense: true", "legacy:", "  serverWindowTitle: Hello", "passthrough:", "  Unknown/Key: x", "  Empty/Key: ''"]);
    const { diagnostics, plan } = loadManifestText(FIXTURE_MANIFEST, text, { env: {} });
    expect(plan).toBeDefined();
    expect(diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.message])).toEqual([
      ["warning", "settings-only", 9, 5, "targets.standalone.lightLicense only reaches buildApp.4DSettings: 4dbuild build does not apply it (an obsolete product: 4dbuild builds the same application)"],
      ["warning", "settings-only", 11, 3, "legacy.serverWindowTitle only reaches buildApp.4DSettings: 4dbuild build does not apply it (an OEM option of 4D Server that only 4D applies)"],
      ["warning", "settings-only", 13, 3, "passthrough.Unknown/Key only reaches buildApp.4DSettings: 4dbuild build does not apply it (a raw key for 4D's own builder)"],
    ]);
  });

  test("their defaults, written out, are not worth a warning", () => {
    const { diagnostics } = loadManifestText(FIXTURE_MANIFEST, manifest(["    lightLicense: false", "plugins:", "  excludeIds: []"]), { env: {} });
    expect(diagnostics).toEqual([]);
  });

  test("plan prints the warning with the plan", async () => {
    const file = path.join(FIXTURES, "manifests", "settings-only.yml");
    const { writeFileSync, rmSync } = await import("node:fs");
    writeFileSync(file, manifest(["    lightLicense: true"]));
    try {
      const run = await runCli(["plan", file]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain("warning: targets.standalone.lightLicense only reaches buildApp.4DSettings: 4dbuild build does not apply it");
      expect(run.stdout).toContain("TARGET");
    } finally {
      rmSync(file, { force: true });
    }
  });
});
