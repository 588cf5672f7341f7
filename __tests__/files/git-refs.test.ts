import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { headFromFiles } from "../../src/files/git-refs.js";
import { gitReader } from "../../src/manifest/git.js";
import { tempDir } from "../helpers.js";

/** A repository with two commits; `git` runs in it, without the machine's git settings. */
function repository() {
  const dir = tempDir("git-refs");
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "tag.gpgSign=false", ...args], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" } }).trim();
  git("init", "-q", "-b", "main");
  for (const n of ["1", "2"]) {
    writeFileSync(path.join(dir, "f"), n);
    git("add", "f");
    git("commit", "-qm", n);
  }
  return { dir, git, head: git("rev-parse", "HEAD") };
}

/** What git itself says, for comparison. */
const gitSays = (git: (...args: string[]) => string) => {
  let tag: string | undefined;
  try {
    tag = git("describe", "--tags", "--exact-match", "HEAD");
  } catch {
    tag = undefined;
  }
  return { tag, commit: git("rev-parse", "HEAD") };
};
const readerSays = (dir: string) => {
  const read = gitReader(dir, {});
  return { tag: read("tag"), commit: read("commit") };
};

test("without tags, HEAD's commit comes from the files, loose or packed, and there is no tag", () => {
  const { dir, git, head } = repository();
  expect(headFromFiles(dir, {})).toEqual({ commit: head, tags: [] });
  git("pack-refs", "--all");
  expect(headFromFiles(dir, {})).toEqual({ commit: head, tags: [] });
  git("checkout", "-q", "--detach");
  expect(headFromFiles(dir, {})).toEqual({ commit: head, tags: [] });
  expect(readerSays(dir)).toEqual(gitSays(git));
});

test("packed tags are matched by the commit they point to, annotated ones through their peeled line", () => {
  const { dir, git, head } = repository();
  git("tag", "-a", "-m", "old", "v0.9", "HEAD~1");
  git("tag", "-a", "-m", "release", "v1.0");
  // Not yet packed: a loose annotated tag names the tag object, so only git can say.
  expect(headFromFiles(dir, {})).toBeUndefined();
  expect(readerSays(dir)).toEqual(gitSays(git));
  git("pack-refs", "--all");
  expect(headFromFiles(dir, {})).toEqual({ commit: head, tags: ["v1.0"] });
  expect(readerSays(dir)).toEqual({ tag: "v1.0", commit: head });
  expect(readerSays(dir)).toEqual(gitSays(git));
  // A lightweight tag at an older commit is not HEAD's.
  git("tag", "old", "HEAD~1");
  git("pack-refs", "--all");
  expect(headFromFiles(dir, {})?.tags).toEqual(["v1.0"]);
  // Two tags at HEAD: git chooses between them by its own rules, so git is asked.
  git("tag", "also");
  git("pack-refs", "--all");
  expect(headFromFiles(dir, {})).toBeUndefined();
  expect(readerSays(dir)).toEqual(gitSays(git));
});

test("only git can say: a linked work tree, GIT_DIR, reftable, packed tags without their peeled commits, a damaged file", () => {
  const { dir, git, head } = repository();
  expect(headFromFiles(dir, { GIT_DIR: path.join(dir, ".git") })).toBeUndefined();
  const linked = path.join(tempDir("git-refs-linked"), "w");
  git("worktree", "add", "-q", linked);
  expect(headFromFiles(linked, {})).toBeUndefined();
  expect(readerSays(linked).commit).toBe(head);

  const packed = path.join(dir, ".git", "packed-refs");
  writeFileSync(packed, `${head} refs/tags/v3\n`);
  expect(headFromFiles(dir, {})).toBeUndefined();
  writeFileSync(packed, `# pack-refs with: peeled fully-peeled sorted\n${head} refs/tags/v3\n`);
  expect(headFromFiles(dir, {})).toEqual({ commit: head, tags: ["v3"] });
  writeFileSync(packed, `# pack-refs with: peeled fully-peeled sorted\nnot-an-object refs/tags/v3\n`);
  expect(headFromFiles(dir, {})).toBeUndefined();
  rmSync(packed);

  mkdirSync(path.join(dir, ".git", "reftable"));
  expect(headFromFiles(dir, {})).toBeUndefined();
  rmSync(path.join(dir, ".git", "reftable"), { recursive: true });
  writeFileSync(path.join(dir, ".git", "HEAD"), "ref: refs/heads/unborn\n");
  expect(headFromFiles(dir, {})).toBeUndefined();
});
