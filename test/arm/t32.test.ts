/**
 * The T32 (Thumb / Thumb-2) instruction test against QEMU: t32test.bin must
 * print exactly what qemu-system-arm -cpu cortex-a15 printed
 * (firmware/arm/t32test.expected, `make -C firmware/arm t32test.expected`),
 * on both backends.
 */
import { test } from 'node:test';
import { expectQemuOutput } from '../helpers/firmware.js';

for (const backend of ['interp', 'wasm']) {
  test(`t32test.bin output is identical to qemu-system-arm (backend=${backend})`, async () => {
    await expectQemuOutput('t32test.bin', 't32test.expected', /T32TEST DONE/, ['-accel', `tcg,backend=${backend}`]);
  });
}
