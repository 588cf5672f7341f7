// npm run bench:start: how fast the CLI answers. Runs `node -e 0` (Node's own start, the floor), `4dbuild
// --version`, `--help` and `validate` of the bundled example, each BENCH_START_RUNS times (default 10) after
// one warm-up, alternating, and prints the median and the slowest wall time. Needs `npm run build` first.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const runs = Number(process.env.BENCH_START_RUNS ?? 10);
const cli = "dist/cli.js";
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

function once(argv) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, argv, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  const milliseconds = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${argv.join(" ")} exited with ${String(run.status)}: ${run.stderr}`);
  return milliseconds;
}

const times = new Map(commands.map((command) => [command.label, []]));
for (const command of commands) once(command.argv);
for (let i = 0; i < runs; i++) for (const command of commands) times.get(command.label).push(once(command.argv));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
console.log(`start-up, ${runs} runs each (wall, ms)`);
console.log("| command | median | slowest | bar |");
console.log("|---|---:|---:|---:|");
for (const command of commands) {
  const values = times.get(command.label);
  const bar = command.bar ? `${median(values) <= command.bar ? "≤" : "> "}${command.bar}` : "";
  console.log(`| ${command.label} | ${median(values).toFixed(0)} | ${Math.max(...values).toFixed(0)} | ${bar} |`);
}
