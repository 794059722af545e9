/**
 * virtio-mmio + virtio-blk driven by hand, as a driver would: registers,
 * feature negotiation, a split virtqueue laid out in guest RAM, requests
 * built from descriptors, and the bytes that end up in the image file.
 */
import { after, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostMemory } from '../../softmmu/host-memory.js';
import { AddressSpace } from '../../softmmu/memory.js';
import { Dma } from '../../softmmu/dma.js';
import * as R from '../../hw/virtio/virtio-mmio.js';
import { VirtioMmio } from '../../hw/virtio/virtio-mmio.js';
import { VirtioBlk, VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_RO, VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_GET_ID, VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT } from '../../hw/block/virtio-blk.js';
import { RawFile } from '../../hw/block/raw-file.js';
import { CowOverlay } from '../../hw/block/cow-overlay.js';
import type { BlockBackend } from '../../hw/block/block-backend.js';
import { openDrive } from '../../machines/open-drive.js';

const RAM = 0x40000000;
const SECTORS = 64;
// Guest-physical layout of the queue and buffers.
const DESC = RAM + 0x1000, AVAIL = RAM + 0x2000, USED = RAM + 0x3000, BUF = RAM + 0x10000, INDIRECT = RAM + 0x4000;
const QSIZE = 8;
const F_NEXT = 1, F_WRITE = 2, F_INDIRECT = 4;
const STATUS_OK = 0, STATUS_IOERR = 1, STATUS_UNSUPP = 2;

