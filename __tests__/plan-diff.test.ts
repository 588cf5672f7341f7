import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FIXTURES, ROOT, runCli, tempDir } from "./helpers.js";

const BASE = "examples/hello/4dbuild.yml";
const RELEASE = "examples/hello/4dbuild.release.yml";

describe("plan", () => {
  test("json: every target × platform with its runtime, artifact and steps; skipped steps say why", async () => {
    const run = await runCli(["plan", BASE, "--format", "json"]);
    expect(run.code).toBe(0);
    const planned = JSON.parse(run.stdout) as { name: string; steps: { name: string; skipped?: string }[]; units: { target: string; platform?: string; runtime?: string; artifact: string; steps: { name: string; skipped?: string }[] }[]; finally: { name: string }[] };
    expect(planned.name).toBe("Hello");
    expect(planned.units.map((u) => [u.target, u.platform ?? "", u.artifact])).toEqual([
      ["compiled", "", "Compiled Database/Hello"],
      ["component", "", "Components/Hello.4dbase"],
      ["standalone", "mac", "Final Application/Hello.app"],
      ["standalone", "win", "Final Application/Hello"],
      ["client", "mac", "Client Server executable/Hello Client.app"],
      ["client", "win", "Client Server executable/Hello Client"],
      ["server", "mac", "Client Server executable/Hello Server.app"],
      ["server", "win", "Client Server executable/Hello Server"],
    ]);
    expect(planned.steps).toEqual([
      { name: "provision", title: "download or unpack tool4d and the runtimes into the cache", skipped: "nothing to download or unpack: tool4d and the runtimes are given as folders" },
      { name: "dependencies", title: "find the components to embed, download GitHub dependencies" },
      { name: "compile", title: "compile the project with tool4d", skipped: "compile.enabled is false: the project's compiled code is used as it is" },
      { name: "engine", title: "assemble the applications with 4D", skipped: "build.engine is native: 4dbuild assembles the applications" },
      { name: "structure", title: "copy the project and strip its sources" },
      { name: "pack", title: "pack the structure into <name>.4DZ" },
      { name: "server-settings", title: "write the server's settings.4DSettings edits into its own structure", skipped: "targets.server.settings sets nothing" },
    ]);
    const standaloneMac = planned.units[2]!;
    expect(standaloneMac.runtime).toBe(path.join(ROOT, "examples/runtimes/mac/4D Volume Desktop.app"));
    expect(standaloneMac.steps.find((s) => s.name === "licenses")?.skipped).toBe("licenses.mode is none: users activate a licence at first launch");
    expect(planned.units[3]!.steps.find((s) => s.name === "sign")?.skipped).toBe("signing.win is not configured: Windows files stay unsigned");
    expect(planned.units.find((u) => u.target === "client")!.steps.map((s) => s.name)).toEqual(["runtime", "layout", "metadata", "icon", "exclusions", "app-paths", "licenses", "link", "sign", "unsigned", "client-archive", "archive"]);
    expect(planned.finally.map((s) => s.name)).toEqual(["checksums", "sign-checksums", "report"]);
  });

  test("text: a table of targets and the steps in order", async () => {
    const run = await runCli(["plan", BASE]);
    expect(run.stdout).toMatch(/^Hello, built with 4D 21\n\nTARGET {12}RUNTIME/);
    expect(run.stdout).toContain("server (win)");
    expect(run.stdout).toContain("pack           pack the structure into <name>.4DZ");
  });
});

