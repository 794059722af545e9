/**
 * VFP (cp10/cp11) against QEMU: vfptest.bin (A32, soft-float ABI with VFP
 * instructions) must print exactly what qemu-system-arm -cpu cortex-a15
 * printed (firmware/arm/vfptest.expected), on both backends. It also covers
 * the lazy enable: its first VFP instruction UNDEFs with FPEXC.EN = 0, the
 * handler sets EN and the instruction is retried.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, runTsemu } from '../helpers/guest.js';

const fw = (n: string) => resolve(ROOT, 'firmware/arm', n);

for (const backend of ['interp', 'wasm']) {
  test(`vfptest.bin output is identical to qemu-system-arm (backend=${backend})`, async () => {
    const r = await runTsemu(['-accel', `tcg,backend=${backend}`, '-M', 'virt', '-cpu', 'cortex-a15', '-m', '256',
      '-nographic', '-bios', fw('vfptest.bin'), '-no-reboot', '-nic', 'none']);
    assert.equal(r.code, 0, r.err);
    const expected = readFileSync(fw('vfptest.expected'), 'latin1');
    const got = r.out;
    if (got !== expected) {
      const e = expected.split(' '), g = got.split(' ');
      const i = e.findIndex((l, k) => l !== g[k]);
      assert.fail(`first difference at field ${i + 1}:\n  qemu:  ${e[i]}\n  tsemu: ${g[i]}`);
    }
    assert.match(got, /VFPTEST DONE/);
  });
}
