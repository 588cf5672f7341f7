// dist/cli.js, the `4dbuild` command: runs the program bundle, dist/cli.cjs, with V8's code cache
// (compile-cache.ts). The build writes PROGRAM, what it recorded of the bundle (scripts/bundle.mjs).
import { fileURLToPath } from "node:url";
import { runProgram } from "./compile-cache.js";

declare const PROGRAM: { digest: string; size: number };

runProgram({ file: fileURLToPath(new URL("cli.cjs", import.meta.url)), ...PROGRAM }, process.argv[2]);
