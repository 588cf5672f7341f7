import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { parse as parseYaml } from "yaml";
import { emptySettings, parseSettings, readSettingsFile, serializeSettings } from "../src/generator/settings-xml.js";
import { exampleCopy, runCli } from "./helpers.js";

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "4dbuild-settings-"));
  temporary.push(dir);
  return dir;
};

/** Element texts of an XML file read by Python's xml.etree (a standard parser, not ours): "A/B/C" → text. */
function pythonTexts(file: string): Record<string, string> {
  const script = [
    "import json, sys, xml.etree.ElementTree as ET",
    "root = ET.parse(sys.argv[1]).getroot()",
    "out = {}",
    "def walk(node, prefix):",
    "    for child in node:",
    "        name = child.tag.split('}')[-1]",
    "        key = prefix + '/' + name if prefix else name",
    "        if len(child): walk(child, key)",
    "        else: out[key] = child.text or ''",
    "walk(root, '')",
    "sys.stdout.write(json.dumps(out))",
  ].join("\n");
  return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" })) as Record<string, string>;
}

/** Values XML text must carry exactly: markup characters, quotes, spaces at either end, CR, LF, CR LF, tabs. */
const TRICKY: Record<string, string> = {
  BuildApplicationName: "Tom & Jerry's <App> \"2\"",
  "Versioning/Common/CommonCopyright": "  © 2026 A & B > C  ",
  "Versioning/Common/CommonComment": "line 1\r\nline 2\rline 3\nend",
  "Versioning/Common/CommonCompanyName": " \t&amp; is not an entity here, nor &#13; or &lt; ",
  "Versioning/Server/ServerFileDescription": "]]> and <![CDATA[ x ]]>",
  "Versioning/Client/ClientFileDescription": " ",
};
const ITEMS = [" 4D SVG ", "a&b", "<c>", "'\"", "\r"];

describe("serialized settings keep every value exactly and are well-formed XML", () => {
  const document = emptySettings();
  for (const [key, value] of Object.entries(TRICKY)) document.values.set(key, value);
  document.values.set("ArrayExcludedComponentName", ITEMS);
  const text = serializeSettings(document);
  const file = path.join(tempDir(), "buildApp.4DSettings");
  writeFileSync(file, text);

  test("markup characters are escaped, so the file is well-formed (fast-xml-parser's validator and Python's parser)", () => {
    expect(text).toContain("<BuildApplicationName>Tom &amp; Jerry's &lt;App&gt; \"2\"</BuildApplicationName>");
    expect(XMLValidator.validate(text)).toBe(true);
    expect(() => pythonTexts(file)).not.toThrow();
  });

  test("a standard XML parser reads back every value, CR included", () => {
    const texts = pythonTexts(file);
    for (const [key, value] of Object.entries(TRICKY)) expect({ key, value: texts[`BuildApp/${key}`] }).toEqual({ key, value });
    expect(ITEMS.map((_, i) => texts[`BuildApp/ArrayExcludedComponentName/Item${i + 1}`])).toEqual(ITEMS);
  });

  test("parseSettings reads back every value, byte for byte, from the file as written", () => {
    const { settings, diagnostics } = parseSettings(readSettingsFile(file).text, "buildApp.4DSettings");
    expect(diagnostics).toEqual([]);
    expect(Object.fromEntries(settings.values)).toEqual({ ...TRICKY, ArrayExcludedComponentName: ITEMS });
    expect(serializeSettings(settings)).toBe(text);
  });
});

describe("4dbuild generate, then 4dbuild import, gives the manifest's texts back", () => {
  const copy = exampleCopy();
  temporary.push(copy.root);
  const values = { copyright: "  © 2026 Tom & Jerry <tj@example.com>  ", comment: "it's \"quoted\"\r\nand on two lines\r", companyName: "\tA&B " };
  const manifest = readFileSync(copy.manifest, "utf8").replace(
    "    copyright: © 2026 Example Ltd\n    companyName: Example Ltd\n",
    `    copyright: ${JSON.stringify(values.copyright)}\n    companyName: ${JSON.stringify(values.companyName)}\n    comment: ${JSON.stringify(values.comment)}\n`,
  );
  writeFileSync(copy.manifest, manifest);
  const settingsFile = path.join(copy.root, "buildApp.4DSettings");

  test("generate writes them escaped, and a standard XML parser reads them back exactly", async () => {
    expect(manifest).toContain(JSON.stringify(values.comment));
    const run = await runCli(["generate", copy.manifest, "--host", "mac", "-o", settingsFile]);
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    const texts = pythonTexts(settingsFile);
    expect([texts["BuildApp/Versioning/Common/CommonCopyright"], texts["BuildApp/Versioning/Common/CommonComment"], texts["BuildApp/Versioning/Common/CommonCompanyName"]]).toEqual([values.copyright, values.comment, values.companyName]);
  });

  test("import reads them back into the manifest unchanged: no trimming, no lost CR", async () => {
    const run = await runCli(["import", settingsFile, "-o", "-", "--host", "mac", "--4d-version", "21"], { cwd: path.dirname(copy.manifest) });
    expect(run.code).toBe(0);
    const imported = parseYaml(run.stdout) as { versioning: { common: Record<string, string> } };
    expect(imported.versioning.common).toEqual(expect.objectContaining(values));
  });
});

