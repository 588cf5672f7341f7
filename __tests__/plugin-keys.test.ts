import { DEFAULT_QLC_RULE, escapeKeyFormat, qlcFileName } from "../src/builder/app/plugin-keys.js";

describe("Escape end-user key file name (licenses-and-ci.md §3.3)", () => {
  // The reference's vectors, computed with its literal reading of the rule.
  test.each([
    ["MyApp.4DB", "MyApp.QLC"],
    ["Invoicing.4DC", "Invoicing.QLC"],
    ["MyApp.comp", "MyApp.QLC"],
    ["My App v2.exe", "My_App_v_.QLC"],
    ["Sales-2024.EXE", "Sales_____.QLC"],
    ["My.App.4DB", "My_App.QLC"],
    ["Customer Relationship Management System.4DC", "Customer_Relationship_Manag.QLC"],
    ["X1.4DC", "X_.QLC"],
    ["123.4DB", "___.QLC"],
    ["A.4DB", "A.4DB.QLC"],
    ["MyApp", "MyApp.QLC"],
  ])("%s → %s", (name, expected) => {
    expect(qlcFileName(name)).toBe(expected);
  });

  test("step 1 strips one known extension only, the last one", () => {
    expect(qlcFileName("Old.4DB.4DC")).toBe("Old__DB.QLC");
  });

  test("step 1: project-mode names are not covered by the rule (.4DZ stays)", () => {
    expect(qlcFileName("MyApp.4DZ")).toBe("MyApp__DZ.QLC");
  });

  test("step 1 with case-sensitive extensions: .exe is not .EXE", () => {
    expect(qlcFileName("My App v2.exe", { ...DEFAULT_QLC_RULE, ignoreExtensionCase: false })).toBe("My_App_v__exe.QLC");
  });

  test("step 2: non-ASCII letters count as non-alphabetic", () => {
    expect(qlcFileName("Élan.4DB")).toBe("_lan.QLC");
  });

  test("step 4, first branch: name2 of at least 2 characters", () => {
    expect(qlcFileName("AB")).toBe("AB.QLC");
  });

  test("step 4, second branch: cannot be reached (name3 is never longer than name2), so a 1-character name2 falls through", () => {
    expect(qlcFileName("_.4DB")).toBe("_.4DB.QLC");
  });

  test("step 4, third branch: the original name, with or without extension per the rule", () => {
    expect(qlcFileName("A.4DB")).toBe("A.4DB.QLC");
    expect(qlcFileName("A.4DB", { ...DEFAULT_QLC_RULE, originalWithExtension: false })).toBe("A.QLC");
    expect(qlcFileName("")).toBe(".QLC");
  });

  test("step 5: exactly 27 characters are kept", () => {
    expect(qlcFileName(`${"a".repeat(27)}.4DB`)).toBe(`${"a".repeat(27)}.QLC`);
    expect(qlcFileName(`${"a".repeat(28)}.4DB`)).toBe(`${"a".repeat(27)}.QLC`);
  });
});

describe("Escape key formats (§3.2)", () => {
  test.each([
    ["ABCDEFGHIJKLMNOP", "legacy"],
    ["ABCD1234EFGH5678", "legacy"],
    ["aBcDeFgHiJkLmNoPqRsTuV-123", "current"],
    ["abcdefghijklmnop", undefined],
    ["ABCDEFGHIJKLMNO", undefined],
    ["ABCDEFGHIJKLMNOPQ", undefined],
    ["has spaces inside it Xx", undefined],
  ])("%s → %s", (key, format) => {
    expect(escapeKeyFormat(key)).toBe(format);
  });
});
