/**
 * Linux 6.1 (the fixture's tiny virt kernel, ARM mode) with Debian's armel
 * busybox initramfs: boots to the fixture's init marker and a shell where
 * busybox hashes itself exactly as the host does (issue 4's first step).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { FIXTURES, Guest, runTsemu } from '../helpers/guest.js';
import { cpioFile } from '../helpers/cpio.js';

const kernel = resolve(FIXTURES, 'zImage-arm-virt');
const initrd = resolve(FIXTURES, 'initramfs-armel.cpio.gz');
const have = existsSync(kernel) && existsSync(initrd);

const args = ['-M', 'virt', '-m', '256', '-kernel', kernel, '-initrd', initrd, '-nographic', '-no-reboot', '-nic', 'none'];

test('Linux + armel busybox: init marker, shell, sha1sum of busybox matches the host', { skip: !have && 'fixtures missing' }, async () => {
  const g = new Guest([...args, '-append', 'console=ttyAMA0']);
  try {
    await g.waitFor('=== FIXTURE INIT OK: Linux 6.1.192 armv7l ===', 120_000);
    let at = await g.waitFor('/ # ', 60_000);
    g.send('busybox sha1sum /bin/busybox\r');
    const want = createHash('sha1').update(cpioFile(initrd, 'bin/busybox')).digest('hex');
    at = await g.waitFor(`${want}  /bin/busybox`, 120_000, at);
    g.send('echo $((6*7)) $((100/7))\r');
    await g.waitFor('42 14', 30_000, at);
    g.send('poweroff -f\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});

test('Linux fixture=reboot with -no-reboot exits 0', { skip: !have && 'fixtures missing' }, async () => {
  const r = await runTsemu([...args, '-append', 'console=ttyAMA0 fixture=reboot'], '', 180_000);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /=== FIXTURE INIT OK: Linux 6\.1\.192 armv7l ===/);
  assert.match(r.out, /=== FIXTURE REBOOT ===/);
});
