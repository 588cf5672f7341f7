import path from "node:path";

/**
 * 4D writes system paths: HFS on macOS ("Macintosh HD:Applications:4D:", "::Build:"), backslash paths on
 * Windows ("C:\4D\", "..\Build\"). Folders end with the separator. Relative paths start at the project package
 * folder (reference §3.5, inferred): on macOS each leading ":" beyond the first goes up one level; on Windows
 * "..\" goes up and a leading "\" stays in the package (the form 4D documents for DataFilePath).
 */
export type PathSyntax = "mac" | "win";

export interface FourDPathContext {
  /** Folder relative manifest paths start from. */
  manifestDir: string;
  /** Project package folder relative 4D paths start from. */
  packageDir: string;
  /** Name of the macOS volume mounted at "/" (HFS paths name the volume). Default: "Macintosh HD". */
  macVolume: string;
}

export class PathSyntaxError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    /** The field (dotted, list items by index) whose path it is, when known. */
    readonly field?: string,
  ) {
    super(message);
  }
}

const WINDOWS_ABSOLUTE = /^([A-Za-z]:[\\/]|\\\\)/;
const HFS_ABSOLUTE = /^[^/\\:]{2,}:/;

export type PathFlavor = "windows" | "hfs" | "posix" | "relative";

export function pathFlavor(value: string): PathFlavor {
  if (WINDOWS_ABSOLUTE.test(value)) return "windows";
  if (value.startsWith("/")) return "posix";
  if (HFS_ABSOLUTE.test(value)) return "hfs";
  return "relative";
}

/** How a message names the syntax of a path it saw. */
const SYNTAX_SEEN: Record<Exclude<PathFlavor, "relative">, string> = {
  posix: "a POSIX path (/…)",
  hfs: "an HFS path (Volume:folder:…)",
  windows: "a Windows path (C:\\… or \\\\server\\…)",
};

const trailing = (text: string, separator: string, folder: boolean) => (folder && !text.endsWith(separator) ? text + separator : text);

/** A manifest path (relative to the manifest, or an absolute machine path) in 4D's syntax for `syntax`. */
export function toFourDPath(value: string, syntax: PathSyntax, folder: boolean, context: FourDPathContext): string {
  const flavor = pathFlavor(value);
  if (syntax === "win") {
    if (flavor === "windows") return trailing(value.replace(/\//g, "\\"), "\\", folder);
    if (flavor !== "relative")
      throw new PathSyntaxError(
        `"${value}" is ${SYNTAX_SEEN[flavor]}; this key is read by 4D on Windows and needs a Windows path (C:\\… or a path relative to the project)`,
        "4dbuild build takes this path on any host, but 4D's BUILD APPLICATION reads the generated file on Windows: generate it with the Windows path of the build machine (set the ${env.…} variable there)",
      );
  } else {
    if (flavor === "hfs") return trailing(value, ":", folder);
    if (flavor === "posix") {
      const volume = /^\/Volumes\/([^/]+)(\/.*)?$/.exec(value);
      const [name, rest] = volume ? [volume[1]!, volume[2] ?? ""] : [context.macVolume, value];
      const parts = rest.split("/").filter(Boolean);
      return trailing([name, ...parts].join(":"), ":", folder);
    }
    if (flavor === "windows")
      throw new PathSyntaxError(
        `"${value}" is ${SYNTAX_SEEN.windows}; this key is read by 4D on macOS and needs a macOS path (/Applications/…, Volume:… or a path relative to the project)`,
        "4dbuild build takes this path on any host, but 4D's BUILD APPLICATION reads the generated file on macOS: generate it with the macOS path of the build machine (set the ${env.…} variable there)",
      );
  }
  const relative = path.relative(context.packageDir, path.resolve(context.manifestDir, value));
  const parts = relative.split(path.sep).filter(Boolean);
  const up = parts.findIndex((p) => p !== "..");
  const ups = up < 0 ? parts.length : up;
  const rest = parts.slice(ups);
  if (syntax === "mac") return trailing(":".repeat(ups + 1) + rest.join(":"), ":", folder && rest.length > 0);
  return trailing(ups > 0 ? "..\\".repeat(ups) + rest.join("\\") : `\\${rest.join("\\")}`, "\\", folder && rest.length > 0);
}

export type ImportedPath = { relative: string } | { machine: string };

/** A 4D path read from a settings file: relative to the manifest, or an absolute path of the build machine. */
export function fromFourDPath(text: string, syntax: PathSyntax, context: FourDPathContext): ImportedPath {
  if (syntax === "mac") {
    if (!text.startsWith(":")) {
      const [volume, ...parts] = text.split(":").filter(Boolean);
      const base = volume === context.macVolume ? "" : `/Volumes/${volume}`;
      return { machine: `${base}/${parts.join("/")}` };
    }
    const ups = /^:+/.exec(text)![0].length - 1;
    const parts = text.split(":").filter(Boolean);
    return { relative: manifestRelative([...Array<string>(ups).fill(".."), ...parts], context) };
  }
  if (WINDOWS_ABSOLUTE.test(text)) return { machine: text.replace(/\\$/, "") };
  const parts = text.split(/[\\/]/).filter((p) => p !== "" && p !== ".");
  return { relative: manifestRelative(parts, context) };
}

function manifestRelative(packageParts: string[], context: FourDPathContext): string {
  const absolute = path.resolve(context.packageDir, ...packageParts);
  return path.relative(context.manifestDir, absolute).split(path.sep).join("/") || ".";
}
