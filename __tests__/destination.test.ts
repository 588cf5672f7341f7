import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PlannedBuild } from "../src/builder/plan-print.js";
import { buildDestination } from "../src/builder/destinations.js";
import { cliEnv, exampleCopy, runCli } from "./helpers.js";

describe("plan and build agree on where every output goes", () => {
  const copy = exampleCopy();
  afterAll(() => rmSync(copy.root, { recursive: true, force: true }));
  const manifest = () => {
    const text = readFileSync(copy.manifest, "utf8").replace("output:\n", "output:\n  mac: ../out-mac\n  win: ../out-win\n");
    writeFileSync(copy.manifest, text);
    return copy.manifest;
  };

  test("on this host, every unit of the plan and every output of the build are in the one destination", async () => {
    const file = manifest();
    const planned = JSON.parse((await runCli(["plan", file, "--format", "json"], { env: cliEnv() })).stdout) as PlannedBuild;
    const expected = path.join(copy.root, "examples", process.platform === "win32" ? "out-win" : "out-mac");
    expect([...new Set(planned.units.map((u) => u.destination))]).toEqual([expected]);
    const built = await runCli(["build", file, "--target", "compiled", "--target", "standalone", "--platform", "win"], { env: cliEnv(), cwd: copy.root });
    expect(built.code).toBe(0);
    const outputs = built.stdout.trim().split("\n");
    expect(outputs.length).toBeGreaterThan(3);
    for (const output of outputs) expect(path.resolve(copy.root, output).startsWith(`${expected}${path.sep}`)).toBe(true);
    for (const unit of planned.units.filter((u) => u.target === "compiled" || (u.target === "standalone" && "platform" in u && u.platform === "win"))) {
      expect(outputs.map((o) => path.resolve(copy.root, o))).toContain(path.join(unit.destination, unit.artifact));
    }
  });

  test.each([
    ["linux", "mac"],
    ["darwin", "mac"],
    ["win32", "win"],
  ] as const)("a build on %s writes into output.%s", (host, platform) => {
    expect(buildDestination({ output: { mac: "/m", win: "/w" } }, host)).toBe(platform === "mac" ? "/m" : "/w");
  });
});
