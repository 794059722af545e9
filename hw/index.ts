/**
 * hw/ — device models, one folder per class as in QEMU's hw/ (char, rtc,
 * block, intc, timer, virtio, display, misc). Every memory-mapped device
 * implements `MMIODevice` from `device.ts`: register offsets named as in its
 * TRM, read/write/reset, IRQ lines as `IRQLine` fields, unknown registers
 * logged through `DeviceLog`, state as plain fields listed by `state()`.
 * The machine builder (machines/) creates them and maps them into memory.
 */
export { IRQLine, nullLog, type MMIODevice, type DeviceLog } from './device.js';
export { PL011 } from './char/pl011.js';
export { PL031 } from './rtc/pl031.js';
export { PFlashCFI01, type PFlashOptions } from './block/pflash-cfi01.js';
export { VirtioBlk } from './block/virtio-blk.js';
export { VirtioMmio } from './virtio/virtio-mmio.js';
export { ArmGicV2, type ArmGicV2Options } from './intc/arm-gic.js';
