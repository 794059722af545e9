/**
 * What a virtio device (block, net, ...) offers its transport, and the
 * numbers the virtio 1.1 spec gives them: device status bits (§2.1),
 * reserved feature bits (§6), device IDs (§5). The transport owns the
 * registers, the queues and the interrupt; the device owns its config space
 * and what a request means.
 */
import type { DeviceLog } from '../device.js';
import type { Dma } from '../../softmmu/dma.js';
import type { VirtQueue } from './virtqueue.js';

// Device status (§2.1)
export const STATUS_ACKNOWLEDGE = 1;
export const STATUS_DRIVER = 2;
export const STATUS_DRIVER_OK = 4;
export const STATUS_FEATURES_OK = 8;
export const STATUS_DEVICE_NEEDS_RESET = 0x40;
export const STATUS_FAILED = 0x80;

// Reserved feature bits (§6), as bit numbers
export const VIRTIO_F_RING_INDIRECT_DESC = 28;
export const VIRTIO_F_RING_EVENT_IDX = 29;
export const VIRTIO_F_VERSION_1 = 32;

// Device IDs (§5)
export const VIRTIO_ID_BLOCK = 2;

export const bit = (n: number): bigint => 1n << BigInt(n);

/** What the transport hands a device: guest memory and its interrupt. */
export interface VirtioContext {
  dma: Dma;
  log: DeviceLog;
  /** A used buffer was added to `q`: interrupt the driver unless it asked not to be. */
  notifyUsed(q: VirtQueue): void;
}

export interface VirtioDevice {
  readonly deviceId: number;
  /** Device-specific feature bits; the transport adds the ring and version bits. */
  readonly features: bigint;
  readonly numQueues: number;
  readonly queueMax: number;
  /** The device-specific configuration layout (§4.2.2: at 0x100 on MMIO), little-endian. */
  readonly config: Uint8Array;
  /** The driver wrote config bytes at `offset` (most devices have nothing writable). */
  writeConfig?(offset: number, bytes: Uint8Array): void;
  /** The driver made buffers available on queue `index`. */
  notify(index: number, q: VirtQueue, ctx: VirtioContext): void;
  reset(): void;
  /** Plain fields for `info qtree`. */
  state?(): Record<string, unknown>;
  /** Release host resources (files) when the emulator exits. */
  close?(): void;
}
