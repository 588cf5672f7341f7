// npm run bench: packs synthetic 4D projects of about 30, 100 and 300 MB with 4dbuild's zip writer and with
// Info-ZIP (zip -r -X -6) in the same run, and prints wall time, CPU time, peak RSS and compressed size; then
// the whole example build against a shell script doing the same work (bench-build.mjs). Measured with GNU time.
// `--pack` or `--whole` runs one of the two; --size, --files, --runs and --jobs are the whole build's (defaults:
// 154MB and 1500 files per runtime, 3 runs, FOURDBUILD_JOBS unset). Not a test: figures go into the README.
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { benchWholeBuild } from "./bench-build.mjs";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";

const { values: args } = parseArgs({ options: { pack: { type: "boolean" }, whole: { type: "boolean" }, size: { type: "string" }, files: { type: "string" }, runs: { type: "string" }, jobs: { type: "string" } } });
const both = !args.pack && !args.whole;

const work = process.env.BENCH_DIR ?? path.join(tmpdir(), "4dbuild-bench");
const runs = Number(process.env.BENCH_RUNS ?? 3);
// BENCH_SIZES=30,100 keeps some of them.
const sizes = [
  { label: "30 MB", files: 1000, megabytes: 30 },
  { label: "100 MB", files: 3400, megabytes: 100 },
  { label: "300 MB", files: 10200, megabytes: 300 },
].filter((s) => !process.env.BENCH_SIZES || process.env.BENCH_SIZES.split(",").includes(String(s.megabytes)));
for (const tool of ["zip", "/usr/bin/time"]) if (!existsSync(tool) && !safe(() => execFileSync("which", [tool]))) throw new Error(`${tool} is needed: apt-get install zip time`);

function safe(f) {
  try {
    return f();
  } catch {
    return undefined;
  }
}

// A deterministic pseudo-random generator, so that every run packs the same trees.
function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 4294967296);
}

/** A project shaped like a real one: many small JSON / form files, images, a few big resources. */
function generate(dir, files, megabytes) {
  if (existsSync(path.join(dir, ".complete"))) return;
  rmSync(dir, { recursive: true, force: true });
  const random = prng(files);
  const words = ["form", "object", "method", "button", "listbox", "entity", "query", "value", "style", "width", "height", "left", "top", "events", "onClick", "dataSource"];
  const text = (bytes) => {
    let out = "{\n";
    while (out.length < bytes) out += `\t"${words[Math.floor(random() * words.length)]}${Math.floor(random() * 100)}": "${words[Math.floor(random() * words.length)]} ${Math.floor(random() * 100000)}",\n`;
    return `${out}\t"end": true\n}\n`;
  };
  const noise = (bytes) => {
    const buffer = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i += 4) buffer.writeUInt32LE(Math.floor(random() * 4294967296), i - (i + 4 > bytes ? i + 4 - bytes : 0));
    return buffer;
  };
  const target = megabytes * 1024 * 1024;
  const big = Math.max(2, Math.round(files * 0.005));
  const images = Math.round(files * 0.3);
  const small = files - big - images;
  const budgetSmall = target * 0.25;
  const budgetImages = target * 0.35;
  const budgetBig = target - budgetSmall - budgetImages;
  const write = (relative, data) => {
    const file = path.join(dir, "Project", relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
  };
  for (let i = 0; i < small; i++) write(`Sources/Forms/Form${Math.floor(i / 20)}/${i % 3 ? "form.4DForm" : `data${i}.json`}`.replace("form.4DForm", `form${i}.4DForm`), text(Math.round((budgetSmall / small) * (0.5 + random()))));
  for (let i = 0; i < images; i++) write(`Sources/Forms/Form${i % 300}/Images/picture${i}.png`, noise(Math.round((budgetImages / images) * (0.5 + random()))));
  for (let i = 0; i < big; i++) write(`Resources/big${i}.${i % 2 ? "bin" : "xml"}`, i % 2 ? noise(Math.round(budgetBig / big)) : text(Math.round(budgetBig / big)));
  writeFileSync(path.join(dir, ".complete"), "");
}

