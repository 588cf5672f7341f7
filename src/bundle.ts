// The one bundle of the package, dist/4dbuild.cjs: the CLI, run by the launcher (cli/bin.ts, dist/cli.cjs) with
// V8's code cache, and the library, which dist/index.js (written by scripts/bundle.mjs) re-exports. Both load
// their modules when first used: --version does not start the builder, nor does importing the library the CLI.
export { main as runCli } from "./cli/main.js";
export const library = () => import("./index.js");
