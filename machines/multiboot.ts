/**
 * Multiboot v1 (the GNU Multiboot Specification 0.6.96) for `-kernel` on the
 * PC, as QEMU's hw/i386/multiboot.c does it: find the header in the first
 * 8 KiB, load the image by the header's address fields when flag 16 (the
 * "a.out kludge") is set, else by the ELF32 program headers; place the
 * `-initrd` modules (QEMU's syntax: "file args,file args", ",," for a comma)
 * page-aligned after the kernel, then the multiboot information structure
 * with the command line, module list, memory map and boot loader name.
 *
 * `planMultiboot` only computes what to write where, so it can be tested
 * without a CPU; the board copies the chunks into RAM and calls
 * `cpu.enterMultiboot(entry, 0x2BADB002, mbi)`.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './config.js';

export const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
export const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;
const SEARCH_BYTES = 8192;

// Header flags (bits 0-15 are requirements the loader must meet or refuse)
const MH_PAGE_ALIGN = 1 << 0;    // modules on 4 KiB boundaries
const MH_MEMORY_INFO = 1 << 1;   // mem_* and mmap_* wanted
const MH_VIDEO_MODE = 1 << 2;    // video mode table wanted (not provided: QEMU ignores it too)
const MH_AOUT_KLUDGE = 1 << 16;
const MH_KNOWN_REQUIRED = MH_PAGE_ALIGN | MH_MEMORY_INFO | MH_VIDEO_MODE;

// multiboot_info.flags
export const MBI_MEMORY = 1 << 0;
export const MBI_BOOT_DEVICE = 1 << 1;
export const MBI_CMDLINE = 1 << 2;
export const MBI_MODS = 1 << 3;
export const MBI_MMAP = 1 << 6;
export const MBI_BOOT_LOADER_NAME = 1 << 9;

// multiboot_info offsets
const MBI_FLAGS = 0, MBI_MEM_LOWER = 4, MBI_MEM_UPPER = 8, MBI_BOOT_DEV = 12, MBI_CMDLINE_OFF = 16;
const MBI_MODS_COUNT = 20, MBI_MODS_ADDR = 24, MBI_MMAP_LENGTH = 44, MBI_MMAP_ADDR = 48, MBI_LOADER_NAME = 64;
const MBI_SIZE = 88;

/** What the PC's memory looks like to the guest, for the memory fields and the map. */
export interface PcMemoryLayout {
  ramSize: number;
}

export interface MultibootChunk { addr: number; data: Uint8Array; what: string }

export interface MultibootPlan {
  entry: number;
  mbi: number;
  /** Everything to copy into guest RAM (zero-filled BSS included), in order. */
  chunks: MultibootChunk[];
  /** The highest byte used + 1, for tests and diagnostics. */
  end: number;
}

export interface MultibootInput {
  kernelPath: string;
  kernel: Uint8Array;
  append?: string;
  /** QEMU -initrd text: "file args,file args". */
  initrd?: string;
  /** Reads module files; tests substitute it. */
  readFile?: (path: string) => Uint8Array;
}

export interface MultibootHeader { offset: number; flags: number; fields?: { headerAddr: number; loadAddr: number; loadEndAddr: number; bssEndAddr: number; entryAddr: number } }

const align = (n: number, a = 4096) => Math.ceil(n / a) * a;
const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

/** The multiboot header in the first 8 KiB, or undefined. Checksum errors are refused. */
export function findMultibootHeader(img: Uint8Array, path: string): MultibootHeader | undefined {
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  const limit = Math.min(img.length, SEARCH_BYTES) - 12;
  for (let off = 0; off <= limit; off += 4) {
    if (dv.getUint32(off, true) !== MULTIBOOT_HEADER_MAGIC) continue;
    const flags = dv.getUint32(off + 4, true), sum = dv.getUint32(off + 8, true);
    if (((MULTIBOOT_HEADER_MAGIC + flags + sum) >>> 0) !== 0) continue;   // not a header (GRUB keeps looking too)
    const h: MultibootHeader = { offset: off, flags };
    if (flags & MH_AOUT_KLUDGE) {
      if (off + 32 > img.length) throw new ConfigError(`tsemu: kernel '${path}': multiboot header at ${hex(off)} is truncated`);
      h.fields = {
        headerAddr: dv.getUint32(off + 12, true), loadAddr: dv.getUint32(off + 16, true),
        loadEndAddr: dv.getUint32(off + 20, true), bssEndAddr: dv.getUint32(off + 24, true),
        entryAddr: dv.getUint32(off + 28, true),
      };
    }
    return h;
  }
  return undefined;
}

