import { open, readlink } from "node:fs/promises";
import path from "node:path";
import { isMachO } from "../builder/app/macho.js";
import { compareNames, walkTree } from "../files/tree.js";

/** One command of a signing plan: built as data, printed for review and tests, run only on macOS. */
export interface Command {
  program: string;
  args: string[];
  /** Run even when an earlier command failed (keychain clean-up). */
  always?: boolean;
  /** Kill it after this long. */
  timeoutMs?: number;
}

const BUNDLE = /\.(app|framework|bundle|plugin|xpc|4dbase)$/i;

async function head(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * What codesign must sign inside a bundle, innermost first and the bundle itself last (build-outputs.md
 * §19.2): nested bundles (a versioned framework through its current version), and loose Mach-O files that are
 * not the main executable of their bundle. Paths are relative to the bundle's parent folder.
 */
export async function nestedCode(bundle: string): Promise<string[]> {
  const top = path.basename(bundle);
  const entries = await walkTree(bundle, bundle, "keep");
  const bundles = new Set<string>();
  for (const e of entries) {
    if (e.kind !== "directory" || !BUNDLE.test(e.relative)) continue;
    if (/\.framework$/i.test(e.relative) && entries.some((x) => x.kind === "symlink" && x.relative === `${e.relative}/Versions/Current`)) {
      bundles.add(`${e.relative}/Versions/${await readlink(path.join(bundle, e.relative, "Versions", "Current"))}`);
    } else bundles.add(e.relative);
  }
  // A bundle's main executable is signed with the bundle: Contents/MacOS/* of an app-like bundle, the binary of a framework version.
  const isMain = (relative: string) => {
    const parent = path.posix.dirname(relative);
    if (parent === "Contents/MacOS" || /\.(app|bundle|plugin|xpc)\/Contents\/MacOS$/i.test(parent)) return path.posix.basename(relative) === mainName(parent, top);
    return bundles.has(parent) && /\.framework\/Versions\/[^/]+$/i.test(parent);
  };
  const loose: string[] = [];
  // Loose code is executable or a library: other files are not opened.
  const candidate = (e: (typeof entries)[number]) => e.kind === "file" && (e.executable || /\.(dylib|so)$/i.test(e.relative)) && !isMain(e.relative);
  for (const e of entries) if (candidate(e) && isMachO(await head(e.absolute))) loose.push(e.relative);
  const depth = (p: string) => p.split("/").length;
  const nested = [...bundles, ...loose].sort((a, b) => depth(b) - depth(a) || compareNames(a, b));
  return [...nested.map((p) => `${top}/${p}`), top];
}

/** The executable name a bundle's Contents/MacOS folder should hold: the bundle's own name (as 4D's builder renames it). */
function mainName(macosFolder: string, top: string): string {
  const bundle = macosFolder === "Contents/MacOS" ? top : path.posix.basename(path.posix.dirname(path.posix.dirname(macosFolder)));
  return bundle.replace(BUNDLE, "");
}

export interface MacSigningOptions {
  /** Signing identity, or "-" for ad-hoc. */
  identity: string;
  entitlements: string;
  /** Temporary keychain made from signing.certificate, when one is given. */
  keychain?: { path: string; password: string; p12: string; p12Password: string };
  notarize?: { zip: string; timeoutMinutes: number } & ({ keychainProfile: string } | { appleId: string; teamId: string; password: string });
}

/**
 * The whole macOS plan for one bundle: temporary keychain, codesign innermost first (hardened runtime,
 * secure timestamp, entitlements), verification, notarization with a hard timeout and stapling, keychain
 * deletion. `bundle` is absolute; the commands run with the bundle's parent folder as working folder.
 */
export async function macSigningPlan(bundle: string, options: MacSigningOptions): Promise<Command[]> {
  const commands: Command[] = [];
  const { keychain, notarize } = options;
  if (keychain) {
    commands.push(
      { program: "security", args: ["create-keychain", "-p", keychain.password, keychain.path] },
      { program: "security", args: ["set-keychain-settings", "-lut", "3600", keychain.path] },
      { program: "security", args: ["unlock-keychain", "-p", keychain.password, keychain.path] },
      { program: "security", args: ["import", keychain.p12, "-k", keychain.path, "-P", keychain.p12Password, "-T", "/usr/bin/codesign"] },
      { program: "security", args: ["set-key-partition-list", "-S", "apple-tool:,apple:,codesign:", "-s", "-k", keychain.password, keychain.path] },
    );
  }
  const adHoc = options.identity === "-";
  const sign = ["--sign", options.identity, ...(keychain ? ["--keychain", keychain.path] : []), "--force", adHoc ? "--timestamp=none" : "--timestamp", "--options", "runtime", "--entitlements", options.entitlements];
  for (const code of await nestedCode(bundle)) commands.push({ program: "codesign", args: [...sign, code] });
  const top = path.basename(bundle);
  commands.push({ program: "codesign", args: ["--verify", "--strict", "--verbose=2", top] });
  if (notarize) {
    const credentials = "keychainProfile" in notarize ? ["--keychain-profile", notarize.keychainProfile] : ["--apple-id", notarize.appleId, "--team-id", notarize.teamId, "--password", notarize.password];
    commands.push(
      { program: "ditto", args: ["-c", "-k", "--keepParent", top, notarize.zip] },
      { program: "xcrun", args: ["notarytool", "submit", notarize.zip, ...credentials, "--wait", "--timeout", `${notarize.timeoutMinutes}m`], timeoutMs: (notarize.timeoutMinutes + 1) * 60_000 },
      { program: "xcrun", args: ["stapler", "staple", top] },
    );
  }
  if (keychain) commands.push({ program: "security", args: ["delete-keychain", keychain.path], always: true });
  return commands;
}

/** A command as a shell line, for logs and the committed expectation (pass it through the redactor first). */
export const commandLine = (command: Command): string => [command.program, ...command.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");
