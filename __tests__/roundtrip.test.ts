import { readFileSync } from "node:fs";
import path from "node:path";
import { generateSettings } from "../src/generator/generate.js";
import { importSettings, sameValue } from "../src/generator/import.js";
import { BUILDAPP_KEYS, DERIVED_KEYS, keyDef } from "../src/generator/keys.js";
import { importedManifestYaml } from "../src/generator/manifest-yaml.js";
import { parseSettings, serializeSettings, type SettingsDocument } from "../src/generator/settings-xml.js";
import { InvalidInputError } from "../src/messages/errors.js";
import { loadManifestText } from "../src/manifest/load.js";
import type { Platform } from "../src/manifest/targets.js";
import { corpusFile, FIXTURES } from "./helpers.js";

const files: [name: string, file: string, host: Platform][] = [
  ["4D-Australasia (macOS, 20 R4)", corpusFile("4D-Australasia_RoadShow-CICD-Source.buildApp.4DSettings"), "mac"],
  ["elui4d (Windows, v19)", corpusFile("elui4d_jbfpointofsale-projectmode-v20.buildApp.4DSettings"), "win"],
  ["madamov (macOS, 20.3)", corpusFile("madamov_appBuilder.buildApp.4DSettings"), "mac"],
  ["vdelachaux (macOS)", corpusFile("vdelachaux_4DPop-AppMaker.buildApp.4DSettings"), "mac"],
  ["every key, written on macOS", path.join(FIXTURES, "settings", "every-key.mac.4DSettings"), "mac"],
  ["every key, written on Windows (CR LF)", path.join(FIXTURES, "settings", "every-key.win.4DSettings"), "win"],
];

/** A package folder that exists nowhere: import and generate only compute paths. */
const PACKAGE = path.join(path.sep, "work", "MyApp");

function roundTrip(file: string, host: Platform) {
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

describe.each(files)("%s", (_name, file, host) => {
  const result = roundTrip(file, host);

  test("the imported manifest is valid", () => {
    expect(result.loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  test("import then generate gives an equal settings file", () => {
    expect(result.regenerated?.problems).toEqual([]);
    expect(differences(result.original, result.regenerated!.settings)).toEqual([]);
  });

  test("generating twice and reading back is stable, byte for byte", () => {
    const text = serializeSettings(result.regenerated!.settings);
    expect(serializeSettings(parseSettings(text, "x").settings)).toBe(text);
  });

  test("fields carry the settings: passthrough only keeps empty elements, unknown keys and explicit flags", () => {
    const kept = Object.entries(result.imported.manifest.passthrough ?? {}).filter(
      ([key, value]) => value !== "" && keyDef(key) !== undefined && !DERIVED_KEYS.includes(key) && !/EvaluationMode|AutomaticLicenseIntegration/.test(key),
    );
    expect(kept).toEqual([]);
  });
});

test("together the files use every key of the reference", () => {
  const used = new Set(files.flatMap(([, file]) => [...parseSettings(readFileSync(file, "utf8"), "x").settings.values.keys()]));
  expect(BUILDAPP_KEYS.filter((key) => !used.has(key))).toEqual([]);
});

test("machine paths become variables; licence file names are never shown", () => {
  const { imported, yaml } = roundTrip(files[1]![1], "win");
  expect(imported.variables.map((v) => v.name)).toEqual(["STANDALONE_RUNTIME_WIN", "SERVER_RUNTIME_WIN", "CLIENT_RUNTIME_WIN", "LICENSES_FILES_WIN_1", "LICENSES_FILES_WIN_2"]);
  expect(yaml).toContain("runtime:\n      win: ${env.STANDALONE_RUNTIME_WIN}");
  expect(yaml).toContain("#   STANDALONE_RUNTIME_WIN=C:\\Program Files\\4D\\4D v19 R8\\4D Volume Desktop");
  expect(yaml).not.toMatch(/PNDP|PNUD/);
  expect(yaml).toContain('4dVersion: "19 R8"');
});

test("unknown and undocumented keys are kept in passthrough and reported", () => {
  const { imported } = roundTrip(files[4]![1], "mac");
  expect(imported.manifest.passthrough).toEqual(expect.objectContaining({ UnknownFutureKey: "kept as is", "CS/AllowMacSiliconClient": "False", "CS/CompiledDatabaseFolder": "" }));
  expect(imported.diagnostics.map((d) => d.message)).toEqual(
    expect.arrayContaining(["UnknownFutureKey is not a key 4dbuild knows; it is kept in passthrough", "CS/AllowMacSiliconClient is not a key 4dbuild knows (written by some 4D versions, undocumented); it is kept in passthrough"]),
  );
});

describe("the miyako template (4D tags, namespace, CR line ends)", () => {
  const text = readFileSync(corpusFile("miyako_buildapp.BuildApp-Template.4DSettings"), "utf8");

  test("is refused with a located message: it is not XML until 4D processes its tags", () => {
    let error: unknown;
    try {
      parseSettings(text, "template.4DSettings");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).diagnostics[0]).toEqual(expect.objectContaining({ line: 78, message: expect.stringContaining("not well-formed XML") }));
  });

  test("as a key inventory of 4D 21: every key it names is in the registry", () => {
    const names = new Set<string>();
    const stack: string[] = [];
    for (const match of text.matchAll(/<(\/?)([A-Za-z][A-Za-z0-9]*)(?: xmlns="[^"]*")?>/g)) {
      const [, closing, name] = match as unknown as [string, string, string];
      if (closing) {
        if (stack.at(-1) === name) stack.pop();
        continue;
      }
      stack.push(name);
      const key = stack.slice(2).join("/");
      if (key && !/ItemsCount$/.test(key)) names.add(key);
    }
    const leaves = [...names].filter((k) => ![...names].some((other) => other.startsWith(`${k}/`)));
    expect(leaves.filter((key) => !keyDef(key))).toEqual([]);
    expect(leaves.length).toBeGreaterThan(100);
  });
});

test("line ends do not matter: CR, LF and CR LF files read the same", () => {
  const text = readFileSync(files[2]![1], "utf8");
  const lf = parseSettings(text, "lf").settings;
  for (const variant of [text.replace(/\n/g, "\r"), text.replace(/\n/g, "\r\n")]) {
    const other = parseSettings(variant, "other").settings;
    expect([...other.values]).toEqual([...lf.values]);
  }
});
