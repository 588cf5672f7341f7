import { writeFileSync } from "node:fs";
import path from "node:path";
import { IDENTITY, LICENCE_NAMES, packageWithRevisions, settingsText, type Revision } from "./settings-history.js";
import { runCli } from "./helpers.js";
import { diffManifests } from "../src/diff/manifests.js";
import { DIFF_FORMATS, renderDiff, type DiffFormat } from "../src/diff/render.js";

// A settings file and its next revision, as a repository's history has them, for each kind of change a reviewer
// meets: the exact notes in text, Markdown and JSON, both ways, and nothing else (no phantom or empty change).

interface Change {
  field: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
  note?: string;
}

interface Scenario {
  name: string;
  before: Revision;
  after: Revision;
  forward: Change[];
  back: Change[];
  /** What the artifact plan says, forward (back: the opposite). */
  artifacts?: [forward: string, back: string];
  /** Lines the generated settings file gains (forward) on some build host. */
  xml: string[];
}

const SIGNED = `The macOS applications are now signed with "${IDENTITY}": users' Macs can tell who made them (downloaded copies also need notarization to open without a Gatekeeper warning).`;
const UNSIGNED = `The macOS applications are no longer signed with "${IDENTITY}": Gatekeeper blocks them on users' Macs; they only get an ad-hoc signature (they run on Apple Silicon, not when downloaded).`;

const SCENARIOS: Scenario[] = [
  {
    name: "signing turned on",
    before: {},
    after: { sign: true, identity: IDENTITY },
    forward: [
      { field: "signing.mac.identity", kind: "added", after: IDENTITY, note: SIGNED },
      { field: "signing.mac.sign", kind: "changed", before: false, after: true },
    ],
    back: [
      { field: "signing.mac.identity", kind: "removed", before: IDENTITY, note: UNSIGNED },
      { field: "signing.mac.sign", kind: "changed", before: true, after: false },
    ],
    xml: ["+      <MacSignature>True</MacSignature>", `+      <MacCertificate>${IDENTITY}</MacCertificate>`],
  },
  {
    name: "signing turned off (the dialog keeps the identity)",
    before: { sign: true, identity: IDENTITY },
    after: { sign: false, identity: IDENTITY },
    forward: [{ field: "signing.mac.sign", kind: "changed", before: true, after: false, note: UNSIGNED }],
    back: [{ field: "signing.mac.sign", kind: "changed", before: false, after: true, note: SIGNED }],
    xml: ["-      <MacSignature>True</MacSignature>"],
  },
  {
    name: "an identity added with signing off",
    before: {},
    after: { sign: false, identity: IDENTITY },
    forward: [{ field: "signing.mac.identity", kind: "added", after: IDENTITY, note: `The macOS applications are still not signed: signing.mac.sign is false, so the identity "${IDENTITY}" is not used.` }],
    back: [{ field: "signing.mac.identity", kind: "removed", before: IDENTITY, note: "No change for users: the identity was not used (signing.mac.sign was false)." }],
    xml: [`+      <MacCertificate>${IDENTITY}</MacCertificate>`],
  },
  {
    name: "a destination change",
    before: {},
    after: { destination: "::Release:" },
    forward: [{ field: "output.mac", kind: "changed", before: "../Build", after: "../Release", note: "The macOS build goes to ../Release instead of ../Build: scripts and deployments that take the applications from the old folder must follow." }],
    back: [{ field: "output.mac", kind: "changed", before: "../Release", after: "../Build", note: "The macOS build goes to ../Build instead of ../Release: scripts and deployments that take the applications from the old folder must follow." }],
    xml: ["-    <BuildMacDestFolder>::Build:</BuildMacDestFolder>", "+    <BuildMacDestFolder>::Release:</BuildMacDestFolder>"],
  },
  {
    name: "a target added (the server, with the Apple Silicon keys the dialog writes beside it)",
    before: {},
    after: { server: true },
    forward: [
      { field: "targets.server.enabled", kind: "changed", before: false, after: true, note: "A 4D Server application is built." },
      { field: "targets.server.runtime.mac", kind: "added", after: "/Applications/4D v20 R8/4D Server.app", note: "The macOS server is built from this 4D runtime: users get the 4D version of that runtime, which must be the 4dVersion's." },
    ],
    back: [
      { field: "targets.server.enabled", kind: "changed", before: true, after: false, note: "The 4D Server application is no longer built: the server is not updated." },
      { field: "targets.server.runtime.mac", kind: "removed", before: "/Applications/4D v20 R8/4D Server.app", note: "No macOS runtime for the server any more: the macOS server cannot be built." },
    ],
    artifacts: ["+ server (mac): Client Server executable/Ledger Server.app (newly built)", "- server (mac): Client Server executable/Ledger Server.app (no longer built)"],
    xml: ["+        <ServerIncludeIt>True</ServerIncludeIt>", "+        <ServerMacFolder>Macintosh HD:Applications:4D v20 R8:4D Server.app:</ServerMacFolder>", "+      <BuildServerApplication>True</BuildServerApplication>"],
  },
  {
    name: "a licence added (masked)",
    before: { licences: 1 },
    after: { licences: 2 },
    forward: [{ field: "licenses.files.mac", kind: "changed", before: ["licenses.files.mac[0]"], after: ["licenses.files.mac[0]", "licenses.files.mac[1]"], note: "licenses.files.mac[1] is embedded as well: the macOS applications get the licences it holds." }],
    back: [
      {
        field: "licenses.files.mac",
        kind: "changed",
        before: ["licenses.files.mac[0]", "licenses.files.mac[1]"],
        after: ["licenses.files.mac[0]"],
        note: "licenses.files.mac[1] is no longer embedded: if it held the deployment licence, the macOS applications are built without one and users activate a licence at first launch.",
      },
    ],
    xml: ["+        <Item2>licenses.files.mac[1]</Item2>"],
  },
  {
    name: "a module excluded",
    before: {},
    after: { modules: ["CEF"] },
    forward: [{ field: "modules.exclude", kind: "added", after: ["CEF"], note: "Excluding CEF: web areas using the embedded engine and 4D View Pro areas stay blank." }],
    back: [{ field: "modules.exclude", kind: "removed", before: ["CEF"], note: "CEF is shipped again." }],
    artifacts: ["~ standalone (mac): Final Application/Ledger.app (exclusions now runs)", "~ standalone (mac): Final Application/Ledger.app (exclusions now skipped)"],
    xml: ["+      <Item1>CEF</Item1>"],
  },
];

