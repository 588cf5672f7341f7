import { readFileSync } from "node:fs";
import path from "node:path";
import { BUILDAPP_KEYS } from "../src/generator/keys.js";
import { parseSettings } from "../src/generator/settings-xml.js";
import { FIXTURES } from "./helpers.js";
import { describeRoundTrips, expectLineEndsIrrelevant, roundTrip, type SettingsFile } from "./settings-roundtrip.js";

// The project's own settings files. The same round trip over real-world files: corpus/roundtrip.corpus.ts.
const EVERY_KEY_MAC = path.join(FIXTURES, "settings", "every-key.mac.4DSettings");
const files: SettingsFile[] = [
  ["every key, written on macOS", EVERY_KEY_MAC, "mac"],
  ["every key, written on Windows (CR LF)", path.join(FIXTURES, "settings", "every-key.win.4DSettings"), "win"],
];

describeRoundTrips(files);

test("together the files use every key of the reference", () => {
  const used = new Set(files.flatMap(([, file]) => [...parseSettings(readFileSync(file, "utf8"), "x").settings.values.keys()]));
  expect(BUILDAPP_KEYS.filter((key) => !used.has(key))).toEqual([]);
});

test("unknown and undocumented keys are kept in passthrough and reported", () => {
  const { imported } = roundTrip(EVERY_KEY_MAC, "mac");
  expect(imported.manifest.passthrough).toEqual(expect.objectContaining({ UnknownFutureKey: "kept as is", "CS/AllowMacSiliconClient": "False", "CS/CompiledDatabaseFolder": "" }));
  expect(imported.diagnostics.map((d) => d.message)).toEqual(
    expect.arrayContaining(["UnknownFutureKey is not a key 4dbuild knows; it is kept in passthrough", "CS/AllowMacSiliconClient is not a key 4dbuild knows (written by some 4D versions, undocumented); it is kept in passthrough"]),
  );
});

test("line ends do not matter: CR, LF and CR LF files read the same", () => {
  expectLineEndsIrrelevant(EVERY_KEY_MAC);
});
