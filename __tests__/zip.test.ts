import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { walkTree, UnsafeLinkError } from "../src/files/tree.js";
import { writeTarGz } from "../src/archives/tar.js";
import { writeZip, type ZipEntry } from "../src/archives/zip.js";
import { symlinkSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tempDir } from "./helpers.js";

const SOURCE_DATE = 1700000000; // 2023-11-14T22:13:20Z

function sampleTree(order: string[], options: { mtime: number; mode: number }): string {
  const root = tempDir("zip");
  for (const name of order) {
    const file = path.join(root, "Project", name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `content of ${name}\n`.repeat(name.length * 50));
    chmodSync(file, options.mode);
    utimesSync(file, options.mtime, options.mtime);
  }
  mkdirSync(path.join(root, "Project", "Empty"));
  return root;
}

async function zipTree(root: string, output: string): Promise<void> {
  const tree = await walkTree(path.join(root, "Project"));
  const entries: ZipEntry[] = [{ name: "Project", kind: "directory", size: 0, executable: false }, ...tree.map((e) => ({ name: `Project/${e.relative}`, kind: e.kind, size: e.size, executable: e.executable, absolute: e.absolute }))];
  await writeZip(entries, output, { sourceDate: SOURCE_DATE });
}

test("the zip passes unzip -t, keeps directories, and holds what was put in", async () => {
  const root = sampleTree(["b.json", "a/x.4DForm", "a/é.txt"], { mtime: 1600000000, mode: 0o644 });
  const out = path.join(root, "out.zip");
  await zipTree(root, out);
  expect(execFileSync("unzip", ["-t", out], { encoding: "utf8" })).toContain("No errors detected");
  const listing = execFileSync("unzip", ["-Z1", out], { encoding: "utf8" }).trim().split("\n");
  expect(listing).toEqual(["Project/", "Project/Empty/", "Project/a/", "Project/a/x.4DForm", "Project/a/é.txt", "Project/b.json"]);
  expect(execFileSync("unzip", ["-p", out, "Project/b.json"], { encoding: "utf8" })).toBe(readFileSync(path.join(root, "Project", "b.json"), "utf8"));
  // one timestamp for every entry, in UTC whatever the zone: 2023-11-14 22:13 (DOS time has 2-second steps)
  const verbose = execFileSync("unzip", ["-Z", "-T", out], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  expect(verbose.match(/20231114\.221320/g)?.length).toBe(listing.length);
  expect(verbose).not.toMatch(/\bUT\b|extra field/i);
});

// Time zones change nothing either: archive-determinism.test.ts packs in child processes with TZ set (TZ set
// inside the Jest process has no effect on Date).
test("the same tree gives the same bytes whatever the mtimes, modes and creation order", async () => {
  const first = sampleTree(["a/x.4DForm", "b.json", "c/d/e.txt"], { mtime: 1600000000, mode: 0o644 });
  const second = sampleTree(["c/d/e.txt", "b.json", "a/x.4DForm"], { mtime: 1650000000, mode: 0o664 });
  const [one, two] = [path.join(first, "out.zip"), path.join(second, "out.zip")];
  await zipTree(first, one);
  await zipTree(second, two);
  expect(readFileSync(one).equals(readFileSync(two))).toBe(true);
});

test("a symbolic link leaving the tree is refused", async () => {
  const root = sampleTree(["a.txt"], { mtime: 1600000000, mode: 0o644 });
  symlinkSync("/etc/hostname", path.join(root, "Project", "outside"));
  await expect(walkTree(path.join(root, "Project"))).rejects.toThrow(UnsafeLinkError);
});

test("files larger than the in-memory threshold are streamed; executables keep 755", async () => {
  const root = tempDir("zip");
  mkdirSync(path.join(root, "Project"));
  const big = Buffer.alloc(9 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
  writeFileSync(path.join(root, "Project", "big.bin"), big);
  writeFileSync(path.join(root, "Project", "tool.sh"), "#!/bin/sh\n");
  chmodSync(path.join(root, "Project", "tool.sh"), 0o700);
  const out = path.join(root, "out.zip");
  await zipTree(root, out);
  expect(execFileSync("unzip", ["-t", out], { encoding: "utf8" })).toContain("No errors detected");
  expect(execFileSync("unzip", ["-p", out, "Project/big.bin"], { maxBuffer: 64 * 1024 * 1024 }).equals(big)).toBe(true);
  expect(execFileSync("unzip", ["-Z", out], { encoding: "utf8" })).toMatch(/-rwxr-xr-x .* Project\/tool\.sh/);
});

test("zip64 records, when forced, are read by unzip and by Python's zipfile; incompressible data is stored", async () => {
  const root = tempDir("zip");
  mkdirSync(path.join(root, "Project"));
  const noise = randomBytes(100_000);
  writeFileSync(path.join(root, "Project", "noise.png"), noise);
  writeFileSync(path.join(root, "Project", "text.json"), "{}\n".repeat(10_000));
  writeFileSync(path.join(root, "Project", "empty.txt"), "");
  const tree = await walkTree(path.join(root, "Project"));
  const out = path.join(root, "out.zip");
  await writeZip(tree.map((e) => ({ ...e, name: `Project/${e.relative}` })), out, { sourceDate: SOURCE_DATE, forceZip64: true });
  expect(execFileSync("unzip", ["-t", out], { encoding: "utf8" })).toContain("No errors detected");
  expect(execFileSync("python3", ["-m", "zipfile", "-t", out], { encoding: "utf8" })).toContain("Done testing");
  const methods = execFileSync("unzip", ["-Zv", out], { encoding: "utf8" });
  expect(methods).toMatch(/file system or operating system of origin:\s+Unix/);
  const listing = execFileSync("unzip", ["-v", out], { encoding: "utf8" });
  expect(listing).toMatch(/100000\s+Stored\s+100000\s+0%.*Project\/noise\.png/);
  expect(listing).toMatch(/30000\s+Defl:N\s+\d+\s+\d+%.*Project\/text\.json/);
});

test("a symbolic link looping back to a folder above it is refused, not followed forever", async () => {
  const root = sampleTree(["a/b.txt"], { mtime: 1600000000, mode: 0o644 });
  symlinkSync("..", path.join(root, "Project", "a", "loop"));
  await expect(walkTree(path.join(root, "Project"))).rejects.toThrow(/a\/loop is a symbolic link back to .*Project, a folder it is inside: it would never end/);
  await expect(walkTree(path.join(root, "Project"), path.join(root, "Project"), "keep")).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ relative: "a/loop", kind: "symlink" })]));
});

