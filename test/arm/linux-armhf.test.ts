/**
 * Linux 6.1 (the fixture's tiny virt kernel) with Debian's armhf busybox
 * initramfs: hard-float userland, so VFP must work, including Linux's lazy
 * enable through the undefined-instruction trap (FPEXC.EN = 0 at first use).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { FIXTURES } from '../helpers/guest.js';
import { bootToShellAndHashBusybox, haveLinux } from '../helpers/linux.js';

const initrd = resolve(FIXTURES, 'initramfs-armhf.cpio.gz');

test('Linux + armhf busybox: init marker, sha1sum of busybox, floating point in awk', { skip: !haveLinux(initrd) && 'fixtures missing' }, async () => {
  let { g, at } = await bootToShellAndHashBusybox(initrd);
  try {
    g.send("awk 'BEGIN{print 2.5*4, 1/3, int(-7.9), 10/4 < 3, 1e10/7}'\r");
    at = await g.waitFor('10 0.333333 -7 1 1.42857e+09', 30_000, at);
    g.send("awk 'BEGIN{printf \"%.3f %d %g\\n\", 3.14159, 7.9, 1e-5*3}'\r");
    at = await g.waitFor('3.142 7 3e-05', 30_000, at);
    g.send('poweroff -f\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});
