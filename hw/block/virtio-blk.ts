/**
 * virtio block device (virtio 1.1 §5.2) on a BlockBackend: one request
 * queue, 512-byte sectors. A request is a chain holding
 *   { type u32, reserved u32, sector u64 }   device-readable header
 *   data                                     readable (OUT) or writable (IN, GET_ID)
 *   status u8                                the last device-writable byte
 * IN, OUT, FLUSH and GET_ID are served; anything else answers UNSUPP, and a
 * transfer that is not whole sectors or runs past the end answers IOERR.
 */
import type { BlockBackend } from './block-backend.js';
import type { Chain, VirtQueue } from '../virtio/virtqueue.js';
import { iovRead, iovSlice, iovWrite } from '../virtio/iov.js';
import { VIRTIO_ID_BLOCK, bit, type VirtioContext, type VirtioDevice } from '../virtio/virtio-device.js';

// Feature bits (§5.2.3)
export const VIRTIO_BLK_F_SIZE_MAX = 1;
export const VIRTIO_BLK_F_SEG_MAX = 2;
export const VIRTIO_BLK_F_RO = 5;
export const VIRTIO_BLK_F_BLK_SIZE = 6;
export const VIRTIO_BLK_F_FLUSH = 9;

// Request types (§5.2.6)
export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;

// Request status
export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

// Configuration layout (§5.2.4)
export const CFG_CAPACITY = 0;    // u64, in 512-byte sectors
export const CFG_SEG_MAX = 12;    // u32
export const CFG_BLK_SIZE = 20;   // u32
const CONFIG_SIZE = 60;           // up to and including the write-zeroes fields

export const SECTOR = 512;
export const VIRTIO_BLK_ID_BYTES = 20;
const HEADER = 16;
const QUEUE_SIZE = 256;           // QEMU's default queue-size

export interface VirtioBlkOptions {
  /** What GET_ID returns (at most 20 bytes; QEMU's `serial=`). */
  serial?: string;
}

export class VirtioBlk implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly numQueues = 1;
  readonly queueMax = QUEUE_SIZE;
  readonly features: bigint;
  readonly config = new Uint8Array(CONFIG_SIZE);
  readonly capacity: number;
  readonly serial: string;
  // Counters for `info blockstats`-like output and tests.
  reads = 0;
  writes = 0;
  flushes = 0;

  constructor(readonly backend: BlockBackend, opts: VirtioBlkOptions = {}) {
    this.serial = opts.serial ?? '';
    this.capacity = Math.floor(backend.size / SECTOR);
    this.features = bit(VIRTIO_BLK_F_SEG_MAX) | bit(VIRTIO_BLK_F_BLK_SIZE) | bit(VIRTIO_BLK_F_FLUSH)
      | (backend.readOnly ? bit(VIRTIO_BLK_F_RO) : 0n);
    const dv = new DataView(this.config.buffer);
    dv.setUint32(CFG_CAPACITY, this.capacity >>> 0, true);
    dv.setUint32(CFG_CAPACITY + 4, Math.floor(this.capacity / 2 ** 32), true);
    dv.setUint32(CFG_SEG_MAX, QUEUE_SIZE - 2, true);   // header and status take two descriptors
    dv.setUint32(CFG_BLK_SIZE, SECTOR, true);
  }

  reset(): void { /* no state beyond the queue, which the transport resets */ }

  notify(_index: number, q: VirtQueue, ctx: VirtioContext): void {
    let used = false;
    for (let chain = q.pop(ctx.dma); chain; chain = q.pop(ctx.dma)) {
      const written = this.request(chain, ctx);
      q.push(ctx.dma, chain, written);
      used = true;
    }
    if (used) ctx.notifyUsed(q);
  }

  /** Serve one request; returns the bytes written into the driver's buffers (data + status). */
  private request(chain: Chain, ctx: VirtioContext): number {
    const u8 = ctx.dma.host.u8;
    if (chain.outLen < HEADER || chain.inLen < 1) {
      ctx.log.guestError(`virtio-blk: malformed request (${chain.outLen} readable, ${chain.inLen} writable bytes)`);
      return 0;
    }
    const hdr = new DataView(iovRead(u8, chain.out, 0, HEADER).buffer);
    const type = hdr.getUint32(0, true);
    const sector = hdr.getUint32(8, true) + hdr.getUint32(12, true) * 2 ** 32;
    const dataIn = chain.inLen - 1;   // the last writable byte is the status
    let status = VIRTIO_BLK_S_OK, written = 0;
    try {
      switch (type) {
        case VIRTIO_BLK_T_IN:
          if (!this.inRange(sector, dataIn, ctx)) { status = VIRTIO_BLK_S_IOERR; break; }
          this.transfer(iovSlice(chain.in, 0, dataIn), sector, (r, pos) => this.backend.read(u8, r.off, r.len, pos));
          written = dataIn;
          this.reads++;
          break;
        case VIRTIO_BLK_T_OUT: {
          const len = chain.outLen - HEADER;
          if (this.backend.readOnly || !this.inRange(sector, len, ctx)) { status = VIRTIO_BLK_S_IOERR; break; }
          this.transfer(iovSlice(chain.out, HEADER, len), sector, (r, pos) => this.backend.write(u8, r.off, r.len, pos));
          this.writes++;
          break;
        }
        case VIRTIO_BLK_T_FLUSH:
          this.backend.flush();
          this.flushes++;
          break;
        case VIRTIO_BLK_T_GET_ID: {
          // The serial and its NUL when it fits, as QEMU answers.
          const id = new TextEncoder().encode(this.serial + '\0').subarray(0, VIRTIO_BLK_ID_BYTES);
          written = iovWrite(u8, chain.in, 0, id.subarray(0, Math.min(id.length, dataIn)));
          break;
        }
        default:
          status = VIRTIO_BLK_S_UNSUPP;
      }
    } catch (e) {
      ctx.log.guestError(`virtio-blk: ${(e as Error).message}`);
      status = VIRTIO_BLK_S_IOERR;
    }
    iovWrite(u8, chain.in, chain.inLen - 1, Uint8Array.of(status));
    for (const s of chain.in) ctx.dma.written(s.addr, s.len);
    return written + 1;
  }

  private inRange(sector: number, len: number, ctx: VirtioContext): boolean {
    if (len % SECTOR === 0 && sector + len / SECTOR <= this.capacity) return true;
    ctx.log.guestError(`virtio-blk: ${len} bytes at sector ${sector} (capacity ${this.capacity} sectors)`);
    return false;
  }

  private transfer(ranges: { off: number; len: number }[], sector: number, io: (r: { off: number; len: number }, pos: number) => void): void {
    let pos = sector * SECTOR;
    for (const r of ranges) { io(r, pos); pos += r.len; }
  }

  close(): void { this.backend.close(); }

  state(): Record<string, unknown> {
    return { ...this.backend.describe(), capacity: this.capacity, serial: this.serial, reads: this.reads, writes: this.writes, flushes: this.flushes };
  }
}
