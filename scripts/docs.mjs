// Refreshes the generated field table of docs/manifest-reference.md from the bundled CLI (npm run docs).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const file = "docs/manifest-reference.md";
const doc = readFileSync(file, "utf8");
const table = execFileSync(process.execPath, ["dist/cli.cjs", "schema", "--markdown"], { encoding: "utf8" });
writeFileSync(file, doc.slice(0, doc.indexOf("| field |")) + table);
