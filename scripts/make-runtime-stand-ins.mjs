// Writes examples/runtimes/: stand-ins for 4D Volume Desktop and 4D Server on macOS and Windows, shaped like
// the real ones (build-outputs.md §4–§13) so that 4dbuild can assemble applications on any machine. They are
// not 4D. The executables are real but empty: a universal Mach-O (x86_64 + arm64, one LC_UUID each) and a PE
// with version resources, so that the UUID rewrite and the version resources can be checked.
// No Components folder: real runtimes hold no 4D component; 4D's builder copies them from the building 4D's own
// Components folder (up to 20.x) or from the project's dependencies (21), see src/builder/embedded-components.ts.
// Deterministic: run `node scripts/make-runtime-stand-ins.mjs` again and nothing changes.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build as buildPlist } from "plist";
import * as PE from "pe-library";
import * as ResEdit from "resedit";

const ROOT = "examples/runtimes";
// Version keys as 4dbuild reads them (src/four-d/app-version.ts): CFBundleShortVersionString the 4D version,
// CFBundleVersion with the build number of 4D 21.0 as 4D publishes it ("21.0.100301",
// 4d/homebrew-tap@df1666e7a3bd4342abfee2ae0189d223b4de05f4:Casks/tool4d.rb), the same as the stand-in tool4d
// (__tests__/fixtures/tool4d/Resources/Info.plist). A PE's fixed version holds 16-bit parts: the build number
// is only in its version strings.
const VERSION = { short: "21.0", build: "21.0.100301", parts: [21, 0, 0, 0] };
const NOTE = "STAND-IN: not part of 4D. Shaped like the real runtime for 4dbuild's example and tests.\n";

function write(file, data, mode = 0o644) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data, { mode });
}

/** A thin 64-bit Mach-O holding one load command: LC_UUID. */
function machO(cpuType, uuidHex) {
  const header = Buffer.alloc(32 + 24);
  header.writeUInt32LE(0xfeedfacf, 0); // MH_MAGIC_64
  header.writeInt32LE(cpuType, 4);
  header.writeInt32LE(cpuType === 0x01000007 ? 3 : 0, 8); // CPU_SUBTYPE_X86_64_ALL / ARM64_ALL
  header.writeUInt32LE(2, 12); // MH_EXECUTE
  header.writeUInt32LE(1, 16); // one load command
  header.writeUInt32LE(24, 20); // its size
  header.writeUInt32LE(0x1b, 32); // LC_UUID
  header.writeUInt32LE(24, 36);
  Buffer.from(uuidHex, "hex").copy(header, 40);
  return header;
}

/** A universal binary (fat header, big-endian) with an x86_64 and an arm64 slice, each 4 KB aligned. */
function universal(seed) {
  const slices = [machO(0x01000007, `${seed.padEnd(30, "0")}01`), machO(0x0100000c, `${seed.padEnd(30, "0")}02`)];
  const fat = Buffer.alloc(8 + 20 * slices.length);
  fat.writeUInt32BE(0xcafebabe, 0);
  fat.writeUInt32BE(slices.length, 4);
  let offset = 4096;
  slices.forEach((slice, i) => {
    const entry = 8 + 20 * i;
    fat.writeInt32BE(i === 0 ? 0x01000007 : 0x0100000c, entry);
    fat.writeInt32BE(i === 0 ? 3 : 0, entry + 4);
    fat.writeUInt32BE(offset, entry + 8);
    fat.writeUInt32BE(slice.length, entry + 12);
    fat.writeUInt32BE(12, entry + 16); // 2^12 alignment
    offset += 4096;
  });
  const body = Buffer.alloc(offset);
  fat.copy(body, 0);
  slices.forEach((slice, i) => slice.copy(body, 4096 * (i + 1)));
  return body;
}

/** An empty 64-bit Windows executable with 4D-like version resources. */
function windowsExe(product) {
  const exe = PE.NtExecutable.createEmpty(false, false);
  const resources = ResEdit.NtExecutableResource.from(exe);
  const info = ResEdit.Resource.VersionInfo.createEmpty();
  info.setFileVersion(...VERSION.parts, 1033);
  info.setProductVersion(...VERSION.parts, 1033);
  info.setStringValues({ lang: 1033, codepage: 1200 }, { CompanyName: "4D SAS", FileDescription: product, FileVersion: VERSION.build, InternalName: product, LegalCopyright: "STAND-IN", OriginalFilename: `${product}.exe`, ProductName: product, ProductVersion: VERSION.build });
  info.outputToResourceEntries(resources.entries);
  resources.outputResource(exe);
  return Buffer.from(exe.generate());
}

