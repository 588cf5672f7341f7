// Bundles the CLI (dist/cli.js, a launcher, and dist/cli.cjs, the program) and the library entry (dist/index.js)
// (built by npm run build, not committed, published), and the GitHub Action's entry points into
// dist/action/ (committed: a workflow runs them straight from the repository). Every dependency is bundled: the
// published package has none. Each bundle folder gets licenses.txt, the licence notices of the packages it
// contains (scripts/licenses.mjs). `--no-action` leaves the action out, `--action-only` builds only it;
// `--action-out DIR` writes the action bundle elsewhere, so a test can compare a fresh bundle with the committed one.
import { createHash } from "node:crypto";
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
  // The CLI's program is CommonJS: the launcher runs it with V8's code cache (src/cli/compile-cache.ts), which
  // Node 20 offers for scripts only. Modules behind import() stay uninitialised until a command needs them.
  const program = await build({
    ...common,
    entryPoints: { cli: "src/cli/program.ts" },
    outdir: "dist",
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    target: "node20",
    // Smaller to read at every start; identifiers keep their names for stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    define: { "import.meta.url": "__importMetaUrl" },
    banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  const bytes = readFileSync("dist/cli.cjs");
  const wide = bytes.findIndex((byte) => byte > 0x7f);
  // The launcher reads the bundle as latin1 (decoding 3 MB of UTF-8 costs ~15 ms): esbuild escapes strings, not regular expressions.
  if (wide >= 0) throw new Error(`dist/cli.cjs is not ASCII at byte ${wide}: ${JSON.stringify(bytes.subarray(Math.max(0, wide - 40), wide + 10).toString("utf8"))} (write the character as a \\u escape)`);
  const digest = createHash("sha256").update(bytes).digest("hex");
  await build({ ...common, metafile: false, entryPoints: { cli: "src/cli/bin.ts" }, outdir: "dist", target: "node20", banner: { js: "#!/usr/bin/env node" }, define: { PROGRAM: JSON.stringify({ digest, size: bytes.length }) } });
  // npm sets the bin's mode on install; a checkout runs dist/cli.js directly.
  chmodSync("dist/cli.js", 0o755);
  const library = await build({ ...common, entryPoints: { index: "src/index.ts" }, outdir: "dist", target: "node20" });
  writeFileSync("dist/licenses.txt", licenceNotices({ outputs: { ...program.metafile.outputs, ...library.metafile.outputs } }, "Third-party licences of the 4dbuild CLI and library bundles (dist/cli.cjs, dist/index.js)."));
}
if (!process.argv.includes("--no-action")) {
  const result = await build({ ...common, entryPoints: { main: "src/actions/bin-main.ts", post: "src/actions/bin-post.ts" }, outdir: actionOut, target: "node24" });
  writeFileSync(path.join(actionOut, "licenses.txt"), licenceNotices(result.metafile, "Third-party licences of the 4dbuild GitHub Action bundle (dist/action/main.js, dist/action/post.js)."));
}
