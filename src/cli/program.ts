// The CLI's program: bundled as dist/cli.cjs, which the launcher (bin.ts, dist/cli.js) runs with V8's code cache.
import { main } from "./main.js";

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
