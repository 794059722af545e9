/**
 * Our firmware tests against QEMU: run a program from firmware/arm and require
 * exactly the serial output qemu-system-arm -cpu cortex-a15 printed (its
 * `.expected` file), reporting the first line that differs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, runTsemu } from './guest.js';

export const fw = (n: string): string => resolve(ROOT, 'firmware/arm', n);

export async function expectQemuOutput(bin: string, expectedFile: string, done: RegExp, extra: string[] = []): Promise<void> {
  const r = await runTsemu([...extra, '-M', 'virt', '-cpu', 'cortex-a15', '-m', '256', '-nographic', '-bios', fw(bin), '-no-reboot', '-nic', 'none']);
  assert.equal(r.code, 0, r.err);
  const expected = readFileSync(fw(expectedFile), 'latin1');
  if (r.out !== expected) {
    const e = expected.split('\n'), g = r.out.split('\n');
    const i = e.findIndex((l, k) => l !== g[k]);
    assert.fail(`${bin}: first difference at line ${i + 1}:\n  qemu:  ${e[i]}\n  tsemu: ${g[i]}`);
  }
  assert.match(r.out, done);
}
