import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FIXTURES, runCli, tempDir } from "./helpers.js";
import { IDENTITY, settingsText } from "./settings-history.js";

// diff on any two configurations (manifests, settings files, git revisions of either, mixed), on a machine
// that is not the build machine: no environment variable set, no runtime or licence file present.
const NO_ENV = { PATH: process.env.PATH };

/** A repository with the fixture project; commit() records the working tree. */
function repository() {
  const dir = tempDir("review");
  cpSync(path.join(FIXTURES, "app", "Project"), path.join(dir, "Project"), { recursive: true });
  mkdirSync(path.join(dir, "Settings"));
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, encoding: "utf8" });
  git("init", "-q", "-b", "main");
  const commit = (message: string) => {
    git("add", "-A");
    git("commit", "-qm", message);
  };
  const write = (file: string, text: string) => writeFileSync(path.join(dir, file), text);
  return { dir, git, commit, write };
}

describe("two git revisions of Settings/buildApp.4DSettings", () => {
  const repo = repository();
  repo.write("Settings/buildApp.4DSettings", settingsText());
  repo.commit("base");
  repo.write("Settings/buildApp.4DSettings", settingsText({ sign: true, identity: IDENTITY }));
  repo.commit("sign the macOS applications");

  test.each([
    ["REVISION:path on both sides", ["HEAD~1:Settings/buildApp.4DSettings", "HEAD:Settings/buildApp.4DSettings"], "HEAD~1:Settings/buildApp.4DSettings → HEAD:Settings/buildApp.4DSettings"],
    ["bare revisions (no manifest there: the settings file)", ["HEAD~1", "HEAD"], "HEAD~1:Settings/buildApp.4DSettings → HEAD:Settings/buildApp.4DSettings"],
    ["--git REVISION FILE against the working tree", ["--git", "HEAD~1", "Settings/buildApp.4DSettings"], "HEAD~1:Settings/buildApp.4DSettings → Settings/buildApp.4DSettings"],
  ])("%s", async (_name, args, labels) => {
    const run = await runCli(["diff", ...args], { cwd: repo.dir, env: NO_ENV });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Configuration changes, ${labels}:\n\n  + signing.mac.identity: ${IDENTITY}\n      The macOS applications are now signed with "${IDENTITY}"`);
    expect(run.stdout).toContain("  ~ signing.mac.sign: false → true\n");
  });
});

describe("settings → manifest: the pull request that adopts 4dbuild", () => {
  const repo = repository();
  repo.write("Settings/buildApp.4DSettings", settingsText({ server: true }));
  repo.commit("settings as 4D wrote them");
  repo.git("checkout", "-qb", "adopt");

  test("the imported manifest is no configuration change, though none of its variables is set", async () => {
    const imported = await runCli(["import"], { cwd: repo.dir, env: NO_ENV });
    expect(imported.code).toBe(0);
    repo.commit("adopt 4dbuild");
    const run = await runCli(["diff", "main", "adopt"], { cwd: repo.dir, env: NO_ENV });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("No configuration change between main:Settings/buildApp.4DSettings and adopt:4dbuild.yml.\n");
    expect(run.code).toBe(0);
  });

  test("a change made while adopting is shown, references as references (a secret is never needed)", async () => {
    const manifest = readFileSync(path.join(repo.dir, "4dbuild.yml"), "utf8");
    const linked = manifest.replace("autoUpdate:\n", "network:\n  linkCode: ${secret.LEDGER_LINK}\nautoUpdate:\n");
    // Left beside the field, the empty element import kept would override it: the diff lists the warning.
    repo.write("4dbuild.yml", linked);
    const shadowed = await runCli(["diff", "main", "4dbuild.yml"], { cwd: repo.dir, env: NO_ENV });
    expect(shadowed.stdout).toMatch(/Problems of 4dbuild\.yml \(warnings\):\n {2}4dbuild\.yml:\d+:3: warning: passthrough CS\/HardLink overrides network\.linkCode: editing network\.linkCode changes nothing while this entry is here \[overridden-field\]\n/);
    repo.write("4dbuild.yml", linked.replace('  CS/HardLink: ""\n', ""));
    const run = await runCli(["diff", "main", "4dbuild.yml"], { cwd: repo.dir, env: NO_ENV });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "Configuration changes, main:Settings/buildApp.4DSettings → 4dbuild.yml:",
        "",
        "  + network.linkCode: ${secret.LEDGER_LINK}",
        "      Existing clients can no longer connect: the server only accepts clients built with the same link code.",
        "",
        "buildApp.4DSettings on a macOS build host:",
        "  @@ -20,4 +20,5 @@",
        "       <CS>",
        "         <BuildServerApplication>True</BuildServerApplication>",
        "  +      <HardLink>${secret.LEDGER_LINK}</HardLink>",
        "       </CS>",
        "       <Licenses>",
        "",
        "buildApp.4DSettings on a Windows build host:",
        "  @@ -18,4 +18,7 @@",
        "         </CS>",
        "       </SourcesFiles>",
        "  +    <CS>",
        "  +      <HardLink>${secret.LEDGER_LINK}</HardLink>",
        "  +    </CS>",
        "       <Licenses>",
        "         <ArrayLicenseMac>",
        "",
      ].join("\n"),
    );
  });
});

describe("manifests away from the build machine", () => {
  const dir = tempDir("away");
  cpSync(path.join(FIXTURES, "app"), dir, { recursive: true });
  const manifest = (runtime: string, extra = "") =>
    `version: 1\nproject: Project/App.4DProject\n4dVersion: "20 R8"\ntargets:\n  standalone:\n    runtime:\n      mac: ${runtime}\n    icon:\n      mac: Missing.icns\nnetwork:\n  linkCode: \${secret.LINK}\n${extra}`;
  writeFileSync(path.join(dir, "a.yml"), manifest("${env.VL}"));
  writeFileSync(path.join(dir, "b.yml"), manifest("${env.VL_NEXT}"));
  writeFileSync(path.join(dir, "same.yml"), manifest("${env.VL}"));

  test("unset variables are compared as the references they are; missing files are no problem", async () => {
    const same = await runCli(["diff", "a.yml", "same.yml"], { cwd: dir, env: NO_ENV });
    expect(same.stdout).toBe("No configuration change between a.yml and same.yml.\n");
    const run = await runCli(["diff", "a.yml", "b.yml", "--format", "json"], { cwd: dir, env: NO_ENV });
    expect(run.code).toBe(0);
    const diff = JSON.parse(run.stdout) as { settings: unknown[]; sides: { base: { problems: unknown[] }; head: { problems: unknown[] } } };
    expect(diff.settings).toEqual([
      { field: "targets.standalone.runtime.mac", kind: "changed", before: "${env.VL}", after: "${env.VL_NEXT}", note: "The macOS stand-alone application is built from another 4D runtime: users get the 4D version of that runtime, which must be the 4dVersion's." },
    ]);
    expect([diff.sides.base.problems, diff.sides.head.problems]).toEqual([[], []]);
  });

  test("set variables are compared by value, and secrets stay masked", async () => {
    const run = await runCli(["diff", "a.yml", "b.yml"], { cwd: dir, env: { ...NO_ENV, VL: "/Applications/4D v20 R8/4D Volume Desktop.app", VL_NEXT: "/Applications/4D v20 R8/4D Volume Desktop.app", LINK: "link-secret-1" } });
    expect(run.stdout).toBe("No configuration change between a.yml and b.yml.\n");
    const secret = await runCli(["diff", "a.yml", "same.yml", "--format", "markdown"], { cwd: dir, env: { ...NO_ENV, LINK: "link-secret-1" } });
    expect(secret.stdout).not.toContain("link-secret-1");
  });

  test("an invalid side is compared as far as it can be, its problems listed; --strict makes it exit 1", async () => {
    writeFileSync(path.join(dir, "invalid.yml"), manifest("${env.VL}", 'autoUpdate:\n  currentVersion: "three"\n  acceptedClientVersions: { min: 2, max: 3 }\n'));
    const run = await runCli(["diff", "a.yml", "invalid.yml"], { cwd: dir, env: NO_ENV });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("  ~ autoUpdate.acceptedClientVersions.max: 1 → 3\n      Clients up to version 3 are accepted.\n");
    expect(run.stdout).toContain("  ~ autoUpdate.acceptedClientVersions.min: 1 → 2\n      Raises the oldest client the server accepts to version 2: every older client is refused and must update.\n");
    expect(run.stdout).toContain("Problems of invalid.yml (not valid; compared as far as it could be):\n  invalid.yml:13:19: error: autoUpdate.currentVersion must be a whole number, not the text \"three\" [wrong-type]\n");
    const strict = await runCli(["diff", "a.yml", "invalid.yml", "--strict"], { cwd: dir, env: NO_ENV });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe(run.stdout);
  });

  test("a side that is not a configuration at all is listed, and nothing is compared", async () => {
    writeFileSync(path.join(dir, "broken.4DSettings"), "<Preferences4D><BuildApp>\n<A></B>\n");
    const run = await runCli(["diff", "a.yml", "broken.4DSettings", "--format", "markdown"], { cwd: dir, env: NO_ENV });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("> broken.4DSettings could not be read: nothing was compared (see its problems).");
    expect(run.stdout).toMatch(/- \*\*error\*\* `broken\.4DSettings:2:\d+` broken\.4DSettings is not well-formed XML/);
    expect((await runCli(["diff", "a.yml", "broken.4DSettings", "--strict"], { cwd: dir, env: NO_ENV })).code).toBe(1);
  });
});

describe("sides that do not exist", () => {
  test("a file missing at a revision is no configuration: everything the other side has is new", async () => {
    const repo = repository();
    repo.write("README.md", "first commit, before any configuration\n");
    repo.commit("empty");
    repo.write("4dbuild.yml", 'version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\ntargets:\n  compiled: {}\n');
    const run = await runCli(["diff", "--git", "main"], { cwd: repo.dir, env: NO_ENV });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("main:4dbuild.yml does not exist: everything 4dbuild.yml configures is new.\n");
    expect(run.stdout).toContain("  + targets.compiled.enabled: true\n");
    expect(run.stdout).toContain("  + compiled: Compiled Database/App (newly built)\n");
  });

  test("usage errors (exit 2): a side that is neither a file nor a revision, --git with two files, one side", async () => {
    const repo = repository();
    repo.write("4dbuild.yml", 'version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\n');
    repo.commit("base");
    rmSync(path.join(repo.dir, "Settings"), { recursive: true, force: true });
    const neither = await runCli(["diff", "4dbuild.yml", "no-such-branch"], { cwd: repo.dir, env: NO_ENV });
    expect([neither.code, neither.stderr]).toEqual([2, 'error: "no-such-branch" is neither a file nor a git revision\n  hint: give a manifest or buildApp.4DSettings path, a revision such as origin/main or HEAD~1, or REVISION:path\n']);
    expect((await runCli(["diff", "--git", "main", "a.yml", "b.yml"], { cwd: repo.dir, env: NO_ENV })).code).toBe(2);
    expect((await runCli(["diff", "4dbuild.yml"], { cwd: repo.dir, env: NO_ENV })).code).toBe(2);
  });
});
