/**
 * Byte ranges across a chain's buffers (QEMU's iov_from_buf / iov_to_buf):
 * a request's header, payload and status byte may be split over any number
 * of descriptors, and a device addresses them as one byte stream.
 */
import type { HostRange } from '../../softmmu/dma.js';
import type { Segment } from './virtqueue.js';

/** The host ranges covering bytes [skip, skip+len) of the stream the segments form. */
export function iovSlice(segs: Segment[], skip: number, len: number): HostRange[] {
  const out: HostRange[] = [];
  for (const s of segs) {
    for (const r of s.ranges) {
      if (len <= 0) return out;
      if (skip >= r.len) { skip -= r.len; continue; }
      const n = Math.min(r.len - skip, len);
      out.push({ off: r.off + skip, len: n });
      skip = 0;
      len -= n;
    }
  }
  return out;
}

/** Copy bytes [skip, skip+len) of the stream out of host memory (short if the stream is shorter). */
export function iovRead(u8: Uint8Array, segs: Segment[], skip: number, len: number): Uint8Array {
  const ranges = iovSlice(segs, skip, len);
  const buf = new Uint8Array(ranges.reduce((n, r) => n + r.len, 0));
  let at = 0;
  for (const r of ranges) { buf.set(u8.subarray(r.off, r.off + r.len), at); at += r.len; }
  return buf;
}

/** Copy `data` into the stream at `skip`; returns how many bytes fitted. */
export function iovWrite(u8: Uint8Array, segs: Segment[], skip: number, data: Uint8Array): number {
  let at = 0;
  for (const r of iovSlice(segs, skip, data.length)) { u8.set(data.subarray(at, at + r.len), r.off); at += r.len; }
  return at;
}