describe("a file that changes or vanishes while it is packed is a build error, not a corrupt archive", () => {
  const root = tempDir("zip-changed");
  const small = path.join(root, "small.txt");
  const big = path.join(root, "big.bin");
  writeFileSync(small, "grew after the walk\n");
  writeFileSync(big, randomBytes(9 * 1024 * 1024));
  const entry = (name: string, absolute: string, size: number): ZipEntry => ({ name, kind: "file", size, executable: false, absolute });

  test.each([
    ["a small file whose size changed", entry("small.txt", small, 5), /changed while it was being packed/],
    ["a big (streamed) file whose size changed", entry("big.bin", big, 1024), /changed while it was being packed/],
    ["a small file that vanished", entry("gone.txt", path.join(root, "gone.txt"), 5), /ENOENT/],
    ["a big file that vanished", entry("gone.bin", path.join(root, "gone.bin"), 9 * 1024 * 1024), /ENOENT/],
  ])("%s", async (_, changed, reason) => {
    const failure = writeZip([changed], path.join(root, "out.zip"), { sourceDate: SOURCE_DATE });
    await expect(failure).rejects.toMatchObject({ name: "BuildError", message: expect.stringMatching(reason), hint: expect.stringContaining("build again") });
  });
});

test("tar.gz: a file whose size changed after the walk is a build error too", async () => {
  const root = tempDir("tar-changed");
  writeFileSync(path.join(root, "a.txt"), "longer than announced\n");
  const failure = writeTarGz([{ name: "a.txt", kind: "file", size: 4, executable: false, absolute: path.join(root, "a.txt") }], path.join(root, "out.tar.gz"), { sourceDate: SOURCE_DATE });
  await expect(failure).rejects.toMatchObject({ name: "BuildError", message: expect.stringContaining("a.txt: it changed while it was being packed"), hint: expect.stringContaining("build again") });
});
