/**
 * Helpers the ARM translator calls for instructions that are rare, touch
 * system state, or are clearer in TypeScript than in IR (QEMU's
 * target/arm/*helper.c). Whole-instruction helpers get the encoding and read
 * and write registers in the state block themselves.
 */
import { defHelper, ExitTbRequest } from '../../tcg/helpers.js';
import type { ArmCPU } from './cpu.js';
import { Excp } from './cpu.js';
import * as S from './cpu-state.js';
import { Mode, bankIndex } from './cpu-state.js';
import { psciCall } from './psci.js';
import { vfpInsn } from './vfp.js';
import { dspMultiply, media, saturate, qAddSub } from './helpers-dsp.js';

function shiftReg(cpu: ArmCPU, v: number, amt: number, type: number, setC: boolean): number {
  amt &= 0xff;
  let r: number, c = cpu.word(S.CF);
  switch (type) {
    case 0: // LSL
      if (amt === 0) r = v;
      else if (amt < 32) { r = v << amt; c = (v >>> (32 - amt)) & 1; }
      else if (amt === 32) { r = 0; c = v & 1; }
      else { r = 0; c = 0; }
      break;
    case 1: // LSR
      if (amt === 0) r = v;
      else if (amt < 32) { r = v >>> amt; c = (v >>> (amt - 1)) & 1; }
      else if (amt === 32) { r = 0; c = v >>> 31; }
      else { r = 0; c = 0; }
      break;
    case 2: // ASR
      if (amt === 0) r = v;
      else if (amt < 32) { r = v >> amt; c = (v >>> (amt - 1)) & 1; }
      else { r = v >> 31; c = v >>> 31; }
      break;
    default: { // ROR
      if (amt === 0) { r = v; break; }
      const s = amt & 31;
      r = s === 0 ? v : (v >>> s) | (v << (32 - s));
      c = r >>> 31;
    }
  }
  if (setC) cpu.setWord(S.CF, c);
  return r | 0;
}

function msrMask(cpu: ArmCPU, mask: number): number {
  // User mode may write only NZCVQ and GE (APSR); privileged modes may not set T/IT/J via MSR.
  if (!cpu.privileged) mask &= 0xf80f0000;
  return mask & ~(S.CPSR_T | S.CPSR_IT_MASK | S.CPSR_J) & ~0x00f00000 & ~0x0000fc00;
}

function cpRead(cpu: ArmCPU, insn: number): number {
  const cp = (insn >>> 8) & 0xf, opc1 = (insn >>> 21) & 7, crn = (insn >>> 16) & 0xf, crm = insn & 0xf, opc2 = (insn >>> 5) & 7;
  if (cp === 14) return cp14Read(cpu, opc1, crn, crm, opc2);
  const r = cpu.cp15.lookup(crn, opc1, crm, opc2);
  if (!r || !r.read || (!cpu.privileged && !userReadable(crn, opc1, crm, opc2))) {
    cpu.log('unimp', `undefined MRC p${cp}, ${opc1}, c${crn}, c${crm}, ${opc2}`);
    cpu.raise(Excp.UDEF);
  }
  return r.read() | 0;
}

function userReadable(crn: number, opc1: number, crm: number, opc2: number): boolean {
  if (crn === 13 && opc1 === 0 && crm === 0 && (opc2 === 2 || opc2 === 3)) return true; // TPIDRURW/URO
  if (crn === 14 && opc1 === 0 && crm === 0 && opc2 === 0) return true;                 // CNTFRQ
  return false;
}

function cp14Read(cpu: ArmCPU, opc1: number, crn: number, crm: number, opc2: number): number {
  // ThumbEE (ID_PFR0 says the A15 has it): TEECR and TEEHBR.
  if (opc1 === 6 && crm === 0 && opc2 === 0 && crn <= 1) {
    if (!cpu.privileged && (crn === 0 || (cpu.teecr & 1))) cpu.raise(Excp.UDEF);
    return crn === 0 ? cpu.teecr : cpu.teehbr;
  }
  // Debug registers as a core with no debug features in use: DBGDIDR describes the A15, the rest read as zero.
  if (opc1 === 0 && crn === 0 && crm === 0 && opc2 === 0) return 0x3515f021;
  if (opc1 === 0 && (crn === 0 || crn === 1 || crn === 2) && cpu.privileged) return 0;
  cpu.raise(Excp.UDEF);
}

