// Runs the commands given as arguments at the same time (lint and type-check use one core each), prints each
// one's output once it ends, and fails when any of them fails. Usage: node scripts/parallel.mjs "cmd 1" "cmd 2"…
import { spawn } from "node:child_process";

const run = (command) =>
  new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => {
      process.stdout.write(`> ${command}\n${output}`);
      resolve(code ?? 1);
    });
  });

const codes = await Promise.all(process.argv.slice(2).map(run));
process.exit(codes.some((code) => code !== 0) ? 1 : 0);
