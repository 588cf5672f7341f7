import { execFileSync } from "node:child_process";
import { findWorkTree } from "./work-tree.js";

/**
 * Whether git ignores the project's Project/DerivedData/ folder, where 4D keeps the compiled code
 * (`git check-ignore`, run in the package folder): then a fresh clone has no compiled code and the build must
 * compile. False outside a git work tree or without git.
 */
export function ignoresDerivedData(packageDir: string): boolean {
  if (findWorkTree(packageDir) === undefined) return false;
  try {
    execFileSync("git", ["check-ignore", "-q", "--", "Project/DerivedData/"], { cwd: packageDir, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
