// Fails when the TypeScript modules under src/ import each other in a cycle (type-only imports included):
// data flows one way, YAML → plan → (XML | steps) → artifacts + report. Run by `npm run lint`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const sourceFiles = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith(".ts") ? [file] : [];
  });

const files = sourceFiles(process.argv[2] ?? "src").sort();
const imports = new Map(
  files.map((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const local = importedFiles.map((i) => i.fileName).filter((name) => name.startsWith("."));
    return [file, [...new Set(local.map((name) => path.join(path.dirname(file), name.replace(/\.js$/, ".ts"))))]];
  }),
);

// Depth-first search; a module met again while still on the path closes a cycle.
const state = new Map();
const cycles = [];
const visit = (file, trail) => {
  if (state.get(file) === "done") return;
  if (state.get(file) === "open") return void cycles.push([...trail.slice(trail.indexOf(file)), file]);
  state.set(file, "open");
  for (const next of imports.get(file) ?? []) visit(next, [...trail, file]);
  state.set(file, "done");
};
for (const file of files) visit(file, []);

for (const cycle of cycles) console.error(`import cycle: ${cycle.join(" → ")}`);
if (cycles.length > 0) process.exit(1);
console.log(`no import cycle among ${files.length} modules`);
