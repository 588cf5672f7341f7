// Bundles the CLI and the library into dist/4dbuild.cjs, with the CLI's launcher (dist/cli.cjs) and the library's
// entry (dist/index.js) beside it (built by npm run build, not committed, published), and the GitHub Action's entry points into
// dist/action/ (committed: a workflow runs them straight from the repository). Every dependency is bundled: the
// published package has none. Each bundle folder gets licenses.txt, the licence notices of the packages it
// contains (scripts/licenses.mjs). `--no-action` leaves the action out, `--action-only` builds only it;
// `--action-out DIR` writes the action bundle elsewhere, so a test can compare a fresh bundle with the committed one.
import { createHash } from "node:crypto";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
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

// commander requires node:child_process when it loads, for executable subcommands, which 4dbuild has none of;
// loading it is ~4 ms of every start (npm run bench:start). Commander's copy is a stand-in that loads it on first use.
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) => (args.importer.includes(`${path.sep}commander${path.sep}`) ? { path: "node:child_process", namespace: "lazy" } : undefined));
    build.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({ contents: 'module.exports = new Proxy({}, { get: (_, name) => require("node:child_process")[name] });', loader: "js" }));
  },
};

// Packages only a build or a command other than validate uses (signing, templates, tar, property-list writing:
// ~0.8 MB) are files of their own in dist/vendor/, required when first used: every start reads and restores the
// main bundle, and these made it a third bigger (validate of the example: ~10 ms; npm run bench:start).
const VENDORED = ["node-forge", "handlebars", "tar-stream", "plist"];
const vendored = {
  name: "vendored",
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${VENDORED.join("|")})$`) }, (args) => ({ path: `./vendor/${args.path}.cjs`, external: true }));
  },
};

if (!process.argv.includes("--action-only")) {
  rmSync("dist/chunks", { recursive: true, force: true });
  rmSync("dist/vendor", { recursive: true, force: true });
  // One CommonJS bundle for the CLI and the library (src/bundle.ts): the launcher runs it with V8's code cache
  // (src/cli/compile-cache.ts), which Node 20 offers for scripts only. Modules behind import() stay
  // uninitialised until a command or the library needs them.
  // CommonJS for Node 20, import.meta.url given by the file's own path; smaller to read at every start,
  // identifiers keep their names for stack traces.
  const commonJs = {
    ...common,
    format: "cjs",
    target: "node20",
    minifyWhitespace: true,
    minifySyntax: true,
    define: { "import.meta.url": "__importMetaUrl" },
    banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  };
  const program = await build({ ...commonJs, entryPoints: { "4dbuild": "src/bundle.ts" }, plugins: [lazyChildProcessForCommander, vendored], outdir: "dist", outExtension: { ".js": ".cjs" } });
  const vendors = await Promise.all(VENDORED.map((name) => build({ ...commonJs, entryPoints: [name], outfile: `dist/vendor/${name}.cjs` })));
  const bytes = readFileSync("dist/4dbuild.cjs");
  const wide = bytes.findIndex((byte) => byte > 0x7f);
  // The launcher reads the bundle as latin1 (decoding 2 MB of UTF-8 costs ~15 ms): esbuild escapes strings, not regular expressions.
  if (wide >= 0) throw new Error(`dist/4dbuild.cjs is not ASCII at byte ${wide}: ${JSON.stringify(bytes.subarray(Math.max(0, wide - 40), wide + 10).toString("utf8"))} (write the character as a \\u escape)`);
  const digest = createHash("sha256").update(bytes).digest("hex");
  // A CommonJS launcher: an ES module entry point costs Node ~10 ms more to start (its module loader).
  await build({
    ...commonJs,
    metafile: false,
    minifyWhitespace: false,
    minifySyntax: false,
    entryPoints: { cli: "src/cli/bin.ts" },
    outdir: "dist",
    outExtension: { ".js": ".cjs" },
    banner: { js: `#!/usr/bin/env node\n${commonJs.banner.js}` },
    define: { ...commonJs.define, PROGRAM: JSON.stringify({ digest, size: bytes.length }) },
  });
  // npm sets the bin's mode on install; a checkout runs dist/cli.cjs directly.
  chmodSync("dist/cli.cjs", 0o755);
  // The library's entry: the names of src/index.ts, taken from the bundle itself.
  const names = Object.keys(await createRequire(import.meta.url)("../dist/4dbuild.cjs").library()).filter((name) => name !== "default").sort();
  writeFileSync(
    "dist/index.js",
    `// The 4dbuild library (src/index.ts), from the package's bundle. Generated by scripts/bundle.mjs.\nimport { createRequire } from "node:module";\n\nconst library = await createRequire(import.meta.url)("./4dbuild.cjs").library();\nexport const { ${names.join(", ")} } = library;\n`,
  );
  const metafile = { outputs: Object.assign({}, program.metafile.outputs, ...vendors.map((v) => v.metafile.outputs)) };
  writeFileSync("dist/licenses.txt", licenceNotices(metafile, "Third-party licences of the 4dbuild bundle (dist/4dbuild.cjs: the CLI and the library, and dist/vendor/)."));
}
if (!process.argv.includes("--no-action")) {
  // Whitespace and syntax minified (names kept): parsing the 6.6 MB bundle took ~0.2 s of every start of the Action.
  // Split: each command's code (imported when it runs, src/actions/main.ts) and the artifact client (Azure
  // storage, archiver: 1.7 MB, read only to upload) are chunks of their own; main and post share the rest. Chunk names are content hashes: the same sources give the same files.
  rmSync(path.join(actionOut, "chunks"), { recursive: true, force: true });
  const result = await build({ ...common, entryPoints: { main: "src/actions/bin-main.ts", post: "src/actions/bin-post.ts" }, outdir: actionOut, splitting: true, chunkNames: "chunks/[name]-[hash]", target: "node24", minifyWhitespace: true, minifySyntax: true });
  writeFileSync(path.join(actionOut, "licenses.txt"), licenceNotices(result.metafile, "Third-party licences of the 4dbuild GitHub Action bundle (dist/action/main.js, dist/action/post.js)."));
}
