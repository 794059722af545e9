/**
 * The virtio-mmio transport, modern layout (virtio 1.1 §4.2.2, Version 2):
 * a 0x200-byte register window per device with its device-specific config
 * space at 0x100, and one interrupt line. QEMU's virt board has 32 of them;
 * one with no device behind it reads DeviceID 0, which drivers skip.
 *
 * Requests are served synchronously when the driver writes QueueNotify, so
 * by the time the guest's store retires the used ring is updated and the
 * interrupt raised. A driver that corrupts its rings gets
 * DEVICE_NEEDS_RESET and a configuration-change interrupt (§2.1.2), and the
 * guest_errors log says why.
 */
import { IRQLine, type DeviceLog, type MMIODevice } from '../device.js';
import type { Dma } from '../../softmmu/dma.js';
import { VirtQueue, VirtqError } from './virtqueue.js';
import {
  STATUS_DEVICE_NEEDS_RESET, STATUS_DRIVER_OK, STATUS_FEATURES_OK,
  VIRTIO_F_RING_EVENT_IDX, VIRTIO_F_RING_INDIRECT_DESC, VIRTIO_F_VERSION_1, bit,
  type VirtioContext, type VirtioDevice,
} from './virtio-device.js';

// Register offsets (§4.2.2)
export const MagicValue = 0x000;
export const Version = 0x004;
export const DeviceID = 0x008;
export const VendorID = 0x00c;
export const DeviceFeatures = 0x010;
export const DeviceFeaturesSel = 0x014;
export const DriverFeatures = 0x020;
export const DriverFeaturesSel = 0x024;
export const QueueSel = 0x030;
export const QueueNumMax = 0x034;
export const QueueNum = 0x038;
export const QueueReady = 0x044;
export const QueueNotify = 0x050;
export const InterruptStatus = 0x060;
export const InterruptACK = 0x064;
export const Status = 0x070;
export const QueueDescLow = 0x080;
export const QueueDescHigh = 0x084;
export const QueueDriverLow = 0x090;
export const QueueDriverHigh = 0x094;
export const QueueDeviceLow = 0x0a0;
export const QueueDeviceHigh = 0x0a4;
export const ConfigGeneration = 0x0fc;
export const Config = 0x100;

export const MAGIC = 0x74726976;        // "virt"
export const VENDOR_QEMU = 0x554d4551;  // "QEMU", as QEMU's transports report
export const INT_USED_RING = 1;
export const INT_CONFIG = 2;

/** What the transport itself offers on top of the device's features. */
const TRANSPORT_FEATURES = bit(VIRTIO_F_VERSION_1) | bit(VIRTIO_F_RING_INDIRECT_DESC) | bit(VIRTIO_F_RING_EVENT_IDX);

export class VirtioMmio implements MMIODevice {
  readonly type = 'virtio-mmio';
  readonly irq = new IRQLine();
  readonly queues: VirtQueue[];

  deviceFeaturesSel = 0;
  driverFeaturesSel = 0;
  driverFeatures = 0n;
  queueSel = 0;
  interruptStatus = 0;
  status = 0;
  configGeneration = 0;
  private readonly ctx: VirtioContext;

  constructor(
    readonly name: string,
    readonly device: VirtioDevice | null,
    private readonly dma: Dma,
    private readonly log: DeviceLog,
  ) {
    this.queues = Array.from({ length: device?.numQueues ?? 0 }, (_, i) => new VirtQueue(i, device!.queueMax));
    this.ctx = { dma, log, notifyUsed: (q) => this.usedBuffer(q) };
  }

  get deviceFeatures(): bigint { return this.device ? this.device.features | TRANSPORT_FEATURES : 0n; }

  reset(): void {
    this.deviceFeaturesSel = this.driverFeaturesSel = 0;
    this.driverFeatures = 0n;
    this.queueSel = 0;
    this.status = 0;
    for (const q of this.queues) q.reset();
    this.device?.reset();
    this.setInterrupt(0);
  }

