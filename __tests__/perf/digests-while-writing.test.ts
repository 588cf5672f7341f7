import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CompressionPool } from "../../src/archives/pool.js";
import { writeTarGz } from "../../src/archives/tar.js";
import { writeZip, type ZipEntry } from "../../src/archives/zip.js";
import { archiveStep } from "../../src/builder/steps/archive.js";
import { checksumsStep } from "../../src/builder/steps/report.js";
import { DigestRegistry } from "../../src/files/digests.js";
import { walkTree } from "../../src/files/tree.js";
import { tempDir } from "../helpers.js";
import { appTargets, hello, runStep, stageApplication, stepContext } from "../testctx.js";

/* Checksums are computed while archives are written and their files read, never by reading them back. */

const sha256sum = (file: string) => execFileSync("sha256sum", [file], { encoding: "utf8" }).split(" ")[0];

let pool: CompressionPool;
beforeAll(() => (pool = new CompressionPool(2)));
afterAll(() => pool.close());

function inputs(root: string): ZipEntry[] {
  const files: Record<string, Buffer> = { "a.txt": Buffer.from("hello\n".repeat(5000)), "b.bin": randomBytes(100_000), "big.txt": Buffer.from("streamed ".repeat(1_100_000)) };
  return Object.entries(files).map(([name, data]) => {
    const absolute = path.join(root, name);
    writeFileSync(absolute, data);
    return { name, kind: "file", size: data.length, executable: false, absolute };
  });
}

describe("digests learnt while writing", () => {
  test.each([
    ["zip", writeZip],
    ["tar.gz", writeTarGz],
  ] as const)("%s: the archive's and its files' SHA-256 equal sha256sum's, learnt without reading them back", async (format, write) => {
    const root = tempDir("digests");
    const entries = inputs(root);
    const digests = new DigestRegistry();
    const output = path.join(root, `out.${format}`);
    await write(entries, output, { sourceDate: 1_700_000_000, pool, digests, digestInputs: true });
    expect(await digests.known(output)).toBe(sha256sum(output));
    for (const entry of entries) expect(await digests.known(entry.absolute!)).toBe(sha256sum(entry.absolute!));
  });

  test("a file changed since is no longer known: its digest is read again", async () => {
    const root = tempDir("digests");
    const entries = inputs(root);
    const digests = new DigestRegistry();
    await writeZip(entries, path.join(root, "out.zip"), { sourceDate: 1_700_000_000, pool, digests, digestInputs: true });
    appendFileSync(entries[0]!.absolute!, "changed");
    expect(await digests.known(entries[0]!.absolute!)).toBeUndefined();
    expect(await digests.sha256(entries[0]!.absolute!)).toBe(sha256sum(entries[0]!.absolute!));
  });

  test("after the archive step, every file SHA256SUMS lists is known already, and its line equals sha256sum's", async () => {
    const context = stepContext(hello(`output:\n  archives: [zip, tar.gz]\n${appTargets("standalone")}`));
    const unit = { target: "standalone", platform: "mac" } as const;
    const paths = await stageApplication(context, unit);
    context.artifacts.push({ kind: "target", target: "standalone", platform: "mac", path: paths.root });
    await runStep(context, archiveStep, unit);
    const files = [...context.artifacts.filter((a) => a.path.endsWith(".zip") || a.path.endsWith(".gz")).map((a) => a.path), ...(await walkTree(paths.root, paths.root, "keep")).filter((e) => e.kind === "file").map((e) => e.absolute)];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect({ file, digest: await context.digests.known(file) }).toEqual({ file, digest: sha256sum(file) });
    await runStep(context, checksumsStep);
    const sums = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: context.out, encoding: "utf8" });
    expect(sums.trim().split("\n")).toHaveLength(files.length);
    expect(sums).not.toMatch(/FAILED/);
  });
});
