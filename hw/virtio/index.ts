/**
 * hw/virtio — the virtio 1.1 transport side: `virtio-mmio.ts` (the register
 * window and interrupt a board maps), `virtqueue.ts` (split rings in guest
 * RAM), `iov.ts` (a request's bytes across its buffers), and
 * `virtio-device.ts` (what a device such as hw/block/virtio-blk offers).
 */
export { VirtioMmio } from './virtio-mmio.js';
export { VirtQueue, VirtqError, type Chain, type Segment } from './virtqueue.js';
export type { VirtioDevice, VirtioContext } from './virtio-device.js';
