import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { FIXTURES, runCli, STACK_TRACE } from "./helpers.js";

/**
 * Each file under fixtures/manifests/invalid is a manifest with mistakes. Its trailing comments say what
 * validate must report, exactly: "# expect: LINE:COLUMN message" for errors, "# expect-warning: …" for warnings.
 * "# env: NAME=value" lines set the environment.
 */
const DIR = path.join(FIXTURES, "manifests", "invalid");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml")).sort();

interface Expectation {
  severity: "error" | "warning";
  line: number;
  column: number;
  message: string;
}

function expectations(text: string): { expected: Expectation[]; env: Record<string, string> } {
  const expected: Expectation[] = [];
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const e = /^# expect(-warning)?: (\d+):(\d+) (.+)$/.exec(line);
    if (e) expected.push({ severity: e[1] ? "warning" : "error", line: Number(e[2]), column: Number(e[3]), message: e[4]! });
    const v = /^# env: ([A-Z_]+)=(.*)$/.exec(line);
    if (v) env[v[1]!] = v[2]!;
  }
  return { expected, env };
}

test("there are at least 60 invalid manifests", () => {
  expect(files.length).toBeGreaterThanOrEqual(60);
});

describe.each(files)("%s", (file) => {
  const manifest = path.join(DIR, file);
  const { expected, env } = expectations(readFileSync(manifest, "utf8"));

  test("declares what it must report", () => {
    expect(expected.filter((e) => e.severity === "error").length).toBeGreaterThan(0);
  });

  test("validate reports exactly those problems, located", async () => {
    const run = await runCli(["validate", "--format", "json", manifest], { env });
    expect(run.code).toBe(1);
    const { diagnostics } = JSON.parse(run.stdout) as { diagnostics: (Expectation & { hint?: string })[] };
    // Notices (which licence each application gets) are information, not problems of these fixtures.
    const seen = diagnostics.filter((d) => (d.severity as string) !== "notice").map(({ severity, line, column, message }) => ({ severity, line, column, message }));
    expect(seen).toEqual(expected);
  });

  test("the text report shows file:line:column, a code frame, and no stack trace", async () => {
    const run = await runCli(["validate", manifest], { env });
    expect(run.code).toBe(1);
    for (const e of expected) expect(run.stdout).toContain(`${manifest}:${e.line}:${e.column}: ${e.severity}: ${e.message}`);
    expect(run.stdout).toMatch(/^> +\d+ \| /m);
    expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).toBe("");
  });
});

test("one run reports several problems at once, in file order", async () => {
  const run = await runCli(["validate", path.join(DIR, "92-many-problems.yml")]);
  const reported = [...run.stdout.matchAll(/:(\d+):\d+: error: /g)].map((m) => Number(m[1]));
  expect(reported.length).toBeGreaterThanOrEqual(5);
  expect(reported).toEqual([...reported].sort((a, b) => a - b));
  expect(run.stdout).toContain("6 errors, 0 warnings");
});

test("errors carry a hint where there is one to give", async () => {
  const run = await runCli(["validate", "--format", "json", path.join(DIR, "92-many-problems.yml")]);
  const hints = (JSON.parse(run.stdout) as { diagnostics: { message: string; hint?: string }[] }).diagnostics.map((d) => [d.message, d.hint]);
  expect(hints).toEqual(
    expect.arrayContaining([
      ["4dVersion must be text, not the number 21", 'quote it: 4dVersion: "21"'],
      ['unknown key "platfroms" in targets.standalone', 'did you mean "platforms"?'],
      ['"Mecab" is not a 4D module', expect.stringContaining('did you mean "MeCab"?')],
    ]),
  );
});
