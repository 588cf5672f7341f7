import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./helpers.js";

/** The modules Node loads before a command runs: dist/cli.js and the chunks it imports statically (`import … from`),
 * not the ones behind `import()`. `npm test` builds the bundle first. */
function loadedAtStart(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(/^import\s[^;]*?from\s*"(\.{1,2}\/[^"]+)"/gms)) visit(path.resolve(path.dirname(file), match[1]!));
  };
  visit(path.join(ROOT, "dist", "cli.js"));
  return [...seen].flatMap((file) => [...readFileSync(file, "utf8").matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]!));
}

test("--version, --help and usage errors load no command: the builder, YAML, ajv and the XML, zip and signing libraries wait", () => {
  expect(existsSync(path.join(ROOT, "dist", "cli.js"))).toBe(true);
  const modules = loadedAtStart();
  expect(modules).toContain("src/cli/main.ts");
  const heavy = modules.filter((m) => /^src\/(builder\/(?!logger\.ts)|manifest|generator|release|signing|toolchain|archives)|^node_modules\/(yaml|ajv|fast-xml-parser|node-forge|handlebars|resedit|tar-stream|diff)\//.test(m));
  expect(heavy).toEqual([]);
});

test("a command's modules are loaded when it runs", () => {
  const main = readFileSync(path.join(ROOT, "dist", "cli.js"), "utf8");
  expect(main).toMatch(/import\("\.\/chunks\/validate-[A-Z0-9]+\.js"\)/);
});
