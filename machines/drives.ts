/**
 * Putting disks on a board's virtio-mmio transports, QEMU's way: each new
 * virtio device takes the free transport with the highest address (on virt
 * the first disk lands at 0x0a003e00). QEMU does this by accident of how it
 * builds its bus list (hw/arm/virt.c, create_virtio_devices) and keeps it
 * so that existing command lines keep their disk names.
 */
import type { DeviceConfig, DriveConfig, MachineConfig } from './config.js';

/** The transport the next virtio device would get, or undefined when all are taken. */
export function freeTransport(cfg: MachineConfig): DeviceConfig | undefined {
  let best: DeviceConfig | undefined;
  for (const d of cfg.devices) if (d.type === 'virtio-mmio' && (!best || d.base! > best.base!)) best = d;
  return best;
}

/**
 * Turn the next free transport into a virtio-blk on `drive`; false when none
 * is left. `bus` picks one instead: QEMU's virtio-mmio-bus.N, the Nth
 * transport counting from the lowest address.
 */
export function attachDrive(cfg: MachineConfig, drive: DriveConfig, bus?: number): boolean {
  const t = bus === undefined ? freeTransport(cfg)
    : cfg.devices.filter((d) => d.type === 'virtio-mmio' || d.type === 'virtio-blk').sort((a, b) => a.base! - b.base!)[bus];
  if (!t || t.type !== 'virtio-mmio') return false;
  t.type = 'virtio-blk';
  t.props = { ...t.props, drive };
  return true;
}

/** The drives a machine has, in transport order from the top (the order they were attached). */
export function machineDrives(cfg: MachineConfig): { device: DeviceConfig; drive: DriveConfig }[] {
  return cfg.devices.filter((d) => d.type === 'virtio-blk' && d.props.drive)
    .sort((a, b) => b.base! - a.base!)
    .map((device) => ({ device, drive: device.props.drive as DriveConfig }));
}
