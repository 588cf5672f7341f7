import { BuildError } from "../messages/errors.js";
import { networkCause } from "../toolchain/download.js";

interface Comment {
  id: number;
  body?: string;
}

/** The REST API answered an error status (403: the token may not write; 404: not visible to it). */
export class GitHubApiError extends BuildError {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/**
 * The hidden first line of the 4dbuild comment: one per manifest and workflow, so two workflows (or two
 * manifests of a monorepo) each keep their own comment. Percent-encoded: a path cannot close the HTML comment.
 */
export const commentMarker = (manifest: string, workflow: string): string => `<!-- 4dbuild:config-diff manifest=${encodeURIComponent(manifest)} workflow=${encodeURIComponent(workflow)} -->`;

export interface CommentOptions {
  api: string;
  repository: string;
  pullRequest: number;
  token: string;
  marker: string;
  body: string;
  /** false: only update a comment an earlier run made (a "no change" result); never create one. */
  create: boolean;
}

/** One REST call; network failures name the host and the cause, error statuses are GitHubApiError. */
async function call(options: CommentOptions, method: string, route: string, body?: object): Promise<unknown> {
  const url = `${options.api.replace(/\/$/, "")}/repos/${options.repository}${route}`;
  const headers = { Authorization: `Bearer ${options.token}`, Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json" };
  let response: Response;
  try {
    response = await fetch(url, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  } catch (error) {
    throw new BuildError(`GitHub API ${method} ${route} at ${new URL(url).host}: ${networkCause(error)}`, "the runner cannot reach GITHUB_API_URL: a proxy, a firewall, or an outage");
  }
  if (!response.ok) {
    const message = ((await response.json().catch(() => ({}))) as { message?: string }).message ?? "";
    throw new GitHubApiError(`GitHub API ${method} ${route} answered ${response.status}${message ? `: ${message.slice(0, 200)}` : ""}`, response.status);
  }
  return response.json();
}

/**
 * Creates the pull request's 4dbuild comment, or updates the one found by its marker (later pushes). With
 * `create: false`, only updates: "none" when there is no comment to update.
 */
export async function upsertPullRequestComment(options: CommentOptions): Promise<"created" | "updated" | "none"> {
  const body = `${options.marker}\n${options.body}`;
  for (let page = 1; page <= 10; page++) {
    const comments = (await call(options, "GET", `/issues/${options.pullRequest}/comments?per_page=100&page=${page}`)) as Comment[];
    const ours = comments.find((c) => c.body?.startsWith(options.marker));
    if (ours) {
      await call(options, "PATCH", `/issues/comments/${ours.id}`, { body });
      return "updated";
    }
    if (comments.length < 100) break;
  }
  if (!options.create) return "none";
  await call(options, "POST", `/issues/${options.pullRequest}/comments`, { body });
  return "created";
}
