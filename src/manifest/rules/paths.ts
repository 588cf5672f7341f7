import { readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { pathFlavor } from "../../generator/paths.js";
import { closest } from "../../messages/text.js";
import { inScope } from "../scope.js";
import { looksLikeUrl, RUNTIME_ARCHIVE, RUNTIME_ARCHIVE_NAMES } from "../runtime-source.js";
import { walkWithSchema } from "../schema-walk.js";
import { displayPath } from "../source.js";
import { originOf, type Rule } from "./context.js";

const KIND_WORD = { file: "file", folder: "folder", "file-or-folder": "file or folder" } as const;

/**
 * Every path of the manifest: the right extension, inside the repository (unless it is a machine path:
 * from ${env.…}/${secret.…} or tagged !external), and present on disk with the right kind (for the units of
 * the scope only: a Windows runner need not have the macOS runtime).
 */
export const checkPaths: Rule = (context) => {
  for (const { path: at, value, schema } of walkWithSchema(context.manifest)) {
    if (!schema["x-path"] || typeof value !== "string" || value === "" || schema["x-path-keywords"]?.includes(value)) continue;
    // A runtime (the schema's runtime: a path, or { url, sha256 }) is its folder, or an archive file by its name.
    const runtime = schema.properties?.url !== undefined;
    const kind = runtime ? (RUNTIME_ARCHIVE.test(value) ? "file" : "folder") : schema["x-path"];
    const where = displayPath(at);
    if (looksLikeUrl(value)) {
      if (runtime) context.report("error", "url-without-sha256", at, `${where} is an address: a download needs its SHA-256`, `write ${String(at.at(-1))}: { url: …, sha256: … } (sha256sum prints the digest of the archive); 4dbuild checks every download against it`);
      else context.report("error", "not-a-path", at, `${where} must be a path, not an address`);
      continue;
    }
    const extension = schema["x-extension"];
    if (extension && !value.toLowerCase().endsWith(extension.toLowerCase())) {
      context.report("error", "wrong-extension", at, `${where} must be a ${extension} file`, extensionHint(extension, where));
      continue;
    }
    if (kind === "output") continue;
    const origin = originOf(context, at);
    const absolute = path.resolve(context.baseDir, value);
    const machinePath = origin?.fromEnvironment || origin?.external;
    const relative = path.relative(context.repoRoot, absolute);
    if (!machinePath && (relative.startsWith("..") || path.isAbsolute(relative))) {
      context.report(
        "error",
        "outside-repository",
        at,
        `${where} points outside the repository`,
        `keep build inputs in the repository; for a path of the build machine use \${env.NAME} or mark it: ${String(at.at(-1))}: !external ${schema["x-secret"] ? "PATH" : value}`,
      );
      continue;
    }
    if (!machinePath && leavesThroughLink(absolute, context.repoRoot)) {
      context.report("error", "outside-repository", at, `${where} leads outside the repository through a symbolic link`, `keep build inputs in the repository (copy the files in instead of linking to them); for a path of the build machine use \${env.NAME} or mark it: ${String(at.at(-1))}: !external ${value}`);
      continue;
    }
    if (!context.checkFiles || !checkableHere(value) || !inScope(context.scope, at)) continue;
    // A secret (a licence file: its name holds the licence number) is named by its field only, and no
    // neighbouring file is suggested (it would be another licence).
    const secret = schema["x-secret"] === true || origin?.secret === true;
    const shown = secret ? "it" : value;
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      context.report("error", "not-found", at, `${where}: ${KIND_WORD[kind]} not found${secret ? "" : `: ${value}`}`, secret ? "check the path this field is given (it is secret: not shown)" : notFoundHint(absolute, context.baseDir));
      continue;
    }
    if (kind === "file" && !stats.isFile()) context.report("error", "not-a-file", at, `${where} must be a file, but ${shown} is a folder`);
    if (kind === "folder" && !stats.isDirectory()) context.report("error", "not-a-folder", at, `${where} must be a folder, but ${shown} is a file`, runtime ? `a runtime is its folder, or an archive of it (${RUNTIME_ARCHIVE_NAMES})` : undefined);
  }
};

/**
 * Whether an existing path resolves, symbolic links followed, outside the repository (itself resolved too, so a
 * repository reached through a link is fine). A path that does not exist is left to the not-found check.
 */
function leavesThroughLink(absolute: string, repoRoot: string): boolean {
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    return false;
  }
  const root = realpathSync(repoRoot);
  return real !== root && !real.startsWith(root + path.sep);
}

/** A Windows path cannot be checked on macOS or Linux, nor an HFS path anywhere. */
function checkableHere(value: string): boolean {
  switch (pathFlavor(value)) {
    case "relative":
      return true;
    case "windows":
      return process.platform === "win32";
    case "posix":
      return process.platform !== "win32";
    case "hfs":
      return false;
  }
}

function extensionHint(extension: string, where: string): string {
  if (extension === ".icns") return `macOS icons are .icns files (iconutil or an icon editor makes one from PNGs)`;
  if (extension === ".ico") return `Windows icons are .ico files`;
  return `${where} expects a ${extension} file`;
}

function notFoundHint(absolute: string, baseDir: string): string {
  const parent = path.dirname(absolute);
  let guess: string | undefined;
  try {
    guess = closest(path.basename(absolute), readdirSync(parent));
  } catch {
    /* parent missing too */
  }
  const relative = path.relative(baseDir, guess ? path.join(parent, guess) : absolute) || ".";
  return guess ? `did you mean ${relative}?` : `paths are relative to the manifest's folder; looked for ${relative}`;
}

/** 4D opens a project through Project/<Name>.4DProject inside the package folder. */
export const checkProjectLayout: Rule = ({ manifest, report }) => {
  if (typeof manifest.project !== "string") return;
  const parent = path.basename(path.dirname(path.resolve("/", manifest.project)));
  if (parent !== "Project") {
    report("error", "bad-project-layout", ["project"], `the project file must sit in a folder named Project, not "${parent}"`, "4D project packages are laid out as <package>/Project/<Name>.4DProject");
  }
};
