// Bundles the CLI into dist/cli.js and the library entry (src/index.ts) into dist/index.js (both built by
// npm run build, not committed), and the GitHub Action's entry points into dist/action/ (committed: a workflow
// runs them straight from the repository). `--no-action` leaves the action out, `--action-only` builds only it;
// `--action-out DIR` writes the action bundle elsewhere, so a test can compare a fresh bundle with the committed one.
import { chmodSync, rmSync } from "node:fs";
import { build } from "esbuild";

const actionOut = process.argv.includes("--action-out") ? process.argv[process.argv.indexOf("--action-out") + 1] : "dist/action";
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  // Name modules by the path they are reached through, not the target of a symbolic link: a checkout whose
  // node_modules links to another checkout's bundles exactly what a plain checkout does.
  preserveSymlinks: true,
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
};

if (!process.argv.includes("--action-only")) {
  // Split: each command's chunk (dist/chunks/) loads only when that command runs, so --version parses little.
  rmSync("dist/chunks", { recursive: true, force: true });
  await build({ ...common, entryPoints: { cli: "src/cli/bin.ts" }, outdir: "dist", splitting: true, chunkNames: "chunks/[name]-[hash]", target: "node20", banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } });
  // npm sets the bin's mode on install; a checkout runs dist/cli.js directly.
  chmodSync("dist/cli.js", 0o755);
  // The library: its dependencies stay packages (installed with 4dbuild, shared with the program using it).
  await build({ ...common, entryPoints: { index: "src/index.ts" }, outdir: "dist", target: "node20", packages: "external", banner: {} });
}
if (!process.argv.includes("--no-action")) {
  await build({ ...common, entryPoints: { main: "src/actions/bin-main.ts", post: "src/actions/bin-post.ts" }, outdir: actionOut, target: "node24" });
}
