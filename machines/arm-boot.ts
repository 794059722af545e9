/**
 * How an ARM board starts its guest, as QEMU's hw/arm/boot.c does for virt:
 * `-bios` goes into the flash bank marked `bios` and runs from 0 with the
 * device tree at the RAM base; `-kernel` is loaded at RAM + 0x10000 (or by
 * its ELF headers), the initrd at RAM + min(RAM/2, 128 MiB), the DTB on the
 * next 4 KiB boundary, and a four-instruction stub at the RAM base enters
 * the kernel with r0 = 0, r1 = ~0, r2 = DTB. The board also answers PSCI
 * power requests.
 */
import { readImage } from './read-image.js';
import type { Machine } from '../softmmu/machine.js';
import type { ArmCPU, ArmBoard } from '../target/arm/cpu.js';
import { ConfigError } from './config.js';
import { virtDtb } from './virt-dtb.js';
import { CPSR_T } from '../target/arm/cpu-state.js';
import * as S from '../target/arm/cpu-state.js';

const KERNEL_OFFSET = 0x10000;


interface Elf { entry: number; segments: { paddr: number; data: Uint8Array; memsz: number }[] }

function parseElf32(img: Uint8Array, path: string): Elf | undefined {
  if (img.length < 52 || img[0] !== 0x7f || img[1] !== 0x45 || img[2] !== 0x4c || img[3] !== 0x46) return undefined;
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  if (img[4] !== 1 || img[5] !== 1) throw new ConfigError(`tsemu: kernel '${path}': only 32-bit little-endian ELF images are supported`);
  if (dv.getUint16(18, true) !== 40) throw new ConfigError(`tsemu: kernel '${path}': ELF machine ${dv.getUint16(18, true)} is not ARM`);
  const phoff = dv.getUint32(28, true), phentsize = dv.getUint16(42, true), phnum = dv.getUint16(44, true);
  const segments: Elf['segments'] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (o + 32 > img.length) throw new ConfigError(`tsemu: kernel '${path}': truncated ELF program headers`);
    if (dv.getUint32(o, true) !== 1) continue; // PT_LOAD
    const off = dv.getUint32(o + 4, true), paddr = dv.getUint32(o + 12, true);
    const filesz = dv.getUint32(o + 16, true), memsz = dv.getUint32(o + 20, true);
    if (off + filesz > img.length) throw new ConfigError(`tsemu: kernel '${path}': ELF segment runs past the end of the file`);
    segments.push({ paddr, data: img.subarray(off, off + filesz), memsz });
  }
  return { entry: dv.getUint32(24, true), segments };
}

export function setupArmBoot(m: Machine, cpus: ArmCPU[]): void {
  const cfg = m.config;
  const ramBase = cfg.memory.base, ramSize = cfg.memory.size;
  const boot = cfg.boot;

  const board: ArmBoard = {
    shutdown: (reason) => m.requestShutdown(reason),
    cpuOn: (target, entry, context) => {
      const c = cpus[target];
      if (!c) return -2;          // INVALID_PARAMETERS
      if (!c.off) return -4;      // ALREADY_ON
      c.reset();
      c.off = false;
      if (entry & 1) c.setWord(S.CPSR_REST, c.word(S.CPSR_REST) | CPSR_T);
      c.setPC(entry & ~1);
      c.setReg(0, context);
      m.kick();
      return 0;
    },
    cpuOff: (c) => { c.off = true; c.halted = true; },
    affinityInfo: (target) => (cpus[target] ? (cpus[target].off ? 1 : 0) : -2),
  };
  for (const c of cpus) c.board = board;

  let loadAll: () => void;
  if (boot.bios) {
    const img = readImage(boot.bios, 'bios');
    const flash = cfg.devices.find((d) => d.type === 'cfi-flash' && d.props['bios']) ?? cfg.devices.find((d) => d.type === 'cfi-flash');
    if (!flash) throw new ConfigError(`${cfg.file}: -bios needs a cfi-flash device to hold it`);
    if (img.length > (flash.size ?? 64 << 20)) throw new ConfigError(`tsemu: bios '${boot.bios}' (${img.length} bytes) does not fit in ${flash.name}`);
    m.as.load(flash.base!, img); // flash keeps its contents across resets, like QEMU's pflash
    const dtb = boot.dtb && boot.dtb !== 'auto' ? readImage(boot.dtb, 'dtb') : virtDtb(cfg);
    loadAll = () => {
      m.as.load(ramBase, dtb);
      cpus[0].setPC(flash.base!);
      for (let i = 1; i < cpus.length; i++) { cpus[i].off = true; cpus[i].halted = true; }
    };
  } else if (boot.kernel) {
    const kimg = readImage(boot.kernel, 'kernel');
    const elf = parseElf32(kimg, boot.kernel);
    const initrd = boot.initrd ? readImage(boot.initrd, 'initrd') : undefined;
    const initrdStart = ramBase + Math.min(ramSize / 2, 128 << 20);
    if (!elf && KERNEL_OFFSET + kimg.length > ramSize / 2) throw new ConfigError(`tsemu: kernel '${boot.kernel}' is too large for ${ramSize >> 20} MiB of RAM`);
    if (initrd && initrdStart + initrd.length > ramBase + ramSize) throw new ConfigError(`tsemu: initrd '${boot.initrd}' does not fit in RAM`);
    const dtbAddr = Math.ceil((initrdStart + (initrd?.length ?? 0)) / 4096) * 4096;
    const dtb = boot.dtb && boot.dtb !== 'auto' ? readImage(boot.dtb, 'dtb')
      : virtDtb(cfg, { bootargs: boot.append ?? '', initrd: initrd ? { start: initrdStart, end: initrdStart + initrd.length } : undefined });
    if (dtbAddr + dtb.length > ramBase + ramSize) throw new ConfigError('tsemu: no room for the device tree after the initrd');
    const entry = elf ? elf.entry : ramBase + KERNEL_OFFSET;
    const stub = new Uint8Array(28);
    const sv = new DataView(stub.buffer);
    [0xe3a00000, 0xe59f1004, 0xe59f2004, 0xe59ff004, 0xffffffff, dtbAddr, entry].forEach((w, i) => sv.setUint32(i * 4, w >>> 0, true));
    loadAll = () => {
      if (elf) {
        for (const s of elf.segments) {
          try { m.as.load(s.paddr, s.data); } catch { throw new ConfigError(`tsemu: kernel '${boot.kernel}': segment at 0x${s.paddr.toString(16)} is outside RAM`); }
          if (s.memsz > s.data.length) m.as.load(s.paddr + s.data.length, new Uint8Array(s.memsz - s.data.length));
        }
      } else {
        m.as.load(ramBase + KERNEL_OFFSET, kimg);
      }
      if (initrd) m.as.load(initrdStart, initrd);
      m.as.load(dtbAddr, dtb);
      m.as.load(ramBase, stub);
      cpus[0].setPC(ramBase);
      for (let i = 1; i < cpus.length; i++) { cpus[i].off = true; cpus[i].halted = true; }
    };
  } else {
    // No firmware given: run whatever is in flash (all ones: an undefined instruction loop), as QEMU would.
    loadAll = () => { for (let i = 1; i < cpus.length; i++) { cpus[i].off = true; cpus[i].halted = true; } };
  }
  m.resetHooks.push(loadAll);
  loadAll();
}