function cpWrite(cpu: ArmCPU, insn: number, v: number): void {
  const cp = (insn >>> 8) & 0xf, opc1 = (insn >>> 21) & 7, crn = (insn >>> 16) & 0xf, crm = insn & 0xf, opc2 = (insn >>> 5) & 7;
  if (cp === 14) {
    if (opc1 === 6 && crm === 0 && opc2 === 0 && crn <= 1) {
      if (!cpu.privileged && (crn === 0 || (cpu.teecr & 1))) cpu.raise(Excp.UDEF);
      if (crn === 0) cpu.teecr = v & 1; else cpu.teehbr = v & ~3;
      return;
    }
    if (opc1 === 0 && cpu.privileged) return;
    cpu.raise(Excp.UDEF);
  }
  const r = cpu.cp15.lookup(crn, opc1, crm, opc2);
  const userOk = crn === 13 && opc1 === 0 && crm === 0 && opc2 === 2;
  if (!r || !r.write || (!cpu.privileged && !userOk)) {
    cpu.log('unimp', `undefined MCR p${cp}, ${opc1}, c${crn}, c${crm}, ${opc2}`);
    cpu.raise(Excp.UDEF);
  }
  r.write(v);
}

/** MRRC/MCRR p15: 64-bit views (TTBR0/1, PAR, generic timer). */
function cp64(cpu: ArmCPU, insn: number): void {
  const load = (insn >>> 20) & 1, rt = (insn >>> 12) & 0xf, rt2 = (insn >>> 16) & 0xf;
  const opc1 = (insn >>> 4) & 0xf, crm = insn & 0xf, cp = (insn >>> 8) & 0xf;
  if (cp !== 15 || !cpu.privileged && !(crm === 14 && (opc1 === 0 || opc1 === 1) && load)) cpu.raise(Excp.UDEF);
  const cp15 = cpu.cp15;
  if (load) {
    let lo: number, hi: number;
    if (crm === 14) {
      const v = cpu.gt.read64(opc1);
      if (v === undefined) cpu.raise(Excp.UDEF);
      lo = v % 2 ** 32 | 0; hi = Math.floor(v / 2 ** 32) | 0;
    } else if (crm === 2 && opc1 === 0) { lo = cp15.ttbr0; hi = cp15.ttbr0hi; }
    else if (crm === 2 && opc1 === 1) { lo = cp15.ttbr1; hi = cp15.ttbr1hi; }
    else if (crm === 7 && opc1 === 0) { lo = cp15.par; hi = cp15.parhi; }
    else cpu.raise(Excp.UDEF);
    cpu.setReg(rt, lo);
    cpu.setReg(rt2, hi);
  } else {
    const lo = cpu.reg(rt) >>> 0, hi = cpu.reg(rt2) >>> 0;
    if (crm === 14) { if (!cpu.gt.write64(opc1, hi * 2 ** 32 + lo)) cpu.raise(Excp.UDEF); }
    else if (crm === 2 && opc1 === 0) { cp15.ttbr0 = lo | 0; cp15.ttbr0hi = hi | 0; cp15.flushTlb(); }
    else if (crm === 2 && opc1 === 1) { cp15.ttbr1 = lo | 0; cp15.ttbr1hi = hi | 0; cp15.flushTlb(); }
    else if (crm === 7 && opc1 === 0) { cp15.par = lo | 0; cp15.parhi = hi | 0; }
    else cpu.raise(Excp.UDEF);
  }
}

/** LDREX/STREX family (A32 encodings): a local exclusive monitor per CPU. */
function exclusive(cpu: ArmCPU, insn: number): void {
  const op = (insn >>> 21) & 3, load = (insn >>> 20) & 1;
  const rn = (insn >>> 16) & 0xf, rd = (insn >>> 12) & 0xf, rt = insn & 0xf;
  exclusiveOp(cpu, [4, 8, 1, 2][op], load, rd, rt, load ? rd + 1 : rt + 1, cpu.reg(rn));
}

