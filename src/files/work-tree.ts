import { realpathSync, statSync, type Stats } from "node:fs";
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
    const dotGit = statOf(path.join(current, ".git"));
    if (dotGit?.isFile() || (dotGit?.isDirectory() && statOf(path.join(current, ".git", "HEAD"))?.isFile())) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** What is there, or undefined when nothing is, or it cannot be seen (a folder above that the user may not search). */
function statOf(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The git work tree holding `dir`, else `dir` itself. */
export const repositoryRoot = (dir: string): string => findWorkTree(dir) ?? dir;
