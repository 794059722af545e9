/**
 * A split virtqueue (virtio 1.1 §2.6): the descriptor table, the available
 * ring the driver fills and the used ring the device returns buffers on,
 * all in guest RAM at the addresses the driver wrote to the transport.
 *
 * Layout (little-endian):
 *   descriptor  { addr u64, len u32, flags u16, next u16 }          16 bytes
 *   avail       { flags u16, idx u16, ring[num] u16, used_event u16 }
 *   used        { flags u16, idx u16, ring[num] { id u32, len u32 }, avail_event u16 }
 *
 * Anything malformed in guest memory (an index past the table, a loop, a
 * buffer outside RAM) throws VirtqError; the transport then sets
 * DEVICE_NEEDS_RESET, as §2.1.2 allows.
 */
import { DmaError, type Dma, type HostRange } from '../../softmmu/dma.js';

const VIRTQ_DESC_F_NEXT = 1;
const VIRTQ_DESC_F_WRITE = 2;
const VIRTQ_DESC_F_INDIRECT = 4;
const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
const DESC_SIZE = 16;

export class VirtqError extends Error {
  constructor(message: string) { super(message); this.name = 'VirtqError'; }
}

/** One buffer of a chain: guest address, length, and where it sits in HostMemory. */
export interface Segment { addr: number; len: number; ranges: HostRange[] }

/** A descriptor chain the driver made available: device-readable buffers, then device-writable ones. */
export interface Chain {
  head: number;
  out: Segment[];
  in: Segment[];
  outLen: number;
  inLen: number;
}

export class VirtQueue {
  // Set by the driver through the transport.
  num = 0;
  ready = false;
  descAddr = 0;
  driverAddr = 0;   // the available ring
  deviceAddr = 0;   // the used ring
  // Negotiated ring features.
  eventIdx = false;
  indirect = false;
  // Device-side positions (free-running 16-bit counters, as in the rings).
  lastAvail = 0;
  usedIdx = 0;
  /** used idx when the driver was last interrupted; -1 before the first (EVENT_IDX bookkeeping). */
  signalledUsed = -1;

  constructor(readonly index: number, readonly max: number) {}

  reset(): void {
    this.num = 0;
    this.ready = false;
    this.descAddr = this.driverAddr = this.deviceAddr = 0;
    this.eventIdx = this.indirect = false;
    this.lastAvail = this.usedIdx = 0;
    this.signalledUsed = -1;
  }

  /** The next chain the driver made available, or null when the ring is drained. */
  pop(dma: Dma): Chain | null {
    return this.guard(() => {
      const availIdx = dma.u16(this.driverAddr + 2);
      const pending = (availIdx - this.lastAvail) & 0xffff;
      if (pending === 0) return null;
      if (pending > this.num) throw new VirtqError(`avail idx ${availIdx} is ${pending} ahead of the device (queue size ${this.num})`);
      const head = dma.u16(this.driverAddr + 4 + 2 * (this.lastAvail % this.num));
      this.lastAvail = (this.lastAvail + 1) & 0xffff;
      if (this.eventIdx) dma.setU16(this.deviceAddr + 4 + 8 * this.num, this.lastAvail); // avail_event
      return this.walk(dma, head);
    });
  }

  /** Return a chain on the used ring; `written` is how many bytes the device wrote into its buffers. */
  push(dma: Dma, chain: Chain, written: number): void {
    this.guard(() => {
      const slot = this.deviceAddr + 4 + 8 * (this.usedIdx % this.num);
      dma.setU32(slot, chain.head);
      dma.setU32(slot + 4, written);
      this.usedIdx = (this.usedIdx + 1) & 0xffff;
      dma.setU16(this.deviceAddr + 2, this.usedIdx);
    });
  }

  /** After pushing: does the driver want an interrupt (§2.6.7, and §2.6.7.2 with EVENT_IDX)? */
  wantsInterrupt(dma: Dma): boolean {
    return this.guard(() => {
      if (!this.eventIdx) return (dma.u16(this.driverAddr) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
      const old = this.signalledUsed, now = this.usedIdx;
      this.signalledUsed = now;
      if (old < 0) return true;
      const usedEvent = dma.u16(this.driverAddr + 4 + 2 * this.num);
      // vring_need_event: did used idx step past used_event since the last interrupt?
      return ((now - usedEvent - 1) & 0xffff) < ((now - old) & 0xffff);
    });
  }

  private walk(dma: Dma, head: number): Chain {
    const chain: Chain = { head, out: [], in: [], outLen: 0, inLen: 0 };
    let table = this.descAddr, size = this.num, i = head, seen = 0, indirect = false;
    if (head >= size) throw new VirtqError(`descriptor head ${head} is past the table (size ${size})`);
    for (;;) {
      if (++seen > size) throw new VirtqError(`descriptor chain from ${head} loops`);
      const d = table + DESC_SIZE * i;
      const addr = dma.u64(d), len = dma.u32(d + 8), flags = dma.u16(d + 12), next = dma.u16(d + 14);
      if (flags & VIRTQ_DESC_F_INDIRECT) {
        if (!this.indirect) throw new VirtqError('indirect descriptor without VIRTIO_F_INDIRECT_DESC');
        if (indirect) throw new VirtqError('indirect descriptor inside an indirect table');
        if (flags & VIRTQ_DESC_F_NEXT) throw new VirtqError('indirect descriptor with NEXT set');
        if (len === 0 || len % DESC_SIZE) throw new VirtqError(`indirect table length ${len} is not a multiple of 16`);
        [table, size, i, seen, indirect] = [addr, len / DESC_SIZE, 0, 0, true];
        continue;
      }
      const seg: Segment = { addr, len, ranges: dma.map(addr, len) };
      if (flags & VIRTQ_DESC_F_WRITE) {
        chain.in.push(seg);
        chain.inLen += len;
      } else {
        if (chain.in.length) throw new VirtqError('device-readable descriptor after a device-writable one');
        chain.out.push(seg);
        chain.outLen += len;
      }
      if (!(flags & VIRTQ_DESC_F_NEXT)) return chain;
      if (next >= size) throw new VirtqError(`descriptor next ${next} is past the table (size ${size})`);
      i = next;
    }
  }

  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof DmaError) throw new VirtqError(`queue ${this.index}: ${e.message}`);
      if (e instanceof VirtqError) throw new VirtqError(`queue ${this.index}: ${e.message}`);
      throw e;
    }
  }

  state(): Record<string, unknown> {
    return {
      num: this.num, ready: this.ready, desc: this.descAddr, driver: this.driverAddr, device: this.deviceAddr,
      lastAvail: this.lastAvail, usedIdx: this.usedIdx,
    };
  }
}
