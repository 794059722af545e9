/**
 * Linux 6.1 (the fixture's tiny virt kernel, ARM mode) with Debian's armel
 * busybox initramfs: boots to the fixture's init marker and a shell where
 * busybox hashes itself exactly as the host does (issue 4's first step).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { FIXTURES, runTsemu } from '../helpers/guest.js';
import { bootToShellAndHashBusybox, haveLinux, linuxArgs } from '../helpers/linux.js';

const initrd = resolve(FIXTURES, 'initramfs-armel.cpio.gz');
const have = haveLinux(initrd);

test('Linux + armel busybox: init marker, shell, sha1sum of busybox matches the host', { skip: !have && 'fixtures missing' }, async () => {
  const { g, at } = await bootToShellAndHashBusybox(initrd);
  try {
    g.send('echo $((6*7)) $((100/7))\r');
    await g.waitFor('42 14', 30_000, at);
    g.send('poweroff -f\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});

test('Linux fixture=reboot with -no-reboot exits 0', { skip: !have && 'fixtures missing' }, async () => {
  const r = await runTsemu([...linuxArgs(initrd), '-append', 'console=ttyAMA0 fixture=reboot'], '', 180_000);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /=== FIXTURE INIT OK: Linux 6\.1\.192 armv7l ===/);
  assert.match(r.out, /=== FIXTURE REBOOT ===/);
});