  read(offset: number, size: number, _cpu: number): number {
    if (offset >= Config) return this.readConfig(offset - Config, size);
    if (size !== 4 || offset & 3) {
      this.log.guestError(`${this.name}: ${size}-byte read of register 0x${offset.toString(16)} (registers are 32-bit)`);
      return 0;
    }
    const q = this.queues[this.queueSel];
    switch (offset) {
      case MagicValue: return MAGIC;
      case Version: return 2;
      case DeviceID: return this.device?.deviceId ?? 0;
      case VendorID: return VENDOR_QEMU;
      case DeviceFeatures: return this.deviceFeaturesSel > 1 ? 0 : Number((this.deviceFeatures >> BigInt(32 * this.deviceFeaturesSel)) & 0xffffffffn);
      case QueueNumMax: return q ? q.max : 0;
      case QueueReady: return q?.ready ? 1 : 0;
      case InterruptStatus: return this.interruptStatus;
      case Status: return this.status;
      case ConfigGeneration: return this.configGeneration;
      case DeviceFeaturesSel: case DriverFeatures: case DriverFeaturesSel: case QueueSel: case QueueNum:
      case QueueNotify: case InterruptACK: case QueueDescLow: case QueueDescHigh: case QueueDriverLow:
      case QueueDriverHigh: case QueueDeviceLow: case QueueDeviceHigh:
        this.log.guestError(`${this.name}: read of write-only register 0x${offset.toString(16)}`);
        return 0;
    }
    this.log.guestError(`${this.name}: read of unknown register 0x${offset.toString(16)}`);
    return 0;
  }

  write(offset: number, value: number, size: number, _cpu: number): void {
    if (offset >= Config) { this.writeConfig(offset - Config, value, size); return; }
    if (size !== 4 || offset & 3) {
      this.log.guestError(`${this.name}: ${size}-byte write of register 0x${offset.toString(16)} (registers are 32-bit)`);
      return;
    }
    value >>>= 0;
    switch (offset) {
      case DeviceFeaturesSel: this.deviceFeaturesSel = value; return;
      case DriverFeaturesSel: this.driverFeaturesSel = value; return;
      case DriverFeatures: {
        if (this.status & STATUS_FEATURES_OK) { this.log.guestError(`${this.name}: DriverFeatures written after FEATURES_OK`); return; }
        if (this.driverFeaturesSel > 1) return;
        const shift = BigInt(32 * this.driverFeaturesSel);
        this.driverFeatures = (this.driverFeatures & ~(0xffffffffn << shift)) | (BigInt(value) << shift);
        return;
      }
      case QueueSel: this.queueSel = value; return;
      case QueueNum: this.queueWrite((q) => {
        if (value === 0 || value > q.max || (value & (value - 1))) {
          this.log.guestError(`${this.name}: QueueNum ${value} for queue ${q.index} (max ${q.max}, must be a power of 2)`);
          return;
        }
        q.num = value;
      }); return;
      case QueueReady: this.setQueueReady(value & 1); return;
      case QueueDescLow: this.queueWrite((q) => { q.descAddr = value; }); return;
      case QueueDriverLow: this.queueWrite((q) => { q.driverAddr = value; }); return;
      case QueueDeviceLow: this.queueWrite((q) => { q.deviceAddr = value; }); return;
      case QueueDescHigh: case QueueDriverHigh: case QueueDeviceHigh:
        // A 32-bit guest has no RAM above 4 GiB; a non-zero high word points nowhere.
        if (value !== 0) this.queueWrite((q) => this.fail(`queue ${q.index}: ring address above 4 GiB (high word 0x${value.toString(16)})`));
        return;
      case QueueNotify: this.notify(value); return;
      case InterruptACK: this.setInterrupt(this.interruptStatus & ~value); return;
      case Status: this.setStatus(value & 0xff); return;
      case MagicValue: case Version: case DeviceID: case VendorID: case DeviceFeatures: case QueueNumMax:
      case InterruptStatus: case ConfigGeneration:
        this.log.guestError(`${this.name}: write to read-only register 0x${offset.toString(16)}`);
        return;
    }
    this.log.guestError(`${this.name}: write of unknown register 0x${offset.toString(16)} = 0x${value.toString(16)}`);
  }

  // --- status and features ---

