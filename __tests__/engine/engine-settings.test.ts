import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { buildLogDiagnostics, parseBuildLog, severityOf } from "../../src/engine/build-log.js";
import { engineHost, engineSettings } from "../../src/engine/settings.js";
import { createPrivateFolder } from "../../src/files/private-folder.js";
import { tool4dAuto } from "../../src/builder/provision.js";
import { hello, stepContext, tempDir } from "../testctx.js";

const SECRET = "Canary-Link-settings-77aa";

describe("the settings 4D runs for an engine build", () => {
  const plan = () =>
    stepContext(hello(`targets:\n  compiled: {}\n  standalone:\n    platforms: [mac]\n    runtime:\n      mac: \${env.RUNTIMES}/mac/4D Volume Desktop.app\n    icon:\n      mac: Hello.icns\n  server:\n    platforms: [mac]\n    runtime:\n      mac: \${env.RUNTIMES}/mac/4D Server.app\nnetwork:\n  linkCode: \${secret.LINK_CODE}\n`), { env: { LINK_CODE: SECRET } }).plan;

  test("hold the real values, the private destination, and only the targets of this build switched on", () => {
    const { xml, problems } = engineSettings(plan(), { host: "mac", packageCopy: "/private/copy/hello", destination: "/private/out", units: [{ target: "standalone", platform: "mac" }], runtimes: new Map() });
    expect(problems).toEqual([]);
    expect(xml).toContain(`<HardLink>${SECRET}</HardLink>`);
    expect(xml).toContain("<BuildMacDestFolder>Macintosh HD:private:out:</BuildMacDestFolder>");
    expect(xml).toContain("<BuildApplicationSerialized>True</BuildApplicationSerialized>");
    expect(xml).toContain("<BuildCompiled>False</BuildCompiled>");
    expect(xml).toContain("<ServerIncludeIt>False</ServerIncludeIt>");
    expect(xml).toContain("<BuildServerApplication>False</BuildServerApplication>");
  });

  test("point at the runtimes 4dbuild unpacked, and paths relative to the copy 4D opens", () => {
    const { xml } = engineSettings(plan(), { host: "mac", packageCopy: "/private/copy/hello", destination: "/private/out", units: [{ target: "server", platform: "mac" }], runtimes: new Map([["server mac", "/cache/runtimes/abc/4D Server.app"]]) });
    expect(xml).toContain("<ServerMacFolder>Macintosh HD:cache:runtimes:abc:4D Server.app:</ServerMacFolder>");
    expect(xml).toContain("<ServerIncludeIt>True</ServerIncludeIt>");
    expect(xml).toContain("<BuildServerApplication>True</BuildServerApplication>");
    // Relative paths start at the package 4D opens: the copy, not the project.
    expect(xml).toMatch(/<RuntimeVLIconMacPath>:{2,}[^<]*:examples:hello:Hello\.icns<\/RuntimeVLIconMacPath>/);
  });

  test("Build4D run by tool4d (compile.tool4d: auto) has tool4d downloaded, even without compilation", () => {
    expect(tool4dAuto(stepContext(hello("build:\n  engine: build4d\n  build4d:\n    runner: tool4d\ncompile:\n  tool4d: auto\ntargets:\n  compiled: {}\n")).plan)).toBe(true);
    expect(tool4dAuto(stepContext(hello("build:\n  engine: build4d\ncompile:\n  tool4d: auto\ntargets:\n  compiled: {}\n")).plan)).toBe(false);
  });

  test("4D builds for the system it runs on", () => {
    expect(engineHost("win32")).toBe("win");
    expect(engineHost("darwin")).toBe("mac");
  });
});

describe("4D's BuildApp.log.xml", () => {
  const log = [
    '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>',
    "<BuildApplicationLog>",
    "",
    "  <Log>",
    "    <MessageType>Comment</MessageType>",
    "    <Target>Application</Target>",
    "    <CodeDesc>Copying license file</CodeDesc>",
    "    <CodeId>0</CodeId>",
    "    <Message>License file copying from a to b.</Message>",
    "  </Log>",
    "",
    "  <Log>",
    "    <MessageType>Warning</MessageType>",
    "    <Target>Common</Target>",
    "    <CodeDesc>NO_ERR</CodeDesc>",
    "    <CodeId>0</CodeId>",
    "    <Message>Plug-in &quot;X&quot; is not signed</Message>",
    "  </Log>",
    "",
    "  <Log>",
    "    <MessageType>Information</MessageType>",
    "    <Target>ClientServer</Target>",
    "    <CodeDesc>ERR_SERVER</CodeDesc>",
    "    <CodeId>-43</CodeId>",
    "    <Message>File not found</Message>",
    "  </Log>",
    "</BuildApplicationLog>",
  ].join("\n");

  test("errors and warnings become diagnostics at the line and column of their entry; comments do not", () => {
    expect(buildLogDiagnostics(parseBuildLog(log), "BuildApp.4D.log.xml")).toEqual([
      { severity: "warning", code: "4d-build-log", message: '4D (Common): Plug-in "X" is not signed', file: "BuildApp.4D.log.xml", line: 12, column: 3 },
      { severity: "error", code: "4d-build-log", message: "4D (ClientServer): File not found [ERR_SERVER -43]", file: "BuildApp.4D.log.xml", line: 20, column: 3 },
    ]);
  });

  test("a v17 R6 log on one line is read too; the severity rule is documented", () => {
    const oneLine = "<BuildApplicationLog><Log><MessageType>Error</MessageType><Target>Common</Target><CodeDesc>X</CodeDesc><CodeId>1</CodeId><Message>m</Message></Log></BuildApplicationLog>";
    expect(parseBuildLog(oneLine)).toEqual([{ type: "Error", target: "Common", codeDesc: "X", codeId: "1", message: "m", line: 1, column: 22 }]);
    expect(severityOf({ type: "Comment", codeId: "5" })).toBe("notice");
    expect(severityOf({ type: "Error", codeId: "0" })).toBe("error");
    expect(parseBuildLog("<BuildApplicationLog>\n</BuildApplicationLog>")).toEqual([]);
  });
});

describe("a private folder for secret material", () => {
  test("is 0700, its files 0600 and never overwritten, and is gone after remove", async () => {
    const folder = createPrivateFolder("test", tempDir("private-root"));
    expect(statSync(folder.path).mode & 0o777).toBe(0o700);
    const file = folder.writeSecretFile("settings.xml", SECRET);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => folder.writeSecretFile("settings.xml", "again")).toThrow(/EEXIST/);
    mkdirSync(path.join(folder.path, "sub"));
    await folder.remove();
    expect(() => statSync(folder.path)).toThrow();
  });
});
