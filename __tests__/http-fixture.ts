import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync, chmodSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { walkTree } from "../src/files/tree.js";
import { writeZip } from "../src/archives/zip.js";
import { writeTarGz } from "../src/archives/tar.js";
import { STAND_IN_TOOL4D } from "./helpers.js";

/**
 * What the fixture server answers on a path: an archive, a redirect, an error, or a damaged transfer.
 * truncate: the announced Content-Length, half the bytes, then the connection is cut; longer: a Content-Length
 * above the bytes sent, then the connection is cut; garbage: random bytes of the right length.
 */
export type Reply =
  | { kind: "file"; body: Buffer; contentType?: string }
  | { kind: "redirect"; location: string }
  | { kind: "status"; status: number; contentType?: string }
  | { kind: "truncate" | "longer"; body: Buffer }
  | { kind: "garbage"; size: number };

/** An HTTP server on 127.0.0.1 for the tests: serves replies by path (a list: one per request, the last repeats) and counts requests. */
export class FixtureServer {
  readonly requests: string[] = [];
  private readonly replies = new Map<string, Reply[]>();
  private readonly server = http.createServer((req, res) => this.answer(req, res));
  base = "";

  on(urlPath: string, ...replies: Reply[]): this {
    this.replies.set(urlPath, replies);
    return this;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests made to a path (query string removed). */
  count(urlPath: string): number {
    return this.requests.filter((r) => r === urlPath).length;
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const urlPath = decodeURI((req.url ?? "").replace(/\?.*$/, ""));
    this.requests.push(urlPath);
    const list = this.replies.get(urlPath);
    const reply = list ? (list.length > 1 ? list.shift()! : list[0]!) : ({ kind: "status", status: 404 } as Reply);
    switch (reply.kind) {
      case "file":
        res.writeHead(200, { "content-type": reply.contentType ?? "application/octet-stream", "content-length": reply.body.length });
        res.end(reply.body);
        return;
      case "redirect":
        res.writeHead(302, { location: reply.location, "content-length": 0 });
        res.end();
        return;
      case "status":
        res.writeHead(reply.status, { "content-type": reply.contentType ?? "text/plain" });
        res.end(reply.contentType === "text/html" ? "<!DOCTYPE html><html><body>Not here</body></html>" : `status ${reply.status}`);
        return;
      case "truncate":
      case "longer": {
        const announced = reply.kind === "truncate" ? reply.body.length : reply.body.length + 1000;
        const sent = reply.kind === "truncate" ? reply.body.subarray(0, Math.floor(reply.body.length / 2)) : reply.body;
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": announced });
        res.write(sent, () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      }
      case "garbage": {
        const body = Buffer.alloc(reply.size, 0x5a);
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length });
        res.end(body);
        return;
      }
    }
  }
}

/** A port nothing listens on (a server opened, then closed). */
export async function unusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Temporary folders that the test removes in afterEach/afterAll. */
export class TempFolders {
  private readonly made: string[] = [];

  make(prefix = "4dbuild-prov-"): string {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    this.made.push(dir);
    return dir;
  }

  removeAll(): void {
    for (const dir of this.made.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** The Linux tool4d archive layout (bin/tool4d at its root, 4d/tool4d-action@22bddba:download.sh) around the stand-in tool4d, as .tar.xz. */
export function tool4dArchive(work: string): Buffer {
  const root = path.join(work, "tool4d-archive");
  mkdirSync(path.join(root, "bin"), { recursive: true });
  mkdirSync(path.join(root, "Resources"), { recursive: true });
  copyFileSync(STAND_IN_TOOL4D, path.join(root, "bin", "tool4d"));
  chmodSync(path.join(root, "bin", "tool4d"), 0o755);
  const file = path.join(work, "tool4d_Linux.tar.xz");
  execFileSync("tar", ["-cJf", file, "-C", root, "bin", "Resources"]);
  return readFileSync(file);
}

/** An archive of `folder` (kept as its top entry, with its symbolic links and modes) in one of the runtime formats. */
export async function archiveOf(folder: string, format: "zip" | "tar.gz" | "tar.xz", output: string): Promise<Buffer> {
  if (format === "tar.xz") {
    execFileSync("tar", ["-cJf", output, "-C", path.dirname(folder), path.basename(folder)]);
    return readFileSync(output);
  }
  const top = path.basename(folder);
  const tree = await walkTree(folder, folder, "keep");
  const entries = [{ name: top, kind: "directory" as const, size: 0, executable: false }, ...tree.map((e) => ({ ...e, name: `${top}/${e.relative}` }))];
  if (format === "zip") await writeZip(entries, output, { sourceDate: 1_700_000_000 });
  else await writeTarGz(entries, output, { sourceDate: 1_700_000_000 });
  return readFileSync(output);
}