const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
/** The text form of a change, as docs/settings.md describes it. */
const textOf = (c: Change) =>
  [c.kind === "added" ? `  + ${c.field}: ${shown(c.after)}` : c.kind === "removed" ? `  - ${c.field}: ${shown(c.before)}` : `  ~ ${c.field}: ${shown(c.before)} → ${shown(c.after)}`, ...(c.note ? [`      ${c.note}`] : [])].join("\n");
const markdownOf = (c: Change) => `| \`${c.field}\` | ${c.before === undefined ? "—" : `\`${shown(c.before)}\``} | ${c.after === undefined ? "—" : `\`${shown(c.after)}\``} | ${c.note ?? ""} |`;

/**
 * The diff of two files of `dir` as `4dbuild diff` prints it in each format: diffManifests, then renderDiff, then
 * the redactor (src/cli/commands/diff.ts). The CLI runs the same three calls: "the CLI prints what the library
 * renders" below checks that once per format, so each scenario and direction loads its two sides only once.
 */
function diffOutputs(dir: string, base: string, head: string, env: NodeJS.ProcessEnv) {
  const result = diffManifests(base, head, { cwd: dir, env });
  const output = Object.fromEntries(DIFF_FORMATS.map((format) => [format, result.redactor.redact(renderDiff(result.diff, format))])) as Record<DiffFormat, string>;
  return { valid: result.valid, output };
}

describe.each(SCENARIOS)("$name", (scenario) => {
  const dir = packageWithRevisions(scenario.before, scenario.after);
  // No environment variable at all: the reviewing machine is not the build machine.
  const env = { PATH: process.env.PATH };
  let forwardOutput: Record<DiffFormat, string>;

  describe.each([
    ["forward", "before.4DSettings", "after.4DSettings", scenario.forward, scenario.artifacts?.[0]],
    ["back", "after.4DSettings", "before.4DSettings", scenario.back, scenario.artifacts?.[1]],
  ] as const)("%s", (direction, base, head, expected, artifact) => {
    let run: ReturnType<typeof diffOutputs>;
    beforeAll(() => {
      run = diffOutputs(dir, base, head, env);
      if (direction === "forward") forwardOutput = run.output;
    });

    test("json: exactly these changes, with their notes; nothing else; no problem", () => {
      expect(run.valid).toBe(true);
      const diff = JSON.parse(run.output.json) as { settings: Change[]; artifacts: unknown[]; xml: { patch: string }[]; sides: { base: { problems: unknown[] }; head: { problems: unknown[] } } };
      expect(diff.settings).toEqual(expected);
      expect(diff.artifacts).toHaveLength(artifact ? 1 : 0);
      expect(diff.sides.base.problems).toEqual([]);
      expect(diff.sides.head.problems).toEqual([]);
      // No empty element and no value 4D applies anyway shows up as a change of the generated file.
      for (const { patch } of diff.xml) expect(patch.split("\n").filter((l) => /^[+-]/.test(l) && (/<(\w+)><\/\1>/.test(l) || /MacCompiledDatabaseToWin|HardLink|ItemsCount>0</.test(l)))).toEqual([]);
    });

    test("text: each change with its note, the artifacts, the generated file", () => {
      expect(run.output.text).toContain(`Configuration changes, ${base} → ${head}:\n\n${expected.map(textOf).join("\n")}\n\n`);
      if (artifact) expect(run.output.text).toContain(`Artifacts:\n  ${artifact}\n`);
      expect(run.output.text).not.toContain("Problems of");
    });

    test("markdown: one row per change", () => {
      expect(run.output.markdown).toContain(`| setting | before | after | what it means for users |\n|---|---|---|---|\n${expected.map(markdownOf).join("\n")}\n`);
    });
  });

  test("the generated settings file changes as expected", () => {
    for (const line of scenario.xml) expect(forwardOutput.text).toContain(`  ${line}\n`);
  });

  test("licence file names appear in no output", () => {
    for (const format of DIFF_FORMATS) {
      for (const name of LICENCE_NAMES) expect(forwardOutput[format]).not.toContain(name.replace(/\.license4D$/, ""));
    }
  });
});

test("the CLI prints what the library renders, in each format, exit 0, nothing on standard error; no licence file name", async () => {
  const scenario = SCENARIOS.find((s) => s.name.startsWith("a licence added"))!;
  const dir = packageWithRevisions(scenario.before, scenario.after);
  const env = { PATH: process.env.PATH };
  const library = diffOutputs(dir, "before.4DSettings", "after.4DSettings", env).output;
  for (const format of DIFF_FORMATS) {
    const run = await runCli(["diff", "before.4DSettings", "after.4DSettings", ...(format === "text" ? [] : ["--format", format])], { cwd: dir, env });
    expect([format, run.code, run.stderr]).toEqual([format, 0, ""]);
    expect(run.stdout).toBe(library[format]);
    for (const name of LICENCE_NAMES) expect(run.stdout).not.toContain(name.replace(/\.license4D$/, ""));
  }
});

test("absent and default, empty and absent are no change: the dialog's empty elements, an empty list, Apple Silicon off", async () => {
  const dir = packageWithRevisions({}, {});
  const full = settingsText();
  const bare = full
    .replace(/\n {4}<ArrayExcludedModuleName>[\s\S]*?<\/ArrayExcludedModuleName>/, "")
    .replace("\n      <MacCertificate></MacCertificate>", "")
    .replace("\n      <HardLink></HardLink>", "");
  const dialog = full.replace("<HardLink></HardLink>", "<HardLink></HardLink>\n      <MacCompiledDatabaseToWinIncludeIt>False</MacCompiledDatabaseToWinIncludeIt>\n      <MacCompiledDatabaseToWin></MacCompiledDatabaseToWin>");
  writeFileSync(path.join(dir, "before.4DSettings"), bare);
  writeFileSync(path.join(dir, "after.4DSettings"), dialog);
  for (const [base, head] of [["before.4DSettings", "after.4DSettings"], ["after.4DSettings", "before.4DSettings"]]) {
    const run = await runCli(["diff", base!, head!], { cwd: dir, env: { PATH: process.env.PATH } });
    expect(run.stdout).toBe(`No configuration change between ${base} and ${head}.\n`);
  }
});

test("a licence file replaced by another in the same place says so, masked", async () => {
  const dir = packageWithRevisions({}, {});
  writeFileSync(path.join(dir, "after.4DSettings"), settingsText().replace("TESTA1", "TESTZ9"));
  const run = await runCli(["diff", "before.4DSettings", "after.4DSettings", "--format", "json"], { cwd: dir, env: { PATH: process.env.PATH } });
  expect((JSON.parse(run.stdout) as { settings: unknown[] }).settings).toEqual([
    { field: "licenses.files.mac", kind: "changed", before: ["licenses.files.mac[0]"], after: ["licenses.files.mac[0] (another file)"], note: "licenses.files.mac[0] is replaced by another licence file: it must be a deployment licence of this 4D version." },
  ]);
  expect(run.stdout).not.toMatch(/TESTA1|TESTZ9/);
});
