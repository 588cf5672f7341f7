import { readFileSync } from "node:fs";
import { keyDef } from "../../src/generator/keys.js";
import { parseSettings } from "../../src/generator/settings-xml.js";
import { InvalidInputError } from "../../src/messages/errors.js";
import { describeRoundTrips, expectLineEndsIrrelevant, roundTrip, type SettingsFile } from "../settings-roundtrip.js";
import { corpusFile } from "./corpus.js";

// The settings round trip over the real-world files of the reference corpus (npm run test:corpus).
const files: SettingsFile[] = [
  ["4D-Australasia (macOS, 20 R4)", corpusFile("4D-Australasia_RoadShow-CICD-Source.buildApp.4DSettings"), "mac"],
  ["elui4d (Windows, v19)", corpusFile("elui4d_jbfpointofsale-projectmode-v20.buildApp.4DSettings"), "win"],
  ["madamov (macOS, 20.3)", corpusFile("madamov_appBuilder.buildApp.4DSettings"), "mac"],
  ["vdelachaux (macOS)", corpusFile("vdelachaux_4DPop-AppMaker.buildApp.4DSettings"), "mac"],
];

describeRoundTrips(files);

test("machine paths become variables; licence file names are never shown", () => {
  const { imported, yaml } = roundTrip(files[1]![1], "win");
  expect(imported.variables.map((v) => v.name)).toEqual(["STANDALONE_RUNTIME_WIN", "SERVER_RUNTIME_WIN", "CLIENT_RUNTIME_WIN", "LICENSES_FILES_WIN_1", "LICENSES_FILES_WIN_2"]);
  expect(yaml).toContain("runtime:\n      win: ${env.STANDALONE_RUNTIME_WIN}");
  expect(yaml).toContain("#   STANDALONE_RUNTIME_WIN=C:\\Program Files\\4D\\4D v19 R8\\4D Volume Desktop");
  expect(yaml).not.toMatch(/PNDP|PNUD/);
  expect(yaml).toContain('4dVersion: "19 R8"');
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
  expectLineEndsIrrelevant(files[2]![1]);
});
