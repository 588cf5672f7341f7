import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "plist";
import { mergeInfoPlist, releaseCopyrightStrings } from "../src/builder/app/bundle-files.js";
import { publicationName } from "../src/builder/app/metadata.js";
import { detectRuntime } from "../src/builder/app/runtime.js";
import { readPlist } from "../src/files/xml-text.js";
import type { ReadonlyBuildPlan } from "../src/manifest/plan.js";
import { cliEnv, exampleCopy, FIXTURES, ROOT, runCli, STACK_TRACE, tempDir } from "./helpers.js";

const BOM = "\uFEFF";
const crlf = (text: string) => text.replace(/\n/g, "\r\n");
/** A project Info.plist as 4D's component repositories have it (4d/4D-SVG: a UTF-8 byte-order mark). */
const PROJECT_PLIST = [
  '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>',
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
  '<plist version="1.0">',
  "  <dict>",
  "    <key>CFBundleIdentifier</key>",
  "    <string>com.example.hello</string>",
  "    <key>com.example.note</key>",
  "    <string>line 1",
  "line 2</string>",
  "  </dict>",
  "</plist>",
  "",
].join("\n");

describe("a component project's Info.plist", () => {
  test.each([
    ["a UTF-8 byte-order mark", `${BOM}${PROJECT_PLIST}`],
    ["CR LF line ends", crlf(PROJECT_PLIST)],
    ["a byte-order mark and CR line ends", `${BOM}${PROJECT_PLIST.replace(/\n/g, "\r")}`],
  ])("with %s: the component builds, its keys merged", async (_name, text) => {
    const copy = exampleCopy();
    writeFileSync(path.join(path.dirname(copy.manifest), "Info.plist"), text);
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "component"], { env: cliEnv() });
    expect(run.stderr).not.toContain("internal error");
    expect(run.code).toBe(0);
    const built = parse(readFileSync(path.join(copy.out, "Components", "Hello.4dbase", "Contents", "Info.plist"), "utf8")) as Record<string, string>;
    expect(built).toMatchObject({ CFBundleIdentifier: "com.example.hello", "com.example.note": "line 1\nline 2", CFBundleName: "Hello" });
  });

  test("one that is not well-formed stops the build at file:line:column, exit 1", async () => {
    const copy = exampleCopy();
    writeFileSync(path.join(path.dirname(copy.manifest), "Info.plist"), `${BOM}${crlf(PROJECT_PLIST.replace("  </dict>\n", ""))}`);
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "component"], { env: cliEnv() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: component-plist \(component\): .*Info\.plist:10:1: not a well-formed property list: Expected closing tag 'dict' \(opened in line 4, col 3\)/);
    expect(run.stderr).toContain("hint: a property list is XML");
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe("every property list and XML file 4dbuild reads accepts byte-order marks and CR line ends", () => {
  test("readPlist: UTF-8 and UTF-16 byte-order marks, CR LF; not a dictionary is located", () => {
    const dir = tempDir("xml");
    const write = (name: string, data: string | Buffer) => {
      writeFileSync(path.join(dir, name), data);
      return path.join(dir, name);
    };
    const expected = { CFBundleIdentifier: "com.example.hello", "com.example.note": "line 1\nline 2" };
    expect(readPlist(write("utf8.plist", `${BOM}${crlf(PROJECT_PLIST)}`))).toEqual(expected);
    expect(readPlist(write("utf16.plist", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf(PROJECT_PLIST.replace("UTF-8", "UTF-16")), "utf16le")])))).toEqual(expected);
    expect(() => readPlist(write("array.plist", "<plist><array/></plist>"), "array.plist")).toThrow("array.plist:1:1: expected a dictionary (<dict>) at the top of the property list");
    expect(() => readPlist(write("empty.plist", ""), "empty.plist")).toThrow(/^empty\.plist:1:1: not a well-formed property list/);
  });

  test("a runtime's Info.plist and an application's Info.plist", async () => {
    const dir = tempDir("xml");
    const runtime = path.join(dir, "4D Volume Desktop.app");
    cpSync(path.join(ROOT, "examples", "runtimes", "mac", "4D Volume Desktop.app"), runtime, { recursive: true, verbatimSymlinks: true });
    const info = path.join(runtime, "Contents", "Info.plist");
    writeFileSync(info, `${BOM}${crlf(readFileSync(info, "utf8"))}`);
    expect(detectRuntime(runtime)).toMatchObject({ platform: "mac", kind: "Volume Desktop" });
    await mergeInfoPlist(info, { CFBundleName: "Hello" });
    expect(parse(readFileSync(info, "utf8"))).toMatchObject({ CFBundleName: "Hello", CFBundleExecutable: "4D Volume Desktop" });
  });

  test("InfoPlist.strings keeps its UTF-8 byte-order mark when the copyright lines are renamed", async () => {
    const resources = path.join(tempDir("xml"), "Resources");
    mkdirSync(path.join(resources, "en.lproj"), { recursive: true });
    const strings = path.join(resources, "en.lproj", "InfoPlist.strings");
    writeFileSync(strings, `${BOM}NSHumanReadableCopyright = "© 4D";\r\n`);
    expect(await releaseCopyrightStrings(resources)).toEqual([strings]);
    expect(readFileSync(strings, "utf8")).toBe(`${BOM}NS4DHumanReadableCopyright = "© 4D";\r\n`);
  });

  test("the publication name in the project's settings.4DSettings", () => {
    const packageDir = tempDir("xml");
    mkdirSync(path.join(packageDir, "Project", "Sources"), { recursive: true });
    const settings = '<?xml version="1.0" encoding="UTF-8"?><preferences stamp="29">\n<com.4d>\n<server><network><options publication_name="Hello Server"/></network></server>\n</com.4d>\n</preferences>\n';
    writeFileSync(path.join(packageDir, "Project", "Sources", "settings.4DSettings"), `${BOM}${crlf(settings)}`);
    expect(publicationName({ packageDir, config: { name: "Hello" } } as unknown as ReadonlyBuildPlan)).toBe("Hello Server");
  });

  test.each([
    ["a UTF-8 byte-order mark and CR LF", (text: string) => Buffer.from(`${BOM}${crlf(text)}`, "utf8")],
    ["UTF-16 with its byte-order mark", (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('encoding="UTF-8"', 'encoding="UTF-16"'), "utf16le")])],
  ])("a buildApp.4DSettings with %s imports as the plain file does", async (_name, encode) => {
    const dir = tempDir("xml");
    const plain = readFileSync(path.join(FIXTURES, "settings", "every-key.mac.4DSettings"), "utf8");
    writeFileSync(path.join(dir, "plain.4DSettings"), plain);
    writeFileSync(path.join(dir, "marked.4DSettings"), encode(plain));
    const expected = await runCli(["import", "plain.4DSettings", "-o", "-", "--host", "mac"], { cwd: dir });
    const run = await runCli(["import", "marked.4DSettings", "-o", "-", "--host", "mac"], { cwd: dir });
    expect(expected.code).toBe(0);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(expected.stdout.replace("from plain.4DSettings", "from marked.4DSettings"));
  });
});
