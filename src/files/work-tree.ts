import { realpathSync, statSync } from "node:fs";
import path from "node:path";

/**
 * The git work tree holding `dir`, else undefined: the nearest folder, from `dir`'s real path up, that holds a
 * `.git` folder with a HEAD, or a `.git` file (a linked work tree or a submodule), which is how git itself finds
 * it (git-scm.com/docs/gitrepository-layout). Found without starting git: a build asks this several times, and
 * each `git rev-parse --show-toplevel` cost a process (10-30 ms).
 */
export function findWorkTree(dir: string): string | undefined {
  let current: string;
  try {
    current = realpathSync(dir);
  } catch {
    return undefined;
  }
  for (;;) {
    const dotGit = statSync(path.join(current, ".git"), { throwIfNoEntry: false });
    if (dotGit?.isFile() || (dotGit?.isDirectory() && statSync(path.join(current, ".git", "HEAD"), { throwIfNoEntry: false })?.isFile())) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The git work tree holding `dir`, else `dir` itself. */
export const repositoryRoot = (dir: string): string => findWorkTree(dir) ?? dir;
