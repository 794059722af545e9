/**
 * Where a machine's windows sit in the physical address space, and the check
 * that none overlaps another (RAM included). Shared by the YAML schema and the
 * command-line overrides (`-m`), without the YAML library.
 */
import type { DeviceConfig, MachineConfig } from './config.js';
import { deviceRegions } from './device-types.js';
import { hex } from './sizes.js';

/** An MMIO window with the device it belongs to (none for RAM), for overlap messages. */
export interface Placed { base: number; end: number; label: string; device?: DeviceConfig }

/** The first two windows (RAM included) that overlap, in address order; undefined when the map is clean. */
export function findOverlap(cfg: MachineConfig): [Placed, Placed] | undefined {
  const windows: Placed[] = [{
    base: cfg.memory.base, end: cfg.memory.base + cfg.memory.size - 1,
    label: `memory [${hex(cfg.memory.base)}-${hex(cfg.memory.base + cfg.memory.size - 1)}]`,
  }];
  for (const d of cfg.devices) {
    for (const w of deviceRegions(d)) {
      const name = w.what ? `${d.name} ${w.what}` : d.name;
      windows.push({ base: w.base, end: w.base + w.size - 1, label: `${name} [${hex(w.base)}-${hex(w.base + w.size - 1)}]`, device: d });
    }
  }
  // Report against whichever appears later in the file, so the error points at the newcomer.
  const order = (p: Placed) => (p.device ? cfg.devices.indexOf(p.device) : -1);
  for (let i = 0; i < windows.length; i++) {
    for (let j = i + 1; j < windows.length; j++) {
      const [a, b] = [windows[i], windows[j]];
      if (a.base <= b.end && b.base <= a.end) return order(a) <= order(b) ? [a, b] : [b, a];
    }
  }
  return undefined;
}