/**
 * T32 LDREX/STREX family: `packed` = size code (bits 9:8: word, byte, half,
 * doubleword) | status register (bits 15:12, stores) | load (bit 4) | Rt (bits 3:0);
 * the address is computed by the translator, Rt2 (doubleword) passed apart.
 */
function exclusiveT32(cpu: ArmCPU, packed: number, addr: number, rt2: number): void {
  const size = [4, 1, 2, 8][(packed >>> 8) & 3], load = (packed >>> 4) & 1, rt = packed & 0xf;
  if (load) exclusiveOp(cpu, size, 1, rt, 0, rt2, addr);
  else exclusiveOp(cpu, size, 0, (packed >>> 12) & 0xf, rt, rt2, addr);
}

/** Loads: rd (and rt2 for doublewords) get the data; stores: rd = status, data from rt (and rt2). */
function exclusiveOp(cpu: ArmCPU, size: number, load: number, rd: number, rt: number, rt2: number, addr: number): void {
  const mmu = cpu.mmuIdx();
  const tlb = cpu.tlb;
  if (load) {
    if (size === 8) {
      const lo = tlb.load(addr, 4, mmu, true), hi = tlb.load(addr + 4, 4, mmu, true);
      cpu.setReg(rd, lo | 0); cpu.setReg(rt2, hi | 0);
      cpu.setWord(S.EXCL_VAL, lo | 0); cpu.setWord(S.EXCL_VALHI, hi | 0);
    } else {
      const v = tlb.load(addr, size, mmu, true);
      cpu.setReg(rd, v | 0);
      cpu.setWord(S.EXCL_VAL, v | 0);
    }
    cpu.setWord(S.EXCL_ADDR, addr);
    cpu.excl = true;
    return;
  }
  // STREX Rd, Rt, [Rn]: Rd = status
  const rs = rd;
  let ok = cpu.excl && cpu.word(S.EXCL_ADDR) === addr;
  if (ok) {
    // Like QEMU: succeed only if memory still holds the value LDREX saw (catches other CPUs' stores).
    if (size === 8) {
      ok = (tlb.load(addr, 4, mmu, true) | 0) === cpu.word(S.EXCL_VAL) && (tlb.load(addr + 4, 4, mmu, true) | 0) === cpu.word(S.EXCL_VALHI);
    } else {
      ok = (tlb.load(addr, size, mmu, true) | 0) === cpu.word(S.EXCL_VAL);
    }
  }
  if (ok) {
    if (size === 8) { tlb.store(addr, cpu.reg(rt), 4, mmu, true); tlb.store(addr + 4, cpu.reg(rt2), 4, mmu, true); }
    else tlb.store(addr, cpu.reg(rt), size, mmu, true);
  }
  cpu.excl = false;
  cpu.setReg(rs, ok ? 0 : 1);
}

/** LDM/STM with ^: user registers, or an exception return when pc is loaded. */
function ldmStmUser(cpu: ArmCPU, insn: number): void {
  const p = (insn >>> 24) & 1, u = (insn >>> 23) & 1, w = (insn >>> 21) & 1, load = (insn >>> 20) & 1;
  const rn = (insn >>> 16) & 0xf, list = insn & 0xffff;
  let n = 0;
  for (let i = 0; i < 16; i++) if (list & (1 << i)) n++;
  const base = cpu.reg(rn);
  let addr = u ? base + (p ? 4 : 0) : base - 4 * n + (p ? 0 : 4);
  const mmu = cpu.mmuIdx();
  const tlb = cpu.tlb;
  const eret = load && (list & 0x8000) !== 0;
  if (load) {
    const vals: number[] = [];
    for (let i = 0; i < 16; i++) if (list & (1 << i)) { vals[i] = tlb.load(addr, 4, mmu, true) | 0; addr += 4; }
    if (w) cpu.setReg(rn, u ? base + 4 * n : base - 4 * n);
    for (let i = 0; i < 15; i++) if (list & (1 << i)) { if (eret) cpu.setReg(i, vals[i]); else cpu.setUserReg(i, vals[i]); }
    if (eret) exceptionReturn(cpu, vals[15]);
  } else {
    for (let i = 0; i < 16; i++) if (list & (1 << i)) {
      const v = i === 15 ? cpu.getPC() + 8 : cpu.getUserReg(i);
      tlb.store(addr, v, 4, mmu, true); addr += 4;
    }
    if (w) cpu.setReg(rn, u ? base + 4 * n : base - 4 * n);
  }
}

