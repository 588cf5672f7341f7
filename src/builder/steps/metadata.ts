import { appPaths, editExecutable } from "../app/paths.js";
import { appInfoPlistKeys, bundleIdentifier, versionValue } from "../app/metadata.js";
import { applicationTitle } from "../destinations.js";
import { mergeInfoPlist, releaseCopyrightStrings, selectUpdaterManifest } from "../app/bundle-files.js";
import { rewriteUuids } from "../app/macho.js";
import { editWindowsExecutable } from "../app/pe-resources.js";
import type { UnitStep } from "../step.js";
import { isAppUnit, type AppUnit } from "../units.js";

/**
 * What identifies the application: Info.plist keys (both platforms); on macOS the localised copyright lines
 * and the Mach-O UUIDs; on Windows the executable's version resources and the Updater's privileges.
 */
export const metadataStep: UnitStep<AppUnit> = {
  name: "metadata",
  title: "write Info.plist keys or Windows version resources",
  scope: "unit",
  assembly: true,
  appliesTo: isAppUnit,
  async run(context, unit) {
    const { plan } = context;
    const { target, platform } = unit;
    const paths = appPaths(context.out, plan, unit);
    await mergeInfoPlist(paths.infoPlist, appInfoPlistKeys(plan, target, platform));
    if (platform === "mac") {
      if (versionValue(plan, target, "copyright")) await releaseCopyrightStrings(paths.resources);
      await editExecutable(paths.executable, (binary) => {
        rewriteUuids(binary, bundleIdentifier(plan, target));
        return binary;
      });
      return;
    }
    const title = applicationTitle(plan, target);
    const value = (field: Parameters<typeof versionValue>[2]) => versionValue(plan, target, field);
    const version = value("version");
    const strings = {
      ProductName: title,
      OriginalFilename: `${title}.exe`,
      FileVersion: version,
      ProductVersion: version,
      LegalCopyright: value("copyright"),
      CompanyName: value("companyName"),
      FileDescription: value("fileDescription"),
      InternalName: value("internalName"),
      Comments: value("comment"),
      LegalTrademarks: value("legalTrademark"),
      PrivateBuild: value("privateBuild"),
      SpecialBuild: value("specialBuild"),
    };
    await editExecutable(paths.executable, (binary) => editWindowsExecutable(binary, strings));
    await selectUpdaterManifest(paths.root, plan.config.autoUpdate.elevated[target]);
  },
};
