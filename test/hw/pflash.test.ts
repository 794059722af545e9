import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PFlashCFI01 } from '../../hw/block/pflash-cfi01.js';
import type { DeviceLog } from '../../hw/device.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const SECTOR = 256 * KiB;

/** A flash bank as QEMU's virt board has it: 64 MiB, two x16 chips on a 32-bit bus. */
function virtFlash(readOnly = false) {
  const errors: string[] = [];
  const log: DeviceLog = { unimp: (m) => errors.push(m), guestError: (m) => errors.push(m) };
  const data = new Uint8Array(64 * MiB);
  for (let i = 0; i < 4096; i++) data[i] = i & 0xff;
  const romd: boolean[] = [];
  const writes: [number, number][] = [];
  const flash = new PFlashCFI01({
    data, sectorSize: SECTOR, bankWidth: 4, deviceWidth: 2, readOnly, log,
    onRomdChange: (r) => romd.push(r),
    onWrite: (o, l) => writes.push([o, l]),
  });
  const rd = (off: number, size = 4) => flash.read(off, size, 0);
  const wr = (off: number, v: number, size = 4) => flash.write(off, v, size, 0);
  return { flash, data, rd, wr, romd, writes, errors };
}

test('read-array mode returns the data, little-endian', () => {
  const { rd, flash } = virtFlash();
  assert.equal(flash.romd, true);
  assert.equal(rd(0), 0x03020100);
  assert.equal(rd(5, 1), 5);
  assert.equal(rd(6, 2), 0x0706);
});

test('CFI query answers QRY at word offsets 0x10-0x12, replicated in both chips', () => {
  const { rd, wr, romd } = virtFlash();
  wr(0x55 * 4, 0x00980098);
  assert.deepEqual(romd, [false]);
  assert.equal(rd(0x10 * 4), 0x00510051); // 'Q'
  assert.equal(rd(0x11 * 4), 0x00520052); // 'R'
  assert.equal(rd(0x12 * 4), 0x00590059); // 'Y'
  assert.equal(rd(0x10 * 4, 1), 0x51);     // byte lanes of chip 0
  assert.equal(rd(0x10 * 4 + 2, 1), 0x51); // and chip 1
  assert.equal(rd(0x10 * 4 + 1, 1), 0x00);
  // Primary command set 0001, extended table at 0x31 ("PRI")
  assert.equal(rd(0x13 * 4) & 0xffff, 0x01);
  assert.equal(rd(0x15 * 4) & 0xffff, 0x31);
  assert.equal(rd(0x31 * 4) & 0xff, 0x50);
  // Per-chip geometry as QEMU computes it: 32 MiB per chip, 2 KiB write buffer,
  // one region of 256 blocks of 128 KiB.
  assert.equal(rd(0x27 * 4) & 0xffff, 25);
  assert.equal(rd(0x2a * 4) & 0xffff, 0x0b);
  assert.equal(rd(0x2c * 4) & 0xffff, 1);
  const region = [0x2d, 0x2e, 0x2f, 0x30].map((i) => rd(i * 4) & 0xffff);
  assert.deepEqual(region, [0xff, 0x00, 0x00, 0x02]);
  wr(0, 0xff);
  assert.deepEqual(romd, [false, true]);
  assert.equal(rd(0), 0x03020100);
});

test('read identifier: manufacturer 0x89, device 0x18, blocks unlocked', () => {
  const { rd, wr } = virtFlash();
  wr(0, 0x00900090);
  assert.equal(rd(0), 0x00890089);
  assert.equal(rd(4), 0x00180018);
  assert.equal(rd(SECTOR + 8), 0);
  wr(0, 0x00ff00ff);
  assert.equal(rd(4), 0x07060504);
});

test('word program changes the data and reports ready status', () => {
  const { rd, wr, data, writes } = virtFlash();
  wr(0x100, 0x00400040);
  wr(0x100, 0xdeadbeef);
  assert.equal(rd(0x100), 0x00800080); // status mode until Read Array
  wr(0, 0xff);
  assert.equal(rd(0x100), 0xdeadbeef);
  assert.deepEqual([...data.subarray(0x100, 0x104)], [0xef, 0xbe, 0xad, 0xde]);
  assert.deepEqual(writes, [[0x100, 4]]);
});

