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

export interface WalkFault { fs: number; domain: number; ext: boolean }

export type WalkResult = { paddr: number; prot: number } | WalkFault;

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
  return { paddr: pa, prot };
}

export function mmuTranslate(cpu: ArmCPU, va: number, access: Access, mmuIdx: number): PageTranslation {
  const r = walk(cpu, va, access, mmuIdx);
  if ('fs' in r) {
    if (cpu.logger.enabled('mmu')) cpu.logger.write(`mmu: fault va=0x${(va >>> 0).toString(16)} access=${access} fs=0x${r.fs.toString(16)}\n`);
    return cpu.abort(va, access, r.fs, r.domain, r.ext);
  }
  return r;
}
