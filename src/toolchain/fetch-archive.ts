import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { BuildError } from "../messages/errors.js";
import { commitFolder, scratchFolder } from "./cache.js";
import { DownloadError, request, saveBody, type Downloaded } from "./download.js";
import { UnreadableArchiveError, unpackArchive } from "./unpack.js";
import { redactUrl } from "../messages/urls.js";

export interface FetchArchiveOptions {
  /** The cache root: the download and the unpacking happen in its tmp folder. */
  root: string;
  /** Where the unpacked archive goes in the cache. */
  final: string;
  /** What is downloaded, for messages. */
  what: string;
  signal?: AbortSignal;
  log?: (message: string) => void;
  onProgress?: (bytes: number) => void;
  /** A response already open on `url` (the first attempt reads it instead of asking again). */
  first?: Response;
  /** Checks the bytes received (a digest); throws to refuse them. Refused bytes are not downloaded again. */
  check?: (downloaded: Downloaded) => void;
  /** Checks the unpacked folder (the executable is there); throws to refuse it. */
  accept?: (unpacked: string) => void;
  /** Further request headers. */
  headers?: Record<string, string>;
  /** Replace an entry already in the cache (a "latest" without a build number, downloaded again). */
  replace?: boolean;
}

/**
 * Downloads an archive (streamed to disk in the cache's tmp folder), checks it, unpacks it beside, and moves
 * the unpacked folder into place in one rename. A partial or damaged download (transfer cut, size other than
 * Content-Length, an archive that does not list or unpack, a server error) is removed and downloaded once
 * more; a second failure stops with a message naming the address (query masked) and the cause.
 */
export async function fetchArchive(url: string, options: FetchArchiveOptions): Promise<void> {
  for (const attempt of [1, 2]) {
    const scratch = await scratchFolder(options.root);
    try {
      const response = attempt === 1 && options.first ? options.first : await request(url, { what: options.what, ...(options.signal ? { signal: options.signal } : {}), ...(options.headers ? { headers: options.headers } : {}) });
      options.log?.(`downloading ${options.what} from ${redactUrl(url)}${sizeOf(response)}`);
      const archive = path.join(scratch, "download");
      const downloaded = await saveBody(response, archive, url, { what: options.what, ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
      options.check?.(downloaded);
      const unpacked = path.join(scratch, "unpacked");
      await mkdir(unpacked);
      await unpackArchive(archive, unpacked, { what: options.what, ...(options.signal ? { signal: options.signal } : {}) });
      options.accept?.(unpacked);
      await commitFolder(unpacked, options.final, { replace: options.replace ?? false });
      return;
    } catch (error) {
      const damaged = (error instanceof DownloadError && error.retryable) || error instanceof UnreadableArchiveError;
      if (!damaged) throw error;
      if (attempt === 1) {
        options.log?.(`${error.message}: removed, downloading it again`);
        continue;
      }
      throw error instanceof UnreadableArchiveError ? new BuildError(`${error.message}; downloaded twice from ${redactUrl(url)}`, "the server keeps sending a damaged file: try again later, or check the mirror") : error;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

function sizeOf(response: Response): string {
  const length = Number(response.headers.get("content-length"));
  return length > 0 ? ` (${(length / 1024 / 1024).toFixed(1)} MB)` : "";
}
