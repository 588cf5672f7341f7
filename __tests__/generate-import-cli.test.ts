import { cpSync, existsSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateSettings } from "../src/generator/generate.js";
import { serializeSettings } from "../src/generator/settings-xml.js";
import { loadManifest } from "../src/manifest/load.js";
import { FIXTURES, packageWith, ROOT, runCli, STACK_TRACE, tempDir } from "./helpers.js";

const EXAMPLE = path.join(ROOT, "examples", "hello", "4dbuild.yml");

describe.each(["mac", "win"] as const)("the example's buildApp.4DSettings for %s", (host) => {
  test("equals the reviewed expectation committed in __tests__/expected", () => {
    const { plan } = loadManifest(EXAMPLE, { env: {}, checkFiles: false, git: () => undefined });
    const { settings, problems } = generateSettings(plan!, { host });
    expect(problems).toEqual([]);
    expect(serializeSettings(settings)).toBe(readFileSync(path.join(ROOT, "__tests__", "expected", `hello.${host}.4DSettings`), "utf8"));
  });
});

describe("generate", () => {
  test("writes to standard output, or atomically to a file", async () => {
    const out = path.join(tempDir("gen"), "buildApp.4DSettings");
    const toStdout = await runCli(["generate", EXAMPLE, "--host", "mac"], { env: { NO_COLOR: "1" } });
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8" standalone="no" \?>\n<Preferences4D>\n {2}<BuildApp>\n/);
    const toFile = await runCli(["generate", EXAMPLE, "--host", "mac", "-o", out]);
    expect(toFile).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(out, "utf8")).toBe(toStdout.stdout);
  });

  test("never writes a secret into the settings file", async () => {
    const secret = "Link-Code-Secret-42";
    const run = await runCli(["generate", EXAMPLE, "--host", "win"], { env: { HELLO_LINK_CODE: secret } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("<HardLink>***</HardLink>");
    expect(run.stdout + run.stderr).not.toContain(secret);
  });

  test("--host is required and checked", async () => {
    expect((await runCli(["generate", EXAMPLE])).code).toBe(2);
    const wrong = await runCli(["generate", EXAMPLE, "--host", "linux"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("Allowed choices are mac, win");
  });

  test("a path of the wrong system is a located error", async () => {
    const dir = tempDir("gen");
    cpSync(path.join(FIXTURES, "app"), dir, { recursive: true });
    writeFileSync(path.join(dir, "4dbuild.yml"), 'version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\ntargets:\n  standalone:\n    runtime:\n      mac: ${env.VL}\n');
    const run = await runCli(["generate", "4dbuild.yml", "--host", "mac"], { cwd: dir, env: { VL: "C:\\4D\\4D Volume Desktop" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('4dbuild.yml:7:12: error: targets.standalone.runtime.mac: "C:\\4D\\4D Volume Desktop" is a Windows path (C:\\… or \\\\server\\…); this key is read by 4D on macOS');
    expect(run.stderr).toContain("hint: 4dbuild build takes this path on any host, but 4D's BUILD APPLICATION reads the generated file on macOS");
  });

  test("a Linux path that build accepts for a Windows runtime is named a POSIX path, with what to do", async () => {
    const dir = tempDir("gen");
    cpSync(path.join(FIXTURES, "app"), dir, { recursive: true });
    writeFileSync(path.join(dir, "4dbuild.yml"), 'version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\ntargets:\n  standalone:\n    runtime:\n      win: ${env.VL}\n');
    const run = await runCli(["generate", "4dbuild.yml", "--host", "win"], { cwd: dir, env: { VL: "/opt/4d/win/4D Volume Desktop" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('4dbuild.yml:7:12: error: targets.standalone.runtime.win: "/opt/4d/win/4D Volume Desktop" is a POSIX path (/…); this key is read by 4D on Windows and needs a Windows path');
    expect(run.stderr).toContain("hint: 4dbuild build takes this path on any host, but 4D's BUILD APPLICATION reads the generated file on Windows: generate it with the Windows path of the build machine");
  });
});

describe("import", () => {
  const EVERY_KEY_MAC = path.join(FIXTURES, "settings", "every-key.mac.4DSettings");

  test("reads Settings/buildApp.4DSettings, writes 4dbuild.yml, and says which variables to set", async () => {
    const dir = packageWith(EVERY_KEY_MAC);
    const run = await runCli(["import"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("set STANDALONE_RUNTIME_MAC to /Applications/4D v20 R8/4D Volume Desktop.app (used by targets.standalone.runtime.mac, targets.client.runtime.mac)");
    expect(run.stderr).toContain("set LICENSES_FILES_MAC_1 to the path of that licence file");
    expect(run.stderr).not.toMatch(/4DDP200|4UOE200/);
    const manifest = readFileSync(path.join(dir, "4dbuild.yml"), "utf8");
    expect(manifest).toContain("project: Project/App.4DProject");
    expect(manifest).toContain('identity: "Developer ID Application: Example Ltd (ABCDE12345)"');
  });

  test("init --from imports and validates", async () => {
    const settings = path.join(tempDir("settings"), "buildApp.4DSettings");
    writeFileSync(settings, '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<Preferences4D>\n  <BuildApp>\n    <BuildApplicationName>App</BuildApplicationName>\n    <BuildMacDestFolder>::App_Build:</BuildMacDestFolder>\n    <BuildCompiled>True</BuildCompiled>\n  </BuildApp>\n</Preferences4D>\n');
    const dir = packageWith(settings);
    const run = await runCli(["init", "--from", "Settings/buildApp.4DSettings", "--4d-version", "20 R8"], { cwd: dir });
    expect(run.stdout).toBe("4dbuild.yml is valid\n");
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(dir, "4dbuild.yml"), "utf8")).toContain('4dVersion: "20 R8"');
  });

  test("refuses to overwrite without --force; unknown host is a usage error", async () => {
    const dir = packageWith(EVERY_KEY_MAC);
    writeFileSync(path.join(dir, "4dbuild.yml"), "mine\n");
    expect((await runCli(["import"], { cwd: dir })).code).toBe(2);
    expect(readFileSync(path.join(dir, "4dbuild.yml"), "utf8")).toBe("mine\n");
    const ambiguous = path.join(dir, "ambiguous.4DSettings");
    // No destination folder: a bare file name in a key of the host's syntax is an HFS volume on macOS, a file of the package on Windows.
    writeFileSync(ambiguous, "<Preferences4D><BuildApp><BuildCompiled>True</BuildCompiled><CS><CertificateAuthoritiesCertificates>cert.pem</CertificateAuthoritiesCertificates></CS></BuildApp></Preferences4D>");
    const run = await runCli(["import", ambiguous, "-o", "-"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("pass --host mac or --host win");
  });
});

describe("hostile XML is refused with a clear error", () => {
  const dir = tempDir("hostile");
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const cases: [string, () => string, RegExp][] = [
    ["DOCTYPE", () => write("doctype.xml", '<?xml version="1.0"?>\n<!DOCTYPE Preferences4D>\n<Preferences4D><BuildApp/></Preferences4D>'), /doctype\.xml:2:1: error: doctype\.xml declares a DOCTYPE: refused/],
    ["external entity", () => write("xxe.xml", '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Preferences4D><BuildApp><BuildApplicationName>&x;</BuildApplicationName></BuildApp></Preferences4D>'), /xxe\.xml:2:1: error: xxe\.xml declares a DOCTYPE: refused/],
    [
      "billion laughs",
      () => write("lol.xml", `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("\n")}\n]>\n<Preferences4D><BuildApp><BuildApplicationName>&lol9;</BuildApplicationName></BuildApp></Preferences4D>`),
      /lol\.xml:2:1: error: lol\.xml declares a DOCTYPE: refused/,
    ],
    [
      "50 MB file",
      () => {
        const file = write("huge.xml", "<Preferences4D>");
        truncateSync(file, 50 * 1024 * 1024);
        return file;
      },
      /huge\.xml: error: huge\.xml is 50\.0 MB; a buildApp\.4DSettings is a few kilobytes/,
    ],
    ["not XML", () => write("broken.xml", "<Preferences4D><BuildApp>\n<A></B>\n"), /broken\.xml:2:\d+: error: broken\.xml is not well-formed XML/],
    ["not a settings file", () => write("other.xml", "<plist><dict/></plist>"), /other\.xml:1:1: error: other\.xml is not a buildApp\.4DSettings/],
  ];
  test.each(cases)("%s", async (_name, make, message) => {
    const file = make();
    const run = await runCli(["import", path.basename(file), "-o", "-", "--host", "mac"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(existsSync(path.join(dir, "4dbuild.yml"))).toBe(false);
  });
});
