import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** What the files say of HEAD. */
export interface HeadFromFiles {
  commit: string;
  /** Names below refs/tags/ (0 or 1 of them) whose commit is HEAD's. */
  tags: string[];
}

const OBJECT_NAME = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const GIT_LOCATION_VARIABLES = ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_NAMESPACE"];

/**
 * HEAD's commit and the tags at it, read from the repository's files when they answer for sure; undefined when
 * only git can: a linked work tree or a submodule (a .git file), the reftable format, GIT_DIR and the like set,
 * a tag not yet packed (a loose ref to an annotated tag names the tag object, not the commit), more than one tag
 * at HEAD (git then picks one by its own rules), or anything unexpected. Starting git costs ~10 ms of a validate
 * (npm run bench:start); a fresh clone and a repository without tags answer here.
 * Layout: git-scm.com/docs/gitrepository-layout; packed-refs and its "peeled" trait: git-scm.com/docs/git-pack-refs
 * and refs/packed-backend.c (a "^" line after a tag gives the commit the tag points to).
 */
export function headFromFiles(workTree: string, env: NodeJS.ProcessEnv): HeadFromFiles | undefined {
  if (GIT_LOCATION_VARIABLES.some((name) => env[name])) return undefined;
  const gitDir = path.join(workTree, ".git");
  try {
    if (!lstatSync(gitDir).isDirectory() || existsSync(path.join(gitDir, "reftable"))) return undefined;
    const packed = readPacked(gitDir);
    if (!packed) return undefined;
    const commit = resolveRef(gitDir, packed.refs, "HEAD");
    if (!commit) return undefined;
    if (looseTagsIn(path.join(gitDir, "refs", "tags"))) return undefined;
    const tags: string[] = [];
    for (const [name, ref] of packed.refs) {
      if (!name.startsWith("refs/tags/")) continue;
      if (!packed.peeled) return undefined;
      if ((ref.peeled ?? ref.target) === commit) tags.push(name.slice("refs/tags/".length));
    }
    return tags.length > 1 ? undefined : { commit, tags };
  } catch {
    return undefined;
  }
}

interface PackedRef {
  target: string;
  peeled?: string;
}

/** refs by name, and whether tags carry their peeled commit; an empty list when there is no packed-refs file. */
function readPacked(gitDir: string): { refs: Map<string, PackedRef>; peeled: boolean } | undefined {
  const refs = new Map<string, PackedRef>();
  let text: string;
  try {
    text = readFileSync(path.join(gitDir, "packed-refs"), "utf8");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? { refs, peeled: true } : undefined;
  }
  const lines = text.split("\n");
  const traits = lines[0]?.startsWith("# pack-refs with:") ? lines[0].slice("# pack-refs with:".length).trim().split(/\s+/) : [];
  let last: PackedRef | undefined;
  for (const line of lines) {
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("^")) {
      if (!last || !OBJECT_NAME.test(line.slice(1))) return undefined;
      last.peeled = line.slice(1);
      continue;
    }
    const [target, name, ...rest] = line.split(" ");
    if (!target || !name || rest.length > 0 || !OBJECT_NAME.test(target)) return undefined;
    last = { target };
    refs.set(name, last);
  }
  return { refs, peeled: traits.includes("peeled") || traits.includes("fully-peeled") };
}

/** The object a ref names, following symbolic refs ("ref: refs/heads/main"), the loose file before the packed entry. */
function resolveRef(gitDir: string, packed: Map<string, PackedRef>, name: string, depth = 0): string | undefined {
  if (depth > 5 || (name !== "HEAD" && !name.startsWith("refs/"))) return undefined;
  let content: string | undefined;
  try {
    content = readFileSync(path.join(gitDir, ...name.split("/")), "utf8").trim();
  } catch {
    content = undefined;
  }
  if (content === undefined) return packed.get(name)?.target;
  if (content.startsWith("ref: ")) return resolveRef(gitDir, packed, content.slice("ref: ".length).trim(), depth + 1);
  return OBJECT_NAME.test(content) ? content : undefined;
}

function looseTagsIn(dir: string): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  return entries.some((entry) => !entry.isDirectory() || looseTagsIn(path.join(dir, entry.name)));
}

