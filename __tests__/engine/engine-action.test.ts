import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cliEnv, exampleCopy, ROOT, tempDir } from "../helpers.js";
import { STAND_IN_4D } from "./stand-in.js";

const MAIN = path.join(ROOT, "dist", "action", "main.js");
const SECRET = "Canary-Link-action-0b19";

test("the Action's compare-engines input puts the native-vs-4D table into the job summary, secrets masked (stand-in 4D)", async () => {
  const copy = exampleCopy();
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace(/^4dVersion: "21"\n/m, '4dVersion: "21"\nbuild:\n  engine: 4d\n  fourD: ${env.FOURD_APP}\n'));
  const files = tempDir("runner");
  const summary = path.join(files, "summary");
  writeFileSync(summary, "");
  writeFileSync(path.join(files, "output"), "");
  mkdirSync(path.join(files, "temp"));
  const env: NodeJS.ProcessEnv = {
    ...cliEnv({ TMPDIR: path.join(files, "temp"), FOURD_APP: STAND_IN_4D, HELLO_LINK_CODE: SECRET }),
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: copy.root,
    GITHUB_OUTPUT: path.join(files, "output"),
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: path.join(files, "temp"),
    INPUT_COMMAND: "build",
    INPUT_MANIFEST: "examples/hello/4dbuild.yml",
    INPUT_TARGETS: "standalone",
    INPUT_PLATFORMS: "mac",
    INPUT_OUT: "release",
    INPUT_UPLOAD: "false",
    "INPUT_COMPARE-ENGINES": "true",
  };
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [MAIN], { cwd: copy.root, env });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("close", (exit) => resolve({ code: exit, stdout: out }));
  });
  expect(stdout).not.toContain("::error");
  expect(code).toBe(0);
  const text = readFileSync(summary, "utf8");
  expect(text).toContain("### Native builder vs 4d");
  expect(text).toContain("| `Final Application/Hello.app/Contents/Info.plist` | different |");
  expect(text.includes(SECRET) || stdout.includes(SECRET)).toBe(false);
});
