/**
 * Linux 6.1 (the fixture's tiny virt kernel) with Debian's armhf busybox
 * initramfs: hard-float userland, so VFP must work, including Linux's lazy
 * enable through the undefined-instruction trap (FPEXC.EN = 0 at first use).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { FIXTURES, Guest } from '../helpers/guest.js';

const kernel = resolve(FIXTURES, 'zImage-arm-virt');
const initrd = resolve(FIXTURES, 'initramfs-armhf.cpio.gz');
const have = existsSync(kernel) && existsSync(initrd);

/** One file out of a gzipped newc cpio archive. */
function cpioFile(archive: string, want: string): Buffer {
  const d = gunzipSync(readFileSync(archive));
  for (let i = 0; i + 110 <= d.length;) {
    const field = (k: number) => parseInt(d.toString('latin1', i + 6 + 8 * k, i + 14 + 8 * k), 16);
    const size = field(6), nameSize = field(11);
    const name = d.toString('latin1', i + 110, i + 110 + nameSize - 1);
    const data = (i + 110 + nameSize + 3) & ~3;
    if (name === want) return d.subarray(data, data + size);
    if (name === 'TRAILER!!!') break;
    i = (data + size + 3) & ~3;
  }
  throw new Error(`${want} not in ${archive}`);
}

const args = ['-M', 'virt', '-m', '256', '-kernel', kernel, '-initrd', initrd, '-nographic', '-no-reboot', '-nic', 'none'];

test('Linux + armhf busybox: init marker, sha1sum of busybox, floating point in awk', { skip: !have && 'fixtures missing' }, async () => {
  const g = new Guest([...args, '-append', 'console=ttyAMA0']);
  try {
    await g.waitFor('=== FIXTURE INIT OK: Linux 6.1.192 armv7l ===', 120_000);
    let at = await g.waitFor('/ # ', 60_000);
    g.send('busybox sha1sum /bin/busybox\r');
    const want = createHash('sha1').update(cpioFile(initrd, 'bin/busybox')).digest('hex');
    at = await g.waitFor(`${want}  /bin/busybox`, 120_000, at);
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
