/**
 * `-kernel bzImage` on the PC through Linux's 32-bit boot protocol
 * (Documentation/x86/boot.rst): the protected-mode kernel at 1 MiB, a zeroed
 * boot_params ("zero page") holding a copy of the image's setup header plus
 * what a boot loader fills in (loader type, command line, initrd, an e820
 * memory map), a GDT with flat __BOOT_CS (0x10) and __BOOT_DS (0x18), and the
 * CPU entered at code32_start with %esi = boot_params, paging off, interrupts
 * masked. QEMU runs the image's 16-bit setup code under its option ROM; the
 * 32-bit entry skips it and needs no BIOS.
 *
 * `planLinuxX86` only computes what goes where (testable without a CPU).
 */
import { ConfigError } from './config.js';

export const KERNEL_BASE = 0x100000;
const BOOT_PARAMS = 0x10000, CMDLINE = 0x20000, GDT = 0x1000;
const CMDLINE_MAX = 2048;

// boot_params / setup header offsets
const E820_ENTRIES = 0x1e8, SETUP_SECTS = 0x1f1, HDR_START = 0x1f1, JUMP_END = 0x201, HEADER = 0x202, VERSION = 0x206;
const TYPE_OF_LOADER = 0x210, LOADFLAGS = 0x211, CODE32_START = 0x214, RAMDISK_IMAGE = 0x218, RAMDISK_SIZE = 0x21c;
const HEAP_END_PTR = 0x224, CMD_LINE_PTR = 0x228, INITRD_ADDR_MAX = 0x22c, CMDLINE_SIZE = 0x238, INIT_SIZE = 0x260;
const E820_TABLE = 0x2d0;
const LOADED_HIGH = 0x01, CAN_USE_HEAP = 0x80;

export interface LinuxX86Chunk { addr: number; data: Uint8Array; what: string }
export interface LinuxX86Plan { chunks: LinuxX86Chunk[]; entry: number; bootParams: number; gdt: number }

export function isBzImage(img: Uint8Array): boolean {
  return img.length > 0x260 && img[HEADER] === 0x48 && img[HEADER + 1] === 0x64 && img[HEADER + 2] === 0x72 && img[HEADER + 3] === 0x53; // "HdrS"
}

export function planLinuxX86(kernel: Uint8Array, kernelPath: string, initrd: Uint8Array | undefined, cmdline: string, ramSize: number): LinuxX86Plan {
  const dv = new DataView(kernel.buffer, kernel.byteOffset, kernel.byteLength);
  const version = dv.getUint16(VERSION, true);
  if (version < 0x0204) throw new ConfigError(`tsemu: kernel '${kernelPath}': boot protocol ${(version >> 8)}.${(version & 0xff).toString().padStart(2, '0')} is too old (2.04 or later needed)`);
  if (!(kernel[LOADFLAGS] & LOADED_HIGH)) throw new ConfigError(`tsemu: kernel '${kernelPath}': a zImage (loaded low) is not supported, only bzImage`);
  const setupSects = kernel[SETUP_SECTS] || 4;
  const pmOff = (setupSects + 1) * 512;
  if (pmOff >= kernel.length) throw new ConfigError(`tsemu: kernel '${kernelPath}': setup_sects ${setupSects} runs past the end of the file`);
  const pm = kernel.subarray(pmOff);
  const initSize = version >= 0x020a ? dv.getUint32(INIT_SIZE, true) : pm.length * 4;
  const kernelEnd = KERNEL_BASE + Math.max(pm.length, initSize);
  if (kernelEnd > ramSize) throw new ConfigError(`tsemu: kernel '${kernelPath}' needs ${(kernelEnd >> 20) + 1} MiB of RAM; the machine has ${ramSize >> 20} MiB`);

  const bp = new Uint8Array(4096);
  const bpv = new DataView(bp.buffer);
  const hdrEnd = Math.min(HEADER + kernel[JUMP_END], 0x290); // the header's own length byte says where it ends
  bp.set(kernel.subarray(HDR_START, hdrEnd), HDR_START);
  bp[TYPE_OF_LOADER] = 0xff;                                 // "undefined" loader
  bp[LOADFLAGS] |= CAN_USE_HEAP;
  bpv.setUint16(HEAP_END_PTR, 0xfe00, true);
  bpv.setUint32(CODE32_START, KERNEL_BASE, true);

  const maxCmd = version >= 0x0206 ? dv.getUint32(CMDLINE_SIZE, true) : 255;
  const cmd = new TextEncoder().encode(cmdline);
  if (cmd.length > Math.min(maxCmd, CMDLINE_MAX - 1)) throw new ConfigError(`tsemu: -append: the kernel command line is ${cmd.length} bytes; this kernel takes at most ${Math.min(maxCmd, CMDLINE_MAX - 1)}`);
  const cmdBytes = new Uint8Array(cmd.length + 1);
  cmdBytes.set(cmd);
  bpv.setUint32(CMD_LINE_PTR, CMDLINE, true);

  const chunks: LinuxX86Chunk[] = [{ addr: KERNEL_BASE, data: pm, what: 'kernel' }];
  if (initrd) {
    // As high as the kernel allows (initrd_addr_max), page-aligned, above the kernel's working area.
    const max = version >= 0x0203 ? dv.getUint32(INITRD_ADDR_MAX, true) : 0x37ffffff;
    const top = Math.min(ramSize, max + 1);
    const addr = Math.floor((top - initrd.length) / 4096) * 4096;
    if (addr < kernelEnd) throw new ConfigError(`tsemu: initrd (${initrd.length} bytes) does not fit in RAM above the kernel; give the machine more memory (-m)`);
    bpv.setUint32(RAMDISK_IMAGE, addr, true);
    bpv.setUint32(RAMDISK_SIZE, initrd.length, true);
    chunks.push({ addr, data: initrd, what: 'initrd' });
  }

  // e820: conventional memory below the EBDA, the BIOS area reserved, the rest of RAM from 1 MiB.
  const e820: [number, number, number][] = [[0, 0x9fc00, 1], [0x9fc00, 0x400, 2], [0xf0000, 0x10000, 2], [KERNEL_BASE, ramSize - KERNEL_BASE, 1]];
  e820.forEach(([a, len, type], i) => {
    const o = E820_TABLE + i * 20;
    bpv.setUint32(o, a, true); bpv.setUint32(o + 8, len, true); bpv.setUint32(o + 16, type, true);
  });
  bp[E820_ENTRIES] = e820.length;

  // GDT: null, null, __BOOT_CS (flat 4 GiB code, 32-bit), __BOOT_DS (flat data).
  const gdt = new Uint8Array(32);
  const gv = new DataView(gdt.buffer);
  gv.setUint32(16, 0x0000ffff, true); gv.setUint32(20, 0x00cf9a00, true);
  gv.setUint32(24, 0x0000ffff, true); gv.setUint32(28, 0x00cf9200, true);

  chunks.push({ addr: BOOT_PARAMS, data: bp, what: 'boot_params' }, { addr: CMDLINE, data: cmdBytes, what: 'command line' }, { addr: GDT, data: gdt, what: 'gdt' });
  return { chunks, entry: KERNEL_BASE, bootParams: BOOT_PARAMS, gdt: GDT };
}
