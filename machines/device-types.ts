/**
 * The device types a machine YAML may name, and the keys each accepts beyond
 * the common ones (type, name, base, size, irq, chardev). The schema checks
 * devices against this list; the builder may push its own entries before
 * loading a machine, so a new device model needs no schema change.
 */
import type { DeviceConfig } from './config.js';

/** What a device-specific key holds; paths are resolved against the YAML file. */
export type PropKind =
  | 'address' | 'size' | 'uint' | 'bool' | 'string' | 'path'
  | { oneOf: readonly (string | number)[] }
  | 'drive';   // { file: PATH, snapshot?: bool, readonly?: bool, format?: raw }

export interface PropSpec {
  kind: PropKind;
  required?: boolean;
  default?: unknown;
  /** One line for error messages: what the key means. */
  doc?: string;
}

/** A further MMIO window a device occupies besides base/size (GIC CPU interface). */
export interface Region { base: number; size: number; what: string }

export interface DeviceType {
  type: string;
  description: string;
  /** Default MMIO size; absent means the device is not memory-mapped (CPU-internal), so `base` is refused. */
  mmioSize?: number;
  /** How many interrupt numbers `irq` must give (0: `irq` is refused). */
  irqs: number;
  /** Accepts `chardev: serialN` (UARTs). */
  chardev?: boolean;
  props?: Record<string, PropSpec>;
  /** Windows beyond [base, base+size), for the overlap check and the DTB. */
  extraRegions?(d: DeviceConfig): Region[];
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEVICE_TYPES: DeviceType[] = [
  {
    type: 'cfi-flash',
    description: 'CFI parallel NOR flash bank (pflash_cfi01)',
    mmioSize: 64 * MiB,
    irqs: 0,
    props: {
      'bank-width': { kind: { oneOf: [1, 2, 4] }, default: 4, doc: 'bytes per access: 1, 2 or 4' },
      bios: { kind: 'bool', default: false, doc: 'the -bios image is loaded here' },
      file: { kind: 'path', doc: 'image to load at the start of the bank' },
    },
  },
  {
    type: 'gic-v2',
    description: 'ARM GICv2 interrupt controller; base is the distributor',
    mmioSize: 64 * KiB,
    irqs: 0,
    props: {
      'cpu-base': { kind: 'address', required: true, doc: 'CPU interface base address' },
      'cpu-size': { kind: 'size', default: 64 * KiB },
      'num-irq': { kind: 'uint', default: 288, doc: 'interrupt lines including the 32 SGIs/PPIs' },
    },
    extraRegions: (d) => [{
      base: d.props['cpu-base'] as number,
      size: d.props['cpu-size'] as number,
      what: 'CPU interface',
    }],
  },
  { type: 'pl011', description: 'ARM PrimeCell UART', mmioSize: 4 * KiB, irqs: 1, chardev: true },
  { type: 'pl031', description: 'ARM PrimeCell real-time clock', mmioSize: 4 * KiB, irqs: 1 },
  {
    type: 'armv7-timer',
    description: 'ARM generic timer (CP15); irq: secure phys, non-secure phys, virt, hyp PPIs',
    irqs: 4,
    props: {
      frequency: { kind: 'uint', default: 62_500_000, doc: 'CNTFRQ in Hz' },
    },
  },
  {
    type: 'psci',
    description: 'PSCI firmware interface emulated by the machine',
    irqs: 0,
    props: { method: { kind: { oneOf: ['hvc', 'smc'] }, default: 'hvc' } },
  },
  {
    type: 'serial16550',
    description: 'PC 8250/16550A UART on the I/O port bus (COM1: iobase 0x3f8, irq 4)',
    irqs: 1,
    chardev: true,
    props: { iobase: { kind: 'uint', default: 0x3f8, doc: 'first of its 8 I/O ports' } },
  },
  {
    type: 'i8259',
    description: 'the PC\'s two cascaded 8259A interrupt controllers (ports 0x20, 0xA0, ELCR 0x4D0), INTR to CPU 0',
    irqs: 0,
  },
  {
    type: 'i8254',
    description: 'the PC\'s 8254 interval timer (ports 0x40-0x43, port 0x61); irq: the ISA line of channel 0 (0)',
    irqs: 1,
  },
  {
    type: 'mc146818',
    description: 'the PC\'s CMOS RTC and NVRAM (ports 0x70-0x71); irq: its ISA line (8)',
    irqs: 1,
  },
  {
    type: 'i8042',
    description: 'the PC keyboard controller (ports 0x60, 0x64) with port 0x92: reset and A20; irq: keyboard, mouse (1, 12)',
    irqs: 2,
  },
  {
    type: 'isa-debug-exit',
    description: "QEMU's debug exit port: writing v exits with status (v << 1) | 1",
    irqs: 0,
    props: {
      iobase: { kind: 'uint', default: 0x501, doc: 'first I/O port' },
      iosize: { kind: 'uint', default: 2, doc: 'number of I/O ports' },
    },
  },
  {
    type: 'virtio-mmio',
    description: 'virtio-mmio transport with no device yet (disks from -drive or drives: take them from the top)',
    mmioSize: 0x200,
    irqs: 1,
    props: { count: { kind: 'uint', doc: 'a bank of this many transports, each size bytes higher on the next interrupt' } },
  },
  {
    type: 'virtio-blk',
    description: 'virtio block device on a virtio-mmio transport',
    mmioSize: 0x200,
    irqs: 1,
    props: { drive: { kind: 'drive', required: true, doc: '{ file: PATH, format: raw, snapshot: bool, readonly: bool, id: ID, serial: TEXT }' } },
  },
];

export function deviceType(type: string): DeviceType | undefined {
  return DEVICE_TYPES.find((t) => t.type === type);
}

/** Every MMIO window of a validated device: its own, then the extras. */
export function deviceRegions(d: DeviceConfig): Region[] {
  const regions: Region[] = [];
  if (d.base !== undefined && d.size !== undefined) regions.push({ base: d.base, size: d.size, what: '' });
  const extra = deviceType(d.type)?.extraRegions;
  if (extra) regions.push(...extra(d));
  return regions;
}
