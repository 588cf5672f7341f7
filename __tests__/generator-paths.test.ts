import path from "node:path";
import { fromFourDPath, pathFlavor, PathSyntaxError, toFourDPath, type FourDPathContext } from "../src/generator/paths.js";

const context: FourDPathContext = { manifestDir: "/repo/app", packageDir: "/repo/app", macVolume: "Macintosh HD" };

describe("manifest path → 4D path", () => {
  test.each([
    ["../Build", "mac", true, "::Build:"],
    ["Build", "mac", true, ":Build:"],
    ["../../Desktop/My App.4dd", "mac", false, ":::Desktop:My App.4dd"],
    ["Resources/app.icns", "mac", false, ":Resources:app.icns"],
    ["/Applications/4D v21/4D Volume Desktop.app", "mac", true, "Macintosh HD:Applications:4D v21:4D Volume Desktop.app:"],
    ["/Volumes/Radni/4d/VL/", "mac", true, "Radni:4d:VL:"],
    ["Radni:4d:VL", "mac", true, "Radni:4d:VL:"],
    ["../InitialBetaRelease", "win", true, "..\\InitialBetaRelease\\"],
    ["Resources/app.ico", "win", false, "\\Resources\\app.ico"],
    ["C:\\Program Files\\4D\\4D v21\\4D Volume Desktop", "win", true, "C:\\Program Files\\4D\\4D v21\\4D Volume Desktop\\"],
    ["C:/ProgramData/4D/Licenses/x.license4D", "win", false, "C:\\ProgramData\\4D\\Licenses\\x.license4D"],
    ["\\\\server\\share\\Final\\", "win", true, "\\\\server\\share\\Final\\"],
  ] as const)("%s as %s", (value, syntax, folder, expected) => {
    expect(toFourDPath(value, syntax, folder, context)).toBe(expected);
  });

  test("a manifest outside the package: paths still start at the package", () => {
    const nested = { ...context, manifestDir: "/repo", packageDir: "/repo/app" };
    expect(toFourDPath("app/Hello.icns", "mac", false, nested)).toBe(":Hello.icns");
    expect(toFourDPath("build", "win", true, nested)).toBe("..\\build\\");
  });

  test("a path of the other system is refused with a clear message", () => {
    expect(() => toFourDPath("C:\\4D", "mac", true, context)).toThrow(PathSyntaxError);
    expect(() => toFourDPath("/Applications/4D", "win", true, context)).toThrow('"/Applications/4D" is a POSIX path (/…); this key is read by 4D on Windows and needs a Windows path');
    expect(() => toFourDPath("/opt/4d/4D Volume Desktop", "win", true, context)).toThrow('"/opt/4d/4D Volume Desktop" is a POSIX path (/…)');
    expect(() => toFourDPath("Macintosh HD:Applications:4D:", "win", true, context)).toThrow('"Macintosh HD:Applications:4D:" is an HFS path (Volume:folder:…); this key is read by 4D on Windows');
    expect(() => toFourDPath("C:\\4D\\4D Volume Desktop", "mac", true, context)).toThrow('"C:\\4D\\4D Volume Desktop" is a Windows path (C:\\… or \\\\server\\…); this key is read by 4D on macOS and needs a macOS path');
  });
});

describe("4D path → manifest path", () => {
  test.each([
    ["::Build:", "mac", { relative: "../Build" }],
    [":Build:", "mac", { relative: "Build" }],
    [":::Desktop:Vin sur Vin.4dd", "mac", { relative: "../../Desktop/Vin sur Vin.4dd" }],
    ["Macintosh HD:Applications:4D 20.3:4D Volume Desktop.app:", "mac", { machine: "/Applications/4D 20.3/4D Volume Desktop.app" }],
    ["Radni:madamov:Library:x.license4D", "mac", { machine: "/Volumes/Radni/madamov/Library/x.license4D" }],
    ["..\\InitialBetaRelease\\", "win", { relative: "../InitialBetaRelease" }],
    ["\\Resources\\app.ico", "win", { relative: "Resources/app.ico" }],
    [".\\Resources\\app.ico", "win", { relative: "Resources/app.ico" }],
    ["C:\\Program Files\\4D\\4D v19 R8\\4D Volume Desktop\\", "win", { machine: "C:\\Program Files\\4D\\4D v19 R8\\4D Volume Desktop" }],
  ] as const)("%s", (text, syntax, expected) => {
    expect(fromFourDPath(text, syntax, context)).toEqual(expected);
  });

  test("reading then writing gives the same 4D path", () => {
    for (const [text, syntax, folder] of [
      ["::appBuilder_Build:", "mac", true],
      ["Radni:no_time_machine_backup:4d_binaries:4D Volume Desktop 20.3:", "mac", true],
      ["..\\..\\Out\\", "win", true],
    ] as const) {
      const read = fromFourDPath(text, syntax, context);
      const value = "relative" in read ? read.relative : read.machine;
      expect(toFourDPath(value, syntax, folder, context)).toBe(text);
    }
  });
});

test("flavours", () => {
  expect([pathFlavor("C:\\x"), pathFlavor("\\\\s\\x"), pathFlavor("/x"), pathFlavor("Macintosh HD:x"), pathFlavor("a/b"), pathFlavor("../b")]).toEqual(["windows", "windows", "posix", "hfs", "relative", "relative"]);
  expect(path.isAbsolute("/x")).toBe(true);
});
