/**
 * DESIGN.md invariant 2: every guest program gives identical results on the
 * reference interpreter and the wasm JIT — serial output, and the registers
 * where the program ends (stopped by -no-shutdown at power-off, read with
 * `info registers -a` in the monitor). Also checks the code-cache paths:
 * self-modifying code, and a tiny cache that forces many full flushes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Guest, ROOT, UBOOT_ARM, runTsemu, ubootPrompt } from '../helpers/guest.js';

const fw = (n: string) => resolve(ROOT, 'firmware/arm', n);
const BACKENDS = ['interp', 'wasm'] as const;

/** Run a firmware to power-off, then read every CPU's registers from the monitor. */
async function runToEnd(bin: string, backend: string, end: string, input = ''): Promise<{ out: string; regs: string }> {
  const g = new Guest(['-M', 'virt', '-nographic', '-bios', fw(bin), '-no-shutdown', '-accel', `tcg,backend=${backend}`]);
  try {
    if (input) g.send(input);
    const serialEnd = await g.waitFor(end, 120_000);
    const serial = g.out.slice(0, serialEnd);
    // Wait for the guest to power off (the machine pauses), then ask for registers.
    for (;;) {
      g.send('\x01c');
      g.send('info status\r');
      const at = await g.waitFor(/VM status: (running|paused)/, 120_000, g.out.length);
      const paused = /VM status: paused/.test(g.out.slice(at - 20, at));
      if (paused) break;
      g.send('\x01c');
      await new Promise((r) => setTimeout(r, 300));
    }
    const from = g.out.length;
    g.send('info registers -a\r');
    await g.waitFor(/PSR=[^\n]*\n/, 30_000, from);
    const regs = g.out.slice(from).replace(/\r/g, '');
    g.send('quit\r');
    await g.exit;
    return { out: serial, regs: regs.slice(regs.indexOf('R00='), regs.search(/PSR=[^\n]*\n/) + regs.match(/PSR=[^\n]*\n/)![0].length) };
  } finally {
    g.kill();
  }
}

for (const [bin, expected, end, input] of [
  ['hello.bin', undefined, 'MIDR=414fc0f0', ''],
  ['a32test.bin', 'a32test.expected', 'A32TEST DONE\n', ''],
  ['smc.bin', 'smc.expected', 'SMC DONE\r\n', ''],
  // A loop across a page boundary whose second page is remapped to other code while it is hot.
  ['xpage.bin', 'xpage.expected', 'XPAGE DONE\r\n', ''],
  // Loops whose accesses share one TLB probe (tcg/wasm/tlb-groups.ts), where the probe must fail.
  ['tlbgroup.bin', 'tlbgroup.expected', 'TLBGROUP DONE\r\n', ''],
  ['demo.bin', undefined, 'bye', 'help\radd 0x10 7\rmem 0x40000000 4\rinfo\rpoweroff\r'],
] as const) {
  test(`${bin}: interp and wasm agree (output and final registers)`, async () => {
    const [a, b] = await Promise.all(BACKENDS.map((be) => runToEnd(bin, be, end, input)));
    assert.ok(a.out.length > 0);
    assert.equal(b.out, a.out, 'serial output differs between interp and wasm');
    // An interactive guest's registers depend on when its input arrived; batch programs must match exactly.
    if (!input) assert.equal(b.regs, a.regs, 'final registers differ between interp and wasm');
    if (expected) {
      // The monitor's own lines are not guest output: compare the guest's part with QEMU's transcript.
      const want = readFileSync(fw(expected), 'latin1');
      assert.equal(a.out, want, `output differs from QEMU's (${expected})`);
    }
  });
}

test('self-modifying code and a tiny code cache (max-tbs=8: hundreds of flushes) still run correctly', async () => {
  const want = readFileSync(fw('smc.expected'), 'latin1');
  for (const be of BACKENDS) {
    const r = await runTsemu(['-M', 'virt', '-nographic', '-bios', fw('smc.bin'), '-accel', `tcg,backend=${be},max-tbs=8`, '-profile']);
    assert.equal(r.code, 0);
    assert.equal(r.out, want, `${be} with a tiny cache`);
    const flushes = Number(/flushes (\d+)/.exec(r.err)?.[1] ?? 0);
    assert.ok(flushes > 100, `expected many flushes, got ${flushes}`);
  }
  const a32 = await runTsemu(['-M', 'virt', '-nographic', '-bios', fw('a32test.bin'), '-accel', 'tcg,backend=wasm,max-tbs=16']);
  assert.equal(a32.out, readFileSync(fw('a32test.expected'), 'latin1'));
});

test('U-Boot: interp and wasm print the same up to and at the prompt', { skip: !existsSync(UBOOT_ARM) && 'u-boot-qemu not installed' }, async () => {
  const transcripts: string[] = [];
  for (const be of BACKENDS) {
    const g = new Guest(['-M', 'virt', '-nographic', '-bios', UBOOT_ARM, '-no-reboot', '-accel', `tcg,backend=${be}`]);
    try {
      let at = await ubootPrompt(g);
      g.send('version\r');
      at = await g.waitFor('=> ', 60_000, at);
      g.send('bdinfo\r');
      await g.waitFor('=> ', 60_000, at);
      g.send('reset\r');
      assert.equal(await g.exit, 0);
      // The countdown digits depend on host speed; everything else must match.
      transcripts.push(g.out.replace(/Hit any key to stop autoboot:[ 0-9]*/, 'Hit any key to stop autoboot:'));
    } finally {
      g.kill();
    }
  }
  assert.equal(transcripts[1], transcripts[0]);
});