/** CPSR <- SPSR, then branch (SUBS pc, lr / LDM ^ / RFE). */
function exceptionReturn(cpu: ArmCPU, pc: number, spsr = cpu.word(S.SPSR)): void {
  const m = cpu.mode;
  if (m === Mode.USR || m === Mode.SYS) {
    cpu.log('guest_errors', 'exception return from user/system mode (UNPREDICTABLE): pc only');
  } else {
    cpu.setCPSR(spsr >>> 0, 0xffffffff);
  }
  cpu.setPC(cpu.thumb ? pc & ~1 : pc & ~3);
  cpu.excl = false;
}

function cps(cpu: ArmCPU, insn: number): void {
  if (!cpu.privileged) return;
  const imod = (insn >>> 18) & 3, m = (insn >>> 17) & 1;
  let mask = 0, val = 0;
  if (imod & 2) {
    const bits = ((insn >>> 8) & 1 ? S.CPSR_A : 0) | ((insn >>> 7) & 1 ? S.CPSR_I : 0) | ((insn >>> 6) & 1 ? S.CPSR_F : 0);
    mask |= bits;
    if (imod & 1) val |= bits;
  }
  if (m) { mask |= 0x1f; val |= insn & 0x1f; }
  cpu.setCPSR(val, mask);
}

/** SRS: store LR and SPSR of the current mode to the stack of `mode`. */
function srs(cpu: ArmCPU, insn: number): void {
  const p = (insn >>> 24) & 1, u = (insn >>> 23) & 1, w = (insn >>> 21) & 1, mode = insn & 0x1f;
  const bi = bankIndex(mode);
  if (bi < 0 || !cpu.privileged) cpu.raise(Excp.UDEF);
  const cur = cpu.mode;
  const sp = bankIndex(cur) === bi ? cpu.reg(13) : cpu.word(S.BANK_R13 + bi * 4);
  let addr = u ? sp + (p ? 4 : 0) : sp - 8 + (p ? 0 : 4);
  cpu.tlb.store(addr, cpu.reg(14), 4, cpu.mmuIdx(), true);
  cpu.tlb.store(addr + 4, cpu.word(S.SPSR), 4, cpu.mmuIdx(), true);
  if (w) {
    const nsp = u ? sp + 8 : sp - 8;
    if (bankIndex(cur) === bi) cpu.setReg(13, nsp); else cpu.setWord(S.BANK_R13 + bi * 4, nsp);
  }
  addr = 0;
}

function rfe(cpu: ArmCPU, insn: number): void {
  const p = (insn >>> 24) & 1, u = (insn >>> 23) & 1, w = (insn >>> 21) & 1, rn = (insn >>> 16) & 0xf;
  if (!cpu.privileged) cpu.raise(Excp.UDEF);
  const base = cpu.reg(rn);
  const addr = u ? base + (p ? 4 : 0) : base - 8 + (p ? 0 : 4);
  const pc = cpu.tlb.load(addr, 4, cpu.mmuIdx(), true) | 0;
  const spsr = cpu.tlb.load(addr + 4, 4, cpu.mmuIdx(), true) | 0;
  if (w) cpu.setReg(rn, u ? base + 8 : base - 8);
  exceptionReturn(cpu, pc, spsr);
}

function swp(cpu: ArmCPU, insn: number): void {
  const byte = (insn >>> 22) & 1, rn = (insn >>> 16) & 0xf, rt = (insn >>> 12) & 0xf, rt2 = insn & 0xf;
  const addr = cpu.reg(rn), mmu = cpu.mmuIdx(), size = byte ? 1 : 4;
  const old = cpu.tlb.load(addr, size, mmu, !byte);
  cpu.tlb.store(addr, cpu.reg(rt2), size, mmu, !byte);
  cpu.setReg(rt, old | 0);
}

