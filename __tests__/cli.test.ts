import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FIXTURES, ROOT, runCli, tempDir } from "./helpers.js";

const EXAMPLE = "examples/hello/4dbuild.yml";
const ESC = "\u001b[";

describe("help and version", () => {
  test("--help lists the commands and exits 0", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["validate", "schema", "init"]) expect(run.stdout).toContain(command);
  });

  test.each(["validate", "schema", "init"])("%s --help exits 0 and describes the command", async (command) => {
    const run = await runCli([command, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: 4dbuild ${command}`);
  });

  test("--version prints the package version", async () => {
    const run = await runCli(["--version"]);
    const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe("usage errors exit 2", () => {
  test.each([
    [["valdate"], "unknown command 'valdate'"],
    [["validate", "--strict"], "unknown option '--strict'"],
    [["validate", "--format", "xml", EXAMPLE], "argument 'xml' is invalid"],
    [["validate", "missing.yml"], "manifest not found: missing.yml"],
    [["validate", "examples/hello"], "examples/hello is a folder, not a manifest"],
  ])("%j", async (argv, message) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe("validate", () => {
  test("the example is valid", async () => {
    const run = await runCli(["validate", EXAMPLE]);
    expect(run).toEqual({ code: 0, stdout: `${EXAMPLE} is valid\n`, stderr: "" });
  });

  test("reads ./4dbuild.yml by default", async () => {
    const run = await runCli(["validate"], { cwd: path.join(ROOT, "examples", "hello") });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("4dbuild.yml is valid\n");
  });

  test("--format json gives a machine-readable verdict", async () => {
    const run = await runCli(["validate", "--format", "json", EXAMPLE]);
    expect(JSON.parse(run.stdout)).toEqual({ valid: true, diagnostics: [] });
  });

  test("--format github prints workflow annotations at file, line and column", async () => {
    const manifest = path.relative(ROOT, path.join(FIXTURES, "manifests", "invalid", "40-data-linking-typo.yml"));
    const run = await runCli(["validate", "--format", "github", manifest]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `::error file=${manifest},line=9,col=18,endLine=9,endColumn=27,title=4dbuild not-allowed::targets.standalone.dataLinking: the text "byAppname" is not allowed%0Adid you mean "byAppName"? allowed values: "byAppName", "byAppPath", "inStructure"\n`,
    );
  });

  test("colours only on a terminal, never with NO_COLOR", async () => {
    const manifest = path.join(FIXTURES, "manifests", "invalid", "45-port-zero.yml");
    expect((await runCli(["validate", manifest], { tty: true })).stdout).toContain(ESC);
    expect((await runCli(["validate", manifest], { tty: false })).stdout).not.toContain(ESC);
    expect((await runCli(["validate", manifest], { tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain(ESC);
  });
});

test("schema prints the published JSON Schema", async () => {
  const run = await runCli(["schema"]);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual(JSON.parse(readFileSync(path.join(ROOT, "schema", "4dbuild.schema.json"), "utf8")));
});

describe("init", () => {
  const project = () => {
    const dir = tempDir("init");
    cpSync(path.join(FIXTURES, "app", "Project"), path.join(dir, "Project"), { recursive: true });
    return dir;
  };

  test("writes a commented starter manifest that validates", async () => {
    const dir = project();
    const run = await runCli(["init", "--4d-version", "20 R8"], { cwd: dir });
    expect(run.code).toBe(0);
    const text = readFileSync(path.join(dir, "4dbuild.yml"), "utf8");
    expect(text).toMatch(/^# yaml-language-server: \$schema=/);
    expect(text).toContain("name: App\nproject: Project/App.4DProject\n");
    expect(text).toContain('4dVersion: "20 R8"');
    expect(run.stdout).toBe("4dbuild.yml is valid\n");
  });

  test("refuses to overwrite a manifest unless --force", async () => {
    const dir = project();
    writeFileSync(path.join(dir, "4dbuild.yml"), "mine\n");
    const refused = await runCli(["init"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("4dbuild.yml already exists");
    expect(readFileSync(path.join(dir, "4dbuild.yml"), "utf8")).toBe("mine\n");
    expect((await runCli(["init", "--force"], { cwd: dir })).code).toBe(0);
  });

  test("outside a 4D project it says what it looked for", async () => {
    const dir = tempDir("init");
    const run = await runCli(["init"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no 4D project here: expected Project/<Name>.4DProject");
    expect(existsSync(path.join(dir, "4dbuild.yml"))).toBe(false);
  });

  test("rejects a malformed 4D version", async () => {
    const run = await runCli(["init", "--4d-version", "v21"], { cwd: project() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"v21" is not a 4D version');
  });
});
