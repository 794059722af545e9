/**
 * VFP (cp10/cp11) against QEMU: vfptest.bin (A32, soft-float ABI with VFP
 * instructions) must print exactly what qemu-system-arm -cpu cortex-a15
 * printed (firmware/arm/vfptest.expected), on both backends. It also covers
 * the lazy enable: its first VFP instruction UNDEFs with FPEXC.EN = 0, the
 * handler sets EN and the instruction is retried.
 */
import { test } from 'node:test';
import { expectQemuOutput } from '../helpers/firmware.js';

for (const backend of ['interp', 'wasm']) {
  test(`vfptest.bin output is identical to qemu-system-arm (backend=${backend})`, async () => {
    await expectQemuOutput('vfptest.bin', 'vfptest.expected', /VFPTEST DONE/, ['-accel', `tcg,backend=${backend}`]);
  });
}
