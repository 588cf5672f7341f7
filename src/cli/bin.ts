// dist/cli.js, the `4dbuild` command: loads the package's bundle, dist/4dbuild.cjs, with V8's code cache
// (compile-cache.ts), and runs the CLI. The build writes PROGRAM, what it recorded of the bundle (scripts/bundle.mjs).
import { fileURLToPath } from "node:url";
import { loadProgram } from "./compile-cache.js";

declare const PROGRAM: { digest: string; size: number };

const bundle = loadProgram({ file: fileURLToPath(new URL("4dbuild.cjs", import.meta.url)), ...PROGRAM }, process.argv[2]) as { runCli: (argv: string[]) => Promise<number> };
process.exitCode = await bundle.runCli(process.argv.slice(2));
