// Bundles the CLI (and later the GitHub Action entry points) into dist/ with esbuild.
import { chmodSync } from "node:fs";
import { build } from "esbuild";

const entryPoints = { cli: "src/cli/bin.ts" };

await build({
  entryPoints,
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
});

// npm sets the bin's mode on install; a checkout runs dist/cli.js directly.
chmodSync("dist/cli.js", 0o755);
