import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildManifest } from "../src/builder/from-manifest.js";
import { BuildError } from "../src/messages/errors.js";
import { mergeBuilds } from "../src/release/merge.js";
import { readBuildReport, type BuildReport } from "../src/release/report.js";
import { cliEnv, exampleCopy } from "./helpers.js";

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe("the report of a build", () => {
  const copy = exampleCopy();
  folders.push(copy.root);
  let report: BuildReport;
  beforeAll(async () => {
    ({ report } = await buildManifest(copy.manifest, { env: cliEnv(), targets: ["compiled", "standalone"], platforms: ["win"], out: copy.out }));
  });

  test("is returned by the build as it is written, and reads back through readBuildReport", () => {
    const file = path.join(copy.out, "build-report.json");
    expect(report).toEqual(JSON.parse(readFileSync(file, "utf8")));
    expect(readBuildReport(file)).toEqual(report);
    expect(report).toMatchObject({ reportVersion: 1, name: "Hello", sourceDateEpoch: 1700000000 });
    expect(new Set(report.targets.map((t) => `${t.target}${t.platform ? ` ${t.platform}` : ""}`))).toEqual(new Set(["compiled", "standalone win"]));
    expect(report.artifacts.length).toBeGreaterThan(0);
    expect(report.steps?.at(-1)).toMatchObject({ step: "sign-checksums", status: "skipped" });
  });

  /** A copy of the report changed by `edit`, written as text into a folder of its own. */
  const variant = (text: (report: BuildReport) => string) => {
    const dir = mkdtempSync(path.join(tmpdir(), "4dbuild-report-"));
    folders.push(dir);
    const file = path.join(dir, "build-report.json");
    writeFileSync(file, text(structuredClone(report)));
    return file;
  };
  const json = (edit: (r: Record<string, unknown>) => void) => (r: BuildReport) => {
    const data = r as unknown as Record<string, unknown>;
    edit(data);
    return JSON.stringify(data);
  };

  test.each([
    ["not JSON", () => "{ reportVersion: 1", /is not valid JSON: /],
    ["without a version", json((r) => delete r.reportVersion), /is not a 4dbuild build report: it has no reportVersion$/],
    ["of a later version", json((r) => (r.reportVersion = 2)), /has reportVersion 2, which this 4dbuild does not read \(it reads version 1\)$/],
    ["with a field missing", json((r) => delete r.sourceDateEpoch), /is malformed: sourceDateEpoch is missing$/],
    ["with a malformed checksum", json((r) => ((r.artifacts as { sha256: string }[])[1]!.sha256 = "abc")), /is malformed: artifacts\[1\]\.sha256 must be a SHA-256 \(64 lowercase hex digits\)$/],
    ["with a list that is not one", json((r) => (r.signatures = "SHA256SUMS.p7s")), /is malformed: signatures must be a list$/],
  ])("readBuildReport refuses a report %s, naming the file", (_, text, message) => {
    const file = variant(text);
    const read = () => readBuildReport(file);
    expect(read).toThrow(BuildError);
    expect(read).toThrow(message);
    expect(read).toThrow(`${file} `);
  });

  test("readBuildReport names a missing file", () => {
    expect(() => readBuildReport(path.join(copy.root, "nowhere", "build-report.json"))).toThrow(new BuildError(`${path.join(copy.root, "nowhere", "build-report.json")} does not exist`));
  });

  test("merge refuses an output whose report it cannot read, and names it", async () => {
    const file = variant(json((r) => (r.reportVersion = 2)));
    writeFileSync(path.join(path.dirname(file), "SHA256SUMS"), readFileSync(path.join(copy.out, "SHA256SUMS")));
    const out = path.join(path.dirname(file), "release");
    mkdirSync(out);
    await expect(mergeBuilds([copy.out, path.dirname(file)], { out, env: cliEnv() })).rejects.toThrow(`${file} has reportVersion 2`);
  });
});