test('block erase (0x20, 0xD0) fills exactly one sector with 0xFF', () => {
  const { rd, wr, data, writes } = virtFlash();
  data[SECTOR] = 0x12;
  data[2 * SECTOR] = 0x34;
  wr(SECTOR + 0x1234, 0x00200020);
  assert.equal(data[SECTOR], 0x12, 'nothing happens before the confirm');
  wr(SECTOR + 0x1234, 0x00d000d0);
  assert.equal(rd(SECTOR) & 0xff, 0x80);
  wr(0, 0xff);
  assert.equal(rd(SECTOR), 0xffffffff);
  assert.ok(data.subarray(SECTOR, 2 * SECTOR).every((b) => b === 0xff));
  assert.equal(data[SECTOR - 1], 0, 'the sector before is untouched');
  assert.equal(data[2 * SECTOR], 0x34);
  assert.deepEqual(writes, [[SECTOR, SECTOR]]);
});

test('write to buffer programs N words on confirm', () => {
  const { rd, wr, data, writes } = virtFlash();
  const base = 0x2000;
  wr(base, 0x00e800e8);
  assert.equal(rd(base) & 0x80, 0x80, 'buffer available');
  wr(base, 0x00030003); // N-1 = 3 in each chip: four 32-bit words
  for (let i = 0; i < 4; i++) wr(base + 4 * i, 0x11111111 * (i + 1));
  assert.equal(data[base], 0, 'not programmed before the confirm');
  wr(base, 0x00d000d0);
  assert.equal(rd(base), 0x00800080);
  wr(0, 0xff);
  for (let i = 0; i < 4; i++) assert.equal(rd(base + 4 * i), (0x11111111 * (i + 1)) >>> 0);
  assert.equal(writes.length, 1);
  assert.equal(writes[0][0], base & ~(4096 - 1));
});

test('read-only flash reports program and erase errors and keeps its data', () => {
  const { rd, wr, data } = virtFlash(true);
  wr(0, 0x40);
  wr(0, 0x12345678);
  assert.equal(rd(0) & 0x10, 0x10);
  wr(0, 0x50); // clear status (and back to read array)
  assert.equal(rd(0), 0x03020100);
  wr(0, 0x20);
  wr(0, 0xd0);
  assert.equal(rd(0) & 0xff, 0xa0);
  assert.equal(data[0], 0);
  wr(0, 0x50);
  wr(0, 0x70);
  assert.equal(rd(0), 0x00800080);
});

test('lock and unlock are accepted; unknown commands are logged and return to read array', () => {
  const { rd, wr, errors, flash } = virtFlash();
  wr(0, 0x60);
  wr(0, 0xd0);
  assert.equal(rd(0) & 0xff, 0x80);
  wr(0, 0x60);
  wr(0, 0x01);
  assert.equal(rd(0) & 0xff, 0x80);
  wr(0, 0xaa);
  assert.equal(errors.length, 1);
  assert.equal(flash.romd, true);
  assert.equal(rd(0), 0x03020100);
});

test('reset returns to read-array mode', () => {
  const { flash, wr, romd } = virtFlash();
  wr(0, 0x98);
  flash.reset();
  assert.equal(flash.romd, true);
  assert.deepEqual(romd, [false, true]);
});

test('an 8-bit bank of one x8 chip answers QRY at byte offsets', () => {
  const flash = new PFlashCFI01({
    data: new Uint8Array(1 * MiB), sectorSize: 64 * KiB, bankWidth: 1, deviceWidth: 1, readOnly: false,
    log: { unimp() {}, guestError() {} }, onRomdChange() {},
  });
  flash.write(0x55, 0x98, 1, 0);
  assert.equal(flash.read(0x10, 1, 0), 0x51);
  assert.equal(flash.read(0x27, 1, 0), 20);   // 1 MiB
  assert.equal(flash.read(0x2a, 1, 0), 0x08);
  assert.equal(flash.read(0x2d, 1, 0), 15);   // 16 blocks
  assert.equal(flash.read(0x30, 1, 0), 0x01); // of 64 KiB
});
