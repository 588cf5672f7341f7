import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as PE from "pe-library";
import * as ResEdit from "resedit";
import { rewriteUuids, uuidOffsets, uuidText } from "../src/builder/app/macho.js";
import { editWindowsExecutable, readWindowsVersion } from "../src/builder/app/pe-resources.js";
import { ROOT, tempDir } from "./helpers.js";

const RUNTIMES = path.join(ROOT, "examples", "runtimes");

describe("Mach-O UUID rewrite", () => {
  const executable = () => readFileSync(path.join(RUNTIMES, "mac/4D Volume Desktop.app/Contents/MacOS/4D Volume Desktop"));

  test("finds the LC_UUID of every slice of a universal binary", () => {
    const binary = executable();
    expect(uuidOffsets(binary).map((o) => uuidText(binary, o))).toEqual(["D0000000000000000000000000000001", "D0000000000000000000000000000002"]);
  });

  test("each slice gets SHA-256(bundle identifier + old UUID), first 32 hex digits, upper case", () => {
    const binary = executable();
    const { before, after } = rewriteUuids(binary, "Example-Ltd.Hello");
    const expected = before.map((old) => createHash("sha256").update(`Example-Ltd.Hello${old}`).digest("hex").slice(0, 32).toUpperCase());
    expect(after).toEqual(expected);
    expect(uuidOffsets(binary).map((o) => uuidText(binary, o))).toEqual(expected);
    expect(new Set(after).size).toBe(2);
    const dir = tempDir("macho");
    writeFileSync(path.join(dir, "Hello"), binary);
    expect(execFileSync("file", [path.join(dir, "Hello")], { encoding: "utf8" })).toContain("Mach-O universal binary with 2 architectures");
  });

  test("another application from the same runtime gets other UUIDs; the same one gets the same", () => {
    const [a, b, c] = [executable(), executable(), executable()];
    expect(rewriteUuids(a, "Example-Ltd.Hello").after).toEqual(rewriteUuids(b, "Example-Ltd.Hello").after);
    expect(rewriteUuids(c, "Example-Ltd.Hello-Server").after).not.toEqual(rewriteUuids(executable(), "Example-Ltd.Hello").after);
  });

  test("a file that is not Mach-O is refused", () => {
    expect(() => uuidOffsets(Buffer.from("#!/bin/sh\necho not mach-o\n"))).toThrow("not a Mach-O executable");
  });
});

describe("Windows version resources and icon", () => {
  const exe = readFileSync(path.join(RUNTIMES, "win/4D Volume Desktop/4D Volume Desktop.4DE"));

  test("the strings read back equal what was written; fixed file version follows", () => {
    const edited = editWindowsExecutable(exe, { ProductName: "Hello", OriginalFilename: "Hello.exe", FileVersion: "1.2.3", ProductVersion: "1.2.3", LegalCopyright: "© 2026 Example Ltd", CompanyName: "Example Ltd", FileDescription: "Hello", Comments: "built by 4dbuild" });
    expect(readWindowsVersion(edited)).toEqual(expect.objectContaining({ InternalName: "4D Volume Desktop", ProductName: "Hello", OriginalFilename: "Hello.exe", FileVersion: "1.2.3", ProductVersion: "1.2.3", LegalCopyright: "© 2026 Example Ltd", CompanyName: "Example Ltd", FileDescription: "Hello", Comments: "built by 4dbuild" }));
    const info = ResEdit.Resource.VersionInfo.fromEntries(ResEdit.NtExecutableResource.from(PE.NtExecutable.from(edited)).entries)[0]!;
    expect(info.fixedInfo.fileVersionMS).toBe((1 << 16) | 2);
    expect(info.fixedInfo.fileVersionLS).toBe(3 << 16);
    expect(exe.equals(readFileSync(path.join(RUNTIMES, "win/4D Volume Desktop/4D Volume Desktop.4DE")))).toBe(true);
  });

  test("the icon group is replaced by the .ico's images", () => {
    const ico = readFileSync(path.join(ROOT, "examples/hello/Hello.ico"));
    const edited = editWindowsExecutable(exe, { ProductName: "Hello", OriginalFilename: "Hello.exe" }, ico);
    const entries = ResEdit.NtExecutableResource.from(PE.NtExecutable.from(edited)).entries;
    const groups = ResEdit.Resource.IconGroupEntry.fromEntries(entries);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.icons).toHaveLength(1);
    expect(groups[0]!.icons[0]!.width).toBe(32);
  });
});
