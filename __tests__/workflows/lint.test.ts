import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../helpers.js";
import { lintAction, lintWorkflow } from "./workflow-lint.js";

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const action = lintAction("action.yml", read("action.yml"));
const workflowFiles = ["examples/workflows", ".github/workflows"].flatMap((dir) => (existsSync(path.join(ROOT, dir)) ? readdirSync(path.join(ROOT, dir)).filter((f) => /\.ya?ml$/.test(f)).map((f) => `${dir}/${f}`) : []));

test("action.yml is ready for the Marketplace: SchemaStore's schema, author, branding, every input and output described", () => {
  expect(action.problems).toEqual([]);
});

test("the example workflows and the project's own are there", () => {
  expect(workflowFiles).toEqual(expect.arrayContaining(["examples/workflows/build.yml", "examples/workflows/review.yml", "examples/workflows/release.yml", ".github/workflows/release.yml"]));
});

test.each(workflowFiles)("%s passes the workflow lint", (file) => {
  expect(lintWorkflow(file, read(file), action.metadata)).toEqual([]);
});

describe("the lint finds what would stop a run", () => {
  const lint = (text: string) => lintWorkflow("w.yml", text, action.metadata);
  const workflow = (steps: string, extra = "") => `name: w\non: push\npermissions: { contents: read }\njobs:\n  a:\n    runs-on: ubuntu-24.04\n${extra}    steps:\n${steps}`;

  test("a key the workflow schema does not know, at its line and column", () => {
    expect(lint(workflow("      - uses: actions/checkout@v4\n        wiht: { fetch-depth: 0 }\n"))).toEqual(['w.yml:9:9: schema: /jobs/a/steps/0 has an unknown key "wiht"']);
  });

  test("an input action.yml does not have, and a command it does not run", () => {
    expect(lint(workflow("      - uses: 4dbuild/4dbuild@v1\n        with:\n          command: publish\n          app-version: v1\n"))).toEqual([
      'w.yml:10:20: command "publish": not one of validate, plan, build, diff, matrix, merge, verify',
      "w.yml:11:11: with.app-version: not an input of action.yml",
    ]);
  });

  test("a required input left out", () => {
    const metadata = { ...action.metadata, inputs: { ...action.metadata.inputs, needed: { description: "x", required: true } } };
    expect(lintWorkflow("w.yml", workflow("      - uses: ./\n        with:\n          command: build\n"), metadata)).toEqual(["w.yml:9:9: with.needed: required by action.yml"]);
  });

  test("needs, job outputs, step outputs, env and matrix keys that do not exist", () => {
    const text = `name: w\non: push\npermissions: { contents: read }\njobs:\n  m:\n    runs-on: ubuntu-24.04\n    outputs:\n      matrix: \${{ steps.mx.outputs.matrix }}\n    steps:\n      - id: m\n        uses: ./\n        with: { command: matrix }\n  b:\n    needs: [m, x]\n    strategy:\n      matrix: \${{ fromJSON(needs.m.outputs.matrix) }}\n    runs-on: \${{ matrix.runner }}\n    steps:\n      - run: echo \${{ needs.m.outputs.list }} \${{ env.NOPE }}\n      - id: s\n        uses: ./\n      - run: echo \${{ steps.s.outputs.files }}\n`;
    expect(lint(text)).toEqual([
      'w.yml:8:15: steps.mx: no step of job "m" has that id',
      'w.yml:14:16: needs "x": no such job',
      "w.yml:17:14: matrix.runner: a 4dbuild matrix entry has os, targets, platforms, name, reason",
      'w.yml:19:14: needs.m.outputs.list: job "m" has no such output',
      "w.yml:19:14: env.NOPE is not set in the workflow, the job or the step",
      expect.stringMatching(/^w\.yml:22:14: steps\.s\.outputs\.files: not an output of action\.yml/),
    ]);
  });

  test("no permissions, and npx of the package", () => {
    expect(lintWorkflow("w.yml", "name: w\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: npx --yes 4dbuild verify\n", action.metadata)).toEqual([
      expect.stringMatching(/^w\.yml:1:1: no top-level permissions/),
      expect.stringMatching(/^w\.yml:7:14: runs 4dbuild through npx/),
    ]);
  });

  test("action.yml: an input without a description, no branding", () => {
    const text = read("action.yml").replace(/( {2}manifest:\n) {4}description: .*\n/, "$1").replace(/^branding:\n( {2}.*\n)+/m, "");
    expect(lintAction("action.yml", text).problems).toEqual([
      expect.stringMatching(/^action\.yml:1:1: no branding/),
      expect.stringMatching(/^action\.yml:6:3: inputs\.manifest has no description/),
      "action.yml:7:5: schema: /inputs/manifest must have required property 'description'",
    ]);
  });
});
