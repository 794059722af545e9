/**
 * The VMSAv7 short-descriptor translation table walk (ARM ARM B3.5):
 * sections, supersections, large and small pages, domains, AP and XN/PXN.
 * Faults carry the short-descriptor fault status codes.
 */
import { Access, PROT_READ, PROT_WRITE, PROT_EXEC, type PageTranslation } from '../../softmmu/cputlb.js';
import type { ArmCPU } from './cpu.js';
import { MMU_PL0 } from './cpu-state.js';

/** Fault status codes (FS[4:0]). */
const FS_ALIGN = 0x01, FS_TRANS_SEC = 0x05, FS_TRANS_PAGE = 0x07, FS_DOM_SEC = 0x09, FS_DOM_PAGE = 0x0b,
  FS_PERM_SEC = 0x0d, FS_PERM_PAGE = 0x0f, FS_AF_SEC = 0x03, FS_AF_PAGE = 0x06, FS_EXT_L1 = 0x0c, FS_EXT_L2 = 0x0e;
void FS_ALIGN;

/** A fault: `fs` is the short-descriptor FS code, or the long-descriptor STATUS when `lpae`. */
export interface WalkFault { fs: number; domain: number; ext: boolean; lpae?: boolean }

export type WalkResult = { paddr: number; prot: number; domain?: number } | WalkFault;

function readPhys(cpu: ArmCPU, addr: number): number | undefined {
  const v = cpu.as.read(addr >>> 0, 4, cpu.index);
  return v === undefined ? undefined : v | 0;
}

/** AP[2:0] to protection for one privilege level (SCTLR.AFE = 0 model; AFE = 1 uses AP[2:1]). */
function apProt(ap: number, user: boolean, afe: boolean): number {
  if (afe) {
    switch ((ap >> 1) & 3) {
      case 0: return user ? 0 : PROT_READ | PROT_WRITE;
      case 1: return PROT_READ | PROT_WRITE;
      case 2: return user ? 0 : PROT_READ;
      default: return PROT_READ;
    }
  }
  switch (ap) {
    case 0: return 0;
    case 1: return user ? 0 : PROT_READ | PROT_WRITE;
    case 2: return user ? PROT_READ : PROT_READ | PROT_WRITE;
    case 3: return PROT_READ | PROT_WRITE;
    case 5: return user ? 0 : PROT_READ;
    case 6: case 7: return PROT_READ;
    default: return 0;
  }
}

export function walk(cpu: ArmCPU, va: number, access: Access, mmuIdx: number): WalkResult {
  const cp = cpu.cp15;
  if ((cp.sctlr & 1) === 0) return { paddr: va >>> 0, prot: PROT_READ | PROT_WRITE | PROT_EXEC };
  const user = mmuIdx === MMU_PL0;
  if (cp.ttbcr & 0x80000000) return walkLong(cpu, va >>> 0, access, user);
  const n = cp.ttbcr & 7;
  let base: number;
  if (n === 0 || (va >>> (32 - n)) === 0) {
    if (cp.ttbcr & 0x10) return { fs: FS_TRANS_SEC, domain: 0, ext: false }; // PD0
    base = (cp.ttbr0 & ~((1 << (14 - n)) - 1)) >>> 0;
  } else {
    if (cp.ttbcr & 0x20) return { fs: FS_TRANS_SEC, domain: 0, ext: false }; // PD1
    base = (cp.ttbr1 & ~0x3fff) >>> 0;
  }
  const l1idx = n === 0 ? va >>> 20 : (va >>> 20) & ((1 << (12 - n)) - 1);
  const l1 = readPhys(cpu, base + l1idx * 4);
  if (l1 === undefined) return { fs: FS_EXT_L1, domain: 0, ext: true };
  const type = l1 & 3;
  if (type === 0) return { fs: FS_TRANS_SEC, domain: 0, ext: false };
  let domain: number, ap: number, xn: boolean, pxn: boolean, pa: number, page: boolean;
  if (type === 1) {
    domain = (l1 >>> 5) & 0xf;
    pxn = (l1 & 4) !== 0;
    const l2addr = ((l1 & 0xfffffc00) | (((va >>> 12) & 0xff) << 2)) >>> 0;
    const l2 = readPhys(cpu, l2addr);
    if (l2 === undefined) return { fs: FS_EXT_L2, domain, ext: true };
    const t2 = l2 & 3;
    page = true;
    if (t2 === 0) return { fs: FS_TRANS_PAGE, domain, ext: false };
    if (t2 === 1) { // large page, 64 KiB
      pa = ((l2 & 0xffff0000) | (va & 0xffff)) >>> 0;
      xn = (l2 & 0x8000) !== 0;
    } else {        // small page, 4 KiB
      pa = ((l2 & 0xfffff000) | (va & 0xfff)) >>> 0;
      xn = (l2 & 1) !== 0;
    }
    ap = ((l2 >>> 4) & 3) | ((l2 >>> 7) & 4);
  } else {
    pxn = (l1 & 1) !== 0;
    page = false;
    xn = (l1 & 0x10) !== 0;
    ap = ((l1 >>> 10) & 3) | ((l1 >>> 13) & 4);
    if (l1 & (1 << 18)) { // supersection, 16 MiB, domain 0
      domain = 0;
      pa = ((l1 & 0xff000000) | (va & 0x00ffffff)) >>> 0;
    } else {
      domain = (l1 >>> 5) & 0xf;
      pa = ((l1 & 0xfff00000) | (va & 0x000fffff)) >>> 0;
    }
  }
  const dom = (cp.dacr >>> (domain * 2)) & 3;
  if (dom === 0 || dom === 2) return { fs: page ? FS_DOM_PAGE : FS_DOM_SEC, domain, ext: false };
  let prot: number;
  if (dom === 3) {
    prot = PROT_READ | PROT_WRITE | PROT_EXEC;
  } else {
    const afe = (cp.sctlr & (1 << 29)) !== 0;
    if (afe && (ap & 1) === 0) return { fs: page ? FS_AF_PAGE : FS_AF_SEC, domain, ext: false };
    prot = apProt(ap, user, afe);
    if (prot & PROT_READ) prot |= PROT_EXEC;
    if (xn || (pxn && !user)) prot &= ~PROT_EXEC;
  }
  const need = access === Access.READ ? PROT_READ : access === Access.WRITE ? PROT_WRITE : PROT_EXEC;
  if (!(prot & need)) return { fs: page ? FS_PERM_PAGE : FS_PERM_SEC, domain, ext: false };
  return { paddr: pa, prot, domain };
}