export const H = {
  raise: defHelper('raise_exception', (cpu: ArmCPU, e) => cpu.raise(e as Excp)),
  bkpt: defHelper('bkpt', (cpu: ArmCPU) => { cpu.cp15.ifsr = 0x2; cpu.cp15.ifar = cpu.getPC(); cpu.raise(Excp.PREFETCH_ABORT); }),
  cpsrRead: defHelper('cpsr_read', (cpu: ArmCPU) => cpu.getCPSR() | 0),
  cpsrWrite: defHelper('cpsr_write', (cpu: ArmCPU, v, mask) => cpu.setCPSR(v >>> 0, msrMask(cpu, mask) >>> 0)),
  spsrRead: defHelper('spsr_read', (cpu: ArmCPU) => {
    if (bankIndex(cpu.mode) === 0) cpu.raise(Excp.UDEF);
    return cpu.word(S.SPSR);
  }),
  spsrWrite: defHelper('spsr_write', (cpu: ArmCPU, v, mask) => {
    if (bankIndex(cpu.mode) === 0) { cpu.log('guest_errors', 'MSR SPSR in user/system mode'); return; }
    cpu.setWord(S.SPSR, (cpu.word(S.SPSR) & ~mask) | (v & mask));
  }),
  eret: defHelper('exception_return', (cpu: ArmCPU, pc) => exceptionReturn(cpu, pc)),
  shiftReg: defHelper('shift_reg', (cpu: ArmCPU, v, amt, type) => shiftReg(cpu, v, amt, type, false)),
  shiftRegCC: defHelper('shift_reg_cc', (cpu: ArmCPU, v, amt, type) => shiftReg(cpu, v, amt, type, true)),
  mrc: defHelper('get_cp_reg', (cpu: ArmCPU, insn) => cpRead(cpu, insn)),
  mcr: defHelper('set_cp_reg', (cpu: ArmCPU, insn, v) => cpWrite(cpu, insn, v)),
  cp64: defHelper('cp_reg64', (cpu: ArmCPU, insn) => cp64(cpu, insn)),
  exclusive: defHelper('exclusive', (cpu: ArmCPU, insn) => exclusive(cpu, insn)),
  exclusiveT32: defHelper('exclusive_t32', (cpu: ArmCPU, packed, addr, rt2) => exclusiveT32(cpu, packed, addr, rt2)),
  clrex: defHelper('clrex', (cpu: ArmCPU) => { cpu.excl = false; }),
  ldmStmUser: defHelper('ldm_stm_user', (cpu: ArmCPU, insn) => ldmStmUser(cpu, insn)),
  cps: defHelper('cps', (cpu: ArmCPU, insn) => cps(cpu, insn)),
  srs: defHelper('srs', (cpu: ArmCPU, insn) => srs(cpu, insn)),
  rfe: defHelper('rfe', (cpu: ArmCPU, insn) => rfe(cpu, insn)),
  swp: defHelper('swp', (cpu: ArmCPU, insn) => swp(cpu, insn)),
  dspMul: defHelper('dsp_multiply', (cpu: ArmCPU, insn) => dspMultiply(cpu, insn)),
  media: defHelper('media', (cpu: ArmCPU, insn) => media(cpu, insn)),
  sat: defHelper('saturate', (cpu: ArmCPU, insn) => saturate(cpu, insn)),
  qaddsub: defHelper('qaddsub', (cpu: ArmCPU, insn) => qAddSub(cpu, insn)),
  vfp: defHelper('vfp', (cpu: ArmCPU, insn, pcv) => vfpInsn(cpu, insn, pcv)),
  wfi: defHelper('wfi', (cpu: ArmCPU) => {
    // pc already points past the WFI. Sleep only when nothing is pending.
    if (!cpu.irqLevel && !cpu.fiqLevel) cpu.halted = true;
  }),
  hvc: defHelper('hvc', (cpu: ArmCPU, imm) => {
    if (!cpu.privileged) cpu.raise(Excp.UDEF);
    psciCall(cpu, imm);
  }),
  smc: defHelper('smc', (cpu: ArmCPU) => {
    if (!cpu.privileged) cpu.raise(Excp.UDEF);
    psciCall(cpu, 0);
  }),
};
