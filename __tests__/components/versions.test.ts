import { pinnedTag, selectTag, versionRule } from "../../src/four-d/dependency-versions.js";
import { parseFourDVersion } from "../../src/four-d/version.js";

const TAGS = ["v0.9.0", "1.0.0", "1.2.0", "1.2.3", "1.2.9", "1.3.0", "2.0.0", "2.1.0", "20.2", "20.4.1", "20R8", "20R8.2", "20R9", "21.0", "21R2", "beta2"];
const fourD = (text: string) => parseFourDVersion(text)!;
const pick = (version: string, at = "21") => selectTag(versionRule({ version }), TAGS, fourD(at));

test("ranges as components.md writes them (Tags and versions)", () => {
  expect(pick("*")).toBe("21R2");
  expect(pick("1.*")).toBe("1.3.0");
  expect(pick("1.2.*")).toBe("1.2.9");
  expect(pick(">=1.2.3 <2")).toBe("1.3.0");
  expect(pick(">1.2.3 <=1.2.9")).toBe("1.2.9");
  expect(pick("^1.2.3")).toBe("1.3.0");
  expect(pick("~1.2.3")).toBe("1.2.9");
  expect(pick("<=1.2.3")).toBe("1.2.3");
  expect(pick("1.0.0 - 1.2.3")).toBe("1.2.3");
  expect(pick("<1.0.0 || >=2 <3")).toBe("2.1.0");
  expect(pick("1.2.3")).toBe("1.2.3");
  expect(pick("20R8.*")).toBe("20R8.2");
  expect(pick("3.*")).toBeUndefined();
  expect(pick("not a range")).toBeUndefined();
});

test("following the 4D version: x.* for an LTS, or below it; below xR(y+1) for an R release", () => {
  expect(pick("4d", "20")).toBe("20.4.1");
  expect(pick("4d", "20 R8")).toBe("20R8.2");
  expect(pick("4d", "21 R2")).toBe("21R2");
  expect(pick("4d", "19")).toBe("2.1.0");
});

test("a tag is taken as written; tags and exact versions are pinned (no request needed once cached)", () => {
  expect(selectTag(versionRule({ tag: "beta2" }), TAGS, fourD("21"))).toBe("beta2");
  expect(pinnedTag(versionRule({ tag: "beta2" }))).toBe("beta2");
  expect(pinnedTag(versionRule({ version: "1.2.3" }))).toBe("1.2.3");
  expect(pinnedTag(versionRule({ version: "^1.2.3" }))).toBeUndefined();
  expect(versionRule({})).toEqual({ kind: "latest" });
  expect(versionRule({ version: "4d" })).toEqual({ kind: "follow4D" });
});
