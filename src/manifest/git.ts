import { execFileSync } from "node:child_process";
import { findWorkTree } from "../files/work-tree.js";
import { withoutTagPrefix } from "./versioning.js";

export type GitVariable = "tag" | "version" | "commit" | "shortCommit";
export const GIT_VARIABLES: readonly GitVariable[] = ["tag", "version", "commit", "shortCommit"];

/**
 * Reads git facts lazily: the GitHub Actions variables first, then the repository itself. Outside a repository
 * there are none, and git is not started.
 */
export function gitReader(cwd: string, env: NodeJS.ProcessEnv): (name: GitVariable) => string | undefined {
  const cache = new Map<string, string | undefined>();
  let inRepository: boolean | undefined;
  const git = (...args: string[]): string | undefined => {
    const key = args.join(" ");
    if (!cache.has(key)) {
      inRepository ??= findWorkTree(cwd) !== undefined;
      if (!inRepository) return undefined;
      try {
        cache.set(key, execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined);
      } catch {
        cache.set(key, undefined);
      }
    }
    return cache.get(key);
  };
  const tag = () => (env.GITHUB_REF_TYPE === "tag" && env.GITHUB_REF_NAME) || git("describe", "--tags", "--exact-match", "HEAD");
  const commit = () => env.GITHUB_SHA || git("rev-parse", "HEAD");
  return (name) => {
    switch (name) {
      case "tag":
        return tag();
      case "version":
        return withoutTagPrefix(tag() ?? "") || undefined;
      case "commit":
        return commit();
      case "shortCommit":
        return commit()?.slice(0, 7);
    }
  };
}
