import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { versions } from "node:process";
import { cliEnv, EPOCH, exampleCopy, ROOT, runCli, STACK_TRACE } from "./helpers.js";

/*
 * Golden digests: the SHA-256 of outputs of the example built with SOURCE_DATE_EPOCH fixed, committed in
 * __tests__/expected/hello-golden.sha256. Any change of bytes (entry order, timestamps, modes, compression,
 * the writers, the example itself) shows here. Deflate output is only as stable as the zlib that makes it, so
 * the file holds one section per zlib version ("# zlib X" then the digests); a Node whose zlib has no section
 * fails with the command that adds one (the same command refreshes the current section).
 *
 * To refresh after an intended change, outside CI:
 *   UPDATE_GOLDEN=1 node --experimental-vm-modules node_modules/jest/bin/jest.js __tests__/golden.test.ts
 * then review and commit the file. With CI set, UPDATE_GOLDEN is refused: CI never rewrites it.
 */
const GOLDEN = path.join(ROOT, "__tests__", "expected", "hello-golden.sha256");
const REFRESH = "if the change is intended: UPDATE_GOLDEN=1 node --experimental-vm-modules node_modules/jest/bin/jest.js __tests__/golden.test.ts (not in CI), then review and commit __tests__/expected/hello-golden.sha256";
const OUTPUTS = ["Compiled Database/Hello/Hello.4DZ", "Archives/Hello-standalone-mac.zip", "Archives/Hello-standalone-win.tar.gz"];
const ZLIB = versions.zlib ?? "unknown";

const HEADER = `# SHA-256 of outputs of examples/hello built with SOURCE_DATE_EPOCH=${EPOCH} (see __tests__/golden.test.ts)`;
const updating = process.env.UPDATE_GOLDEN === "1";

/** The recorded digests by zlib version. */
function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(/^# zlib /m).slice(1)) {
    const [zlib, ...lines] = part.split("\n");
    out.set(zlib!, lines.filter(Boolean).join("\n") + "\n");
  }
  return out;
}
const recorded = sections(existsSync(GOLDEN) ? readFileSync(GOLDEN, "utf8") : "");

describe("golden digests of the example's outputs", () => {
  const copy = exampleCopy();
  let sums = "";
  beforeAll(async () => {
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled", "--target", "standalone"], { env: cliEnv() });
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    sums = OUTPUTS.map((o) => `${createHash("sha256").update(readFileSync(path.join(copy.out, o))).digest("hex")}  ${o}\n`).join("");
  });
  afterAll(() => rmSync(copy.root, { recursive: true, force: true }));

  if (updating) {
    test("UPDATE_GOLDEN=1 rewrites the golden file (refused in CI)", () => {
      expect({ CI: process.env.CI ?? "", refused: "UPDATE_GOLDEN is refused in CI: refresh the golden file on a developer machine and commit it" }).toEqual({ CI: "", refused: expect.any(String) });
      recorded.set(ZLIB, sums);
      writeFileSync(GOLDEN, [HEADER, ...[...recorded].sort().map(([zlib, digests]) => `# zlib ${zlib}\n${digests}`)].join("\n").replace(/\n*$/, "\n"));
      expect(sections(readFileSync(GOLDEN, "utf8")).get(ZLIB)).toBe(sums);
    });
  } else {
    test(`the .4DZ, a .zip and a .tar.gz have the committed digests for this Node's zlib (${ZLIB})`, () => {
      expect({ golden: sums, toRefresh: REFRESH }).toEqual({ golden: recorded.get(ZLIB) ?? `no digests recorded for zlib ${ZLIB}`, toRefresh: REFRESH });
    });
  }
});