interface Segment { paddr: number; vaddr: number; data: Uint8Array; memsz: number }

function elfSegments(img: Uint8Array, path: string): { entry: number; segments: Segment[] } {
  const bad = (why: string): never => { throw new ConfigError(`tsemu: kernel '${path}': corrupt ELF: ${why}`); };
  if (img.length < 52) bad('file shorter than an ELF header');
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  if (img[4] !== 1) throw new ConfigError(`tsemu: kernel '${path}': ${img[4] === 2 ? '64-bit ELF' : 'unknown ELF class'}: the multiboot loader takes 32-bit ELF (or the a.out kludge)`);
  if (img[5] !== 1) bad('not little-endian');
  const machine = dv.getUint16(18, true);
  if (machine !== 3) throw new ConfigError(`tsemu: kernel '${path}': ELF machine ${machine} is not i386 (3)`);
  const phoff = dv.getUint32(28, true), phentsize = dv.getUint16(42, true), phnum = dv.getUint16(44, true);
  if (phnum === 0) bad('no program headers');
  if (phentsize < 32) bad(`program header size ${phentsize}`);
  if (phoff + phnum * phentsize > img.length) bad('program headers run past the end of the file');
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (dv.getUint32(o, true) !== 1) continue;   // PT_LOAD only
    const off = dv.getUint32(o + 4, true), vaddr = dv.getUint32(o + 8, true), paddr = dv.getUint32(o + 12, true);
    const filesz = dv.getUint32(o + 16, true), memsz = dv.getUint32(o + 20, true);
    if (off + filesz > img.length) bad(`segment ${i} runs past the end of the file`);
    if (memsz < filesz) bad(`segment ${i} has memsz < filesz`);
    if (memsz === 0) continue;
    segments.push({ paddr, vaddr, data: img.subarray(off, off + filesz), memsz });
  }
  if (!segments.length) bad('no loadable segments');
  return { entry: dv.getUint32(24, true), segments };
}

/** QEMU's -initrd for multiboot: comma-separated "file args"; ",," is a literal comma. */
export function parseModules(spec: string): { file: string; cmdline: string }[] {
  return spec.replace(/,,/g, '\0').split(',').filter((s) => s.length > 0).map((s) => {
    const text = s.replace(/\0/g, ',');
    const sp = text.indexOf(' ');
    return { file: sp < 0 ? text : text.slice(0, sp), cmdline: text };
  });
}

/**
 * SeaBIOS keeps the top 128 KiB of RAM for itself; QEMU's multiboot option
 * ROM reports the BIOS's e820 map and int 12h size, so a kernel under QEMU
 * sees mem_lower = 639 and mem_upper = RAM/1K - 1024 - 128. We report the
 * same so test kernels print the same numbers in both.
 */
const BIOS_RESERVED_TOP = 128 << 10;

/** The e820 map QEMU + SeaBIOS report: conventional memory, EBDA, BIOS area, extended memory, SeaBIOS's top, the BIOS ROM. */
export function pcMemoryMap(ramSize: number): { base: number; length: number; type: number }[] {
  return [
    { base: 0, length: 0x9fc00, type: 1 },
    { base: 0x9fc00, length: 0x400, type: 2 },
    { base: 0xf0000, length: 0x10000, type: 2 },
    { base: 0x100000, length: ramSize - 0x100000 - BIOS_RESERVED_TOP, type: 1 },
    { base: ramSize - BIOS_RESERVED_TOP, length: BIOS_RESERVED_TOP, type: 2 },
    { base: 0xfffc0000, length: 0x40000, type: 2 },
  ].filter((e) => e.length > 0);
}

