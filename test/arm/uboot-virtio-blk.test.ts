/**
 * A second, independent virtio driver: Debian's U-Boot for qemu_arm finds
 * the disk on its virtio-mmio transport, reads a sector the host wrote and
 * writes one the host then finds in the image file.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Guest, UBOOT_ARM } from '../helpers/guest.js';

const dir = mkdtempSync(join(tmpdir(), 'tsemu-uboot-vblk-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('U-Boot: virtio scan, info, read and write on a raw image', { skip: !existsSync(UBOOT_ARM) && 'u-boot-qemu not installed' }, async () => {
  const image = join(dir, 'disk.img');
  const bytes = Buffer.alloc(1 << 20);
  bytes.fill(0xc3, 3 * 512, 4 * 512);
  bytes.write('U-Boot reads this', 3 * 512, 'latin1');
  writeFileSync(image, bytes);
  const g = new Guest(['-M', 'virt', '-m', '256', '-nographic', '-bios', UBOOT_ARM, '-no-reboot', '-drive', `file=${image},format=raw,if=virtio`]);
  try {
    await g.waitFor('Hit any key to stop autoboot');
    g.send(' ');
    let at = await g.waitFor('=> ');
    g.send('virtio scan; virtio info\r');
    at = await g.waitFor('Capacity: 1.0 MB = 0.0 GB (2048 x 512)', 60_000, at);
    g.send('virtio read 0x41000000 3 1; md.b 0x41000000 0x11\r');
    at = await g.waitFor('1 blocks read: OK', 60_000, at);
    at = await g.waitFor('41000000: 55 2d 42 6f 6f 74 20 72 65 61 64 73 20 74 68 69', 60_000, at);
    g.send('mw.b 0x42000000 0x5a 0x400; virtio write 0x42000000 7 2\r');
    at = await g.waitFor('2 blocks written: OK', 60_000, at);
    await g.waitFor('=> ', 60_000, at);
    g.send('reset\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
  const after = readFileSync(image);
  assert.ok(after.subarray(7 * 512, 9 * 512).every((b) => b === 0x5a), 'sectors 7-8 written');
  bytes.fill(0x5a, 7 * 512, 9 * 512);
  assert.ok(after.equals(bytes), 'nothing else changed');
});
