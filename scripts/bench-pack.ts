// Packs <tree>/Project into <output> the way the pack step does (bundled by scripts/bench.mjs): with the build's
// compressor threads, started at once (a build starts them when an archive announces more input than its inline
// budget, src/archives/pool.ts: every project benchmarked here does).
import path from "node:path";
import { CompressionPool } from "../src/archives/pool.js";
import { writeZip } from "../src/archives/zip.js";
import { walkTree } from "../src/files/tree.js";

const [root, output] = process.argv.slice(2) as [string, string];
const pool = new CompressionPool();
pool.start();
const tree = await walkTree(path.join(root, "Project"));
await writeZip([{ name: "Project", kind: "directory", size: 0, executable: false }, ...tree.map((e) => ({ ...e, name: `Project/${e.relative}` }))], output, { sourceDate: 1700000000, pool });
await pool.close();