describe("diff between two example manifests (client version range, excluded modules, signing)", () => {
  test("text", async () => {
    const run = await runCli(["diff", BASE, RELEASE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Configuration changes, ${BASE} → ${RELEASE}:`);
    expect(run.stdout).toContain("~ autoUpdate.acceptedClientVersions.min: 2 → 3\n      Raises the oldest client the server accepts to version 3: every older client is refused and must update.");
    expect(run.stdout).toContain('~ modules.exclude: ["SpellChecker"] → ["SpellChecker","CEF"]\n      Excluding CEF: web areas using the embedded engine and 4D View Pro areas stay blank.');
    expect(run.stdout).toContain(
      '+ signing.mac.identity: Developer ID Application: Example Ltd (ABCDE12345)\n      The macOS applications are now signed with "Developer ID Application: Example Ltd (ABCDE12345)": users\' Macs can tell who made them',
    );
    expect(run.stdout).toContain("buildApp.4DSettings on any build host:");
    expect(run.stdout).toContain("-      <RangeVersMin>2</RangeVersMin>\n  +      <RangeVersMin>3</RangeVersMin>");
    expect(run.stdout).toContain("+      <MacSignature>True</MacSignature>");
  });

  test("and back: signing off warns about Gatekeeper", async () => {
    const run = await runCli(["diff", RELEASE, BASE]);
    expect(run.stdout).toContain(
      '- signing.mac.identity: Developer ID Application: Example Ltd (ABCDE12345)\n      The macOS applications are no longer signed with "Developer ID Application: Example Ltd (ABCDE12345)": Gatekeeper blocks them on users\' Macs; they only get an ad-hoc signature',
    );
    expect(run.stdout).not.toContain("Excluding CEF");
    expect(run.stdout).toContain("CEF is shipped again.");
  });

  test("markdown, for a pull-request comment or job summary", async () => {
    const run = await runCli(["diff", BASE, RELEASE, "--format", "markdown"]);
    expect(run.stdout).toContain("### 4dbuild: build configuration changes");
    expect(run.stdout).toContain("| setting | before | after | what it means for users |");
    expect(run.stdout).toContain("| `autoUpdate.acceptedClientVersions.min` | `2` | `3` | Raises the oldest client the server accepts to version 3: every older client is refused and must update. |");
    expect(run.stdout).toContain('| `modules.exclude` | `["SpellChecker"]` | `["SpellChecker","CEF"]` | Excluding CEF:');
    expect(run.stdout).toContain("| `signing.mac.identity` | — | `Developer ID Application: Example Ltd (ABCDE12345)` |");
    expect(run.stdout).toContain("<details><summary>buildApp.4DSettings on any build host</summary>\n\n```diff\n@@");
  });

  test("json, for tools", async () => {
    const run = await runCli(["diff", BASE, RELEASE, "--format", "json"]);
    const diff = JSON.parse(run.stdout) as { settings: { field: string; kind: string; before?: unknown; after?: unknown; note?: string }[]; xml: { hosts: string[] }[]; artifacts: unknown[] };
    expect(diff.settings.map((c) => [c.field, c.kind, c.before, c.after])).toEqual([
      ["autoUpdate.acceptedClientVersions.min", "changed", 2, 3],
      ["modules.exclude", "changed", ["SpellChecker"], ["SpellChecker", "CEF"]],
      ["signing.mac.identity", "added", undefined, "Developer ID Application: Example Ltd (ABCDE12345)"],
    ]);
    expect(diff.settings.every((c) => typeof c.note === "string" && c.note.length > 0)).toBe(true);
    expect(diff.xml).toEqual([{ hosts: ["mac", "win"], patch: expect.stringContaining("+      <Item2>CEF</Item2>") }]);
  });

  test("an unchanged configuration says so; defaults written out are no change", async () => {
    const dir = tempDir("diff");
    cpSync(path.join(FIXTURES, "app"), dir, { recursive: true });
    const a = 'version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\ntargets:\n  compiled: {}\n';
    writeFileSync(path.join(dir, "a.yml"), a);
    writeFileSync(path.join(dir, "b.yml"), `${a}structure:\n  pack: true\n  standardZip: true\n`);
    const run = await runCli(["diff", "a.yml", "b.yml"], { cwd: dir });
    expect(run.stdout).toBe("No configuration change between a.yml and b.yml.\n");
  });
});

describe("diff against git", () => {
  const repo = () => {
    const dir = tempDir("git");
    cpSync(path.join(FIXTURES, "app"), dir, { recursive: true });
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, encoding: "utf8" });
    git("init", "-q", "-b", "main");
    writeFileSync(path.join(dir, "4dbuild.yml"), 'version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\ntargets:\n  compiled: {}\nnetwork:\n  linkCode: ${secret.LINK}\n  port: 19813\n');
    git("add", ".");
    git("commit", "-qm", "base");
    return { dir, git };
  };

  test("--git REV compares that revision's manifest with the working tree", async () => {
    const { dir } = repo();
    writeFileSync(path.join(dir, "4dbuild.yml"), readFileSync(path.join(dir, "4dbuild.yml"), "utf8").replace("port: 19813", "port: 19900"));
    const run = await runCli(["diff", "--git", "main"], { cwd: dir, env: { LINK: "abc" } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Configuration changes, main:4dbuild.yml → 4dbuild.yml:");
    expect(run.stdout).toContain("~ network.port: 19813 → 19900\n      Clients connect on port 19900; the server must listen on that port (project settings).");
  });

  test("a side can be a revision; secrets are redacted", async () => {
    const { dir, git } = repo();
    git("checkout", "-qb", "feature");
    writeFileSync(path.join(dir, "4dbuild.yml"), readFileSync(path.join(dir, "4dbuild.yml"), "utf8").replace("${secret.LINK}", "${secret.NEW_LINK}"));
    git("commit", "-qam", "new link code");
    const run = await runCli(["diff", "main", "feature"], { cwd: dir, env: { LINK: "old-link-secret", NEW_LINK: "new-link-secret" } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("~ network.linkCode: *** → ***\n      Existing clients can no longer connect");
    expect(run.stdout).not.toMatch(/old-link-secret|new-link-secret/);
  });

  test("usage errors: one side, or a side that is neither a file nor a revision", async () => {
    const { dir } = repo();
    expect((await runCli(["diff", "4dbuild.yml"], { cwd: dir })).code).toBe(2);
    const run = await runCli(["diff", "4dbuild.yml", "no-such-branch"], { cwd: dir, env: { LINK: "x" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"no-such-branch" is neither a file nor a git revision');
  });
});