function measure(command, args, cwd, env = process.env) {
  const report = path.join(work, "time.txt");
  execFileSync("/usr/bin/time", ["-o", report, "-f", "%e %U %S %M", command, ...args], { cwd, env, stdio: ["ignore", "ignore", "inherit"] });
  const [wall, user, system, rssKb] = execFileSync("cat", [report], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
  return { wall, cpu: user + system, rss: rssKb / 1024 };
}

// Where the machine sets NODE_EXTRA_CA_CERTS, Node parses that bundle at every start (~90 ms here) although
// packing makes no TLS connection: 4dbuild is measured with it, as the machine has it, and without it.
const extraCertificates = Boolean(process.env.NODE_EXTRA_CA_CERTS);
const NO_CA = "4dbuild, no NODE_EXTRA_CA_CERTS";
const withoutExtraCertificates = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "NODE_EXTRA_CA_CERTS"));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

if (args.pack || both) await benchPack();
if (args.whole || both) await benchWholeBuild({ ...(args.size ? { size: args.size } : {}), ...(args.files ? { files: Number(args.files) } : {}), ...(args.runs ? { runs: Number(args.runs) } : {}), ...(args.jobs ? { jobs: Number(args.jobs) } : {}) });

async function benchPack() {
  mkdirSync(work, { recursive: true });
  const packer = path.join(work, "bench-pack.mjs");
  await build({ entryPoints: ["scripts/bench-pack.ts"], outfile: packer, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning", banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });

  const rows = [];
  for (const size of sizes) {
    const tree = path.join(work, size.label.replace(" ", ""));
    generate(tree, size.files, size.megabytes);
    const input = Number(execFileSync("du", ["-sb", path.join(tree, "Project")], { encoding: "utf8" }).split("\t")[0]);
    const results = {};
    for (const [tool, run] of [
      ["4dbuild", (out) => measure(process.execPath, [packer, tree, out], tree)],
      ...(extraCertificates ? [[NO_CA, (out) => measure(process.execPath, [packer, tree, out], tree, withoutExtraCertificates)]] : []),
      ["zip -6", (out) => measure("zip", ["-q", "-r", "-X", "-6", out, "Project"], tree)],
    ]) {
      const samples = [];
      let bytes = 0;
      for (let i = 0; i < runs; i++) {
        const out = path.join(work, `out-${tool.replace(/\W/g, "")}.zip`);
        rmSync(out, { force: true });
        samples.push(run(out));
        bytes = statSync(out).size;
      }
      results[tool] = { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)), rss: Math.max(...samples.map((s) => s.rss)), bytes };
    }
    rows.push({ size, input, files: size.files, ...results });
  }

  const mb = (b) => (b / 1024 / 1024).toFixed(1);
  console.log(`\n${runs} runs each (median wall and CPU time, highest peak RSS); ${process.env.UV_THREADPOOL_SIZE ?? 4} libuv threads, ${execFileSync("nproc", { encoding: "utf8" }).trim()} cores\n`);
  console.log("| project | files | tool | wall (s) | CPU (s) | peak RSS (MB) | output (MB) | wall vs zip | size vs zip |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const row of rows) {
    for (const tool of ["4dbuild", ...(extraCertificates ? [NO_CA] : []), "zip -6"]) {
      const r = row[tool];
      const ratio = tool !== "zip -6" ? `${(r.wall / row["zip -6"].wall).toFixed(2)}×` : "1.00×";
      const sizeRatio = tool !== "zip -6" ? `${((r.bytes / row["zip -6"].bytes - 1) * 100).toFixed(2)} %` : "—";
      console.log(`| ${mb(row.input)} MB | ${row.files} | ${tool} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rss.toFixed(0)} | ${mb(r.bytes)} | ${ratio} | ${sizeRatio} |`);
    }
  }
}
