import type { Platform, ReadonlyBuildPlan } from "../manifest/plan.js";

/** Where 4D puts each target inside the destination folder (build-outputs.md §1–5). */
export const LAYOUT = {
  compiledFolder: "Compiled Database",
  componentsFolder: "Components",
  standaloneFolder: "Final Application",
  clientServerFolder: "Client Server executable",
} as const;

export type TargetName = "compiled" | "component" | "standalone" | "server" | "client";
export type AppTarget = "standalone" | "server" | "client";

/**
 * The application's name: folder, package, executable. The server and client patterns are uncertain in the
 * reference ("<Name> Server" vs "<Name>Server"), hence naming.server / naming.client.
 */
export function applicationTitle(plan: Pick<ReadonlyBuildPlan, "name" | "manifest">, target: AppTarget): string {
  if (target === "standalone") return plan.name;
  const pattern = plan.manifest.naming?.[target] ?? (target === "server" ? "{name} Server" : "{name} Client");
  return pattern.replaceAll("{name}", plan.name);
}

/** The main artifact of a target, relative to the destination folder. */
export function artifactPath(target: TargetName, plan: Pick<ReadonlyBuildPlan, "name" | "manifest">, platform: Platform | undefined): string {
  const name = plan.name;
  const app = (folder: string, appName: string) => (platform === "mac" ? `${folder}/${appName}.app` : `${folder}/${appName}`);
  switch (target) {
    case "compiled":
      return `${LAYOUT.compiledFolder}/${name}`;
    case "component":
      return `${LAYOUT.componentsFolder}/${name}.4dbase`;
    case "standalone":
      return app(LAYOUT.standaloneFolder, name);
    case "server":
      return app(LAYOUT.clientServerFolder, applicationTitle(plan, "server"));
    case "client":
      return app(LAYOUT.clientServerFolder, applicationTitle(plan, "client"));
  }
}
