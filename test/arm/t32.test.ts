/**
 * The T32 (Thumb / Thumb-2) instruction test against QEMU: t32test.bin must
 * print exactly what qemu-system-arm -cpu cortex-a15 printed
 * (firmware/arm/t32test.expected, `make -C firmware/arm t32test.expected`),
 * on both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, runTsemu } from '../helpers/guest.js';

const fw = (n: string) => resolve(ROOT, 'firmware/arm', n);

for (const backend of ['interp', 'wasm']) {
  test(`t32test.bin output is identical to qemu-system-arm (backend=${backend})`, async () => {
    const r = await runTsemu(['-accel', `tcg,backend=${backend}`, '-M', 'virt', '-cpu', 'cortex-a15', '-m', '256',
      '-nographic', '-bios', fw('t32test.bin'), '-no-reboot', '-nic', 'none']);
    assert.equal(r.code, 0, r.err);
    const expected = readFileSync(fw('t32test.expected'), 'latin1');
    const got = r.out;
    if (got !== expected) {
      const e = expected.split('\n'), g = got.split('\n');
      const i = e.findIndex((l, k) => l !== g[k]);
      assert.fail(`first difference at line ${i + 1}:\n  qemu:  ${e[i]}\n  tsemu: ${g[i]}`);
    }
    assert.match(got, /T32TEST DONE/);
  });
}
