// Packs <tree>/Project into <output> the way the pack step does (bundled by scripts/bench.mjs).
import path from "node:path";
import { walkTree } from "../src/files/tree.js";
import { writeZip } from "../src/archives/zip.js";

const [root, output] = process.argv.slice(2) as [string, string];
const tree = await walkTree(path.join(root, "Project"));
await writeZip([{ name: "Project", kind: "directory", size: 0, executable: false }, ...tree.map((e) => ({ ...e, name: `Project/${e.relative}` }))], output, { sourceDate: 1700000000 });