const plist = (keys) => buildPlist(keys);
const infoPlistStrings = (product) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`/* Localized versions of Info.plist keys (STAND-IN) */\n\nCFBundleGetInfoString = "${product} ${VERSION.short}, © 4D SAS";\nNSHumanReadableCopyright = "© 4D SAS";\n`, "utf16le")]);

function macRuntime(product, seed) {
  const contents = path.join(ROOT, "mac", `${product}.app`, "Contents");
  write(path.join(contents, "Info.plist"), plist({ CFBundleExecutable: product, CFBundleIdentifier: `com.4d.${product.toLowerCase().replace(/ /g, "-")}`, CFBundleName: product, CFBundlePackageType: "APPL", CFBundleShortVersionString: VERSION.short, CFBundleVersion: VERSION.build, CFBundleIconFile: `${product}.icns` }));
  write(path.join(contents, "MacOS", product), universal(seed), 0o755);
  write(path.join(contents, "Resources", `${product}.rsrc`), NOTE);
  write(path.join(contents, "Resources", `${product}.icns`), NOTE);
  write(path.join(contents, "Resources", "Images", "WindowIcons", "windowIcon_205.icns"), NOTE);
  for (const lang of ["en", "fr"]) write(path.join(contents, "Resources", `${lang}.lproj`, "InfoPlist.strings"), infoPlistStrings(product));
  // Helper programs are Mach-O too, so that the signing plan finds them as it would in a real runtime.
  write(path.join(contents, "Resources", "Updater", "Updater"), universal(`${seed}a`), 0o755);
  write(path.join(contents, "Resources", "Spellcheck", "en_US.dic"), NOTE);
  write(path.join(contents, "Resources", "php", "php-fcgi-4d"), universal(`${seed}b`), 0o755);
  write(path.join(contents, "Native Components", "WebViewerCEF.bundle", "Contents", "Frameworks", "Chromium Embedded Framework.framework", "Chromium Embedded Framework"), NOTE, 0o755);
  // Frameworks use symbolic links, as real ones do (Versions/Current, top-level aliases).
  const framework = path.join(contents, "Frameworks", "4DZip.framework");
  write(path.join(framework, "Versions", "A", "4DZip"), NOTE, 0o755);
  symlinkSync("A", path.join(framework, "Versions", "Current"));
  symlinkSync("Versions/Current/4DZip", path.join(framework, "4DZip"));
  symlinkSync("../Native Components/WebViewerCEF.bundle/Contents/Frameworks/Chromium Embedded Framework.framework", path.join(contents, "Frameworks", "Chromium Embedded Framework.framework"));
}

function winRuntime(folder, executable, product) {
  const root = path.join(ROOT, "win", folder);
  write(path.join(root, executable), windowsExe(product));
  const base = executable.replace(/\.(4DE|exe)$/, "");
  write(path.join(root, product === "4D Server" ? path.join("Resources", `${base}.rsr`) : `${base}.rsr`), NOTE);
  write(path.join(root, `${base}.pri`), NOTE);
  write(path.join(root, "Resources", "Info.plist"), plist({ CFBundleShortVersionString: VERSION.short, CFBundleVersion: VERSION.build }));
  write(path.join(root, "Resources", "Updater", "Updater.exe"), windowsExe("Updater"));
  write(path.join(root, "Resources", "Updater", "elevated.manifest"), '<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0"><trustInfo><security><requestedPrivileges><requestedExecutionLevel level="requireAdministrator"/></requestedPrivileges></security></trustInfo></assembly>\n');
  write(path.join(root, "Resources", "Updater", "normal.manifest"), '<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0"><trustInfo><security><requestedPrivileges><requestedExecutionLevel level="asInvoker"/></requestedPrivileges></security></trustInfo></assembly>\n');
  write(path.join(root, "Resources", "Spellcheck", "en_US.dic"), NOTE);
  // Every .exe and .dll is a real (tiny) PE, so that Authenticode tools accept them as they would the real ones.
  write(path.join(root, "Resources", "php", "php-cgi.exe"), windowsExe("php-cgi"));
  write(path.join(root, "Native Components", "WebViewerCEF.bundle", "libcef.dll"), windowsExe("libcef"));
  write(path.join(root, "libeay32.dll"), windowsExe("libeay32"));
}

rmSync(path.join(ROOT, "mac"), { recursive: true, force: true });
rmSync(path.join(ROOT, "win"), { recursive: true, force: true });
macRuntime("4D Volume Desktop", "d0");
macRuntime("4D Server", "5e");
winRuntime("4D Volume Desktop", "4D Volume Desktop.4DE", "4D Volume Desktop");
winRuntime("4D Server", "4D Server.exe", "4D Server");
