// npm run bench:start: how fast the CLI answers. Runs `node -e 0` (Node's own start, the floor), `4dbuild
// --version`, `--help` and `validate` of the bundled example, each BENCH_START_RUNS times (default 10) after
// one first run that writes the command's code cache (src/cli/compile-cache.ts), alternating, and prints the
// first run, the median and the slowest wall time. A private TMPDIR holds the cache, removed at the end.
// When NODE_EXTRA_CA_CERTS is set (Node then loads those certificates at every start, before any of 4dbuild's
// code), the table is made a second time without it. Needs `npm run build` first.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const runs = Number(process.env.BENCH_START_RUNS ?? 10);
const cli = "dist/cli.cjs";
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run npm run build first`);
  process.exit(1);
}

const commands = [
  { label: "node -e 0", argv: ["-e", "0"] },
  { label: "4dbuild --version", argv: [cli, "--version"], bar: 100 },
  { label: "4dbuild --help", argv: [cli, "--help"] },
  { label: "4dbuild validate (example)", argv: [cli, "validate", "examples/hello/4dbuild.yml"], bar: 150 },
];

function once(argv, env) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, argv, { stdio: ["ignore", "ignore", "pipe"], env });
  const milliseconds = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${argv.join(" ")} exited with ${String(run.status)}: ${run.stderr}`);
  return milliseconds;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function table(title, env) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "4dbuild-bench-start-"));
  try {
    const withTmp = { ...env, NO_COLOR: "1", TMPDIR: tmp, TMP: tmp, TEMP: tmp };
    const first = new Map(commands.map((command) => [command.label, once(command.argv, withTmp)]));
    const times = new Map(commands.map((command) => [command.label, []]));
    for (let i = 0; i < runs; i++) for (const command of commands) times.get(command.label).push(once(command.argv, withTmp));
    console.log(`\nstart-up ${title}, ${runs} runs each after the first (wall, ms)`);
    console.log("| command | first run | median | slowest | bar |");
    console.log("|---|---:|---:|---:|---:|");
    for (const command of commands) {
      const values = times.get(command.label);
      const bar = command.bar ? `${median(values) <= command.bar ? "≤" : "> "}${command.bar}` : "";
      console.log(`| ${command.label} | ${first.get(command.label).toFixed(0)} | ${median(values).toFixed(0)} | ${Math.max(...values).toFixed(0)} | ${bar} |`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

table("(this environment)", process.env);
if (process.env.NODE_EXTRA_CA_CERTS) {
  const { NODE_EXTRA_CA_CERTS: _certificates, ...env } = process.env;
  table("without NODE_EXTRA_CA_CERTS", env);
}
