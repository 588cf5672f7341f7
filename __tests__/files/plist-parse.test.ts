import { readdirSync } from "node:fs";
import path from "node:path";
import { jest } from "@jest/globals";
import { parse } from "plist";
import { parsePlist } from "../../src/files/plist-parse.js";
import { readXmlFile } from "../../src/files/xml-text.js";
import { ROOT } from "../helpers.js";

/** Every property list in the repository's examples and fixtures. */
function repositoryPlists(): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.isSymbolicLink()) visit(file);
      else if (entry.isFile() && entry.name.endsWith(".plist")) found.push(file);
    }
  };
  visit(path.join(ROOT, "examples"));
  visit(path.join(ROOT, "__tests__", "fixtures"));
  return found;
}

const EDGES: Record<string, string> = {
  "every value type": `<?xml version="1.0"?><!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist version="1.0"><dict><key>a</key><string> x &amp; &lt;y&gt; &#233; &#x41; </string><key>b</key><integer>42</integer><key>c</key><real>1.5</real><key>d</key><data>
  aGVs
  bG8=
  </data><key>e</key><date>2020-01-01T00:00:00Z</date><key>f</key><true/><key>g</key><false/><key>h</key><array><string>1</string><null/><dict/><array/><string/></array><key>i</key><string><![CDATA[<raw>]]></string><key>j</key><string>line1
line2</string><!-- a comment --><key>k</key></dict></plist>`,
  "several values under plist": `<plist><string>a</string><integer>1</integer></plist>`,
  "an empty plist": `<plist></plist>`,
  "a null value in a dictionary": `<plist><dict><key>n</key><null/></dict></plist>`,
};
const canonical = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (item instanceof Uint8Array ? { bytes: Buffer.from(item).toString("hex") } : item));

describe("property lists read without xmldom give what the plist package gives", () => {
  test.each(Object.entries(EDGES))("%s", (_name, xml) => {
    expect(canonical(parsePlist(xml))).toBe(canonical(parse(xml)));
  });

  test("an HTML entity is not an XML one: left as written, as xmldom leaves it", () => {
    const xml = `<plist><dict><key>a</key><string>x&nbsp;y &copy; &apos;&quot;</string></dict></plist>`;
    const quiet = jest.spyOn(console, "error").mockImplementation(() => undefined); // xmldom reports the unknown entity
    try {
      expect(parsePlist(xml)).toEqual({ a: "x&nbsp;y &copy; '\"" });
      expect(canonical(parsePlist(xml))).toBe(canonical(parse(xml)));
    } finally {
      quiet.mockRestore();
    }
  });

  test("every Info.plist of the examples and fixtures", () => {
    const files = repositoryPlists();
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect([file, canonical(parsePlist(readXmlFile(file)))]).toEqual([file, canonical(parse(readXmlFile(file)))]);
  });

  test.each([
    ["not a plist", "<dict/>", "First element should be <plist>"],
    ["a value without its key", "<plist><dict><string>a</string></dict></plist>", "Missing key"],
    ["two keys in a row", "<plist><dict><key>a</key><key>b</key></dict></plist>", "Keys and values must alternate"],
    ["an unknown element", "<plist><text>a</text></plist>", "Invalid PLIST tag text"],
    ["an empty integer", "<plist><integer/></plist>", "Cannot parse"],
    ["a __proto__ key", "<plist><dict><key>__proto__</key><string>a</string></dict></plist>", "prototype pollution"],
  ])("%s is refused", (_name, xml, message) => {
    expect(() => parse(xml)).toThrow();
    expect(() => parsePlist(xml)).toThrow(message);
  });
});