const dir = mkdtempSync(join(tmpdir(), 'tsemu-vblk-dev-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

function image(): Buffer {
  const b = Buffer.alloc(SECTORS * 512);
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + (i >> 9)) & 0xff;
  return b;
}

let imgPath = '';
let n = 0;
beforeEach(() => {
  imgPath = join(dir, `disk${n++}.img`);
  writeFileSync(imgPath, image());
});

/** A transport on RAM with a driver that speaks through its registers. */
class Rig {
  readonly host = new HostMemory();
  readonly as = new AddressSpace('memory', this.host);
  readonly errors: string[] = [];
  readonly dev: VirtioMmio;
  readonly blk: VirtioBlk | null;
  private avail = 0;
  private nextDesc = 0;

  constructor(backend: BlockBackend | null, opts: { serial?: string } = {}) {
    this.as.addRam('ram', RAM, 1 << 20);
    this.host.create();
    this.blk = backend ? new VirtioBlk(backend, opts) : null;
    this.dev = new VirtioMmio('virtio.31', this.blk, new Dma(this.as, this.host), { unimp: (m) => this.errors.push(m), guestError: (m) => this.errors.push(m) });
  }

  r(off: number): number { return this.dev.read(off, 4, 0); }
  w(off: number, v: number): void { this.dev.write(off, v, 4, 0); }
  features(): bigint {
    this.w(R.DeviceFeaturesSel, 0);
    const lo = this.r(R.DeviceFeatures);
    this.w(R.DeviceFeaturesSel, 1);
    return BigInt(lo) | (BigInt(this.r(R.DeviceFeatures)) << 32n);
  }

  /** The driver initialisation sequence of §3.1.1, accepting `accept` of the offered features. */
  init(accept?: bigint): void {
    this.w(R.Status, 0);
    this.w(R.Status, 1);
    this.w(R.Status, 1 | 2);
    const f = accept ?? this.features();
    this.w(R.DriverFeaturesSel, 0); this.w(R.DriverFeatures, Number(f & 0xffffffffn));
    this.w(R.DriverFeaturesSel, 1); this.w(R.DriverFeatures, Number(f >> 32n));
    this.w(R.Status, 1 | 2 | 8);
    assert.equal(this.r(R.Status) & 8, 8, 'FEATURES_OK accepted');
    this.w(R.QueueSel, 0);
    assert.equal(this.r(R.QueueNumMax), 256);
    this.w(R.QueueNum, QSIZE);
    this.w(R.QueueDescLow, DESC); this.w(R.QueueDescHigh, 0);
    this.w(R.QueueDriverLow, AVAIL); this.w(R.QueueDriverHigh, 0);
    this.w(R.QueueDeviceLow, USED); this.w(R.QueueDeviceHigh, 0);
    this.w(R.QueueReady, 1);
    this.w(R.Status, 1 | 2 | 8 | 4);
  }

  put(addr: number, data: Uint8Array): void { this.as.load(addr, data); }
  get(addr: number, len: number): Buffer { return Buffer.from(new Dma(this.as, this.host).read(addr, len)); }
  u16(addr: number): number { return this.as.read(addr, 2)!; }
  u32(addr: number): number { return this.as.read(addr, 4)!; }

  /** Write a descriptor chain into table `table` from index `first`; returns the head index. */
  chain(bufs: { addr: number; len: number; write?: boolean; indirect?: boolean }[], table = DESC, first?: number): number {
    // Requests complete one at a time, so a chain may reuse the table from 0 when it would not fit.
    const head = first ?? (this.nextDesc + bufs.length > QSIZE ? 0 : this.nextDesc);
    bufs.forEach((b, i) => {
      const d = table + 16 * (head + i);
      const last = i === bufs.length - 1;
      this.as.write(d, b.addr, 4); this.as.write(d + 4, 0, 4);
      this.as.write(d + 8, b.len, 4);
      this.as.write(d + 12, (last ? 0 : F_NEXT) | (b.write ? F_WRITE : 0) | (b.indirect ? F_INDIRECT : 0), 2);
      this.as.write(d + 14, last ? 0 : head + i + 1, 2);
    });
    if (first === undefined) this.nextDesc = (head + bufs.length) % QSIZE;
    return head;
  }

  /** Make `head` available and notify; returns the used element written for it. */
  submit(head: number): { id: number; len: number } {
    this.as.write(AVAIL + 4 + 2 * (this.avail % QSIZE), head, 2);
    this.avail = (this.avail + 1) & 0xffff;
    this.as.write(AVAIL + 2, this.avail, 2);
    const usedBefore = this.u16(USED + 2);
    this.w(R.QueueNotify, 0);
    assert.equal(this.u16(USED + 2), (usedBefore + 1) & 0xffff, 'one used element');
    const slot = USED + 4 + 8 * (usedBefore % QSIZE);
    return { id: this.u32(slot), len: this.u32(slot + 4) };
  }

  header(type: number, sector: number): Uint8Array {
    const h = new DataView(new ArrayBuffer(16));
    h.setUint32(0, type, true);
    h.setUint32(8, sector, true);
    return new Uint8Array(h.buffer);
  }

  /** A request with header at BUF, data buffers as given, status byte after them. */
  request(type: number, sector: number, data: { len: number; write: boolean }[]): { used: { id: number; len: number }; status: number; dataAt: number[] } {
    this.put(BUF, this.header(type, sector));
    let at = BUF + 0x100;
    const bufs: { addr: number; len: number; write?: boolean }[] = [{ addr: BUF, len: 16 }];
    const dataAt: number[] = [];
    for (const d of data) { bufs.push({ addr: at, len: d.len, write: d.write }); dataAt.push(at); at += d.len + 0x100; }
    const statusAt = at;
    this.put(statusAt, Uint8Array.of(0xff));
    bufs.push({ addr: statusAt, len: 1, write: true });
    const used = this.submit(this.chain(bufs));
    return { used, status: this.get(statusAt, 1)[0], dataAt };
  }
}

test('registers: magic, version 2, QEMU vendor, block device features and config', () => {
  const rig = new Rig(new RawFile(imgPath), { serial: 'SN1' });
  assert.equal(rig.r(R.MagicValue), 0x74726976);
  assert.equal(rig.r(R.Version), 2);
  assert.equal(rig.r(R.DeviceID), 2);
  assert.equal(rig.r(R.VendorID), 0x554d4551);
  const f = rig.features();
  assert.ok(f & (1n << 32n), 'VERSION_1');
  assert.ok(f & (1n << BigInt(VIRTIO_BLK_F_FLUSH)), 'FLUSH');
  assert.ok(f & (1n << 2n), 'SEG_MAX');
  assert.ok(f & (1n << 6n), 'BLK_SIZE');
  assert.ok(!(f & (1n << BigInt(VIRTIO_BLK_F_RO))), 'not RO');
  assert.equal(rig.r(R.Config), SECTORS);         // capacity, low word
  assert.equal(rig.r(R.Config + 4), 0);           // capacity, high word
  assert.equal(rig.dev.read(R.Config + 20, 4, 0), 512);   // blk_size
  assert.equal(rig.dev.read(R.Config, 1, 0), SECTORS);     // byte access to config works
  assert.equal(rig.r(R.ConfigGeneration), 0);
});

test('a transport with no device reads DeviceID 0 and offers nothing', () => {
  const rig = new Rig(null);
  assert.equal(rig.r(R.MagicValue), 0x74726976);
  assert.equal(rig.r(R.DeviceID), 0);
  assert.equal(rig.features(), 0n);
  assert.equal(rig.r(R.QueueNumMax), 0);
});

test('IN over two data buffers returns the image bytes, used len and an interrupt', () => {
  const rig = new Rig(new RawFile(imgPath));
  let irq = false;
  rig.dev.irq.connect((l) => { irq = l; });
  rig.init();
  const r = rig.request(VIRTIO_BLK_T_IN, 3, [{ len: 512, write: true }, { len: 1024, write: true }]);
  assert.equal(r.status, STATUS_OK);
  assert.equal(r.used.len, 1536 + 1);
  assert.deepEqual(Buffer.concat([rig.get(r.dataAt[0], 512), rig.get(r.dataAt[1], 1024)]), image().subarray(3 * 512, 6 * 512));
  assert.equal(rig.r(R.InterruptStatus), 1);
  assert.equal(irq, true);
  rig.w(R.InterruptACK, 1);
  assert.equal(irq, false);
});

test('OUT reaches the file before the request completes; FLUSH and GET_ID', () => {
  const rig = new Rig(new RawFile(imgPath), { serial: 'tsemu-serial' });
  rig.init();
  const data = Buffer.alloc(1024, 0xa5);
  rig.put(BUF + 0x100, data);
  const r = rig.request(VIRTIO_BLK_T_OUT, 10, [{ len: 1024, write: false }]);
  assert.equal(r.status, STATUS_OK);
  assert.equal(r.used.len, 1);
  const want = image();
  data.copy(want, 10 * 512);
  assert.equal(sha1(readFileSync(imgPath)), sha1(want), 'file holds the write at once');

  const fl = rig.request(VIRTIO_BLK_T_FLUSH, 0, []);
  assert.equal(fl.status, STATUS_OK);
  assert.equal(rig.blk!.flushes, 1);

  const id = rig.request(VIRTIO_BLK_T_GET_ID, 0, [{ len: 20, write: true }]);
  assert.equal(id.status, STATUS_OK);
  assert.equal(rig.get(id.dataAt[0], 13).toString('latin1'), 'tsemu-serial\0');
});

test('unsupported type answers UNSUPP; past the end or partial sectors answer IOERR and write nothing', () => {
  const rig = new Rig(new RawFile(imgPath));
  rig.init();
  assert.equal(rig.request(11 /* DISCARD */, 0, [{ len: 16, write: false }]).status, STATUS_UNSUPP);
  rig.put(BUF + 0x100, Buffer.alloc(1024, 0x55));
  assert.equal(rig.request(VIRTIO_BLK_T_OUT, SECTORS - 1, [{ len: 1024, write: false }]).status, STATUS_IOERR);
  assert.equal(rig.request(VIRTIO_BLK_T_IN, SECTORS, [{ len: 512, write: true }]).status, STATUS_IOERR);
  assert.equal(rig.request(VIRTIO_BLK_T_IN, 0, [{ len: 100, write: true }]).status, STATUS_IOERR);
  assert.equal(sha1(readFileSync(imgPath)), sha1(image()));
});

test('indirect descriptors and a wrapped ring', () => {
  const rig = new Rig(new RawFile(imgPath));
  rig.init();
  for (let i = 0; i < QSIZE * 2 + 3; i++) {
    // header, one 512-byte buffer, status: all in an indirect table of 3
    rig.put(BUF, rig.header(VIRTIO_BLK_T_IN, i % SECTORS));
    rig.put(BUF + 0x1000, Uint8Array.of(0xff));
    rig.chain([{ addr: BUF, len: 16 }, { addr: BUF + 0x200, len: 512, write: true }, { addr: BUF + 0x1000, len: 1, write: true }], INDIRECT, 0);
    const head = rig.chain([{ addr: INDIRECT, len: 48, indirect: true }]);
    const used = rig.submit(head);
    assert.equal(used.id, head);
    assert.equal(used.len, 513);
    assert.equal(rig.get(BUF + 0x1000, 1)[0], STATUS_OK);
    assert.deepEqual(rig.get(BUF + 0x200, 512), image().subarray((i % SECTORS) * 512, (i % SECTORS + 1) * 512));
  }
});

test('a descriptor outside RAM sets DEVICE_NEEDS_RESET and logs, and a reset recovers', () => {
  const rig = new Rig(new RawFile(imgPath));
  rig.init();
  rig.put(BUF, rig.header(VIRTIO_BLK_T_IN, 0));
  const head = rig.chain([{ addr: BUF, len: 16 }, { addr: 0x10000000, len: 512, write: true }, { addr: BUF + 0x1000, len: 1, write: true }]);
  rig.as.write(AVAIL + 4, head, 2);
  rig.as.write(AVAIL + 2, 1, 2);
  rig.w(R.QueueNotify, 0);
  assert.equal(rig.r(R.Status) & 0x40, 0x40, 'DEVICE_NEEDS_RESET');
  assert.equal(rig.r(R.InterruptStatus) & 2, 2, 'configuration change interrupt');
  assert.equal(rig.u16(USED + 2), 0, 'nothing used');
  assert.match(rig.errors.join('\n'), /not RAM.*needs reset/);
  rig.as.write(AVAIL + 2, 0, 2);   // a resetting driver starts with empty rings
  rig.init();
  assert.equal(rig.r(R.Status), 15);
});

test('a driver that accepts unoffered features does not get FEATURES_OK', () => {
  const rig = new Rig(new RawFile(imgPath));
  rig.w(R.Status, 1 | 2);
  rig.w(R.DriverFeaturesSel, 0); rig.w(R.DriverFeatures, 1 << 13);   // DISCARD, not offered
  rig.w(R.DriverFeaturesSel, 1); rig.w(R.DriverFeatures, 1);
  rig.w(R.Status, 1 | 2 | 8);
  assert.equal(rig.r(R.Status) & 8, 0);
});

test('snapshot: writes are read back, the image file is untouched', () => {
  const before = sha1(readFileSync(imgPath));
  const backend = openDrive({ file: imgPath, format: 'raw', readonly: false, snapshot: true });
  assert.ok(backend instanceof CowOverlay);
  const rig = new Rig(backend);
  rig.init();
  assert.ok(!(rig.features() & (1n << BigInt(VIRTIO_BLK_F_RO))), 'the guest may write');
  const data = Buffer.alloc(512 * 2, 0x3c);
  rig.put(BUF + 0x100, data);
  assert.equal(rig.request(VIRTIO_BLK_T_OUT, 7, [{ len: 1024, write: false }]).status, STATUS_OK);
  // Read sectors 6..9: image, written, written, image.
  const r = rig.request(VIRTIO_BLK_T_IN, 6, [{ len: 2048, write: true }]);
  const want = image().subarray(6 * 512, 10 * 512);
  data.copy(want, 512);
  assert.deepEqual(rig.get(r.dataAt[0], 2048), want);
  assert.equal(rig.request(VIRTIO_BLK_T_FLUSH, 0, []).status, STATUS_OK);
  backend.close();
  assert.equal(sha1(readFileSync(imgPath)), before);
});

test('overlay keeps the rest of a sector on a partial write', () => {
  const o = new CowOverlay(new RawFile(imgPath, true));
  o.write(Uint8Array.of(1, 2, 3), 0, 3, 512 * 4 + 10);
  const got = new Uint8Array(512 * 3);
  o.read(got, 0, got.length, 512 * 3);
  const want = image().subarray(512 * 3, 512 * 6);
  want.set([1, 2, 3], 512 + 10);
  assert.deepEqual(Buffer.from(got), want);
  o.close();
});

test('readonly=on and an unwritable file: RO feature, OUT answers IOERR', () => {
  const ro = new Rig(openDrive({ file: imgPath, format: 'raw', readonly: true, snapshot: false }));
  assert.ok(ro.features() & (1n << BigInt(VIRTIO_BLK_F_RO)));
  ro.init();
  assert.equal(ro.request(VIRTIO_BLK_T_OUT, 0, [{ len: 512, write: false }]).status, STATUS_IOERR);
  assert.equal(sha1(readFileSync(imgPath)), sha1(image()));
  if (process.getuid?.() !== 0) {   // root can write anyway
    chmodSync(imgPath, 0o444);
    const file = new RawFile(imgPath);
    assert.equal(file.readOnly, true);
    file.close();
  }
});

test('EVENT_IDX: no interrupt until used idx passes used_event', () => {
  const rig = new Rig(new RawFile(imgPath));
  rig.init();   // accepts everything offered, EVENT_IDX included
  rig.as.write(AVAIL + 4 + 2 * QSIZE, 5, 2);   // used_event: interrupt when used idx passes 5
  for (let i = 0; i < 6; i++) {
    rig.request(VIRTIO_BLK_T_IN, i, [{ len: 512, write: true }]);
    const first = i === 0;   // the first completion always interrupts
    assert.equal(rig.r(R.InterruptStatus), first || i === 5 ? 1 : 0, `after request ${i}`);
    assert.equal(rig.u16(USED + 4 + 8 * QSIZE), i + 1, 'avail_event follows the device');
    rig.w(R.InterruptACK, 1);
  }
});
