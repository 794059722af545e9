/**
 * Debian's own armmp kernel finds a virtio disk the way it would on QEMU:
 * virtio_mmio and virtio_blk load from the initramfs, /dev/vda has the
 * image's size, reads match the host's bytes, a write from the guest lands
 * in the image file by the time the emulator exits, and under -snapshot the
 * guest sees its write while the file stays as it was.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURES, Guest, ROOT } from '../helpers/guest.js';
import { cpioArchive } from '../helpers/cpio.js';

const DEBIAN = resolve(ROOT, '.cache/debian-armmp');
const BASE_INITRD = resolve(FIXTURES, 'initramfs-armhf.cpio.gz');
const have = existsSync(join(DEBIAN, 'vmlinuz')) && existsSync(join(DEBIAN, 'virtio_blk.ko')) && existsSync(BASE_INITRD);
const skip = !have && '.cache/debian-armmp missing (bash scripts/fetch-debian-kernel.sh) or fixtures missing';

const SECTORS = 16384;   // 8 MiB
const dir = mkdtempSync(join(tmpdir(), 'tsemu-vblk-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every sector different, so an off-by-one sector shows. */
function pattern(): Buffer {
  const img = Buffer.alloc(SECTORS * 512);
  for (let i = 0; i < img.length; i += 4) img.writeUInt32LE((Math.imul(i >>> 2, 2654435761) ^ (i >>> 9)) >>> 0, i);
  return img;
}

/** The fixture initramfs with the two modules appended as a second archive. */
function initrd(): string {
  const path = join(dir, 'initrd-virtio.cpio.gz');
  if (!existsSync(path)) {
    const mods = cpioArchive(['virtio_mmio.ko', 'virtio_blk.ko'].map((name) => ({ name, data: readFileSync(join(DEBIAN, name)) })));
    writeFileSync(path, Buffer.concat([readFileSync(BASE_INITRD), mods]));
  }
  return path;
}

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const WRITTEN = 'tsemu virtio-blk was here\n';

/** Boot, load the modules, check size and a sector read; returns the guest at its prompt. */
async function bootWithDisk(image: string, extra: string[]): Promise<{ g: Guest; at: number }> {
  const g = new Guest(['-M', 'virt', '-m', '256', '-kernel', join(DEBIAN, 'vmlinuz'), '-initrd', initrd(), '-append', 'console=ttyAMA0',
    '-nographic', '-no-reboot', '-nic', 'none', '-drive', `file=${image},format=raw,if=virtio,serial=tsemu-disk-0`, ...extra]);
  try {
    let at = await g.waitFor('/ # ', 180_000);
    g.send('insmod /virtio_mmio.ko; insmod /virtio_blk.ko; echo mods-$?\r');
    at = await g.waitFor('mods-0', 60_000, at);
    g.send('echo size-$(cat /sys/block/vda/size) serial-$(cat /sys/block/vda/serial) ro-$(cat /sys/block/vda/ro)\r');
    at = await g.waitFor(`size-${SECTORS} serial-tsemu-disk-0 ro-0`, 30_000, at);
    g.send('dd if=/dev/vda bs=512 count=1 skip=3 2>/dev/null | sha1sum\r');
    at = await g.waitFor(`${sha1(pattern().subarray(3 * 512, 4 * 512))}  -`, 30_000, at);
    return { g, at };
  } catch (e) {
    g.kill();
    throw e;
  }
}

/** Write WRITTEN at sector 5, sync, drop the page cache, and read it back from the device. */
async function writeAndReadBack(g: Guest, at: number): Promise<number> {
  g.send(`printf '${WRITTEN.replace('\n', '\\n')}' | dd of=/dev/vda bs=512 seek=5 conv=fsync 2>/dev/null; sync; echo 3 > /proc/sys/vm/drop_caches; echo wrote-$?\r`);
  at = await g.waitFor('wrote-0', 60_000, at);
  const want = Buffer.from(pattern().subarray(5 * 512, 6 * 512));
  want.write(WRITTEN, 'latin1');
  g.send('dd if=/dev/vda bs=512 count=1 skip=5 2>/dev/null | sha1sum\r');
  return g.waitFor(`${sha1(want)}  -`, 30_000, at);
}

test('Debian armmp + virtio-blk: /dev/vda size, serial, reads match the image, a guest write reaches the file', { skip }, async () => {
  const image = join(dir, 'disk.img');
  writeFileSync(image, pattern());
  const { g, at } = await bootWithDisk(image, []);
  try {
    await writeAndReadBack(g, at);
    g.send('poweroff -f\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
  const img = readFileSync(image);
  const want = pattern();
  want.write(WRITTEN, 5 * 512, 'latin1');
  assert.equal(img.length, want.length);
  assert.equal(img.subarray(5 * 512, 6 * 512).toString('latin1'), want.subarray(5 * 512, 6 * 512).toString('latin1'));
  assert.ok(img.equals(want), 'nothing but sector 5 changed');
});

test('Debian armmp + virtio-blk under -snapshot: the guest reads its write back, the image file is unchanged', { skip }, async () => {
  const image = join(dir, 'snap.img');
  writeFileSync(image, pattern());
  const before = sha1(readFileSync(image));
  const { g, at } = await bootWithDisk(image, ['-snapshot']);
  try {
    await writeAndReadBack(g, at);
    g.send('poweroff -f\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
  assert.equal(sha1(readFileSync(image)), before);
});
