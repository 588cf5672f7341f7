// npm run bench -- --whole: the whole example build (examples/hello: every target, both platforms, zip and tar.gz
// archives) against a shell script doing the same work with the obvious tools (cp -a, Info-ZIP zip, tar | gzip,
// sha256sum), run alternately in the same run. The stand-in runtimes are padded to a realistic size with
// generated files (deterministic; a third text-like, a third binary-like, a third incompressible), in the
// temporary folder, removed at the end. Options: --size 154MB (per runtime), --files 1500 (per runtime),
// --runs 3, --jobs N (FOURDBUILD_JOBS for 4dbuild). Not a test: figures go into the README's performance section.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";

const RUNTIMES = [
  { name: "mac/4D Volume Desktop.app", padding: "Contents/Resources/Padding", seed: 1 },
  { name: "mac/4D Server.app", padding: "Contents/Resources/Padding", seed: 2 },
  { name: "win/4D Volume Desktop", padding: "Resources/Padding", seed: 3 },
  { name: "win/4D Server", padding: "Resources/Padding", seed: 4 },
];

/** "154MB", "1.5GB", "20M" → bytes. */
export function parseSize(text) {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]?)B?$/i.exec(text);
  if (!match) throw new Error(`--size: expected a size such as 154MB, not "${text}"`);
  return Math.round(Number(match[1]) * 1024 ** " KMG".indexOf(match[2].toUpperCase() || " "));
}

// A deterministic pseudo-random generator (xorshift32), so that every run builds the same runtimes.
function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
}

const WORDS = ["form", "object", "method", "button", "listbox", "entity", "query", "value", "style", "width", "height", "left", "top", "events", "onClick", "dataSource", "localize", "resource"];

