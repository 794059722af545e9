/**
 * The project's own ARM programs (firmware/arm) against QEMU: the A32
 * instruction test must print exactly what qemu-system-arm printed
 * (firmware/arm/a32test.expected, made by `make -C firmware/arm expected`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTsemu } from '../helpers/guest.js';
import { fw, expectQemuOutput } from '../helpers/firmware.js';

test('hello.bin prints its greeting and powers off with exit 0', async () => {
  const r = await runTsemu(['-M', 'virt', '-nographic', '-bios', fw('hello.bin')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Hello from tsemu firmware!/);
  assert.match(r.out, /MIDR=414fc0f0/);
});

test('a32test.bin output is identical to qemu-system-arm -cpu cortex-a15', async () => {
  await expectQemuOutput('a32test.bin', 'a32test.expected', /A32TEST DONE/);
});

test('demo.bin answers at its prompt', async () => {
  const r = await runTsemu(['-M', 'virt', '-nographic', '-bios', fw('demo.bin')], 'help\radd 2 3\rpoweroff\r');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /tsemu ARM demo/);
  assert.match(r.out, /demo> /);
  assert.match(r.out, /\b5\b/);
});
