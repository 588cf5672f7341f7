import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { HashedOutput } from "../../src/files/hashed-output.js";
import { tempDir } from "../helpers.js";

test("small writes gathered and big ones written through give the bytes written, in order, and their SHA-256; a buffer can be reused once its write resolved", async () => {
  const file = path.join(tempDir("hashed-output"), "out.bin");
  const output = await HashedOutput.create(file);
  const expected: Buffer[] = [];
  const reused = Buffer.alloc(300);
  for (let i = 0; i < 5000; i++) {
    // The same buffer each time, changed after each write: what is gathered must be a copy.
    reused.fill(i % 251);
    expected.push(Buffer.from(reused));
    await output.write(reused);
    if (i % 1000 === 999) {
      const big = Buffer.alloc(1_500_000, i % 7);
      expected.push(big, Buffer.from("after"));
      await output.write(big, Buffer.from("after"));
    }
  }
  const all = Buffer.concat(expected);
  expect(output.length).toBe(all.length);
  const sha256 = await output.close();
  expect(readFileSync(file).equals(all)).toBe(true);
  expect(sha256).toBe(createHash("sha256").update(all).digest("hex"));
});
