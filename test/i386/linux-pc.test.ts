/**
 * The fixture's Linux 6.1 i386 bzImage on -M pc the way QEMU is used with
 * it (`-kernel bzImage -initrd initramfs -append console=ttyS0`): the board
 * loads it through the 32-bit boot protocol (machines/linux-x86.ts). Init
 * marker, a busybox shell on the 16550 (input through its interrupt and the
 * 8259), busybox hashing itself as the host does, `reboot -f` with
 * -no-reboot ending the run (reset through the 8042).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { FIXTURES, Guest } from '../helpers/guest.js';
import { cpioFile } from '../helpers/cpio.js';

const BZ = resolve(FIXTURES, 'bzImage-x86-i386');
const INITRD = resolve(FIXTURES, 'initramfs-i386.cpio.gz');

test('Linux i386 bzImage with -kernel/-initrd/-append: shell, sha1sum of busybox, reboot -f', { skip: !(existsSync(BZ) && existsSync(INITRD)) && 'Linux i386 fixture missing' }, async () => {
  const g = new Guest(['-M', 'pc', '-m', '128', '-kernel', BZ, '-initrd', INITRD, '-append', 'console=ttyS0', '-nographic', '-no-reboot', '-nic', 'none']);
  try {
    let at = await g.waitFor('=== FIXTURE INIT OK: Linux 6.1.192 i686 ===', 120_000);
    at = await g.waitFor('/ # ', 60_000, at);
    g.send('busybox sha1sum /bin/busybox\r');
    const want = createHash('sha1').update(cpioFile(INITRD, 'bin/busybox')).digest('hex');
    at = await g.waitFor(`${want}  /bin/busybox`, 120_000, at);
    g.send('echo $((6*7)) $(uname -m)\r');
    at = await g.waitFor('42 i686', 30_000, at);
    g.send('reboot -f\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});
