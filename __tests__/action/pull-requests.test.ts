import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { commentMarker } from "../../src/actions/pr-comment.js";
import { exampleCopy, tempDir } from "../helpers.js";
import { unusedPort } from "../http-fixture.js";
import { LocalServices, MAIN, runEntry } from "./runner.js";

/*
 * The diff command on pull_request events, run as the runner runs the bundled Action, against a loopback
 * stand-in for the REST API: the pull request that adopts 4dbuild, a one-commit checkout, forks and read-only
 * tokens, no change, an unreachable API, one comment per manifest and workflow.
 */

/** A run of the bundled Action waits on child processes: on a loaded machine a diff takes seconds. */
const SLOW = 60_000;

const services = new LocalServices();
beforeAll(() => services.start());
afterAll(() => services.stop());
beforeEach(() => services.reset());

const MANIFEST = "examples/hello/4dbuild.yml";
const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "protocol.file.allow=always", ...args], { cwd, encoding: "utf8" });

/** A repository of the example: `base` is committed first, then `head` edits the manifest (or nothing). */
function repository(options: { adopt?: boolean; change?: boolean } = {}) {
  const copy = exampleCopy();
  const manifest = readFileSync(copy.manifest, "utf8");
  git(copy.root, "init", "-q", "-b", "main");
  // Adopting: the base has neither the manifest nor a settings file (the example has none).
  if (options.adopt) rmSync(copy.manifest);
  git(copy.root, "add", ".");
  git(copy.root, "commit", "-q", "-m", "base");
  const base = git(copy.root, "rev-parse", "HEAD").trim();
  writeFileSync(copy.manifest, options.change === false ? manifest : manifest.replace("{ min: 2, max: 3 }", "{ min: 2, max: 4 }"));
  git(copy.root, "add", ".");
  git(copy.root, "commit", "-q", "--allow-empty", "-m", "head");
  return { root: copy.root, base };
}

/** The pull_request event payload the runner writes to GITHUB_EVENT_PATH. */
function event(base: string, head = "owner/repo"): NodeJS.ProcessEnv {
  const file = path.join(tempDir("event"), "event.json");
  const repo = (full: string) => ({ full_name: full });
  writeFileSync(file, JSON.stringify({ action: "synchronize", number: 7, pull_request: { number: 7, base: { sha: base, ref: "main", repo: repo("owner/repo") }, head: { sha: "0".repeat(40), ref: "feature", repo: repo(head) } } }));
  return { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: file, GITHUB_WORKFLOW: "review", GITHUB_TOKEN: "" };
}

const inputs = (extra: Record<string, string> = {}) => ({ command: "diff", manifest: MANIFEST, comment: "true", token: "test-token", ...extra });

test("adoption: the pull request that adds the manifest shows the whole configuration as added, in its own comment", async () => {
  const { root, base } = repository({ adopt: true });
  // A comment of another workflow stays untouched: one marker per manifest and workflow.
  services.comments.push({ id: 1, body: `${commentMarker(MANIFEST, "nightly")}\nother` });
  const run = await runEntry(MAIN, root, inputs(), { ...services.apiEnv(), ...event(base) });
  expect(run.stdout).not.toContain("::error");
  expect(run.code).toBe(0);
  expect(run.summary).toContain(`${base}:${MANIFEST} does not exist: everything ${MANIFEST} configures is new.`);
  expect(run.summary).toMatch(/^\| `targets\.standalone\.platforms` \| — \| `\["mac","win"\]` \|/m);
  expect(services.commentCalls.filter((c) => !c.startsWith("GET"))).toEqual(["POST /repos/owner/repo/issues/7/comments"]);
  expect(services.comments[0]!.body).toBe(`${commentMarker(MANIFEST, "nightly")}\nother`);
  expect(services.comments[1]!.body.split("\n")[0]).toBe(commentMarker(MANIFEST, "review"));
}, SLOW);

