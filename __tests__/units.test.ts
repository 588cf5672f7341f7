import { codeFrame, formatDiagnostics, type Diagnostic } from "../src/messages/diagnostics.js";
import { atLeast, compareFourD, isRRelease, parseFourDVersion } from "../src/four-d/version.js";
import { classifyLicenseName } from "../src/four-d/license-names.js";
import { Redactor } from "../src/messages/redactor.js";
import { closest, editDistance } from "../src/messages/text.js";

describe("4D versions", () => {
  test.each([
    ["20", { major: 20, release: 0 }],
    ["20.3", { major: 20, release: 0 }],
    ["20 R8", { major: 20, release: 8 }],
    ["20 R10", { major: 20, release: 10 }],
    ["21 R2", { major: 21, release: 2 }],
  ])("%s parses", (text, expected) => {
    expect(parseFourDVersion(text)).toEqual({ text, ...expected });
  });

  test.each(["v20", "20R8", "20 R", "2", "20.3 R2", ""])("%j is rejected", (text) => {
    expect(parseFourDVersion(text)).toBeUndefined();
  });

  test("features order: 20 = 20.3 < 20 R2 < 20 R10 < 21 < 21 R2", () => {
    const order = ["20", "20 R2", "20 R10", "21", "21 R2"].map((t) => parseFourDVersion(t)!);
    for (let i = 1; i < order.length; i++) expect(compareFourD(order[i - 1]!, order[i]!)).toBeLessThan(0);
    expect(compareFourD(parseFourDVersion("20.3")!, parseFourDVersion("20")!)).toBe(0);
    expect(atLeast(parseFourDVersion("20 R10")!, "20 R9")).toBe(true);
    expect(atLeast(parseFourDVersion("20 R9")!, "20 R10")).toBe(false);
    expect(isRRelease(parseFourDVersion("21 R2")!)).toBe(true);
    expect(isRRelease(parseFourDVersion("21")!)).toBe(false);
  });
});

describe("licence file names", () => {
  test.each([
    ["R-4UUD210UUS001XXXXXXXXXX.license4D", { rRelease: true, product: "4UUD", major: 21 }],
    ["4DDP200UUC001XXXXXXXXXX.license4D", { rRelease: false, product: "4DDP", major: 20 }],
    ["PNUD200XXXX.license4D", { rRelease: false, product: "PNUD", major: 20 }],
    ["4UUD.license4D", { rRelease: false, product: "4UUD" }],
    ["mine.license4D", { rRelease: false }],
  ])("%s", (name, expected) => {
    expect(classifyLicenseName(name)).toEqual(expected);
  });
});

test("did-you-mean finds near misses only", () => {
  expect(editDistance("platfroms", "platforms")).toBe(2);
  expect(closest("platfroms", ["platforms", "runtime"])).toBe("platforms");
  expect(closest("Mecab", ["CEF", "MeCab"])).toBe("MeCab");
  expect(closest("zzzzzz", ["platforms", "runtime"])).toBeUndefined();
});

test("the redactor masks every secret, longest first", () => {
  const redactor = new Redactor();
  redactor.add("abc");
  redactor.add("abcdef");
  redactor.add("");
  expect(redactor.redact("x abcdef y abc z")).toBe("x *** y *** z");
  expect(redactor.size).toBe(2);
});

describe("diagnostic output", () => {
  const d: Diagnostic = { severity: "error", code: "c", message: "bad, really: 100%\nsecond", file: "a,b:c.yml", line: 2, column: 3, endLine: 2, endColumn: 6, hint: "do x" };

  test("a code frame shows context and underlines the range", () => {
    expect(codeFrame("one\ntwo words\nthree\n", d)).toBe("  1 | one\n> 2 | two words\n    |   ^^^");
  });

  test("github annotations escape properties and data as the runner expects", () => {
    expect(formatDiagnostics([d], { format: "github" })).toBe(
      "::error file=a%2Cb%3Ac.yml,line=2,col=3,endLine=2,endColumn=6,title=4dbuild c::bad, really: 100%25%0Asecond%0Ado x\n",
    );
  });

  test("json output sorts by position and says whether the input is valid", () => {
    const warning: Diagnostic = { severity: "warning", code: "w", message: "w", file: "a,b:c.yml", line: 1, column: 1 };
    const out = JSON.parse(formatDiagnostics([d, warning], { format: "json" })) as { valid: boolean; diagnostics: Diagnostic[] };
    expect(out.valid).toBe(false);
    expect(out.diagnostics.map((x) => x.code)).toEqual(["w", "c"]);
  });
});
