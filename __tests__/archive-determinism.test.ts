import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import { CompressionPool } from "../src/archives/pool.js";
import { writeTarGz } from "../src/archives/tar.js";
import { DEFAULT_LEVEL, writeZip, type ZipEntry } from "../src/archives/zip.js";
import { walkTree } from "../src/files/tree.js";
import { dosText, readTarGz, readZip } from "./archive-read.js";
import { cliEnv, EPOCH, exampleCopy, ROOT, STACK_TRACE } from "./helpers.js";

const SOURCE_DATE = Number(EPOCH); // 2023-11-14T22:13:20Z
const CLI = path.join(ROOT, "dist", "cli.cjs");
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

const temporary: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/*
 * Names whose byte order (UTF-8) differs from JavaScript's default sort (UTF-16 code units) and from
 * localeCompare: "B" < "a", a folder "a" < "a-b.txt", "z" < "é", "ﬁ" (U+FB01, EF AC 81) < "😀" (U+1F600,
 * F0 9F 98 80) although its UTF-16 unit (FB01) is above the emoji's (D83D). The writers are given the entries
 * in other orders: walk order cannot stand in for a wrong order here, since Node's readdir already returns
 * names in byte order on Unix (libuv sorts them).
 */
const NAMES = ["z.txt", "é.txt", "a/b.txt", "a-b.txt", "B.txt", "a.txt", "\u{1F600}.txt", "\uFB01.txt", "A/c.txt", "_.txt"];

function tree(names: readonly string[]): string {
  const root = tempDir("4dbuild-order-");
  for (const name of names) {
    const file = path.join(root, "Project", name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `content of ${name}\n`.repeat(40));
  }
  return root;
}

const entriesOf = async (root: string): Promise<ZipEntry[]> =>
  (await walkTree(path.join(root, "Project"))).map((e) => ({ name: `Project/${e.relative}`, kind: e.kind, size: e.size, executable: e.executable, ...(e.kind === "file" ? { absolute: e.absolute } : {}) }));

describe("entries are written in byte order of their names, whatever order they are given in", () => {
  const root = tree(NAMES);
  let entries: ZipEntry[];
  let expected: string[];
  beforeAll(async () => {
    entries = await entriesOf(root);
    // Sorted on the names themselves: a folder "a" (written "a/") comes before "a-b.txt".
    expected = [...entries].sort((a, b) => byteOrder(a.name, b.name)).map((e) => (e.kind === "directory" ? `${e.name}/` : e.name));
    expect(expected.indexOf("Project/a/")).toBeLessThan(expected.indexOf("Project/a-b.txt"));
  });
  const orders: [string, (e: ZipEntry[]) => ZipEntry[]][] = [
    ["reversed", (e) => [...e].reverse()],
    ["JavaScript's default sort", (e) => [...e].sort((a, b) => (a.name < b.name ? -1 : 1))],
    ["localeCompare", (e) => [...e].sort((a, b) => a.name.localeCompare(b.name))],
    ["interleaved", (e) => [...e.filter((_, i) => i % 2), ...e.filter((_, i) => i % 2 === 0)]],
  ];

  test.each(orders)("zip, entries given %s", async (_, order) => {
    const [one, two] = [path.join(root, "given.zip"), path.join(root, "sorted.zip")];
    await writeZip(order(entries), one, { sourceDate: SOURCE_DATE });
    await writeZip([...entries].sort((a, b) => byteOrder(a.name, b.name)), two, { sourceDate: SOURCE_DATE });
    expect(readZip(readFileSync(one)).map((r) => r.name)).toEqual(expected);
    expect(readFileSync(one).equals(readFileSync(two))).toBe(true);
  });

  test.each(orders)("tar.gz, entries given %s", async (_, order) => {
    const [one, two] = [path.join(root, "given.tar.gz"), path.join(root, "sorted.tar.gz")];
    await writeTarGz(order(entries), one, { sourceDate: SOURCE_DATE });
    await writeTarGz([...entries].sort((a, b) => byteOrder(a.name, b.name)), two, { sourceDate: SOURCE_DATE });
    expect(execFileSync("tar", ["-tzf", one], { encoding: "utf8" }).trim().split("\n")).toEqual(expected);
    expect(readFileSync(one).equals(readFileSync(two))).toBe(true);
  });
});

