// dist/cli.cjs, the `4dbuild` command: loads the package's bundle, dist/4dbuild.cjs, with V8's code cache
// (compile-cache.ts), and runs the CLI. The build writes PROGRAM, what it recorded of the bundle (scripts/bundle.mjs).
// `--version` alone is answered here, from package.json, as the CLI would answer it, without loading the bundle.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadProgram } from "./compile-cache.js";

declare const PROGRAM: { digest: string; size: number };

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  process.stdout.write(`${(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version}\n`);
} else {
  const bundle = loadProgram({ file: fileURLToPath(new URL("4dbuild.cjs", import.meta.url)), ...PROGRAM }, argv[0]) as { runCli: (argv: string[]) => Promise<number> };
  void bundle.runCli(argv).then((code) => {
    // With everything written, end here: Node's own exit would then free the heap piece by piece and wait for
    // V8's background compilations, ~10 ms of a validate (npm run bench:start). Output still queued (a pipe
    // on macOS is asynchronous) is left to the normal exit, which waits for it.
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
    process.exitCode = code;
  });
}
