import path from "node:path";
import { parseFourDVersion, type FourDVersion } from "../../four-d/version.js";
import { ExitCode, BuildError, UsageError } from "../../messages/errors.js";
import { cacheRoot } from "../../toolchain/cache.js";
import { BUILD_FORMAT } from "../../toolchain/tool4d-release.js";
import { cachedTool4d, installTool4d, listTool4d, tool4dTarget } from "../../toolchain/tool4d-install.js";
import type { CliIO } from "../io.js";
import { requirePlan } from "../manifest-input.js";

export interface Tool4dCommandOptions {
  "4dVersion"?: string;
  build: string;
}

/** The 4D version: --4d-version, else the manifest's 4dVersion. */
function fourDVersion(io: CliIO, manifest: string | undefined, options: Tool4dCommandOptions): FourDVersion {
  const given = options["4dVersion"];
  if (given !== undefined) {
    const parsed = parseFourDVersion(given);
    if (!parsed) throw new UsageError(`--4d-version "${given}" is not a 4D version`, 'write it as 4D names it: "21", "21.1", "21 R2"');
    return parsed;
  }
  return requirePlan(io, manifest ?? "4dbuild.yml", { checkFiles: false }).plan.fourD;
}

function build(options: Tool4dCommandOptions): string {
  if (!BUILD_FORMAT.test(options.build)) throw new UsageError(`--build "${options.build}" is not a build`, "give a build number (e.g. 100341) or latest");
  return options.build;
}

/** Downloads the tool4d of a 4D version for this machine into the cache (unless it is there) and prints its executable. */
export async function tool4dInstallCommand(io: CliIO, manifest: string | undefined, options: Tool4dCommandOptions): Promise<number> {
  const version = fourDVersion(io, manifest, options);
  const found = await installTool4d(version, build(options), { env: io.env, log: (message) => io.stderr.write(`${message}\n`) });
  io.stderr.write(`tool4d ${version.text} build ${found.build}: ${found.from === "cache" ? "already in the cache" : "installed"}\n`);
  io.stdout.write(`${found.executable}\n`);
  return ExitCode.ok;
}

/** Prints the executable of a cached tool4d, without any request; exit 1 when it is not in the cache. */
export function tool4dPathCommand(io: CliIO, manifest: string | undefined, options: Tool4dCommandOptions): number {
  const version = fourDVersion(io, manifest, options);
  const target = tool4dTarget(version, build(options), { env: io.env });
  const cached = cachedTool4d(target, io.env, { anyAge: true });
  if (!cached) throw new BuildError(`${target.name} is not in the cache (${target.root})`, `download it with 4dbuild tool4d install${options["4dVersion"] ? ` --4d-version "${version.text}"` : ""}${options.build !== "latest" ? ` --build ${options.build}` : ""}`);
  io.stdout.write(`${cached.executable}\n`);
  return ExitCode.ok;
}

/** Lists the tool4d builds in the cache. */
export function tool4dListCommand(io: CliIO): number {
  const found = listTool4d(io.env);
  if (found.length === 0) {
    io.stderr.write(`no tool4d in the cache (${path.join(cacheRoot(io.env), "tool4d")})\n`);
    return ExitCode.ok;
  }
  const rows = [["VERSION", "BUILD", "HOST", "EXECUTABLE"], ...found.map((t) => [t.version, t.build, t.host, t.executable ?? `(incomplete: ${t.folder})`])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  io.stdout.write(rows.map((r) => `${r.slice(0, 3).map((c, i) => c.padEnd(widths[i]!)).join("  ")}  ${r[3]}\n`).join(""));
  return ExitCode.ok;
}
