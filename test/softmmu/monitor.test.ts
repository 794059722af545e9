/** The monitor on the stdio mux: stop really stops the guest, cont resumes it (issue 2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Guest, ROOT, UBOOT_ARM, sleep } from '../helpers/guest.js';

test('Ctrl-A c, stop, info registers, cont', { skip: !existsSync(UBOOT_ARM) && 'u-boot-qemu not installed' }, async () => {
  const g = new Guest(['-M', 'virt', '-nographic', '-bios', UBOOT_ARM, '-no-reboot']);
  try {
    await g.waitFor('Hit any key to stop autoboot:  2');
    g.send('\x01c');
    g.send('stop\r');
    let at = await g.waitFor('(qemu) stop');
    at = await g.waitFor('(qemu) ', 30_000, at);
    g.send('info registers\r');
    at = await g.waitFor(/PSR=[0-9a-f]{8} [-NZCV]{4} A svc32/, 30_000, at);
    const pc1 = /R15=([0-9a-f]{8})/.exec(g.out.slice(g.out.lastIndexOf('R00=')))![1];
    await g.waitFor('(qemu) ', 30_000, at);
    const frozen = g.out.length;
    await sleep(2500); // U-Boot would print its next countdown digit within a second
    assert.equal(g.out.length, frozen, `guest printed while stopped: ${JSON.stringify(g.out.slice(frozen))}`);
    g.send('info registers\r');
    at = await g.waitFor(/R15=[0-9a-f]{8}/, 30_000, frozen);
    const pc2 = /R15=([0-9a-f]{8})/.exec(g.out.slice(frozen))![1];
    assert.equal(pc2, pc1, 'pc moved while stopped');
    assert.match(g.out.slice(frozen), /R00=[0-9a-f]{8} R01=[0-9a-f]{8} R02=[0-9a-f]{8} R03=[0-9a-f]{8}/);
    g.send('info status\r');
    await g.waitFor('VM status: paused', 30_000, frozen);
    g.send('cont\r');
    g.send('\x01c');
    await g.waitFor(/=> /, 60_000, frozen);
    g.send('\x01x');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});

test('info mtree lists RAM, flash and the PL011; xp reads physical memory', { skip: !existsSync(UBOOT_ARM) && 'u-boot-qemu not installed' }, async () => {
  const g = new Guest(['-M', 'virt', '-nographic', '-bios', UBOOT_ARM, '-no-reboot', '-S']);
  try {
    g.send('\x01c');
    g.send('info mtree\r');
    await g.waitFor('0000000040000000-000000004fffffff (prio 0, ram): ram');
    await g.waitFor('0000000009000000-0000000009000fff (prio 0, i/o): uart0');
    g.send('xp /2wx 0x40000000\r');
    await g.waitFor('0000000040000000: 0xedfe0dd0');
    g.send('info cpus\r');
    await g.waitFor(/\* CPU #0: pc=0x00000000/);
    g.send('quit\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});

test('pmemsave/memsave write guest memory to files; log validates masks; info irq', async () => {
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-mon-'));
  const g = new Guest(['-M', 'virt', '-nographic', '-bios', 'firmware/arm/hello.bin', '-S']);
  try {
    g.send('\x01c');
    g.send(`pmemsave 0x40000000 8 ${join(dir, 'dtb.bin')}\r`);
    g.send(`memsave 0 4 ${join(dir, 'vec.bin')}\r`);
    g.send('log int,bogus\r');
    await g.waitFor("Invalid log mask 'bogus'");
    g.send('info irq\r');
    await g.waitFor(/CPU 0: IRQ 0 FIQ 0/);
    await g.waitFor(/gic: enabled/);
    g.send('quit\r');
    assert.equal(await g.exit, 0);
    assert.deepEqual([...readFileSync(join(dir, 'dtb.bin')).subarray(0, 4)], [0xd0, 0x0d, 0xfe, 0xed]);
    assert.equal(readFileSync(join(dir, 'vec.bin')).readUInt32LE(0), readFileSync(join(ROOT, 'firmware/arm/hello.bin')).readUInt32LE(0));
  } finally {
    g.kill();
  }
});
