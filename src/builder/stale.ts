import { existsSync } from "node:fs";
import path from "node:path";
import { readBuildReport, REPORT_FILE } from "../release/report.js";
import { staysInside } from "./commit.js";

const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}/`);

/**
 * The outputs an earlier build left in the destination that this build does not make again (`build --target
 * compiled` into a folder holding a full build): its report's targets, signatures and plug-in key files. The
 * commit removes them, so that the destination holds exactly one build, which its SHA256SUMS and report cover.
 * Files no report names are left alone (verify reports them). A report that cannot be read names nothing.
 */
export function staleOutputs(destination: string, outputs: readonly string[]): string[] {
  const file = path.join(destination, REPORT_FILE);
  if (!existsSync(file)) return [];
  let previous: string[];
  try {
    const report = readBuildReport(file);
    previous = [...report.targets.map((t) => t.path), ...report.signatures, ...report.pluginKeys.map((k) => k.file)];
  } catch {
    return [];
  }
  const made = outputs.map((o) => o.split(path.sep).join("/"));
  const stale = new Set<string>();
  for (const old of previous) {
    if (!staysInside(old) || made.some((o) => within(old, o) || within(o, old))) continue;
    if (existsSync(path.join(destination, ...old.split("/")))) stale.add(old);
  }
  // An output inside another stale one goes with it.
  return [...stale].filter((s) => ![...stale].some((other) => other !== s && within(s, other))).sort();
}
