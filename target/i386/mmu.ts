/**
 * i386 paging (SDM vol. 3 §4.3): the CR3 two-level walk with 4 KiB pages and
 * PSE 4 MiB pages, U/S and R/W with CR0.WP, accessed and dirty bits, and
 * page faults with CR2 and the error code. No PAE.
 */
import { Access, PROT_READ, PROT_WRITE, PROT_EXEC, type PageTranslation } from '../../softmmu/cputlb.js';
import type { X86CPU } from './cpu.js';
import * as S from './cpu-state.js';

export type WalkResult = { paddr: number; prot: number } | { error: number };

/** Walk for `va`; with `update` set the accessed/dirty bits are written. */
export function walk(cpu: X86CPU, va: number, access: Access, user: boolean, update: boolean): WalkResult {
  const cr0 = cpu.word(S.CR0);
  // (page-table reads ignore the A20 gate: guests enable A20 before paging)
  if (!(cr0 & S.CR0_PG)) return { paddr: va >>> 0, prot: PROT_READ | PROT_WRITE | PROT_EXEC };
  const cr4 = cpu.word(S.CR4);
  const write = access === Access.WRITE;
  const errBase = (write ? 2 : 0) | (user ? 4 : 0);
  const pdeAddr = ((cpu.word(S.CR3) & ~0xfff) + ((va >>> 22) << 2)) >>> 0;
  const pde = cpu.physRead32(pdeAddr);
  if (!(pde & 1)) return { error: errBase };
  let pa: number, rw: boolean, us: boolean, dirty: boolean;
  if ((pde & 0x80) && (cr4 & S.CR4_PSE)) {
    rw = (pde & 2) !== 0; us = (pde & 4) !== 0;
    if (user && !us) return { error: errBase | 1 };
    if (write && !rw && (user || (cr0 & S.CR0_WP))) return { error: errBase | 1 };
    dirty = (pde & 0x40) !== 0;
    if (update) {
      const n = pde | 0x20 | (write ? 0x40 : 0);
      if (n !== pde) cpu.physWrite32(pdeAddr, n);
      if (write) dirty = true;
    }
    pa = ((pde & 0xffc00000) | (va & 0x3fffff)) >>> 0;
  } else {
    const pteAddr = ((pde & ~0xfff) + (((va >>> 12) & 0x3ff) << 2)) >>> 0;
    const pte = cpu.physRead32(pteAddr);
    if (!(pte & 1)) return { error: errBase };
    rw = (pde & 2) !== 0 && (pte & 2) !== 0;
    us = (pde & 4) !== 0 && (pte & 4) !== 0;
    if (user && !us) return { error: errBase | 1 };
    if (write && !rw && (user || (cr0 & S.CR0_WP))) return { error: errBase | 1 };
    dirty = (pte & 0x40) !== 0;
    if (update) {
      if (!(pde & 0x20)) cpu.physWrite32(pdeAddr, pde | 0x20);
      const n = pte | 0x20 | (write ? 0x40 : 0);
      if (n !== pte) cpu.physWrite32(pteAddr, n);
      if (write) dirty = true;
    }
    pa = ((pte & 0xfffff000) | (va & 0xfff)) >>> 0;
  }
  let prot = PROT_READ | PROT_EXEC;
  const canWrite = user ? rw : rw || !(cr0 & S.CR0_WP);
  // Write permission only once the page is dirty, so the first write comes back here to set D.
  if (canWrite && dirty) prot |= PROT_WRITE;
  return { paddr: pa, prot };
}

export function pageTranslate(cpu: X86CPU, va: number, access: Access, mmuIdx: number): PageTranslation {
  const r = walk(cpu, va, access, mmuIdx === S.MMU_USER, true);
  if ('error' in r) {
    if (cpu.logger.enabled('mmu')) cpu.logger.write(`mmu: #PF va=0x${(va >>> 0).toString(16)} err=${r.error}\n`);
    cpu.setWord(S.CR2, va);
    cpu.raise(S.Excp.PF, r.error);
  }
  return r;
}
