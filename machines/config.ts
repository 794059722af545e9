/**
 * The validated machine description: what `machines/schema.ts` produces from
 * YAML plus command-line overrides, and what `machines/builder.ts` consumes.
 */
export interface DeviceConfig {
  type: string;            // 'pl011' | 'pl031' | 'gic-v2' | 'cfi-flash' | 'armv7-timer' | 'psci' | ...
  name: string;            // unique within the machine (defaults to type + index)
  base?: number;           // MMIO base address
  size?: number;           // MMIO size in bytes (device default when absent)
  irq?: number | number[]; // interrupt numbers as the DT gives them (GIC: SPI n -> 32+n; here the GIC INTID)
  chardev?: string;        // 'serial0', 'serial1', ... for UARTs
  /** Anything else the device understands (file for flash, width, ...). */
  props: Record<string, unknown>;
}

/** A disk image behind a virtio-blk device (`-drive`, or `drive:` in YAML). */
export interface DriveConfig {
  file: string;            // absolute path
  format: 'raw';
  readonly: boolean;       // the guest may not write (VIRTIO_BLK_F_RO)
  snapshot: boolean;       // writes stay in memory; the file is opened read-only
  id?: string;             // -drive id=, for -device ...,drive=ID and `info block`
  serial?: string;         // what GET_ID answers
}

export interface BootConfig {
  bios?: string;      // firmware image placed in flash at 0 (-bios)
  kernel?: string;    // -kernel
  initrd?: string;    // -initrd
  append?: string;    // -append
  dtb?: string;       // 'auto' (generate) or a path to a .dtb
}

export interface MachineConfig {
  /** The YAML file this came from, for error messages. */
  file: string;
  name: string;
  arch: 'arm' | 'i386';
  cpu: { model: string; count: number };
  /** RAM size in bytes and guest-physical base. */
  memory: { size: number; base: number };
  devices: DeviceConfig[];
  boot: BootConfig;
}

/** One clear error that names file, line and key; the CLI prints it and exits 1. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
