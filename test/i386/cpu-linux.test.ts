/**
 * Linux 6.1 i386 (the shared fixture: M686, 8259/8254/16550/i8042/CMOS, x87)
 * on -M pc, entered through the 32-bit boot protocol by a small multiboot
 * stub (cpu-asm/linuxstub) that receives the bzImage and the initramfs as
 * multiboot modules: boots to the busybox init marker and reboots
 * (fixture=reboot, -no-reboot exits 0), on both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runTsemu, FIXTURES } from '../helpers/guest.js';
import { ASM_DIR } from './cpu-harness.js';

const BZ = resolve(FIXTURES, 'bzImage-x86-i386');
const INITRD = resolve(FIXTURES, 'initramfs-i386.cpio.gz');
const STUB = resolve(ASM_DIR, 'linuxstub/stub.elf');

for (const be of ['wasm', 'interp'] as const) {
  test(`Linux i386 boots to init and reboots [${be}]`, { skip: !(existsSync(BZ) && existsSync(INITRD)) && 'Linux i386 fixture missing' }, async () => {
    const r = await runTsemu(['-M', 'pc', '-m', '128', '-nographic', '-no-reboot', '-nic', 'none', '-accel', `tcg,backend=${be}`,
      '-kernel', STUB, '-initrd', `${BZ} console=ttyS0 fixture=reboot,${INITRD}`], '', 240_000);
    assert.match(r.out, /Linux version 6\.1\.192/);
    assert.match(r.out, /CPU: Intel tsemu i686 CPU \(family: 0x6, model: 0x3, stepping: 0x3\)/);
    assert.match(r.out, /=== FIXTURE INIT OK: Linux 6\.1\.192 i686 ===/, r.out.slice(-2000));
    assert.match(r.out, /reboot: Restarting system/);
    assert.equal(r.code, 0, r.err);
  });
}
