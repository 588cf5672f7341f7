// Jest transform: TypeScript to ESM with esbuild. Types are checked once by `tsc --noEmit` (npm run lint), so
// the tests only need the types stripped, which esbuild does about ten times faster than ts-jest's compiler.
import { transformSync } from "esbuild";

export default {
  canInstrument: false,
  process(source, filename) {
    const { code, map } = transformSync(source, { loader: "ts", format: "esm", target: "node20", sourcemap: "external", sourcefile: filename });
    return { code, map };
  },
};
