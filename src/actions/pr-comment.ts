const MARKER = "<!-- 4dbuild:config-diff -->";

interface Comment {
  id: number;
  body?: string;
}

/**
 * Creates the pull request's 4dbuild comment, or updates it on later pushes: one comment per pull request,
 * found by a hidden marker. REST API with the workflow's GITHUB_TOKEN.
 */
export async function upsertPullRequestComment(options: { api: string; repository: string; pullRequest: number; token: string; body: string }): Promise<"created" | "updated"> {
  const headers = { Authorization: `Bearer ${options.token}`, Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json" };
  const base = `${options.api.replace(/\/$/, "")}/repos/${options.repository}`;
  const call = async (method: string, url: string, body?: object): Promise<unknown> => {
    const response = await fetch(url, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!response.ok) throw new Error(`GitHub API ${method} ${url.replace(base, "")} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    return response.json();
  };
  const body = `${MARKER}\n${options.body}`;
  for (let page = 1; page <= 10; page++) {
    const comments = (await call("GET", `${base}/issues/${options.pullRequest}/comments?per_page=100&page=${page}`)) as Comment[];
    const ours = comments.find((c) => c.body?.startsWith(MARKER));
    if (ours) {
      await call("PATCH", `${base}/issues/comments/${ours.id}`, { body });
      return "updated";
    }
    if (comments.length < 100) break;
  }
  await call("POST", `${base}/issues/${options.pullRequest}/comments`, { body });
  return "created";
}