export function planMultiboot(inp: MultibootInput, mem: PcMemoryLayout): MultibootPlan {
  const { kernel: img, kernelPath: path } = inp;
  const ramEnd = mem.ramSize;
  const h = findMultibootHeader(img, path);
  if (!h) throw new ConfigError(`tsemu: kernel '${path}': no multiboot header (magic 0x1BADB002 with a valid checksum) in the first 8 KiB; only multiboot kernels can be loaded with -kernel on this machine`);
  const unsupported = h.flags & 0xffff & ~MH_KNOWN_REQUIRED;
  if (unsupported) throw new ConfigError(`tsemu: kernel '${path}': multiboot header requires unsupported features (flags ${hex(unsupported)})`);

  const chunks: MultibootChunk[] = [];
  const inRam = (addr: number, len: number, what: string) => {
    if (addr < 0 || addr + len > ramEnd || (addr < 0x100000 && addr + len > 0xa0000)) {
      throw new ConfigError(`tsemu: kernel '${path}': ${what} [${hex(addr)}-${hex(addr + len - 1)}] is outside RAM (${ramEnd >> 20} MiB, hole at 0xa0000-0xfffff)`);
    }
  };
  let entry: number, kernelEnd = 0;
  if (h.fields) {
    const f = h.fields;
    if (f.headerAddr < f.loadAddr) throw new ConfigError(`tsemu: kernel '${path}': multiboot header_addr ${hex(f.headerAddr)} is below load_addr ${hex(f.loadAddr)}`);
    const fileOff = h.offset - (f.headerAddr - f.loadAddr);
    if (fileOff < 0) throw new ConfigError(`tsemu: kernel '${path}': multiboot load_addr puts the image start before the file start`);
    const loadSize = f.loadEndAddr ? f.loadEndAddr - f.loadAddr : img.length - fileOff;
    if (loadSize < 0 || fileOff + loadSize > img.length) throw new ConfigError(`tsemu: kernel '${path}': multiboot load_end_addr ${hex(f.loadEndAddr)} runs past the end of the file`);
    const bssEnd = f.bssEndAddr ? f.bssEndAddr : f.loadAddr + loadSize;
    if (bssEnd < f.loadAddr + loadSize) throw new ConfigError(`tsemu: kernel '${path}': multiboot bss_end_addr ${hex(f.bssEndAddr)} is below load_end_addr`);
    inRam(f.loadAddr, bssEnd - f.loadAddr, 'kernel image');
    chunks.push({ addr: f.loadAddr, data: img.subarray(fileOff, fileOff + loadSize), what: 'kernel' });
    if (bssEnd > f.loadAddr + loadSize) chunks.push({ addr: f.loadAddr + loadSize, data: new Uint8Array(bssEnd - f.loadAddr - loadSize), what: 'kernel bss' });
    entry = f.entryAddr;
    kernelEnd = bssEnd;
  } else {
    if (!(img[0] === 0x7f && img[1] === 0x45 && img[2] === 0x4c && img[3] === 0x46)) {
      throw new ConfigError(`tsemu: kernel '${path}': not an ELF file, and its multiboot header has no address fields (flag 16)`);
    }
    const elf = elfSegments(img, path);
    for (const s of elf.segments) {
      inRam(s.paddr, s.memsz, 'ELF segment');
      chunks.push({ addr: s.paddr, data: s.data, what: 'kernel' });
      if (s.memsz > s.data.length) chunks.push({ addr: s.paddr + s.data.length, data: new Uint8Array(s.memsz - s.data.length), what: 'kernel bss' });
      kernelEnd = Math.max(kernelEnd, s.paddr + s.memsz);
    }
    entry = elf.entry;
    // A higher-half kernel (linked at virtual addresses, loaded with AT()) gives a virtual entry
    // point: enter at its physical address, as QEMU does.
    const inPhys = elf.segments.some((g) => entry >= g.paddr && entry < g.paddr + g.memsz);
    const virt = elf.segments.find((g) => entry >= g.vaddr && entry < g.vaddr + g.memsz);
    if (!inPhys && virt) entry = entry - virt.vaddr + virt.paddr;
  }

  // Modules, page-aligned after the kernel (QEMU aligns them whether or not flag 0 asks).
  const read = inp.readFile ?? ((p: string) => {
    try { return readFileSync(p); } catch (e) {
      throw new ConfigError(`tsemu: -initrd: could not load module '${p}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  });
  const mods = inp.initrd ? parseModules(inp.initrd) : [];
  let cursor = align(kernelEnd);
  const modPlaces: { start: number; end: number; cmdline: string }[] = [];
  for (const m of mods) {
    const data = read(m.file);
    if (cursor + data.length > ramEnd) throw new ConfigError(`tsemu: -initrd: module '${m.file}' (${data.length} bytes) does not fit in RAM after the kernel`);
    chunks.push({ addr: cursor, data, what: `module ${m.file}` });
    modPlaces.push({ start: cursor, end: cursor + data.length, cmdline: m.cmdline });
    cursor = align(cursor + data.length);
  }

  // The information block: mbi, module list, memory map, then the strings.
  const cmdline = inp.append !== undefined && inp.append !== '' ? `${path} ${inp.append}` : path;   // QEMU passes the kernel's file name first
  const enc = (s: string) => { const b = Buffer.from(s + '\0', 'latin1'); return b; };
  const map = pcMemoryMap(mem.ramSize);
  const mbi = cursor;
  const modsAddr = mbi + MBI_SIZE;
  const mmapAddr = modsAddr + 16 * mods.length;
  const mmapLength = 24 * map.length;
  let strAddr = mmapAddr + mmapLength;
  const strings: Buffer[] = [];
  const putString = (s: string) => { const a = strAddr; const b = enc(s); strings.push(b); strAddr += b.length; return a; };
  const cmdlineAddr = putString(cmdline);
  const loaderAddr = putString('tsemu');
  const modStrAddrs = modPlaces.map((m) => putString(m.cmdline));
  const total = strAddr - mbi;
  if (mbi + total > ramEnd) throw new ConfigError('tsemu: no room in RAM for the multiboot information after the kernel and modules');

  const block = new Uint8Array(total);
  const dv = new DataView(block.buffer);
  dv.setUint32(MBI_FLAGS, MBI_MEMORY | MBI_BOOT_DEVICE | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_BOOT_LOADER_NAME, true);
  dv.setUint32(MBI_MEM_LOWER, 639, true);
  dv.setUint32(MBI_MEM_UPPER, Math.floor((mem.ramSize - BIOS_RESERVED_TOP) / 1024) - 1024, true);
  dv.setUint32(MBI_BOOT_DEV, 0x8000ffff, true);   // first BIOS disk, no partition (QEMU's value)
  dv.setUint32(MBI_CMDLINE_OFF, cmdlineAddr, true);
  dv.setUint32(MBI_MODS_COUNT, mods.length, true);
  dv.setUint32(MBI_MODS_ADDR, modsAddr, true);
  dv.setUint32(MBI_MMAP_LENGTH, mmapLength, true);
  dv.setUint32(MBI_MMAP_ADDR, mmapAddr, true);
  dv.setUint32(MBI_LOADER_NAME, loaderAddr, true);
  modPlaces.forEach((m, i) => {
    const o = modsAddr - mbi + 16 * i;
    dv.setUint32(o, m.start, true);
    dv.setUint32(o + 4, m.end, true);
    dv.setUint32(o + 8, modStrAddrs[i], true);
  });
  map.forEach((e, i) => {
    const o = mmapAddr - mbi + 24 * i;
    dv.setUint32(o, 20, true);   // size of the entry without this field
    dv.setUint32(o + 4, e.base >>> 0, true);
    dv.setUint32(o + 8, Math.floor(e.base / 2 ** 32), true);
    dv.setUint32(o + 12, e.length >>> 0, true);
    dv.setUint32(o + 16, Math.floor(e.length / 2 ** 32), true);
    dv.setUint32(o + 20, e.type, true);
  });
  let so = cmdlineAddr - mbi;
  for (const s of strings) { block.set(s, so); so += s.length; }
  chunks.push({ addr: mbi, data: block, what: 'multiboot information' });
  return { entry: entry >>> 0, mbi, chunks, end: mbi + total };
}