/**
 * The long-descriptor (LPAE) walk, ARM ARM B3.6, for 32-bit input addresses
 * and output addresses below 4 GiB: levels 1-3, blocks and pages,
 * hierarchical APTable/XNTable/PXNTable, the access flag.
 */
function walkLong(cpu: ArmCPU, va: number, access: Access, user: boolean): WalkResult {
  const cp = cpu.cp15;
  const t0sz = cp.ttbcr & 7, t1sz = (cp.ttbcr >>> 16) & 7;
  const fault = (type: number, level: number): WalkFault => ({ fs: (type << 2) | level, domain: 0, ext: false, lpae: true });
  let tsz: number, ttbr: number, epd: boolean;
  if (t0sz === 0 && t1sz === 0 || (t0sz > 0 && va < 2 ** (32 - t0sz)) || (t0sz === 0 && t1sz > 0 && va < 2 ** 32 - 2 ** (32 - t1sz))) {
    tsz = t0sz; ttbr = cp.ttbr0; epd = (cp.ttbcr & 0x80) !== 0;
  } else if (t1sz > 0 && va >= 2 ** 32 - 2 ** (32 - t1sz)) {
    tsz = t1sz; ttbr = cp.ttbr1; epd = (cp.ttbcr & 0x800000) !== 0;
  } else {
    return fault(1, 1);
  }
  let level = tsz > 1 ? 2 : 1;
  if (epd) return fault(1, level);
  // Index bits per level: level 1 VA[31-tsz:30], level 2 VA[29:21] (or VA[31-tsz:21]), level 3 VA[20:12].
  const topBit = 31 - tsz;
  let tableBase = (ttbr >>> 0) & ~((level === 1 ? 1 << (5 - tsz) : 1 << (14 - tsz)) - 1) >>> 0;
  if (level === 1) tableBase = (ttbr >>> 0) & ~((1 << Math.max(3, 5 - tsz)) - 1) >>> 0;
  else tableBase = (ttbr >>> 0) & ~((1 << Math.max(3, 14 - tsz)) - 1) >>> 0;
  let apTable = 0, xnTable = false, pxnTable = false;
  for (;;) {
    const shift = level === 1 ? 30 : level === 2 ? 21 : 12;
    const hi = level === 1 ? topBit : level === 2 ? Math.min(29, topBit) : 20;
    const idx = (va >>> shift) & ((1 << (hi - shift + 1)) - 1);
    const daddr = (tableBase + idx * 8) >>> 0;
    const lo = readPhys(cpu, daddr), dhi = readPhys(cpu, daddr + 4);
    if (lo === undefined || dhi === undefined) return { fs: 0x14 | level, domain: 0, ext: true, lpae: true };
    const type = lo & 3;
    if ((type & 1) === 0 || (level === 3 && type === 1)) return fault(1, level);
    if (type === 3 && level < 3) {
      // table descriptor: next level, accumulating hierarchical permissions
      apTable |= (dhi >>> 29) & 3;
      xnTable ||= ((dhi >>> 28) & 1) !== 0;
      pxnTable ||= ((dhi >>> 27) & 1) !== 0;
      tableBase = (lo & 0xfffff000) >>> 0;
      level++;
      continue;
    }
    // block (level 1: 1 GiB, level 2: 2 MiB) or page (level 3: 4 KiB)
    const mask = level === 1 ? 0x3fffffff : level === 2 ? 0x1fffff : 0xfff;
    const pa = (((lo & ~mask) >>> 0) | (va & mask)) >>> 0;
    if ((lo & 0x400) === 0) return fault(2, level); // access flag
    let ap = (lo >>> 6) & 3;
    if (apTable & 1) ap &= ~1;       // APTable[0]: no user access below
    if (apTable & 2) ap |= 2;        // APTable[1]: read-only below
    let prot = 0;
    if (!user || (ap & 1)) prot = ap & 2 ? PROT_READ : PROT_READ | PROT_WRITE;
    const xn = ((dhi >>> 22) & 1) !== 0 || xnTable, pxn = ((dhi >>> 21) & 1) !== 0 || pxnTable;
    if ((prot & PROT_READ) && !(xn || (pxn && !user))) prot |= PROT_EXEC;
    const need = access === Access.READ ? PROT_READ : access === Access.WRITE ? PROT_WRITE : PROT_EXEC;
    if (!(prot & need)) return fault(3, level);
    return { paddr: pa, prot };
  }
}

export function mmuTranslate(cpu: ArmCPU, va: number, access: Access, mmuIdx: number): PageTranslation {
  const r = walk(cpu, va, access, mmuIdx);
  if ('fs' in r) {
    if (cpu.logger.enabled('mmu')) cpu.logger.write(`mmu: fault va=0x${(va >>> 0).toString(16)} access=${access} fs=0x${r.fs.toString(16)}\n`);
    return cpu.abort(va, access, r.fs, r.domain, r.ext, r.lpae);
  }
  return r;
}