describe("the zip's bytes do not depend on the number of compressor threads", () => {
  const root = tempDir("4dbuild-workers-");
  const files: ZipEntry[] = [];
  // Many small files of different sizes and compressibility (spread over the threads) and one streamed big one.
  for (let i = 0; i < 48; i++) {
    const file = path.join(root, `f${String(i).padStart(2, "0")}.txt`);
    const line = `line ${i} ${"abcdefghij".slice(0, i % 10)} ${(i * 2654435761) >>> 0}\n`;
    writeFileSync(file, line.repeat(50 + i * 37));
    files.push({ name: path.basename(file), kind: "file", size: line.length * (50 + i * 37), executable: false, absolute: file });
  }
  const big = Buffer.alloc(9 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((((i >> 6) * 2654435761) >>> 0) & 0xff00ff, i);
  writeFileSync(path.join(root, "big.bin"), big);
  files.push({ name: "big.bin", kind: "file", size: big.length, executable: false, absolute: path.join(root, "big.bin") });

  test("1, 2, 3 and 4 threads and the main thread write identical bytes, every entry deflated at the fixed level", async () => {
    const outputs: Buffer[] = [];
    for (const workers of [1, 2, 3, 4]) {
      const out = path.join(root, `w${workers}.zip`);
      await writeZip(files, out, { sourceDate: SOURCE_DATE, workers });
      outputs.push(readFileSync(out));
    }
    for (const [i, output] of outputs.entries()) expect({ workers: i + 1, same: output.equals(outputs[0]!) }).toEqual({ workers: i + 1, same: true });
    // Below its inline budget a pool compresses on the main thread, with the threads' code: the same bytes.
    const mainThread = new CompressionPool(1, { inlineBytes: Infinity });
    await writeZip(files, path.join(root, "main-thread.zip"), { sourceDate: SOURCE_DATE, pool: mainThread });
    expect(mainThread.threads).toBe(0);
    await mainThread.close();
    expect(readFileSync(path.join(root, "main-thread.zip")).equals(outputs[0]!)).toBe(true);
    // The level is the documented constant, not one chosen from the machine (its cores, its threads).
    expect(DEFAULT_LEVEL).toBe(6);
    const records = readZip(outputs[0]!);
    expect(records.map((r) => r.name)).toEqual(files.map((f) => f.name).sort(byteOrder));
    for (const record of records) {
      const content = readFileSync(path.join(root, record.name));
      expect({ name: record.name, method: record.method, data: record.data.equals(deflateRawSync(content, { level: 6 })) }).toEqual({ name: record.name, method: 8, data: true });
    }
  });
});

/*
 * Zip stores local time (DOS fields); 4dbuild writes SOURCE_DATE_EPOCH's UTC fields, so every time zone gives the
 * same bytes. Changing process.env.TZ inside Jest has no effect: the builds run in child processes, one per zone.
 */
describe("the same build in three time zones gives the same .4DZ, .zip and .tar.gz bytes", () => {
  const ZONES = { UTC: 0, "Pacific/Kiritimati": -14 * 60, "America/Los_Angeles": 8 * 60 } as const;
  const copy = exampleCopy();
  temporary.push(copy.root);
  const OUTPUTS = ["Compiled Database/Hello/Hello.4DZ", "Archives/Hello-standalone-mac.zip", "Archives/Hello-standalone-mac.tar.gz"];
  const built = new Map<string, Map<string, Buffer>>();

  const run = (program: string, args: string[], tz: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(program, args, { env: cliEnv({ TZ: tz }) });
      let [stdout, stderr] = ["", ""];
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    await Promise.all(
      Object.keys(ZONES).map(async (tz) => {
        const out = path.join(copy.root, `out-${tz.replace("/", "-")}`);
        const result = await run(process.execPath, [CLI, "build", copy.manifest, "--out", out, "--target", "compiled", "--target", "standalone", "--platform", "mac"], tz);
        expect(result.stderr).not.toMatch(STACK_TRACE);
        expect(result.code).toBe(0);
        built.set(tz, new Map(OUTPUTS.map((o) => [o, readFileSync(path.join(out, o))])));
      }),
    );
  }, 60_000);

  test("the zones really differ in the child processes", async () => {
    for (const [tz, offset] of Object.entries(ZONES)) {
      const result = await run(process.execPath, ["-e", "process.stdout.write(String(new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).getTimezoneOffset()))"], tz);
      expect({ tz, offset: Number(result.stdout) }).toEqual({ tz, offset });
    }
  });

  test.each(OUTPUTS)("%s", (output) => {
    const utc = built.get("UTC")!.get(output)!;
    for (const tz of Object.keys(ZONES)) expect({ tz, same: built.get(tz)!.get(output)!.equals(utc) }).toEqual({ tz, same: true });
  });

  test("every zip entry carries 2023-11-14 22:13:20, SOURCE_DATE_EPOCH's UTC time, even when built at UTC+14", () => {
    for (const output of OUTPUTS.filter((o) => !o.endsWith(".tar.gz"))) {
      const records = readZip(built.get("Pacific/Kiritimati")!.get(output)!);
      expect(records.length).toBeGreaterThan(5);
      expect([...new Set(records.map(dosText))]).toEqual(["2023-11-14 22:13:20"]);
    }
  });

  test("every tar entry carries SOURCE_DATE_EPOCH as its mtime, even when built at UTC-8", () => {
    const headers = readTarGz(built.get("America/Los_Angeles")!.get("Archives/Hello-standalone-mac.tar.gz")!);
    expect(headers.length).toBeGreaterThan(5);
    expect([...new Set(headers.map((h) => h.mtime))]).toEqual([SOURCE_DATE]);
  });
});
