import { spawn } from "node:child_process";
import { open } from "node:fs/promises";
import path from "node:path";
import { UnsafeLinkError, walkTree } from "../files/tree.js";
import { BuildError } from "../messages/errors.js";
import { listZip, type ZipListing } from "./zip-listing.js";

export type ArchiveFormat = "zip" | "tar.gz" | "tar.xz";

/** An archive that cannot be read: damaged, truncated, or not an archive. A download is retried once. */
export class UnreadableArchiveError extends BuildError {
}

/** The first `size` bytes of a file (fewer when it is shorter). */
async function readHead(file: string, size: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(size);
    const { bytesRead } = await handle.read(head, 0, size, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The format of an archive from its first bytes (names lie, and download links often have none). */
export async function archiveFormat(file: string): Promise<ArchiveFormat | undefined> {
  const head = await readHead(file, 6);
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05)) return "zip";
  if (head[0] === 0x1f && head[1] === 0x8b) return "tar.gz";
  if (head.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return "tar.xz";
  return undefined;
}

interface Command {
  command: string;
  args: string[];
}

/**
 * The system tools that list and unpack each format on each OS, keeping symbolic links and modes: tar
 * (GNU tar on Linux, bsdtar on macOS and Windows 10+) for .tar.gz/.tar.xz (-J as 4d/tool4d-action does);
 * for .zip, Info-ZIP unzip on Linux, ditto (Apple's, which keeps bundles whole) on macOS, bsdtar on Windows.
 * The archive is named relative to the working folder: GNU tar reads "C:\…" as a remote host.
 */
function commands(format: ArchiveFormat, archive: string, host: NodeJS.Platform): { list?: Command; extract: Command } {
  if (format !== "zip") {
    const flag = format === "tar.xz" ? "-J" : "-z";
    return { list: { command: "tar", args: ["-t", flag, "-f", archive] }, extract: { command: "tar", args: ["-x", "-p", "--no-same-owner", flag, "-f", archive] } };
  }
  // A zip is listed from its central directory (listZip), which also tells its symbolic links.
  if (host === "win32") return { extract: { command: "tar", args: ["-x", "-f", archive] } };
  if (host === "darwin") return { extract: { command: "ditto", args: ["-x", "-k", archive, "."] } };
  return { extract: { command: "unzip", args: ["-q", archive] } };
}

function run(command: Command, cwd: string, signal?: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.command, command.args, { cwd, stdio: ["ignore", "pipe", "pipe"], ...(signal ? { signal } : {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (signal?.aborted) return reject(signal.reason);
      reject(error.code === "ENOENT" ? new BuildError(`${command.command} is not installed: 4dbuild needs it to unpack archives`, command.command === "unzip" ? "install it (apt-get install unzip), or give the runtime as a .tar.gz or .tar.xz" : `install ${command.command}`) : error);
    });
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** An entry name that would land outside the folder it is unpacked into: absolute, a drive, or with "..". */
export function unsafeEntryName(name: string): boolean {
  if (/^([/\\]|[A-Za-z]:)/.test(name)) return true;
  return name.split(/[/\\]/).includes("..");
}

const firstLine = (text: string) => text.trim().split(/\r?\n/).find((l) => l.trim())?.trim() ?? "";

export interface UnpackOptions {
  /** What the archive is, for messages ("tool4d 21.0", "targets.server.runtime.win"). */
  what: string;
  host?: NodeJS.Platform;
  signal?: AbortSignal;
}

/**
 * Unpacks `archive` into the empty folder `into`, safely: every entry name is checked before anything is
 * written (no absolute path, no "..", in a zip nothing below one of its own links), and afterwards every
 * symbolic link must point inside `into`. tar does not write through a link of the same archive either (GNU
 * tar makes links to absolute or ".." targets last, bsdtar refuses to). Returns the format. An unreadable
 * archive throws UnreadableArchiveError.
 */
export async function unpackArchive(archive: string, into: string, options: UnpackOptions): Promise<ArchiveFormat> {
  const format = await archiveFormat(archive);
  if (!format) throw new UnreadableArchiveError(`${options.what}: ${await describeNonArchive(archive)}`, "expected a .zip, .tar.gz or .tar.xz archive");
  const relative = path.relative(into, archive);
  const { list, extract } = commands(format, relative, options.host ?? process.platform);
  const entries = format === "zip" ? await listZip(archive) : await listTar(list!, into, format, options);
  if (!entries) throw new UnreadableArchiveError(`${options.what}: the zip archive cannot be read (no central directory)`, "the file is damaged or incomplete");
  if (entries.length === 0) throw new UnreadableArchiveError(`${options.what}: the ${format} archive is empty`);
  const unsafe = entries.find((e) => unsafeEntryName(e.name));
  if (unsafe) throw new BuildError(`${options.what}: the archive holds an entry outside its folder: ${unsafe.name}`, "absolute paths and .. are refused in archives: repack it from the folder itself");
  // An entry below a link of the same archive would be written wherever the link points.
  const links = entries.filter((e) => e.symlink).map((e) => e.name.replace(/\/+$/, ""));
  const through = entries.find((e) => links.some((link) => e.name.startsWith(`${link}/`)));
  if (through) throw new BuildError(`${options.what}: the archive holds an entry inside one of its symbolic links: ${through.name}`, "repack it from the folder itself");
  const extracted = await run(extract, into, options.signal);
  if (extracted.code !== 0) throw new UnreadableArchiveError(`${options.what}: the ${format} archive cannot be unpacked (${extract.command}: ${firstLine(extracted.stderr) || `exit code ${extracted.code}`})`, "the file is damaged or incomplete");
  try {
    await walkTree(into, into, "keep");
  } catch (error) {
    if (!(error instanceof UnsafeLinkError)) throw error;
    throw new BuildError(`${options.what}: the archive holds a symbolic link leaving it: ${path.relative(into, error.link)} → ${error.target}`, "links in a runtime must stay inside it: repack it from the folder itself");
  }
  return format;
}

/** The entry names of a tar archive, listed by tar (links are not told apart: tar does not write through them). */
async function listTar(list: Command, cwd: string, format: ArchiveFormat, options: UnpackOptions): Promise<ZipListing[]> {
  const listed = await run(list, cwd, options.signal);
  if (listed.code !== 0) throw new UnreadableArchiveError(`${options.what}: the ${format} archive cannot be read (${list.command}: ${firstLine(listed.stderr) || `exit code ${listed.code}`})`, "the file is damaged or incomplete");
  return listed.stdout
    .split(/\r?\n/)
    .filter((n) => n !== "")
    .map((name) => ({ name, symlink: false }));
}

async function describeNonArchive(file: string): Promise<string> {
  const head = await readHead(file, 64);
  const text = head.toString("latin1").trimStart().toLowerCase();
  if (text.startsWith("<!doctype html") || text.startsWith("<html")) return "got a web page, not an archive";
  return `not a .zip, .tar.gz or .tar.xz archive (it starts with ${head.subarray(0, 4).toString("hex")})`;
}
