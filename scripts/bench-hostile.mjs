// npm run bench:hostile: how long each hostile parse takes (issue #16: each must end in under 2 s). Bundles
// scripts/bench-hostile.ts with esbuild and runs it once; exit 1 when one takes 2 s or more. Not a test.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";

const work = mkdtempSync(path.join(tmpdir(), "4dbuild-bench-hostile-"));
try {
  const script = path.join(work, "bench-hostile.mjs");
  await build({ entryPoints: ["scripts/bench-hostile.ts"], outfile: script, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning", banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  execFileSync(process.execPath, [script], { stdio: "inherit" });
} catch (error) {
  process.exitCode = error.status ?? 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
