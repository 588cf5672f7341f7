// Bundles the CLI (dist/cli.js) and the library entry (dist/index.js), which share their code through
// dist/chunks/ (built by npm run build, not committed, published), and the GitHub Action's entry points into
// dist/action/ (committed: a workflow runs them straight from the repository). Every dependency is bundled: the
// published package has none. Each bundle folder gets licenses.txt, the licence notices of the packages it
// contains (scripts/licenses.mjs). `--no-action` leaves the action out, `--action-only` builds only it;
// `--action-out DIR` writes the action bundle elsewhere, so a test can compare a fresh bundle with the committed one.
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { licenceNotices } from "./licenses.mjs";

const actionOut = process.argv.includes("--action-out") ? process.argv[process.argv.indexOf("--action-out") + 1] : "dist/action";
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  sourcemap: false,
  // Comments of the packages are dropped; their licences are in licenses.txt beside the bundle.
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  // Name modules by the path they are reached through, not the target of a symbolic link: a checkout whose
  // node_modules links to another checkout's bundles exactly what a plain checkout does.
  preserveSymlinks: true,
  // CommonJS dependencies call require(); give each ESM output file one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
};

if (!process.argv.includes("--action-only")) {
  rmSync("dist/chunks", { recursive: true, force: true });
  const result = await build({ ...common, entryPoints: { cli: "src/cli/bin.ts", index: "src/index.ts" }, outdir: "dist", splitting: true, chunkNames: "chunks/[name]-[hash]", target: "node20" });
  // The shebang only on the program (a banner would put it in every chunk); npm sets the bin's mode on install,
  // a checkout runs dist/cli.js directly.
  writeFileSync("dist/cli.js", `#!/usr/bin/env node\n${readFileSync("dist/cli.js", "utf8")}`);
  chmodSync("dist/cli.js", 0o755);
  writeFileSync("dist/licenses.txt", licenceNotices(result.metafile, "Third-party licences of the 4dbuild CLI and library bundles (dist/cli.js, dist/index.js, dist/chunks/)."));
}
if (!process.argv.includes("--no-action")) {
  const result = await build({ ...common, entryPoints: { main: "src/actions/bin-main.ts", post: "src/actions/bin-post.ts" }, outdir: actionOut, target: "node24" });
  writeFileSync(path.join(actionOut, "licenses.txt"), licenceNotices(result.metafile, "Third-party licences of the 4dbuild GitHub Action bundle (dist/action/main.js, dist/action/post.js)."));
}
