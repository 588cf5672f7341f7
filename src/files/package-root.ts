import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** package.json "name": the published name (docs/publishing.md). */
export const PACKAGE_NAME = "@4dbuild/cli";

/** The installed 4dbuild package (holds templates/ and schema/), found from this module, bundled or not. */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (true) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME) return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find the 4dbuild package folder");
    dir = parent;
  }
}

export const packageVersion = (): string => (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