  private setStatus(value: number): void {
    if (value === 0) { this.reset(); return; }
    const was = this.status;
    if (value & STATUS_FEATURES_OK && !(was & STATUS_FEATURES_OK)) {
      const unknown = this.driverFeatures & ~this.deviceFeatures;
      if (unknown) {
        this.log.guestError(`${this.name}: driver accepted features it was not offered (0x${unknown.toString(16)})`);
        value &= ~STATUS_FEATURES_OK;   // the driver reads it back and gives up (§3.1.1)
      } else if (this.device && !(this.driverFeatures & bit(VIRTIO_F_VERSION_1))) {
        this.log.guestError(`${this.name}: driver did not accept VIRTIO_F_VERSION_1 (legacy drivers are not supported)`);
        value &= ~STATUS_FEATURES_OK;
      }
    }
    this.status = (value & ~STATUS_DEVICE_NEEDS_RESET) | (was & STATUS_DEVICE_NEEDS_RESET);
    // Buffers the driver queued before DRIVER_OK wait until now (§3.1.1 step 8).
    if (value & STATUS_DRIVER_OK && !(was & STATUS_DRIVER_OK)) for (const q of this.queues) if (q.ready) this.notify(q.index);
  }

  private setQueueReady(ready: number): void {
    this.queueWrite((q) => {
      if (!ready) { q.ready = false; return; }
      if (!q.num) { this.log.guestError(`${this.name}: QueueReady for queue ${q.index} with QueueNum 0`); return; }
      q.eventIdx = (this.driverFeatures & bit(VIRTIO_F_RING_EVENT_IDX)) !== 0n;
      q.indirect = (this.driverFeatures & bit(VIRTIO_F_RING_INDIRECT_DESC)) !== 0n;
      q.ready = true;
    });
  }

  /** A write to a register of the selected queue; queues are configured only while not ready (§4.2.3.2). */
  private queueWrite(f: (q: VirtQueue) => void): void {
    const q = this.queues[this.queueSel];
    if (!q) { this.log.guestError(`${this.name}: queue ${this.queueSel} does not exist`); return; }
    f(q);
  }

  // --- queues and interrupts ---

  private notify(index: number): void {
    const q = this.queues[index];
    if (!q || !this.device) { this.log.guestError(`${this.name}: notify of queue ${index}, which does not exist`); return; }
    if (!q.ready || !(this.status & STATUS_DRIVER_OK) || this.status & STATUS_DEVICE_NEEDS_RESET) return;
    try {
      this.device.notify(index, q, this.ctx);
    } catch (e) {
      if (!(e instanceof VirtqError)) throw e;
      this.fail(e.message);
    }
  }

  private usedBuffer(q: VirtQueue): void {
    if (q.wantsInterrupt(this.dma)) this.setInterrupt(this.interruptStatus | INT_USED_RING);
  }

  /** The driver broke the rules in guest memory: stop the device until it resets it. */
  private fail(why: string): void {
    this.log.guestError(`${this.name}: ${why}; device needs reset`);
    this.status |= STATUS_DEVICE_NEEDS_RESET;
    this.setInterrupt(this.interruptStatus | INT_CONFIG);
  }

  private setInterrupt(status: number): void {
    this.interruptStatus = status;
    this.irq.set(status !== 0);
  }

  // --- device configuration space ---

  private readConfig(off: number, size: number): number {
    const cfg = this.device?.config;
    if (!cfg || off + size > cfg.length) {
      this.log.guestError(`${this.name}: config read at 0x${off.toString(16)} size ${size} is out of range`);
      return 0;
    }
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = (v << 8) | cfg[off + i];
    return v >>> 0;
  }

  private writeConfig(off: number, value: number, size: number): void {
    const cfg = this.device?.config;
    if (!cfg || off + size > cfg.length || !this.device?.writeConfig) {
      this.log.guestError(`${this.name}: config write at 0x${off.toString(16)} size ${size} ignored`);
      return;
    }
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = (value >>> (8 * i)) & 0xff;
    this.device.writeConfig(off, bytes);
  }

  state(): Record<string, unknown> {
    return {
      deviceId: this.device?.deviceId ?? 0, status: this.status, interruptStatus: this.interruptStatus,
      driverFeatures: `0x${this.driverFeatures.toString(16)}`, queueSel: this.queueSel,
      queues: this.queues.map((q) => q.state()), ...(this.device?.state?.() ?? {}),
    };
  }
}
