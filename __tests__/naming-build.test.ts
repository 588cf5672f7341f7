import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "plist";
import { cliEnv, exampleCopy, runCli } from "./helpers.js";

test("naming: the uncertain names are settings (server pattern, resource renames, icon name, bundle identifier)", async () => {
  const copy = exampleCopy();
  const naming = "naming:\n  server: \"{name}Server\"\n  client: \"{name} Remote\"\n  renameResources: false\n  icon: source\n  bundleIdentifier:\n    server: com.example.hello.server\n";
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("targets:\n", `${naming}\ntargets:\n`));
  const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "server", "--target", "client"], { env: cliEnv() });
  expect(run.stderr).not.toMatch(/error|warning/);
  expect(run.code).toBe(0);
  const cs = path.join(copy.out, "Client Server executable");
  for (const file of [
    "HelloServer.app/Contents/MacOS/HelloServer",
    "HelloServer.app/Contents/Resources/4D Server.rsrc",
    "HelloServer.app/Contents/Resources/Hello.icns",
    "HelloServer/HelloServer.exe",
    "HelloServer/Resources/4D Server.rsr",
    "HelloServer/4D Server.pri",
    "HelloServer/Hello.ico",
    "HelloServer/Upgrade4DClient/update.win.4darchive",
    "Hello Remote.app/Contents/MacOS/Hello Remote",
    "Hello Remote/Hello Remote.exe",
  ])
    expect([file, existsSync(path.join(cs, file))]).toEqual([file, true]);
  expect(existsSync(path.join(cs, "HelloServer.app/Contents/Resources/HelloServer.rsrc"))).toBe(false);
  const server = parse(readFileSync(path.join(cs, "HelloServer.app/Contents/Info.plist"), "utf8")) as Record<string, unknown>;
  expect(server).toMatchObject({ CFBundleName: "HelloServer", CFBundleExecutable: "HelloServer", CFBundleIconFile: "Hello.icns", CFBundleIdentifier: "com.example.hello.server" });
  const client = parse(readFileSync(path.join(cs, "Hello Remote.app/Contents/Info.plist"), "utf8")) as Record<string, unknown>;
  expect(client.CFBundleIdentifier).toBe("Example-Ltd.Hello-Remote"); // Build4D's rule: company name, then the title
});

test("a naming pattern without {name} is refused at its line", async () => {
  const copy = exampleCopy();
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("targets:\n", "naming:\n  server: Server\ntargets:\n"));
  const run = await runCli(["validate", copy.manifest], { env: cliEnv() });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/4dbuild\.yml:\d+:11: error: naming\.server: the text "Server" is not in the expected form/);
  expect(run.stdout).toContain("hint: a name containing {name}");
});
