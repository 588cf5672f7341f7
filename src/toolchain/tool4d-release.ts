import path from "node:path";
import type { FourDVersion } from "../four-d/version.js";
import { BuildError } from "../messages/errors.js";

/*
 * Where 4D publishes tool4d, as 4d/tool4d-action builds the address (4d/tool4d-action@22bddba3359514745cfdf300ff1b59b5ac73f06e:download.sh,
 * README.md "The parametrised URL…"), with the same names as 4D's VS Code extension
 * (4d/4D-Analyzer-VSCode@afd9d9f622c70a4ee160251116ab1b416b153af3:editor/src/apiManager.ts, getURLTool4D):
 *
 *   https://resources-download.4d.com/release/<product line>/<version>/<build>/<os>/<file>
 *   product line  "21.x" (LTS) or "21 Rx" (feature releases); version "21.0" or "21 R2"; build a number or "latest"
 *   file          mac/tool4d_arm64.tar.xz, mac/tool4d_x86_64.tar.xz, win/tool4d_win.tar.xz, linux/tool4d_Linux.tar.xz
 *
 * 4D publishes no checksums (none in either source, nor in 4d/homebrew-tap, whose sha256 are the tap's own).
 */
export const TOOL4D_BASE_URL = "https://resources-download.4d.com/release";

/** Which tool4d: a product line, a version in it, and a build number or "latest". */
export interface Tool4dRelease {
  line: string;
  version: string;
  build: string;
}

/** tool4d for this machine: its folder name in the cache, its archive on the server, its executable once unpacked. */
export interface Tool4dHost {
  os: "mac" | "win" | "linux";
  /** "linux", "win", "mac-arm64", "mac-x86_64". */
  label: string;
  file: string;
  /** The executable, relative to the unpacked archive; the first that exists (later ones: older layouts). */
  executables: string[];
}

export const BUILD_FORMAT = /^([0-9]+|latest)$/;

/**
 * The tool4d release of a 4D version. Feature releases: "21 Rx" / "21 R2". LTS: "21.x" / "21.0", tool4d-action's
 * default (versions.json .default); 20 LTS is "20.x" / "20" (versions.json .official["20.x"]). A bug-fix version
 * ("20.3") is used as written: an inference, the sources show none.
 */
export function tool4dRelease(fourD: FourDVersion, build = "latest"): Tool4dRelease {
  if (!BUILD_FORMAT.test(build)) throw new BuildError(`"${build}" is not a tool4d build: give a build number (e.g. 100341) or latest`);
  if (fourD.release) return { line: `${fourD.major} Rx`, version: `${fourD.major} R${fourD.release}`, build };
  const minor = /^\d+\.(\d+)$/.exec(fourD.text)?.[1];
  const version = minor !== undefined ? `${fourD.major}.${minor}` : fourD.major === 20 ? "20" : `${fourD.major}.0`;
  return { line: `${fourD.major}.x`, version, build };
}

/**
 * The archive and executable for an OS and CPU (download.sh: macOS by `uname -m`, "20.x"/"20" with the older
 * tool4d_mac_<arm|x86> names; the Linux archive holds bin/tool4d at its root, Windows tool4d/tool4d.exe, macOS tool4d.app).
 */
export function tool4dHost(release: Pick<Tool4dRelease, "line" | "version">, platform: NodeJS.Platform = process.platform, arch: string = process.arch): Tool4dHost {
  if (platform === "darwin") {
    const cpu = arch === "arm64" ? "arm64" : "x86_64";
    const oldNames = release.line === "20.x" && release.version === "20";
    const file = oldNames ? `tool4d_mac_${cpu === "arm64" ? "arm" : "x86"}.tar.xz` : `tool4d_${cpu}.tar.xz`;
    return { os: "mac", label: `mac-${cpu}`, file, executables: ["tool4d.app/Contents/MacOS/tool4d"] };
  }
  if (platform === "win32") return { os: "win", label: "win", file: "tool4d_win.tar.xz", executables: ["tool4d/tool4d.exe", "tool4d.exe"] };
  if (platform === "linux") return { os: "linux", label: "linux", file: "tool4d_Linux.tar.xz", executables: ["bin/tool4d", "tool4d/bin/tool4d"] };
  throw new BuildError(`4D publishes tool4d for macOS, Windows and Linux, not for ${platform}`, "set compile.tool4d to a tool4d executable instead of auto");
}

/** Spaces in product lines and versions are percent-encoded, as download.sh does (sed 's/ /%20/g'). */
const segment = (text: string) => encodeURIComponent(text);

/**
 * The download address. `base` replaces https://resources-download.4d.com/release (FOURDBUILD_TOOL4D_BASE_URL: a
 * mirror); `token` is sent as ?token=, as tool4d-action does for builds that need one.
 */
export function tool4dUrl(release: Tool4dRelease, host: Tool4dHost, options: { base?: string; token?: string } = {}): string {
  const base = (options.base || TOOL4D_BASE_URL).replace(/\/+$/, "");
  const url = `${base}/${segment(release.line)}/${segment(release.version)}/${segment(release.build)}/${host.os}/${host.file}`;
  return options.token ? `${url}?token=${encodeURIComponent(options.token)}` : url;
}

/**
 * The build number in a "latest" redirect's Location: the file there is named _<line>_<6-digit build>, the
 * pattern 4D's VS Code extension reads (apiManager.ts requestLabelVersion: /_(([0-9]{2})(\.(x)|R([0-9]+)*)?|main)_([0-9]{6})/).
 */
export function buildInLocation(location: string): string | undefined {
  const file = decodeURIComponent(location.replace(/[?#].*$/, "").split("/").pop() ?? "");
  return /_(([0-9]{2})(\.(x)|R([0-9]+)*)?|main)_([0-9]{6})/.exec(file)?.[6];
}

/** The cache folder of one tool4d build for one host, below <cache>/tool4d. */
export const tool4dFolder = (root: string, release: Tool4dRelease, host: Tool4dHost, build: string = release.build): string => path.join(root, "tool4d", release.version.replace(/ /g, ""), build, host.label);

/** A name for messages: "tool4d 21 R2 (build latest, linux)". */
export const tool4dName = (release: Tool4dRelease, host: Tool4dHost): string => `tool4d ${release.version} (build ${release.build}, ${host.label})`;