test("shallow checkout: the base commit is fetched from origin, then compared", async () => {
  const { root: origin, base } = repository();
  const clone = path.join(tempDir("shallow"), "work");
  git(path.dirname(clone), "clone", "-q", "--depth=1", `file://${origin}`, clone);
  expect(() => execFileSync("git", ["cat-file", "-e", `${base}^{commit}`], { cwd: clone, stdio: "ignore" })).toThrow();
  const run = await runEntry(MAIN, clone, inputs({ comment: "false" }), { ...services.apiEnv(), ...event(base) });
  expect(run.stdout).not.toContain("::error");
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`fetched the pull request's base ${base} (the checkout was shallow)`);
  expect(run.summary).toContain("| `autoUpdate.acceptedClientVersions.max` | `3` | `4` |");
}, SLOW);

test("fork pull request: no API call; a one-line notice naming pull-requests: write, and the diff in the summary", async () => {
  const { root, base } = repository();
  const run = await runEntry(MAIN, root, inputs(), { ...services.apiEnv(), ...event(base, "someone/repo") });
  expect(run.code).toBe(0);
  expect(services.commentCalls).toEqual([]);
  const notice = run.stdout.split("\n").filter((l) => l.startsWith("::notice"));
  expect(notice).toEqual([expect.stringContaining("no comment on pull request #7 (from the fork someone/repo)")]);
  expect(notice[0]).toContain("`permissions: pull-requests: write`");
  expect(run.summary).toContain("autoUpdate.acceptedClientVersions.max");
  expect(run.summary).toContain("> 4dbuild: no comment on pull request #7 (from the fork someone/repo)");
}, SLOW);

test("a token without pull-requests: write (403): the step stays green, with the notice in the log and the summary", async () => {
  const { root, base } = repository();
  services.commentStatus = 403;
  const run = await runEntry(MAIN, root, inputs(), { ...services.apiEnv(), ...event(base) });
  expect(run.stdout).not.toContain("::error");
  expect(run.code).toBe(0);
  expect(services.commentCalls).toEqual(["GET /repos/owner/repo/issues/7/comments"]);
  expect(run.stdout).toMatch(/^::notice title=4dbuild diff::4dbuild: no comment on pull request #7 \(HTTP 403\): .*`permissions: pull-requests: write`/m);
  expect(run.summary).toContain("(HTTP 403)");
}, SLOW);

describe("no configuration change", () => {
  test("silent by default: no comment is read or written", async () => {
    const { root, base } = repository({ change: false });
    const run = await runEntry(MAIN, root, inputs(), { ...services.apiEnv(), ...event(base) });
    expect(run.code).toBe(0);
    expect(run.summary).toContain("No configuration change.");
    expect(services.commentCalls).toEqual([]);
  }, SLOW);

  test("comment-no-change: update rewrites the comment of an earlier push, and creates none", async () => {
    const { root, base } = repository({ change: false });
    const marker = commentMarker(MANIFEST, "review");
    services.comments.push({ id: 1, body: `${marker}\nold changes` });
    const run = await runEntry(MAIN, root, inputs({ "comment-no-change": "update" }), { ...services.apiEnv(), ...event(base) });
    expect(run.code).toBe(0);
    expect(services.commentCalls).toEqual(["GET /repos/owner/repo/issues/7/comments", "PATCH /repos/owner/repo/issues/comments/1"]);
    expect(services.comments[0]!.body).toContain("No configuration change.");
  }, SLOW);
});

test("an unreachable API: a warning naming the host and the cause; the diff is still in the summary", async () => {
  const { root, base } = repository();
  const port = await unusedPort();
  const run = await runEntry(MAIN, root, inputs(), { ...services.apiEnv(), GITHUB_API_URL: `http://127.0.0.1:${port}`, ...event(base) });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`::warning title=4dbuild diff%3A no comment::GitHub API GET /issues/7/comments?per_page=100&page=1 at 127.0.0.1:${port}: connection refused`);
  expect(run.stdout).toContain("[ECONNREFUSED]");
  expect(run.summary).toContain("autoUpdate.acceptedClientVersions.max");
}, SLOW);
