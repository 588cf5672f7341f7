import { readFileSync } from "node:fs";
import path from "node:path";
import { generateSettings } from "../src/generator/generate.js";
import { importSettings, sameValue } from "../src/generator/import.js";
import { DERIVED_KEYS, keyDef } from "../src/generator/keys.js";
import { importedManifestYaml } from "../src/generator/manifest-yaml.js";
import { parseSettings, serializeSettings, type SettingsDocument } from "../src/generator/settings-xml.js";
import { loadManifestText } from "../src/manifest/load.js";
import type { Platform } from "../src/manifest/targets.js";

// The settings round trip (import, then generate), shared by roundtrip.test.ts (the project's own fixtures) and
// corpus/roundtrip.corpus.ts (the real-world files of the reference corpus, npm run test:corpus).

export type SettingsFile = [name: string, file: string, host: Platform];

/** A package folder that exists nowhere: import and generate only compute paths. */
const PACKAGE = path.join(path.sep, "work", "MyApp");

export function roundTrip(file: string, host: Platform) {
  const original = parseSettings(readFileSync(file, "utf8"), path.basename(file)).settings;
  const imported = importSettings(original, { file, host, manifestDir: PACKAGE, packageDir: PACKAGE });
  const yaml = importedManifestYaml(imported, "Settings/buildApp.4DSettings");
  const env = Object.fromEntries(imported.variables.map((v) => [v.name, v.value]));
  const loaded = loadManifestText(path.join(PACKAGE, "4dbuild.yml"), yaml, { env, checkFiles: false, git: () => undefined });
  const plan = loaded.plan;
  const regenerated = plan ? generateSettings(plan, { host }) : undefined;
  return { original, imported, yaml, loaded, regenerated };
}

function differences(original: SettingsDocument, regenerated: SettingsDocument): string[] {
  const out: string[] = [];
  for (const [key, value] of original.values) {
    if (!sameValue(keyDef(key), value, regenerated.values.get(key))) out.push(`${key}: ${JSON.stringify(value)} → ${JSON.stringify(regenerated.values.get(key))}`);
  }
  for (const key of regenerated.values.keys()) if (!original.values.has(key)) out.push(`${key}: added`);
  return out;
}

/**
 * For each file: import → validate (0 errors, the variables set as the manifest's header says, the build
 * machine's files not checked) → generate → the same keys with the same values, stably.
 */
export function describeRoundTrips(files: SettingsFile[]): void {
  describe.each(files)("%s", (_name, file, host) => {
    const result = roundTrip(file, host);

    test("import → validate: 0 errors, and no warning about a value the file's own 4D version wrote", () => {
      expect(result.loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(result.loaded.diagnostics.filter((d) => d.code === "newer-than-4d" || d.code === "overridden-field")).toEqual([]);
      expect(result.loaded.plan).toBeDefined();
    });

    test("→ generate: the same keys with the same values", () => {
      expect(result.regenerated?.problems).toEqual([]);
      expect(differences(result.original, result.regenerated!.settings)).toEqual([]);
    });

    test("generating twice and reading back is stable, byte for byte", () => {
      const text = serializeSettings(result.regenerated!.settings);
      expect(serializeSettings(parseSettings(text, "x").settings)).toBe(text);
    });

    test("fields carry the settings: passthrough only keeps empty elements, unknown keys, explicit flags and what the import reported", () => {
      const reported = result.imported.diagnostics.filter((d) => d.code === "import-kept").map((d) => d.message);
      const kept = Object.entries(result.imported.manifest.passthrough ?? {}).filter(
        ([key, value]) => value !== "" && keyDef(key) !== undefined && !DERIVED_KEYS.includes(key) && !/EvaluationMode|AutomaticLicenseIntegration/.test(key) && !reported.some((m) => m.startsWith(`${key} `)),
      );
      expect(kept).toEqual([]);
    });
  });
}

/** The file (with LF line ends) reads the same with CR and with CR LF line ends. */
export function expectLineEndsIrrelevant(file: string): void {
  const text = readFileSync(file, "utf8");
  const lf = parseSettings(text, "lf").settings;
  for (const variant of [text.replace(/\n/g, "\r"), text.replace(/\n/g, "\r\n")]) {
    const other = parseSettings(variant, "other").settings;
    expect([...other.values]).toEqual([...lf.values]);
  }
}
