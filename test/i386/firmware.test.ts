/**
 * The x86 test programs (firmware/x86) in tsemu, against references made
 * outside it: x86test.expected is what the i386 Linux build printed on a real
 * CPU (and qemu-system-i386 prints the same for the multiboot build);
 * pgtest, irqtest, pittest and rtctest's expected outputs are qemu-system-i386's. Both kernels end through
 * isa-debug-exit with value 0, so the exit status is 1, as in QEMU.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Guest, ROOT, runTsemu } from '../helpers/guest.js';

const fw = (n: string): string => resolve(ROOT, 'firmware/x86', n);

/** Lines that differ, at most a few, for a readable failure. */
function firstDifferences(expected: string, got: string, max = 5): string {
  const e = expected.split('\n'), g = got.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(e.length, g.length) && out.length < max; i++) {
    if (e[i] !== g[i]) out.push(`line ${i + 1}:\n  expected: ${e[i]}\n  tsemu:    ${g[i]}`);
  }
  const total = e.filter((l, i) => l !== g[i]).length;
  return `${total} line(s) differ; first:\n${out.join('\n')}`;
}

async function expectKernelOutput(kernel: string, expectedFile: string, backend: 'interp' | 'wasm', extra: string[] = []): Promise<void> {
  const r = await runTsemu([...extra, '-M', 'pc', '-m', '128', '-nographic', '-no-reboot', '-nic', 'none',
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-accel', `tcg,backend=${backend}`, '-kernel', fw(kernel)], '', 300_000);
  const expected = readFileSync(fw(expectedFile), 'latin1');
  if (r.out !== expected) assert.fail(`${kernel} (${backend}): ${firstDifferences(expected, r.out)}\nstderr: ${r.err.slice(-500)}`);
  assert.equal(r.code, 1, `isa-debug-exit value 0 gives exit status 1; stderr: ${r.err}`);
}

for (const backend of ['interp', 'wasm'] as const) {
  test(`x86test.elf prints exactly x86test.expected (native i386 reference) [${backend}]`, async () => {
    await expectKernelOutput('x86test.elf', 'x86test.expected', backend);
  });
  test(`pgtest.elf prints exactly pgtest.expected (qemu-system-i386) [${backend}]`, async () => {
    await expectKernelOutput('pgtest.elf', 'pgtest.expected', backend);
  });
  test(`pittest.elf: the 8254 through the 8259, port 0x61 (qemu-system-i386's output) [${backend}]`, async () => {
    // -icount: virtual time from instructions, so a loaded host cannot stretch the 10 ms one-shot (and runs take 0.3 s)
    await expectKernelOutput('pittest.elf', 'pittest.expected', backend, ['-icount', 'shift=4']);
  });
  test(`rtctest.elf: CMOS registers and NVRAM, IRQ 8 update and periodic interrupts (qemu-system-i386's output) [${backend}]`, async () => {
    await expectKernelOutput('rtctest.elf', 'rtctest.expected', backend, ['-icount', 'shift=4']);
  });
}

for (const backend of ['interp', 'wasm'] as const) {
  test(`irqtest.elf: 16550 interrupts through the 8259s, input typed after "ready" (qemu-system-i386's output) [${backend}]`, async () => {
    const g = new Guest(['-M', 'pc', '-nographic', '-no-reboot', '-nic', 'none', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
      '-accel', `tcg,backend=${backend}`, '-kernel', fw('irqtest.elf')]);
    try {
      await g.waitFor('ready\n', 60_000);
      g.send('irq!');
      const code = await g.exit;
      const expected = readFileSync(fw('irqtest.expected'), 'latin1');
      if (g.out !== expected) assert.fail(`irqtest (${backend}): ${firstDifferences(expected, g.out)}\nstderr: ${g.err.slice(-500)}`);
      assert.equal(code, 1, g.err);
    } finally {
      g.kill();
    }
  });
}

/** The reference itself: where the host can run i386 Linux binaries, the committed output is still what it prints. */
const nativeOk = process.platform === 'linux' && process.arch === 'x64' && (() => {
  try { execFileSync(fw('x86test'), { stdio: ['ignore', 'ignore', 'ignore'], timeout: 20_000 }); return true; } catch { return false; }
})();
test('the native i386 build prints x86test.expected on this host', { skip: nativeOk ? false : 'host cannot run i386 Linux binaries' }, () => {
  const out = execFileSync(fw('x86test'), { encoding: 'latin1', timeout: 20_000 });
  const expected = readFileSync(fw('x86test.expected'), 'latin1');
  if (out !== expected) assert.fail(`native x86test: ${firstDifferences(expected, out)}`);
});
