import path from "node:path";
import { commentMarker } from "../../src/actions/pr-comment.js";
import { parseRuntimes } from "../../src/actions/provision.js";

const WORKSPACE = path.resolve("/work/space");
const DIGEST = "ab".repeat(32);

test("runtimes: a path is resolved against the workspace, a download keeps its address and digest", () => {
  const lines = `VOLUME_DESKTOP_WIN=runtimes/4D Volume Desktop win.zip\n\n# a comment\nFOURD_SERVER_WIN=https://store.example.com/server.zip?sig=x sha256=${DIGEST.toUpperCase()}\n`;
  expect(parseRuntimes(lines, WORKSPACE)).toEqual([
    { variable: "VOLUME_DESKTOP_WIN", line: 1, kind: "path", path: path.join(WORKSPACE, "runtimes", "4D Volume Desktop win.zip") },
    { variable: "FOURD_SERVER_WIN", line: 4, kind: "url", url: "https://store.example.com/server.zip?sig=x", sha256: DIGEST },
  ]);
});

test("runtimes: a download without its digest is refused with the line, the address masked", () => {
  expect(() => parseRuntimes("A=runtimes\nVD=https://store.example.com/vd.zip?sig=SECRET", WORKSPACE)).toThrow("runtimes line 2 (VD): a download needs its digest: VD=https://store.example.com/vd.zip?*** sha256=<64 hex digits>");
  expect(() => parseRuntimes(`VD=http://store.example.com/vd.zip sha256=${DIGEST}`, WORKSPACE)).toThrow(/runtimes line 1 \(VD\): http:\/\/store\.example\.com\/vd\.zip: /);
  expect(() => parseRuntimes("not a line", WORKSPACE)).toThrow("runtimes line 1 is not VARIABLE=path or VARIABLE=URL sha256=<64 hex digits>");
});

test("the comment marker names the manifest and the workflow, and cannot be closed by them", () => {
  expect(commentMarker("apps/shop/4dbuild.yml", "review")).toBe("<!-- 4dbuild:config-diff manifest=apps%2Fshop%2F4dbuild.yml workflow=review -->");
  expect(commentMarker("a-->b.yml", "x --> y")).not.toMatch(/-->.*-->/);
  expect(commentMarker("4dbuild.yml", "review")).not.toBe(commentMarker("4dbuild.yml", "nightly"));
});
