import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { cliEnv, ROOT, tempDir } from "../helpers.js";

/** The bundled entries, as action.yml runs them. */
export const MAIN = path.join(ROOT, "dist", "action", "main.js");
export const POST = path.join(ROOT, "dist", "action", "post.js");

/** Reads the name<<delimiter files the runner gives an action (GITHUB_OUTPUT, GITHUB_STATE). */
export function readCommandFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  if (!existsSync(file)) return values;
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) values[match[1]!] = match[3]!;
  return values;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** RUNNER_TEMP of the run. */
  runnerTemp: string;
}

/**
 * Runs a bundled entry as the runner does: node, INPUT_* variables (upper-cased names, spaces as _, dashes
 * kept), command files, the workspace as working folder.
 */
export function runEntry(entry: string, workspace: string, inputs: Record<string, string>, extra: NodeJS.ProcessEnv = {}): Promise<ActionRun> {
  const files = tempDir("runner");
  const [output, state, summary] = ["output", "state", "summary"].map((n) => path.join(files, n)) as [string, string, string];
  for (const f of [output, state, summary]) writeFileSync(f, "");
  const env: NodeJS.ProcessEnv = {
    ...cliEnv(),
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STATE: state,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: path.join(files, "runner-temp"),
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, "_").toUpperCase()}`, v])),
    ...extra,
  };
  mkdirSync(env.RUNNER_TEMP!);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry], { cwd: workspace, env });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stdout += c.toString()));
    child.on("close", (code) => resolve({ code, stdout, outputs: readCommandFile(output), state: readCommandFile(state), summary: readFileSync(summary, "utf8"), runnerTemp: env.RUNNER_TEMP! }));
  });
}

const body = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => resolve(Buffer.concat(chunks)));
  });

/**
 * A local stand-in for the services the runner talks to: the artifact service (twirp CreateArtifact and
 * FinalizeArtifact), the blob storage its signed URL points at (Azure block blob: blocks then block list),
 * and the REST API's issue comments (`commentStatus` makes every comment call answer that status, as a
 * read-only token gets 403).
 */
export class LocalServices {
  server!: Server;
  url = "";
  created: { name: string; expires_at?: string; workflow_run_backend_id?: string; workflow_job_run_backend_id?: string }[] = [];
  finalized: { name: string; size: string; hash?: string }[] = [];
  uploads = new Map<string, Buffer>();
  private blocks = new Map<string, Buffer>();
  comments: { id: number; body: string }[] = [];
  commentCalls: string[] = [];
  commentStatus: number | undefined;

  async start(): Promise<void> {
    this.server = createServer(async (request, response) => {
      const url = new URL(request.url!, "http://127.0.0.1");
      const data = await body(request);
      const json = (status: number, value: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (url.pathname.endsWith(".ArtifactService/CreateArtifact")) {
        const request_ = JSON.parse(data.toString()) as LocalServices["created"][number];
        this.created.push(request_);
        return json(200, { ok: true, signedUploadUrl: `${this.url}/devstoreaccount1/actions/${encodeURIComponent(request_.name)}.zip?sig=local` });
      }
      if (url.pathname.endsWith(".ArtifactService/FinalizeArtifact")) {
        this.finalized.push(JSON.parse(data.toString()) as { name: string; size: string; hash?: string });
        return json(200, { ok: true, artifactId: "42" });
      }
      if (url.pathname.startsWith("/devstoreaccount1/")) {
        const headers = { "x-ms-request-id": "local", "x-ms-version": "2024-11-04", etag: '"0x1"', "last-modified": new Date(0).toUTCString() };
        if (url.searchParams.get("comp") === "block") this.blocks.set(url.searchParams.get("blockid")!, data);
        else if (url.searchParams.get("comp") === "blocklist") {
          const ids = [...data.toString().matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]+)</g)].map((m) => m[1]!);
          this.uploads.set(url.pathname, Buffer.concat(ids.map((id) => this.blocks.get(id)!)));
        } else this.uploads.set(url.pathname, data);
        return response.writeHead(201, headers).end();
      }
      const comments = /^\/repos\/owner\/repo\/issues\/(\d+)\/comments$/.exec(url.pathname);
      const comment = /^\/repos\/owner\/repo\/issues\/comments\/(\d+)$/.exec(url.pathname);
      this.commentCalls.push(`${request.method} ${url.pathname}${request.headers.authorization === "Bearer test-token" ? "" : " (no token)"}`);
      if (this.commentStatus) return json(this.commentStatus, { message: "Resource not accessible by integration" });
      if (comments && request.method === "GET") return json(200, this.comments);
      if (comments && request.method === "POST") {
        const created = { id: this.comments.length + 1, body: (JSON.parse(data.toString()) as { body: string }).body };
        this.comments.push(created);
        return json(201, created);
      }
      if (comment && request.method === "PATCH") {
        const found = this.comments.find((c) => c.id === Number(comment[1]))!;
        found.body = (JSON.parse(data.toString()) as { body: string }).body;
        return json(200, found);
      }
      json(404, { message: "not found" });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets what earlier tests recorded. */
  reset(): void {
    this.created = [];
    this.finalized = [];
    this.uploads.clear();
    this.comments = [];
    this.commentCalls = [];
    this.commentStatus = undefined;
  }

  /** The REST API only (no artifact service: GHES, Gitea, act). */
  apiEnv(): NodeJS.ProcessEnv {
    return { GITHUB_SERVER_URL: "https://github.com", GITHUB_API_URL: this.url, GITHUB_REPOSITORY: "owner/repo" };
  }

  /** The environment the runner gives the artifact client: a JWT whose scp names the run and job. */
  env(): NodeJS.ProcessEnv {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const token = `${part({ alg: "none", typ: "JWT" })}.${part({ scp: "Actions.ExampleScope Actions.Results:ce7f54c7-61c7-4aae-887f-30da475f5f1a:ca395085-040a-526b-2ce8-bdc85f692774" })}.c2ln`;
    return { ...this.apiEnv(), ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: `${this.url}/` };
  }
}
