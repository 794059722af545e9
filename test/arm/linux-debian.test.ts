/**
 * Debian's own ARMv7 multiplatform kernel (linux-image-6.1.0-N-armmp, fetched
 * by scripts/fetch-debian-kernel.sh) with the fixtures' armhf busybox: a
 * distribution kernel with SMP, Thumb-2/VFP user space, built-in PL011 and
 * PSCI, booted with two CPUs that must both come up and run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { FIXTURES, ROOT, Guest } from '../helpers/guest.js';
import { cpioFile } from '../helpers/cpio.js';

const dir = resolve(ROOT, '.cache/debian-armmp');
const kernel = resolve(dir, 'vmlinuz');
const initrd = resolve(FIXTURES, 'initramfs-armhf.cpio.gz');
const have = existsSync(kernel) && existsSync(initrd);

test('Debian armmp kernel, -smp 2: shell, two processors online, both run work', { skip: !have && 'run scripts/fetch-debian-kernel.sh' }, async () => {
  const version = readFileSync(resolve(dir, 'version'), 'utf8').trim();
  const g = new Guest(['-M', 'virt', '-m', '256', '-smp', '2', '-kernel', kernel, '-initrd', initrd,
    '-append', 'console=ttyAMA0', '-nographic', '-no-reboot', '-nic', 'none']);
  try {
    let at = await g.waitFor('smp: Brought up 1 node, 2 CPUs', 120_000);
    at = await g.waitFor(new RegExp(`=== FIXTURE INIT OK: Linux ${version.replace(/\./g, '\\.')} armv7l ===`), 120_000, at);
    at = await g.waitFor('/ # ', 60_000, at);
    g.send('echo n=$(nproc) p=$(grep -c ^processor /proc/cpuinfo) on=$(cat /sys/devices/system/cpu/online)\r');
    at = await g.waitFor('n=2 p=2 on=0-1', 30_000, at);
    // Pin one busy loop to each CPU; each must finish, so both CPUs schedule work.
    g.send('for c in 0 1; do taskset -c $c sh -c "i=0; while [ \\$i -lt 3000 ]; do i=\\$((i+1)); done; echo cpu$c-done" & done; wait\r');
    await g.waitFor('cpu0-done', 120_000, at);
    await g.waitFor('cpu1-done', 120_000, at);
    g.send('grep -E "^CPU[0-9]|IPI|arch_timer" /proc/interrupts\r');
    at = await g.waitFor(/Rescheduling interrupts/, 30_000, at);
    g.send('busybox sha1sum /bin/busybox\r');
    const want = createHash('sha1').update(cpioFile(initrd, 'bin/busybox')).digest('hex');
    at = await g.waitFor(`${want}  /bin/busybox`, 60_000, at);
    g.send('poweroff -f\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});