/** Text-like: words and numbers, as resources, scripts and localisation files are. */
function text(random, bytes) {
  const lines = [];
  let length = 0;
  while (length < bytes) {
    const line = `${WORDS[random() % WORDS.length]}.${WORDS[random() % WORDS.length]} = "${WORDS[random() % WORDS.length]} ${random() % 100000}";\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join("")).subarray(0, bytes);
}

/** Binary-like: few distinct byte values in repeated structures, as executables and libraries are. */
function binary(random, bytes) {
  const out = Buffer.alloc(bytes);
  const record = Buffer.alloc(64);
  for (let i = 0; i < bytes; i += 64) {
    if (random() % 4 === 0) for (let j = 0; j < 64; j += 4) record.writeUInt32LE(random() & 0x0f0f00ff, j);
    record.copy(out, i, 0, Math.min(64, bytes - i));
    if (bytes >= 4) out.writeUInt32LE(i, Math.min(i, bytes - 4));
  }
  return out;
}

/** Incompressible: pseudo-random bytes, as images, compressed archives and media are. */
function noise(random, bytes) {
  const out = Buffer.alloc(bytes + 4);
  for (let i = 0; i < bytes; i += 4) out.writeUInt32LE(random(), i);
  return out.subarray(0, bytes);
}

/** Adds `files` generated files of `bytes` in total under `folder`, sizes spread from 0.1× to 1.9× the mean. */
function pad(folder, seed, bytes, files) {
  const random = prng(seed * 7919);
  const kinds = [
    ["Text", text, ".strings"],
    ["Binary", binary, ".dylib"],
    ["Media", noise, ".bin"],
  ];
  const mean = bytes / files;
  let left = bytes;
  for (let i = 0; i < files; i++) {
    const [kind, make, extension] = kinds[i % 3];
    const size = i === files - 1 ? Math.max(0, left) : Math.min(left, Math.round(mean * (0.1 + (random() % 1800) / 1000)));
    left -= size;
    const file = path.join(folder, kind, `Group${Math.floor(i / 50)}`, `file${i}${extension}`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, make(random, size));
  }
}

/** The shell script: the same work as the build, with the usual tools, one thing after the other. */
const SCRIPT = String.raw`#!/bin/bash
# usage: script.sh <example dir> <runtimes dir> <out dir>
set -euo pipefail
example=$1; runtimes=$2; out=$3
mkdir -p "$out/Compiled Database/Hello" "$out/Final Application" "$out/Client Server executable" "$out/Archives"
(cd "$example" && zip -q -r -X -6 -y "$out/Compiled Database/Hello/Hello.4DZ" Project)
app() { # runtime, destination, folder holding the structure
  cp -a "$runtimes/$1" "$2"
  mkdir -p "$2/$3"
  cp "$out/Compiled Database/Hello/Hello.4DZ" "$2/$3/"
}
app "mac/4D Volume Desktop.app" "$out/Final Application/Hello.app" Contents/Database
app "win/4D Volume Desktop" "$out/Final Application/Hello" Database
app "mac/4D Volume Desktop.app" "$out/Client Server executable/Hello Client.app" Contents/Database
app "win/4D Volume Desktop" "$out/Client Server executable/Hello Client" Database
app "mac/4D Server.app" "$out/Client Server executable/Hello Server.app" "Contents/Server Database"
app "win/4D Server" "$out/Client Server executable/Hello Server" "Server Database"
for server in "Hello Server.app/Contents" "Hello Server"; do
  mkdir -p "$out/Client Server executable/$server/Upgrade4DClient"
  (cd "$out/Client Server executable/Hello Client.app" && zip -q -r -X -6 -y "$out/Client Server executable/$server/Upgrade4DClient/update.mac.4darchive" .)
  (cd "$out/Client Server executable/Hello Client" && zip -q -r -X -6 -y "$out/Client Server executable/$server/Upgrade4DClient/update.win.4darchive" .)
done
archive() { # folder, application, archive name
  (cd "$out/$1" && zip -q -r -X -6 -y "$out/Archives/$3.zip" "$2")
  (cd "$out/$1" && tar -cf - "$2" | gzip -6 > "$out/Archives/$3.tar.gz")
}
archive "Final Application" Hello.app Hello-standalone-mac
archive "Final Application" Hello Hello-standalone-win
archive "Client Server executable" "Hello Client.app" Hello-client-mac
archive "Client Server executable" "Hello Client" Hello-client-win
archive "Client Server executable" "Hello Server.app" Hello-server-mac
archive "Client Server executable" "Hello Server" Hello-server-win
(cd "$out" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
`;

function measure(work, command, args, env) {
  const report = path.join(work, "time.txt");
  try {
    execFileSync("/usr/bin/time", ["-o", report, "-f", "%e %U %S %M", command, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    process.stderr.write(error.stderr ?? "");
    throw new Error(`${path.basename(command)} failed`, { cause: error });
  }
  const [wall, user, system, rssKb] = readFileSync(report, "utf8").trim().split(/\s+/).map(Number);
  return { wall, cpu: user + system, user, system, rss: rssKb / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const duBytes = (folder) => Number(execFileSync("du", ["-sb", folder], { encoding: "utf8" }).split("\t")[0]);

/** Sums of the step durations in a build report (over every unit: units run side by side, so they exceed the wall). */
function stepTimes(report) {
  const sums = new Map();
  for (const step of JSON.parse(readFileSync(report, "utf8")).steps) sums.set(step.step, (sums.get(step.step) ?? 0) + step.durationMs / 1000);
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, 5);
}

/** The stand-in runtimes, each padded with `files` generated files of `bytes` in total, in `folder`/mac and /win. */
export function paddedRuntimes(folder, bytes, files) {
  cpSync("examples/runtimes", folder, { recursive: true, verbatimSymlinks: true });
  for (const runtime of RUNTIMES) pad(path.join(folder, runtime.name, runtime.padding), runtime.seed, bytes, files);
}

export async function benchWholeBuild({ size = "154MB", files = 1500, runs = 3, jobs } = {}) {
  const bytes = parseSize(size);
  const root = mkdtempSync(path.join(tmpdir(), "4dbuild-bench-build-"));
  try {
    console.log(`generating 4 runtimes of ${(bytes / 1024 / 1024).toFixed(0)} MB and ${files} files each in ${root}…`);
    const runtimes = path.join(root, "runtimes");
    paddedRuntimes(runtimes, bytes, files);
    const example = path.join(root, "hello");
    cpSync("examples/hello", example, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes("_Build") });
    const script = path.join(root, "same-work.sh");
    writeFileSync(script, SCRIPT, { mode: 0o755 });
    execFileSync(process.execPath, ["scripts/bundle.mjs", "--no-action"], { stdio: "inherit" });
    const cli = path.resolve("dist/cli.cjs");
    const env = {
      SOURCE_DATE_EPOCH: "1700000000",
      VOLUME_DESKTOP_MAC: path.join(runtimes, "mac/4D Volume Desktop.app"),
      VOLUME_DESKTOP_WIN: path.join(runtimes, "win/4D Volume Desktop"),
      FOURD_SERVER_MAC: path.join(runtimes, "mac/4D Server.app"),
      FOURD_SERVER_WIN: path.join(runtimes, "win/4D Server"),
      ...(jobs ? { FOURDBUILD_JOBS: String(jobs) } : {}),
    };
    const samples = { "4dbuild": [], script: [] };
    let sizes = {};
    let steps = [];
    for (let run = 0; run < runs; run++) {
      // Alternately, so that both see the same machine (caches, other load) over the run.
      for (const tool of run % 2 ? ["script", "4dbuild"] : ["4dbuild", "script"]) {
        const out = path.join(root, `out-${tool}`);
        rmSync(out, { recursive: true, force: true });
        execFileSync("sync");
        const sample = tool === "4dbuild" ? measure(root, process.execPath, [cli, "build", path.join(example, "4dbuild.yml"), "--out", out], env) : measure(root, script, [example, runtimes, out], {});
        samples[tool].push(sample);
        console.log(`run ${run + 1}/${runs} ${tool}: ${sample.wall.toFixed(1)} s wall, ${sample.cpu.toFixed(1)} s CPU, ${sample.rss.toFixed(0)} MB peak RSS`);
        sizes[tool] = { output: duBytes(out), archives: duBytes(path.join(out, "Archives")) };
        if (tool === "4dbuild") steps = stepTimes(path.join(out, "build-report.json"));
        rmSync(out, { recursive: true, force: true });
      }
    }
    const row = (tool) => {
      const s = samples[tool];
      return { wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)), rss: Math.max(...s.map((x) => x.rss)), ...sizes[tool] };
    };
    const [ours, theirs] = [row("4dbuild"), row("script")];
    const mb = (b) => (b / 1024 / 1024).toFixed(0);
    console.log(`\nWhole build of examples/hello (every target, both platforms, zip + tar.gz), runtimes 4 × ${mb(bytes)} MB, ${files} files each;`);
    console.log(`${runs} runs each, alternating (median wall and CPU time, highest peak RSS); ${availableParallelism()} cores, FOURDBUILD_JOBS ${jobs ?? "unset"}\n`);
    console.log("| tool | wall (s) | CPU user+sys (s) | peak RSS (MB) | outputs (MB) | archives (MB) | wall vs script |");
    console.log("|---|---|---|---|---|---|---|");
    console.log(`| 4dbuild build | ${ours.wall.toFixed(1)} | ${ours.cpu.toFixed(1)} | ${ours.rss.toFixed(0)} | ${mb(ours.output)} | ${mb(ours.archives)} | ${(ours.wall / theirs.wall).toFixed(2)}× |`);
    console.log(`| shell script (cp -a, zip -6, tar \\| gzip -6, sha256sum) | ${theirs.wall.toFixed(1)} | ${theirs.cpu.toFixed(1)} | ${theirs.rss.toFixed(0)} | ${mb(theirs.output)} | ${mb(theirs.archives)} | 1.00× |`);
    console.log(`\n4dbuild's longest steps (last run, seconds summed over units): ${steps.map(([name, s]) => `${name} ${s.toFixed(1)}`).join(", ")}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
