/**
 * The places in a validated machine config that name a host file: the boot
 * files (bios, kernel, initrd, a dtb other than `auto`), device props of kind
 * `path`, and the `file` of `drive` props. softmmu/config-images.ts swaps the
 * remote ones for cached copies; scripts/compile-machines.mjs pre-builds only
 * configs that name none (the schema checks a named file exists when it parses).
 */
import type { MachineConfig } from './config.js';
import { deviceType } from './device-types.js';

export interface HostFileSlot {
  /** What the file is for, in messages: `kernel`, `flash0.file`, `virtio0.drive.file`. */
  what: string;
  value: string;
  set(v: string): void;
}

export function hostFileSlots(cfg: MachineConfig): HostFileSlot[] {
  const slots: HostFileSlot[] = [];
  for (const k of ['bios', 'kernel', 'initrd', 'dtb'] as const) {
    const v = cfg.boot[k];
    if (typeof v === 'string' && !(k === 'dtb' && v === 'auto')) slots.push({ what: k, value: v, set: (x) => { cfg.boot[k] = x; } });
  }
  for (const d of cfg.devices) {
    for (const [key, spec] of Object.entries(deviceType(d.type)?.props ?? {})) {
      const v = d.props[key];
      if (spec.kind === 'path' && typeof v === 'string') {
        slots.push({ what: `${d.name}.${key}`, value: v, set: (x) => { d.props[key] = x; } });
      } else if (spec.kind === 'drive' && v && typeof v === 'object') {
        const drive = v as Record<string, unknown>;
        if (typeof drive.file === 'string') slots.push({ what: `${d.name}.${key}.file`, value: drive.file, set: (x) => { drive.file = x; } });
      }
    }
  }
  return slots;
}
