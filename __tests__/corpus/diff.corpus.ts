import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { packageWith, runCli } from "../helpers.js";
import { corpusFile } from "./corpus.js";

// diff on the real-world files of the reference corpus (npm run test:corpus), with no variable of their build
// machines set: the pull request that adopts 4dbuild changes nothing, and a real edit reads right.
const NO_ENV = { PATH: process.env.PATH };
const FILES = ["4D-Australasia_RoadShow-CICD-Source.buildApp.4DSettings", "elui4d_jbfpointofsale-projectmode-v20.buildApp.4DSettings", "madamov_appBuilder.buildApp.4DSettings", "vdelachaux_4DPop-AppMaker.buildApp.4DSettings"];

function repositoryWith(file: string) {
  const dir = packageWith(corpusFile(file));
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, encoding: "utf8" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "settings as 4D wrote them");
  return { dir, git };
}

test.each(FILES)("%s: the manifest import writes is no configuration change from the file", async (file) => {
  const { dir, git } = repositoryWith(file);
  expect((await runCli(["import"], { cwd: dir, env: NO_ENV })).code).toBe(0);
  git("add", "-A");
  git("commit", "-qm", "adopt 4dbuild");
  const run = await runCli(["diff", "HEAD~1", "HEAD"], { cwd: dir, env: NO_ENV });
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe("No configuration change between HEAD~1:Settings/buildApp.4DSettings and HEAD:4dbuild.yml.\n");
});

test("madamov: signing turned off in the dialog reads as signing off, the licences stay masked, nothing else changes", async () => {
  const { dir } = repositoryWith("madamov_appBuilder.buildApp.4DSettings");
  const settings = path.join(dir, "Settings", "buildApp.4DSettings");
  writeFileSync(settings, readFileSync(settings, "utf8").replace("<MacSignature>True</MacSignature>", "<MacSignature>False</MacSignature>"));
  const run = await runCli(["diff", "--git", "HEAD", "Settings/buildApp.4DSettings", "--format", "json"], { cwd: dir, env: NO_ENV });
  expect(run.code).toBe(0);
  const diff = JSON.parse(run.stdout) as { settings: unknown[] };
  expect(diff.settings).toEqual([
    {
      field: "signing.mac.sign",
      kind: "changed",
      before: true,
      after: false,
      note: 'The macOS applications are no longer signed with "Developer ID Application: ADAMOV KONSULTACIJE DOO BEOGRAD (JZ5A5UZ7M5)": Gatekeeper blocks them on users\' Macs; they only get an ad-hoc signature (they run on Apple Silicon, not when downloaded).',
    },
  ]);
  expect(run.stdout).not.toMatch(/PNUD200|PNDP200/);
});
