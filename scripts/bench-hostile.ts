// Bundled and run by scripts/bench-hostile.mjs: times validate (in process, after one warm-up) on each hostile
// input of __tests__/hostile/inputs.ts, and the settings reader on each hostile settings file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HOSTILE_MANIFESTS, HOSTILE_SETTINGS } from "../__tests__/hostile/inputs.js";
import { validateManifest } from "../src/manifest/open.js";
import { parseSettings } from "../src/generator/settings-xml.js";

const LIMIT_MS = 2000;
const dir = mkdtempSync(path.join(tmpdir(), "4dbuild-bench-hostile-"));
const rows: { input: string; kb: number; ms: number; outcome: string }[] = [];

function time(input: string, text: string, parse: () => string): void {
  const start = process.hrtime.bigint();
  const outcome = parse();
  rows.push({ input, kb: Math.round(Buffer.byteLength(text) / 1024), ms: Number(process.hrtime.bigint() - start) / 1e6, outcome });
}

try {
  mkdirSync(path.join(dir, "Project"));
  writeFileSync(path.join(dir, "Project", "App.4DProject"), "{}");
  const manifest = path.join(dir, "4dbuild.yml");
  const validate = () => {
    const result = validateManifest(manifest, { checkFiles: false, checkProject: false });
    const codes = [...new Set(result.diagnostics.map((d) => d.code))];
    return `${result.diagnostics.length} problem(s): ${codes.join(", ")}`;
  };
  writeFileSync(manifest, "version: 1\n");
  validate();
  const only = process.argv[2];
  for (const [input, make] of Object.entries(HOSTILE_MANIFESTS).filter(([name]) => !only || name.includes(only))) {
    const text = make();
    writeFileSync(manifest, text);
    time(input, text, validate);
  }
  for (const [input, make] of Object.entries(HOSTILE_SETTINGS)) {
    const text = make();
    time(input, text, () => {
      try {
        parseSettings(text, "buildApp.4DSettings");
        return "parsed";
      } catch (error) {
        return (error as Error).message;
      }
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log("| input | size (KB) | time (ms) | outcome |\n|---|---|---|---|");
for (const row of rows) console.log(`| ${row.input} | ${row.kb} | ${row.ms.toFixed(0)} | ${row.outcome} |`);
const slow = rows.filter((row) => row.ms >= LIMIT_MS);
if (slow.length > 0) {
  console.error(`over ${LIMIT_MS} ms: ${slow.map((row) => row.input).join(", ")}`);
  process.exitCode = 1;
}
