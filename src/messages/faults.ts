import { BuildError } from "./errors.js";

/** What a file-system error code means for the user, and what to do about it. The one mapping of such faults. */
const FAULTS: Record<string, { cause: string; hint: string }> = {
  ENOSPC: { cause: "no space left on the device", hint: "free some space on that disk (or choose another destination with --out), then run again" },
  EDQUOT: { cause: "the disk quota is exceeded", hint: "free some space within your quota (or choose another destination with --out), then run again" },
  EACCES: { cause: "permission denied", hint: "give your user the right to read and write there, or choose another destination with --out" },
  EPERM: { cause: "operation not permitted", hint: "check the permissions and flags (immutable, locked) of that path, or choose another destination with --out" },
  EROFS: { cause: "the file system is read-only", hint: "choose a destination on a writable disk with --out" },
  EEXIST: { cause: "a file or folder is already there", hint: "move it away, or choose another destination with --out" },
  ENOTDIR: { cause: "a part of the path is a file, not a folder", hint: "check the path: a folder was expected where a file is" },
  EISDIR: { cause: "it is a folder, where a file was expected", hint: "check the path: a file was expected where a folder is" },
  ENOTEMPTY: { cause: "the folder is not empty", hint: "move its content away, then run again" },
  EMFILE: { cause: "too many files are open in this process", hint: "raise the limit of open files (ulimit -n) and run again" },
  ENFILE: { cause: "too many files are open on this system", hint: "close other programs or raise the system's limit of open files, and run again" },
  ENAMETOOLONG: { cause: "the path is too long for the file system", hint: "choose a shorter destination or shorter names" },
  ELOOP: { cause: "too many symbolic links in the path", hint: "check the symbolic links of that path: one of them points back to itself" },
  EBUSY: { cause: "the file or folder is in use", hint: "close the program using it (an open application, a file browser) and run again" },
  ETXTBSY: { cause: "the file is a running program", hint: "quit the application built earlier, then run again" },
  EIO: { cause: "an input/output error of the disk", hint: "check the disk, then run again" },
  EXDEV: { cause: "it is on another file system than the destination", hint: "keep the destination on one file system" },
};

/** An operating-system refusal on a path (disk full, no permission, read-only…): the user's environment, not a bug. Exit 1. */
export class FileSystemFault extends BuildError {
  constructor(readonly code: string, readonly path: string | undefined, cause: string, hint: string) {
    super(`${path !== undefined ? `${path}: ` : ""}${cause} (${code})`, hint);
  }
}

// Not `instanceof Error`: an error from another realm (a vm context, a worker) is one too.
const errnoOf = (error: unknown): NodeJS.ErrnoException | undefined =>
  typeof error === "object" && error !== null && typeof (error as NodeJS.ErrnoException).code === "string" && typeof (error as NodeJS.ErrnoException).syscall === "string" ? (error as NodeJS.ErrnoException) : undefined;

/**
 * The user error an operating-system fault stands for, or undefined for anything else (a real bug stays one).
 * Only errors raised by a system call count: they carry `code` and `syscall`; the path is `place`, else the one
 * the call named.
 * ENOENT is left out on purpose: 4dbuild checks its inputs first, so a missing file there is more likely a bug.
 */
export function asFault(error: unknown, place?: string): FileSystemFault | undefined {
  if (error instanceof FileSystemFault) return error;
  const errno = errnoOf(error);
  const known = errno?.code ? FAULTS[errno.code] : undefined;
  if (!errno || !known) return undefined;
  // rename and link name two paths: the one in the way of EEXIST is the second.
  const dest = (errno as { dest?: string }).dest;
  const named = dest !== undefined && errno.code === "EEXIST" ? dest : errno.path;
  return new FileSystemFault(errno.code!, place ?? named, known.cause, known.hint);
}

/** `error` as a user error when it is a file-system fault, else unchanged. */
export const faultOrSelf = (error: unknown): unknown => asFault(error) ?? error;