test("import keeps spaces at either end of an element's text (the parser does not trim)", async () => {
  const dir = tempDir();
  writeFileSync(
    path.join(dir, "spaces.4DSettings"),
    [
      '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>',
      "<Preferences4D>",
      "  <BuildApp>",
      "    <BuildApplicationName>  Spaced Name  </BuildApplicationName>",
      "    <BuildMacDestFolder>::Build:</BuildMacDestFolder>",
      "    <Versioning>",
      "      <Common>",
      "        <CommonCopyright> (c) 2026 </CommonCopyright>",
      "        <CommonComment>\ttabbed\t</CommonComment>",
      "      </Common>",
      "    </Versioning>",
      "  </BuildApp>",
      "</Preferences4D>",
      "",
    ].join("\n"),
  );
  const parsed = parseSettings(readFileSync(path.join(dir, "spaces.4DSettings"), "utf8"), "spaces.4DSettings").settings;
  expect([parsed.values.get("BuildApplicationName"), parsed.values.get("Versioning/Common/CommonCopyright"), parsed.values.get("Versioning/Common/CommonComment")]).toEqual(["  Spaced Name  ", " (c) 2026 ", "\ttabbed\t"]);
  const run = await runCli(["import", "spaces.4DSettings", "-o", "-", "--4d-version", "21"], { cwd: dir });
  expect(run.code).toBe(0);
  const imported = parseYaml(run.stdout) as { name: string; versioning: { common: Record<string, string> } };
  expect(imported.name).toBe("  Spaced Name  ");
  expect(imported.versioning.common).toEqual(expect.objectContaining({ copyright: " (c) 2026 ", comment: "\ttabbed\t" }));
});

describe("warnings about a settings file point at the element in question", () => {
  // Line 12: an array whose ItemsCount is wrong (indented by 4: column 5). Line 16, column 34: a key given twice.
  const lines = [
    '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>',
    "<Preferences4D>",
    "  <BuildApp>",
    "    <BuildApplicationName>Located</BuildApplicationName>",
    "    <BuildMacDestFolder>::Build:</BuildMacDestFolder>",
    "    <BuildCompiled>True</BuildCompiled>",
    "    <ArrayExcludedModuleName>",
    "      <ItemsCount>1</ItemsCount>",
    "      <Item1>CEF</Item1>",
    "    </ArrayExcludedModuleName>",
    "    <!-- the next array says 3 items and has 2 -->",
    "    <ArrayExcludedComponentName>",
    "      <ItemsCount>3</ItemsCount>",
    "      <Item1>4D SVG</Item1>",
    "      <Item2>4D Progress</Item2>",
    "    </ArrayExcludedComponentName><BuildCompiled>False</BuildCompiled>",
    "  </BuildApp>",
    "</Preferences4D>",
    "",
  ];
  const text = lines.join("\n");
  expect(lines[11]).toContain("<ArrayExcludedComponentName>");

  test("parseSettings gives the line and column of the element, not line 1", () => {
    const { diagnostics } = parseSettings(text, "located.4DSettings");
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: "warning", line: 12, column: 5, message: "ArrayExcludedComponentName declares ItemsCount 3 but has 2 item(s)" }),
      expect.objectContaining({ severity: "warning", line: 16, column: 34, message: "BuildCompiled appears twice; the first value is kept" }),
    ]);
  });

  test("4dbuild import shows them located, with the line quoted", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "located.4DSettings"), text);
    const run = await runCli(["import", "located.4DSettings", "-o", "-", "--4d-version", "21"], { cwd: dir, env: { NO_COLOR: "1" } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("located.4DSettings:12:5: warning: ArrayExcludedComponentName declares ItemsCount 3 but has 2 item(s)");
    expect(run.stderr).toContain("located.4DSettings:16:34: warning: BuildCompiled appears twice; the first value is kept");
    expect(run.stderr).toContain(lines[11]);
    expect(run.stderr).not.toMatch(/located\.4DSettings:1:\d+: warning/);
  });

  test("CR line ends count lines the same way", () => {
    const { diagnostics } = parseSettings(text.replace(/\n/g, "\r"), "cr.4DSettings");
    expect(diagnostics.map((d) => [d.line, d.column])).toEqual([
      [12, 5],
      [16, 34],
    ]);
  });
});

test("character references are decoded and CDATA sections taken as they are", () => {
  const text = [
    "<Preferences4D><BuildApp>",
    "<BuildApplicationName>Caf&#233; &#x263A; &amp;#233;</BuildApplicationName>",
    "<Versioning><Common><CommonComment><![CDATA[a & <b> &amp; &#13;]]> and &lt;c&gt;</CommonComment></Common></Versioning>",
    "</BuildApp></Preferences4D>",
  ].join("\n");
  const { settings } = parseSettings(text, "refs.4DSettings");
  expect(settings.values.get("BuildApplicationName")).toBe("Café ☺ &#233;");
  expect(settings.values.get("Versioning/Common/CommonComment")).toBe("a & <b> &amp; &#13; and <c>");
});
