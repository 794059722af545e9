/**
 * Helpers the i386 translator calls for instructions that are rare, touch
 * system state, or are clearer in TypeScript than in IR (QEMU's
 * target/i386/tcg/*helper.c).
 */
import { defHelper, ExitTbRequest } from '../../tcg/helpers.js';
import { X86CPU, CPL } from './cpu.js';
import * as S from './cpu-state.js';
import { CC, Excp } from './cpu-state.js';
import { envEflags } from './flags.js';
import { x87Exec, x87Wait, fxsave, fxrstor, X87_MF, X87_UD, type X87Mem } from './x87.js';

const MASK = [0xff, 0xffff, -1];
const BITS = [8, 16, 32];
const PARITY = (v: number) => { let n = 0; for (let i = 0; i < 8; i++) n += (v >> i) & 1; return n & 1 ? 0 : S.PF; };

function flagsOf(cpu: X86CPU): number {
  return envEflags((o) => cpu.word(o));
}
function setArith(cpu: X86CPU, f: number): void {
  cpu.setWord(S.CC_OP, CC.EFLAGS);
  cpu.setWord(S.CC_SRC, f & S.ARITH);
}
/** Flags computed by a helper whose result still has to be stored (committed by `commitFlags`); -1: none. */
let deferredFlags = -1;
function setArithMaybeDeferred(cpu: X86CPU, f: number, defer: boolean): void {
  if (defer) deferredFlags = f & S.ARITH; else setArith(cpu, f);
}
function szp(v: number, sz: number): number {
  const m = MASK[sz];
  return ((v & m) === 0 ? S.ZF : 0) | (v & (1 << (BITS[sz] - 1)) ? S.SF : 0) | PARITY(v & 0xff);
}
function iopl(cpu: X86CPU): number { return (cpu.word(S.EFLAGS_REST) >>> 12) & 3; }

/** ROL ROR RCL RCR (op 0-3) of an 8/16/32-bit value. */
function rotate(cpu: X86CPU, v: number, count: number, packed: number): number {
  const op = packed & 15, sz = (packed >> 4) & 3, defer = (packed & 0x100) !== 0;
  deferredFlags = -1;
  const bits = BITS[sz], m = MASK[sz];
  let f = flagsOf(cpu);
  let c = count & 31;
  v &= m;
  if (op >= 2) c = c % (bits + 1); else if (c !== 0) c = c % bits === 0 && sz < 2 ? bits : c;
  if ((count & 31) === 0) return v;
  let r = v, cf = f & S.CF;
  const msb = (x: number) => (x >>> (bits - 1)) & 1;
  switch (op) {
    case 0: { const s = c % bits; r = s ? ((v << s) | (v >>> (bits - s))) & m : v; cf = r & 1; f = (f & ~(S.CF | S.OF)) | cf | ((msb(r) ^ cf) ? S.OF : 0); break; }
    case 1: { const s = c % bits; r = s ? ((v >>> s) | (v << (bits - s))) & m : v; cf = msb(r); f = (f & ~(S.CF | S.OF)) | cf | ((msb(r) ^ ((r >>> (bits - 2)) & 1)) ? S.OF : 0); break; }
    case 2: { // RCL
      for (let i = 0; i < c; i++) { const out = msb(r); r = ((r << 1) | cf) & m; cf = out; }
      if (c === 0) return v;
      f = (f & ~(S.CF | S.OF)) | cf | ((msb(r) ^ cf) ? S.OF : 0);
      break;
    }
    default: { // RCR
      if (c === 0) return v;
      const of = msb(r) ^ cf;
      for (let i = 0; i < c; i++) { const out = r & 1; r = ((r >>> 1) | (cf << (bits - 1))) & m; cf = out; }
      f = (f & ~(S.CF | S.OF)) | cf | (of ? S.OF : 0);
      break;
    }
  }
  setArithMaybeDeferred(cpu, f, defer);
  return r | 0;
}

/** SHLD/SHRD: packed = osz | (right ? 4 : 0). */
function shd(cpu: X86CPU, dst: number, src: number, count: number, packed: number): number {
  const sz = packed & 3, right = (packed & 4) !== 0, defer = (packed & 0x100) !== 0;
  deferredFlags = -1;
  const bits = BITS[sz];
  const c = count & 31;
  if (c === 0) return dst;
  let r: number, cf: number;
  if (sz === 2) {
    if (right) { r = (dst >>> c) | (src << (32 - c)); cf = (dst >>> (c - 1)) & 1; }
    else { r = (dst << c) | (src >>> (32 - c)); cf = (dst >>> (32 - c)) & 1; }
  } else {
    // 16-bit: the 32-bit concatenation, counts above 16 take bits from src (undefined results, as hardware does)
    const d = dst & 0xffff, s = src & 0xffff;
    if (right) {
      const x = BigInt(d) | (BigInt(s) << 16n) | (BigInt(d) << 32n);
      r = Number((x >> BigInt(c)) & 0xffffn); cf = Number((x >> BigInt(c - 1)) & 1n);
    } else {
      const x = (BigInt(d) << 32n) | (BigInt(s) << 16n) | BigInt(d);
      r = Number((x >> BigInt(32 - c)) & 0xffffn); cf = Number((x >> BigInt(48 - c)) & 1n);
    }
  }
  const f = cf | szp(r, sz) | ((((r ^ dst) >>> (bits - 1)) & 1) ? S.OF : 0);
  setArithMaybeDeferred(cpu, f, defer);
  return r | 0;
}

function div(cpu: X86CPU, v: number, packed: number): void {
  const sz = packed & 3, signed = (packed & 4) !== 0;
  const eax = cpu.reg(S.EAX), edx = cpu.reg(S.EDX);
  if (sz === 0) {
    const d = signed ? (v << 24) >> 24 : v & 0xff;
    if (d === 0) cpu.raise(Excp.DE);
    const n = signed ? (eax << 16) >> 16 : eax & 0xffff;
    const q = Math.trunc(n / d), r = n % d;
    if (signed ? q > 127 || q < -128 : q > 0xff) cpu.raise(Excp.DE);
    cpu.setReg(S.EAX, (eax & ~0xffff) | (q & 0xff) | ((r & 0xff) << 8));
  } else if (sz === 1) {
    const d = signed ? (v << 16) >> 16 : v & 0xffff;
    if (d === 0) cpu.raise(Excp.DE);
    const n = signed ? ((edx << 16) | (eax & 0xffff)) : (((edx & 0xffff) << 16) | (eax & 0xffff)) >>> 0;
    const q = Math.trunc(n / d), r = n % d;
    if (signed ? q > 0x7fff || q < -0x8000 : q > 0xffff) cpu.raise(Excp.DE);
    cpu.setReg(S.EAX, (eax & ~0xffff) | (q & 0xffff));
    cpu.setReg(S.EDX, (edx & ~0xffff) | (r & 0xffff));
  } else {
    if (v === 0) cpu.raise(Excp.DE);
    if (signed) {
      const n = (BigInt(edx) << 32n) | BigInt(eax >>> 0);
      const d = BigInt(v | 0);
      const q = n / d, r = n % d;
      if (q > 0x7fffffffn || q < -0x80000000n) cpu.raise(Excp.DE);
      cpu.setReg(S.EAX, Number(BigInt.asIntN(32, q))); cpu.setReg(S.EDX, Number(BigInt.asIntN(32, r)));
    } else {
      const hi = edx >>> 0, d = v >>> 0;
      if (hi >= d) cpu.raise(Excp.DE);
      const n = (BigInt(hi) << 32n) | BigInt(eax >>> 0);
      const q = n / BigInt(d), r = n % BigInt(d);
      cpu.setReg(S.EAX, Number(q) | 0); cpu.setReg(S.EDX, Number(r) | 0);
    }
  }
}

function bcd(cpu: X86CPU, packed: number): void {
  const op = packed & 0xff, imm = packed >>> 8;
  let f = flagsOf(cpu);
  const eax = cpu.reg(S.EAX);
  let al = eax & 0xff, ah = (eax >>> 8) & 0xff;
  switch (op) {
    case 0x27: case 0x2f: { // DAA DAS
      const oldAl = al, oldCf = f & S.CF;
      let cf = 0, af = 0;
      if ((al & 0xf) > 9 || (f & S.AF)) {
        const t = op === 0x27 ? al + 6 : al - 6;
        cf = oldCf | (t > 0xff || t < 0 ? S.CF : 0);
        al = t & 0xff; af = S.AF;
      }
      if (oldAl > 0x99 || oldCf) { al = (op === 0x27 ? al + 0x60 : al - 0x60) & 0xff; cf = S.CF; }
      f = (f & S.OF) | cf | af | szp(al, 0);
      break;
    }
    case 0x37: case 0x3f: { // AAA AAS
      if ((al & 0xf) > 9 || (f & S.AF)) {
        let ax = (ah << 8) | al;
        if (op === 0x37) ax = (ax + 0x106) & 0xffff; else { ax = (ax - 6) & 0xffff; ax = (ax - 0x100) & 0xffff; }
        al = ax & 0xff; ah = ax >>> 8;
        f = (f & ~(S.CF | S.AF)) | S.CF | S.AF;
      } else f &= ~(S.CF | S.AF);
      al &= 0xf;
      f = (f & ~(S.ZF | S.SF | S.PF)) | szp(al, 0);
      break;
    }
    case 0xd4: { // AAM
      if (imm === 0) cpu.raise(Excp.DE);
      ah = Math.floor(al / imm); al = al % imm;
      f = (f & ~(S.ZF | S.SF | S.PF | S.CF | S.OF | S.AF)) | szp(al, 0);
      break;
    }
    default: { // AAD
      al = (al + ah * imm) & 0xff; ah = 0;
      f = (f & ~(S.ZF | S.SF | S.PF | S.CF | S.OF | S.AF)) | szp(al, 0);
      break;
    }
  }
  cpu.setReg(S.EAX, (eax & ~0xffff) | al | (ah << 8));
  setArith(cpu, f);
}

/** String instructions; packed = opcode | size << 8 | addr32 << 10 | rep << 11 | seg << 13. Returns 1 when a REP has iterations left. */
function stringOp(cpu: X86CPU, packed: number): number {
  const op = packed & 0xff, sz = (packed >>> 8) & 3, a32 = (packed & 0x400) !== 0, rep = (packed >>> 11) & 3, seg = (packed >>> 13) & 7;
  const size = 1 << sz;
  const am = a32 ? -1 : 0xffff;
  const df = cpu.word(S.EFLAGS_REST) & S.DF ? -size : size;
  const mmu = cpu.mmuIdx();
  const tlb = cpu.tlb;
  const srcBase = cpu.segBase(seg), esBase = cpu.segBase(S.ES);
  let ecx = cpu.reg(S.ECX);
  const count = () => (ecx & am) >>> 0;
  if (rep && count() === 0) return 0;
  const io = op < 0x70;
  if (io) ioCheck(cpu, cpu.reg(S.EDX) & 0xffff, size);
  const step = (r: number) => { const v = cpu.reg(r); cpu.setReg(r, (v & ~am) | ((v + df) & am)); };
  let n = rep ? 4096 : 1;
  const mask = MASK[sz];
  for (;;) {
    const si = cpu.reg(S.ESI) & am, di = cpu.reg(S.EDI) & am;
    let stop = false;
    switch (op) {
      case 0x6c: case 0x6d: { // INS
        tlb.load((esBase + di) | 0, size, mmu, false); // probe the page first so a fault loses no input
        const v = cpu.io.read(cpu.reg(S.EDX) & 0xffff, size, cpu.index);
        tlb.store((esBase + di) | 0, v & mask, size, mmu, false);
        step(S.EDI);
        break;
      }
      case 0x6e: case 0x6f: { // OUTS
        const v = tlb.load((srcBase + si) | 0, size, mmu, false);
        cpu.io.write(cpu.reg(S.EDX) & 0xffff, v, size, cpu.index);
        step(S.ESI);
        break;
      }
      case 0xa4: case 0xa5: { // MOVS
        const v = tlb.load((srcBase + si) | 0, size, mmu, false);
        tlb.store((esBase + di) | 0, v, size, mmu, false);
        step(S.ESI); step(S.EDI);
        break;
      }
      case 0xa6: case 0xa7: case 0xae: case 0xaf: { // CMPS SCAS
        const a = op < 0xae ? tlb.load((srcBase + si) | 0, size, mmu, false) : cpu.reg(S.EAX) & mask;
        const bv = tlb.load((esBase + di) | 0, size, mmu, false);
        const r = (a - bv) | 0;
        cpu.setWord(S.CC_OP, CC.SUBB + sz); cpu.setWord(S.CC_DST, r); cpu.setWord(S.CC_SRC, bv);
        if (op < 0xae) step(S.ESI);
        step(S.EDI);
        const zf = (r & mask) === 0;
        if ((rep === 3 && !zf) || (rep === 2 && zf)) stop = true;
        break;
      }
      case 0xaa: case 0xab: // STOS
        tlb.store((esBase + di) | 0, cpu.reg(S.EAX) & mask, size, mmu, false);
        step(S.EDI);
        break;
      default: { // LODS
        const v = tlb.load((srcBase + si) | 0, size, mmu, false);
        const eax = cpu.reg(S.EAX);
        cpu.setReg(S.EAX, sz === 2 ? v : sz === 1 ? (eax & ~0xffff) | v : (eax & ~0xff) | v);
        step(S.ESI);
      }
    }
    if (!rep) return 0;
    ecx = (ecx & ~am) | ((ecx - 1) & am);
    cpu.setReg(S.ECX, ecx);
    if (count() === 0 || stop) return 0;
    if (--n === 0 || cpu.exitRequest || cpu.interruptRequest) return 1;
  }
}

/** I/O permission: IOPL, then the TSS bitmap. */
function ioCheck(cpu: X86CPU, port: number, size: number): void {
  if (!cpu.pe || (!cpu.vm && cpu.cpl <= iopl(cpu))) return;
  const fl = cpu.word(S.SEG_FLAGS(S.TR));
  const type = (fl >>> 8) & 0xf;
  const limit = cpu.word(S.SEG_LIMIT(S.TR)) >>> 0;
  if ((type !== 9 && type !== 11) || limit < 103) cpu.raise(Excp.GP, 0);
  const base = cpu.segBase(S.TR);
  const io = cpu.ldk(base + 0x66, 2);
  const off = io + (port >> 3);
  if (off + 1 > limit) cpu.raise(Excp.GP, 0);
  const bits = cpu.ldk(base + off, 2);
  if ((bits >> (port & 7)) & ((1 << size) - 1)) cpu.raise(Excp.GP, 0);
}

function cpuid(cpu: X86CPU): void {
  const leaf = cpu.reg(S.EAX) >>> 0;
  let a = 0, b = 0, c = 0, d = 0;
  const str = (s: string, i: number) => s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
  const vendor = 'GenuineIntel';
  if (leaf === 0) { a = 1; b = str(vendor, 0); d = str(vendor, 4); c = str(vendor, 8); }
  else if (leaf === 1) {
    a = 0x633; // family 6 model 3 stepping 3 (Pentium II class)
    // FPU DE PSE TSC MSR CX8 SEP PGE CMOV FXSR
    d = 1 | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 8) | (1 << 11) | (1 << 13) | (1 << 15) | (1 << 24);
  } else if (leaf === 0x80000000) { a = 0x80000004; }
  else if (leaf >= 0x80000002 && leaf <= 0x80000004) {
    const name = 'tsemu i686 CPU'.padEnd(48, '\0');
    const o = (leaf - 0x80000002) * 16;
    a = str(name, o); b = str(name, o + 4); c = str(name, o + 8); d = str(name, o + 12);
  }
  cpu.setReg(S.EAX, a); cpu.setReg(S.EBX, b); cpu.setReg(S.ECX, c); cpu.setReg(S.EDX, d);
}

function tsc(cpu: X86CPU): bigint {
  // 1 GHz virtual TSC: one tick per virtual nanosecond
  return BigInt.asUintN(64, BigInt(Math.floor(cpu.clock.now())) + BigInt(cpu.tscOffset));
}

/**
 * MSRs an OS probes on a family 6 Intel part without checking CPUID first
 * (platform id, power-on config, feature control, microcode trigger, the
 * performance counters, perf status/control, MISC_ENABLE, DEBUGCTL): they
 * read back what was written (0 at reset) instead of raising #GP.
 */
const BENIGN_MSRS = new Set([0x17, 0x2a, 0x2c, 0x3a, 0x79, 0xc1, 0xc2, 0x186, 0x187, 0x198, 0x199, 0x1a0, 0x1d9]);

function rdmsr(cpu: X86CPU): void {
  if (cpu.cpl !== 0) cpu.raise(Excp.GP, 0);
  const n = cpu.reg(S.ECX) >>> 0;
  let v = 0n;
  switch (n) {
    case 0x10: v = tsc(cpu); break;
    case 0x1b: v = BigInt(cpu.apicBase >>> 0); break;
    case 0x174: v = BigInt(cpu.word(S.SYSENTER_CS) >>> 0); break;
    case 0x175: v = BigInt(cpu.word(S.SYSENTER_ESP) >>> 0); break;
    case 0x176: v = BigInt(cpu.word(S.SYSENTER_EIP) >>> 0); break;
    case 0x8b: v = 0n; break; // microcode signature
    default:
      if (BENIGN_MSRS.has(n)) { v = BigInt(cpu.msrs.get(n) ?? 0); break; }
      cpu.log('unimp', `rdmsr 0x${n.toString(16)}`);
      cpu.raise(Excp.GP, 0);
  }
  cpu.setReg(S.EAX, Number(v & 0xffffffffn) | 0);
  cpu.setReg(S.EDX, Number(v >> 32n) | 0);
}

function wrmsr(cpu: X86CPU): void {
  if (cpu.cpl !== 0) cpu.raise(Excp.GP, 0);
  const n = cpu.reg(S.ECX) >>> 0, lo = cpu.reg(S.EAX), hi = cpu.reg(S.EDX);
  switch (n) {
    case 0x10: cpu.tscOffset = Number((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)) - Math.floor(cpu.clock.now()); break;
    case 0x1b: cpu.apicBase = lo; break;
    case 0x174: cpu.setWord(S.SYSENTER_CS, lo & 0xffff); break;
    case 0x175: cpu.setWord(S.SYSENTER_ESP, lo); break;
    case 0x176: cpu.setWord(S.SYSENTER_EIP, lo); break;
    case 0x8b: break;
    default:
      if (BENIGN_MSRS.has(n)) { cpu.msrs.set(n, lo >>> 0); break; }
      cpu.log('unimp', `wrmsr 0x${n.toString(16)}`);
      cpu.raise(Excp.GP, 0);
  }
}

function readCr(cpu: X86CPU, n: number): number {
  if (n === 0x10) return cpu.word(S.CR0) & 0xffff; // SMSW
  if (cpu.cpl !== 0 && cpu.pe) cpu.raise(Excp.GP, 0);
  if (cpu.vm) cpu.raise(Excp.GP, 0);
  switch (n) {
    case 0: return cpu.word(S.CR0);
    case 2: return cpu.word(S.CR2);
    case 3: return cpu.word(S.CR3);
    case 4: return cpu.word(S.CR4);
  }
  cpu.raise(Excp.UD);
}

function writeCr(cpu: X86CPU, n: number, v: number): void {
  if ((cpu.cpl !== 0 && cpu.pe) || cpu.vm) cpu.raise(Excp.GP, 0);
  switch (n) {
    case 0: {
      if ((v & S.CR0_PG) && !(v & S.CR0_PE)) cpu.raise(Excp.GP, 0);
      const old = cpu.word(S.CR0);
      v = (v | S.CR0_ET) & ~0x1ffaffc0;
      cpu.setWord(S.CR0, v);
      if ((old ^ v) & (S.CR0_PG | S.CR0_WP | S.CR0_PE)) cpu.tlb.flush();
      return;
    }
    case 2: cpu.setWord(S.CR2, v); return;
    case 3: cpu.setWord(S.CR3, v); cpu.tlb.flush(); return;
    case 4:
      if (v & ~(S.CR4_VME | S.CR4_PVI | S.CR4_TSD | S.CR4_DE | S.CR4_PSE | S.CR4_PGE | 0x100 | S.CR4_OSFXSR | 0x400)) cpu.raise(Excp.GP, 0);
      cpu.setWord(S.CR4, v); cpu.tlb.flush(); return;
  }
  cpu.raise(Excp.UD);
}

function descriptorCheck(cpu: X86CPU, sel: number, forLar: boolean): [number, number] | null {
  if ((sel & ~3) === 0) return null;
  const ldt = (sel & 4) !== 0;
  const limit = ldt ? cpu.word(S.SEG_LIMIT(S.LDTR)) : cpu.word(S.GDTR_LIMIT);
  if ((((sel & ~7) + 7) >>> 0) > (limit >>> 0)) return null;
  const [e1, e2] = cpu.loadDesc(sel);
  const dpl = (e2 >>> S.DESC_DPL_SHIFT) & 3, cpl = cpu.cpl, rpl = sel & 3;
  if (e2 & S.DESC_S) {
    if (!((e2 & S.DESC_CODE) && (e2 & S.DESC_CE)) && (dpl < cpl || dpl < rpl)) return null;
  } else {
    const type = (e2 >>> 8) & 0xf;
    const okLsl = [1, 2, 3, 9, 11], okLar = [1, 2, 3, 4, 5, 9, 11, 12];
    if (!(forLar ? okLar : okLsl).includes(type)) return null;
    if (dpl < cpl || dpl < rpl) return null;
  }
  return [e1, e2];
}

function setZF(cpu: X86CPU, on: boolean): void {
  const f = flagsOf(cpu);
  setArith(cpu, on ? f | S.ZF : f & ~S.ZF);
}

function descTable(cpu: X86CPU, addr: number, packed: number, load: boolean): void {
  const which = packed & 1 ? 'IDTR' : 'GDTR', osz = packed >> 4;
  const bo = which === 'IDTR' ? S.IDTR_BASE : S.GDTR_BASE, lo = which === 'IDTR' ? S.IDTR_LIMIT : S.GDTR_LIMIT;
  const mmu = cpu.mmuIdx();
  if (load) {
    if (cpu.pe && cpu.cpl !== 0) cpu.raise(Excp.GP, 0);
    const limit = cpu.tlb.load(addr, 2, mmu, false);
    let base = cpu.tlb.load((addr + 2) | 0, 4, mmu, false);
    if (osz === 1) base &= 0xffffff;
    cpu.setWord(bo, base); cpu.setWord(lo, limit);
  } else {
    cpu.tlb.store(addr, cpu.word(lo) & 0xffff, 2, mmu, false);
    cpu.tlb.store((addr + 2) | 0, cpu.word(bo), 4, mmu, false);
  }
}

function lldt(cpu: X86CPU, sel: number): void {
  if (cpu.cpl !== 0) cpu.raise(Excp.GP, 0);
  sel &= 0xffff;
  if ((sel & ~3) === 0) { cpu.setSeg(S.LDTR, sel, 0, 0, 0); return; }
  if (sel & 4) cpu.raise(Excp.GP, sel & 0xfffc);
  const [e1, e2] = cpu.loadDesc(sel);
  if ((e2 & S.DESC_S) || ((e2 >>> 8) & 0xf) !== 2) cpu.raise(Excp.GP, sel & 0xfffc);
  if (!(e2 & S.DESC_P)) cpu.raise(Excp.NP, sel & 0xfffc);
  cpu.loadSegCache(S.LDTR, sel, e1, e2);
}

function ltr(cpu: X86CPU, sel: number): void {
  if (cpu.cpl !== 0) cpu.raise(Excp.GP, 0);
  sel &= 0xffff;
  if ((sel & ~3) === 0 || (sel & 4)) cpu.raise(Excp.GP, sel & 0xfffc);
  const [e1, e2] = cpu.loadDesc(sel);
  const type = (e2 >>> 8) & 0xf;
  if ((e2 & S.DESC_S) || (type !== 1 && type !== 9)) cpu.raise(Excp.GP, sel & 0xfffc);
  if (!(e2 & S.DESC_P)) cpu.raise(Excp.NP, sel & 0xfffc);
  // mark busy
  const base = cpu.word(S.GDTR_BASE) + (sel & ~7);
  cpu.stk(base + 4, e2 | 0x200, 4);
  cpu.loadSegCache(S.TR, sel, e1, e2 | 0x200);
}

function enter(cpu: X86CPU, size: number, level: number, osz: number): void {
  level &= 31;
  const ss32 = (cpu.word(S.SEG_FLAGS(S.SS)) & S.DESC_B) !== 0;
  const m = ss32 ? -1 : 0xffff;
  const ssb = cpu.segBase(S.SS), mmu = cpu.mmuIdx(), sz = 1 << osz;
  let esp = cpu.reg(S.ESP);
  const ebp = cpu.reg(S.EBP);
  const st = (v: number) => { esp = (esp - sz) | 0; cpu.tlb.store((ssb + (esp & m)) | 0, sz === 4 ? v : v & 0xffff, sz, mmu, false); };
  st(ebp);
  const frame = esp;
  if (level > 0) {
    let bp = ebp;
    for (let i = 1; i < level; i++) {
      bp = (bp - sz) | 0;
      st(cpu.tlb.load((ssb + (bp & m)) | 0, sz, mmu, false));
    }
    st(frame);
  }
  esp = (esp - size) | 0;
  cpu.setReg(S.ESP, (cpu.reg(S.ESP) & ~m) | (esp & m));
  cpu.setReg(S.EBP, osz === 2 ? frame : (ebp & ~0xffff) | (frame & 0xffff));
}

const X87_FCOMI = new Set<number>();
for (let i = 0; i < 8; i++) for (const base of [0x3f0, 0x3e8, 0x7f0, 0x7e8]) X87_FCOMI.add(base + i);

function x87Mem(cpu: X86CPU): X87Mem {
  const mmu = cpu.mmuIdx(), tlb = cpu.tlb;
  return {
    ld8: (a) => tlb.load(a | 0, 1, mmu, false),
    ld16: (a) => tlb.load(a | 0, 2, mmu, false),
    ld32: (a) => tlb.load(a | 0, 4, mmu, false),
    st8: (a, v) => tlb.store(a | 0, v & 0xff, 1, mmu, false),
    st16: (a, v) => tlb.store(a | 0, v & 0xffff, 2, mmu, false),
    st32: (a, v) => tlb.store(a | 0, v, 4, mmu, false),
  };
}

function x87Result(cpu: X86CPU, r: number): void {
  if (r === X87_UD) cpu.raise(Excp.UD);
  // Without CR0.NE a PC signals FERR# to IRQ13; we raise #MF either way.
  if (r === X87_MF) cpu.raise(Excp.MF);
}

/** The x87 state before a memory-form instruction, put back if its memory access faults (the instruction restarts). */
const fpuSave = { regs: new Float64Array(8), empty: new Uint8Array(8), top: 0, cw: 0, swBits: 0, fip: 0, fcs: 0, fdp: 0, fds: 0, fop: 0, mxcsr: 0 };

function x87(cpu: X86CPU, packed: number, ea: number): void {
  const op = packed & 0x1fff, seg = (packed >>> 16) & 7, isMem = (packed & (1 << 20)) !== 0;
  const esc = (op >> 8) & 7, m = op & 0xff;
  const st = cpu.fpu;
  let r: number;
  if (isMem) {
    fpuSave.regs.set(st.regs); fpuSave.empty.set(st.empty);
    fpuSave.top = st.top; fpuSave.cw = st.cw; fpuSave.swBits = st.swBits; fpuSave.mxcsr = st.mxcsr;
    fpuSave.fip = st.fip; fpuSave.fcs = st.fcs; fpuSave.fdp = st.fdp; fpuSave.fds = st.fds; fpuSave.fop = st.fop;
    try {
      r = x87Exec(st, op, ea >>> 0, x87Mem(cpu), cpu.getEflags(), cpu.eip, cpu.word(S.SEG_SEL(S.CS)), cpu.word(S.SEG_SEL(seg)));
    } catch (e) {
      st.regs.set(fpuSave.regs); st.empty.set(fpuSave.empty);
      st.top = fpuSave.top; st.cw = fpuSave.cw; st.swBits = fpuSave.swBits; st.mxcsr = fpuSave.mxcsr;
      st.fip = fpuSave.fip; st.fcs = fpuSave.fcs; st.fdp = fpuSave.fdp; st.fds = fpuSave.fds; st.fop = fpuSave.fop;
      throw e;
    }
  } else r = x87Exec(st, op, -1, x87Mem(cpu), cpu.getEflags(), cpu.eip, cpu.word(S.SEG_SEL(S.CS)), cpu.word(S.SEG_SEL(seg)));
  if (r < 0) { x87Result(cpu, r); return; }
  if (esc === 7 && m === 0xe0) { cpu.setReg(S.EAX, (cpu.reg(S.EAX) & ~0xffff) | (r & 0xffff)); return; }
  if (X87_FCOMI.has((esc << 8) | m)) setArith(cpu, (flagsOf(cpu) & ~(S.OF | S.SF | S.AF | S.ZF | S.PF | S.CF)) | (r & (S.ZF | S.PF | S.CF)));
}

export const H = {
  commitFlags: defHelper('commit_flags', (cpu: X86CPU) => { if (deferredFlags >= 0) setArith(cpu, deferredFlags); deferredFlags = -1; }),
  x87: defHelper('x87', (cpu: X86CPU, p, ea) => x87(cpu, p, ea)),
  fwait: defHelper('fwait', (cpu: X86CPU) => {
    const cr0 = cpu.word(S.CR0);
    if ((cr0 & S.CR0_MP) && (cr0 & S.CR0_TS)) cpu.raise(Excp.NM);
    x87Result(cpu, x87Wait(cpu.fpu));
  }),
  fxsave: defHelper('fxsave_fxrstor', (cpu: X86CPU, addr, restore) => {
    const cr0 = cpu.word(S.CR0);
    if (cr0 & S.CR0_EM) cpu.raise(Excp.UD);
    if (cr0 & S.CR0_TS) cpu.raise(Excp.NM);
    if (addr & 15) cpu.raise(Excp.GP, 0);
    if (restore) fxrstor(cpu.fpu, addr >>> 0, x87Mem(cpu)); else fxsave(cpu.fpu, addr >>> 0, x87Mem(cpu));
  }),
  ccCompute: defHelper('cc_compute_all', (cpu: X86CPU) => flagsOf(cpu)),
  raise: defHelper('raise_exception', (cpu: X86CPU, v, code) => cpu.raise(v, code)),
  singleStep: defHelper('single_step', (cpu: X86CPU) => {
    cpu.setWord(S.DR(6), cpu.word(S.DR(6)) | 0x4000);
    cpu.raiseTrap(Excp.DB, cpu.word(S.PC));
  }),
  rotate: defHelper('rotate', (cpu: X86CPU, v, c, p) => rotate(cpu, v, c, p)),
  shd: defHelper('shld_shrd', (cpu: X86CPU, d, s, c, p) => shd(cpu, d, s, c, p)),
  div: defHelper('div', (cpu: X86CPU, v, p) => div(cpu, v, p)),
  bcd: defHelper('bcd', (cpu: X86CPU, p) => bcd(cpu, p)),
  bound: defHelper('bound', (cpu: X86CPU, idx, addr, osz) => {
    const mmu = cpu.mmuIdx(), sz = 1 << osz;
    let lo = cpu.tlb.load(addr, sz, mmu, false), hi = cpu.tlb.load((addr + sz) | 0, sz, mmu, false);
    if (osz === 1) { lo = (lo << 16) >> 16; hi = (hi << 16) >> 16; idx = (idx << 16) >> 16; } else { lo |= 0; hi |= 0; }
    if (idx < lo || idx > hi) cpu.raise(Excp.BR);
  }),
  arpl: defHelper('arpl', (cpu: X86CPU, d, s) => {
    const f = flagsOf(cpu);
    if ((d & 3) < (s & 3)) { setArith(cpu, f | S.ZF); return (d & ~3) | (s & 3); }
    setArith(cpu, f & ~S.ZF);
    return d;
  }),
  loadSeg: defHelper('load_seg', (cpu: X86CPU, seg, sel) => cpu.loadSeg(seg, sel)),
  farJmp: defHelper('ljmp', (cpu: X86CPU, sel, off, p) => cpu.farJmp(sel & 0xffff, off, p & 15, p >> 4)),
  farCall: defHelper('lcall', (cpu: X86CPU, sel, off, p) => cpu.farCall(sel & 0xffff, off, p & 15, p >> 4)),
  farRet: defHelper('lret', (cpu: X86CPU, n, osz) => cpu.farRet(n, osz)),
  iret: defHelper('iret', (cpu: X86CPU, p) => cpu.iret(p & 15, p >> 4)),
  softInt: defHelper('raise_interrupt', (cpu: X86CPU, n, next, icebp) => {
    if (cpu.vm && iopl(cpu) < 3 && !icebp) cpu.raise(Excp.GP, 0);
    if (icebp) cpu.raiseTrap(Excp.DB, next);
    cpu.raiseSoft(n, next);
  }),
  into: defHelper('into', (cpu: X86CPU, next) => { if (flagsOf(cpu) & S.OF) cpu.raiseSoft(Excp.OF, next); }),
  pushf: defHelper('pushf', (cpu: X86CPU, _osz) => {
    if (cpu.vm && iopl(cpu) < 3) cpu.raise(Excp.GP, 0);
    return cpu.getEflags() & ~(S.VM | S.RF);
  }),
  popf: defHelper('popf', (cpu: X86CPU, v, osz) => {
    if (cpu.vm && iopl(cpu) < 3) cpu.raise(Excp.GP, 0);
    let mask = S.ARITH | S.TF | S.DF | S.NT | S.AC | S.ID;
    const cpl = cpu.pe && !cpu.vm ? cpu.cpl : cpu.vm ? 3 : 0;
    if (cpl === 0) mask |= S.IOPL | S.IF;
    else if (cpl <= iopl(cpu) || cpu.vm) mask |= S.IF;
    if (osz === 1) mask &= 0xffff;
    cpu.setEflags(v, mask);
  }),
  enter: defHelper('enter', (cpu: X86CPU, size, level, osz) => enter(cpu, size, level, osz)),
  inp: defHelper('in', (cpu: X86CPU, port, sz) => {
    ioCheck(cpu, port & 0xffff, 1 << sz);
    return cpu.io.read(port & 0xffff, 1 << sz, cpu.index) | 0;
  }),
  outp: defHelper('out', (cpu: X86CPU, port, v, sz) => {
    ioCheck(cpu, port & 0xffff, 1 << sz);
    cpu.io.write(port & 0xffff, v & MASK[sz], 1 << sz, cpu.index);
  }),
  hlt: defHelper('hlt', (cpu: X86CPU, next) => {
    if (cpu.pe && cpu.cpl !== 0) cpu.raise(Excp.GP, 0);
    cpu.setWord(S.PC, next);
    cpu.halted = true;
    throw ExitTbRequest.it;
  }),
  cli: defHelper('cli', (cpu: X86CPU) => {
    if (cpu.pe && (cpu.vm ? iopl(cpu) < 3 : cpu.cpl > iopl(cpu))) cpu.raise(Excp.GP, 0);
    cpu.setWord(S.EFLAGS_REST, cpu.word(S.EFLAGS_REST) & ~S.IF);
  }),
  sti: defHelper('sti', (cpu: X86CPU) => {
    if (cpu.pe && (cpu.vm ? iopl(cpu) < 3 : cpu.cpl > iopl(cpu))) cpu.raise(Excp.GP, 0);
    const r = cpu.word(S.EFLAGS_REST);
    if (!(r & S.IF)) cpu.setWord(S.INHIBIT, 1);
    cpu.setWord(S.EFLAGS_REST, r | S.IF);
    if (cpu.irqLevel) cpu.interruptRequest = true;
  }),
  string: defHelper('string_op', (cpu: X86CPU, p) => stringOp(cpu, p)),
  lar: defHelper('lar', (cpu: X86CPU, sel, old) => {
    const d = descriptorCheck(cpu, sel & 0xffff, true);
    setZF(cpu, d !== null);
    return d ? d[1] & 0x00f0ff00 : old;
  }),
  lsl: defHelper('lsl', (cpu: X86CPU, sel, old) => {
    const d = descriptorCheck(cpu, sel & 0xffff, false);
    setZF(cpu, d !== null);
    return d ? X86CPU.descLimit(d[0], d[1]) : old;
  }),
  verrw: defHelper('verr_verw', (cpu: X86CPU, sel, write) => {
    const d = descriptorCheck(cpu, sel & 0xffff, false);
    let ok = d !== null && (d[1] & S.DESC_S) !== 0;
    if (ok) ok = write ? !(d![1] & S.DESC_CODE) && (d![1] & S.DESC_RW) !== 0 : !(d![1] & S.DESC_CODE) || (d![1] & S.DESC_RW) !== 0;
    setZF(cpu, ok);
  }),
  clts: defHelper('clts', (cpu: X86CPU) => {
    if (cpu.pe && cpu.cpl !== 0) cpu.raise(Excp.GP, 0);
    cpu.setWord(S.CR0, cpu.word(S.CR0) & ~S.CR0_TS);
  }),
  privCheck: defHelper('priv_check', (cpu: X86CPU) => { if (cpu.pe && cpu.cpl !== 0) cpu.raise(Excp.GP, 0); }),
  readCr: defHelper('read_crN', (cpu: X86CPU, n) => readCr(cpu, n)),
  writeCr: defHelper('write_crN', (cpu: X86CPU, n, v) => writeCr(cpu, n, v)),
  readDr: defHelper('get_dr', (cpu: X86CPU, n) => {
    if ((cpu.pe && cpu.cpl !== 0) || cpu.vm) cpu.raise(Excp.GP, 0);
    if (n === 4 || n === 5) n += 2;
    return cpu.word(S.DR(n));
  }),
  writeDr: defHelper('set_dr', (cpu: X86CPU, n, v) => {
    if ((cpu.pe && cpu.cpl !== 0) || cpu.vm) cpu.raise(Excp.GP, 0);
    if (n === 4 || n === 5) n += 2;
    cpu.setWord(S.DR(n), n === 6 ? v | 0xffff0ff0 : n === 7 ? (v | 0x400) & ~0x2000 : v);
  }),
  wrmsr: defHelper('wrmsr', (cpu: X86CPU) => wrmsr(cpu)),
  rdmsr: defHelper('rdmsr', (cpu: X86CPU) => rdmsr(cpu)),
  rdtsc: defHelper('rdtsc', (cpu: X86CPU) => {
    if ((cpu.word(S.CR4) & S.CR4_TSD) && cpu.cpl !== 0 && cpu.pe) cpu.raise(Excp.GP, 0);
    const t = tsc(cpu);
    cpu.setReg(S.EAX, Number(t & 0xffffffffn) | 0);
    cpu.setReg(S.EDX, Number(t >> 32n) | 0);
  }),
  cpuid: defHelper('cpuid', (cpu: X86CPU) => cpuid(cpu)),
  sysenter: defHelper('sysenter', (cpu: X86CPU) => {
    const cs = cpu.word(S.SYSENTER_CS) & 0xfffc;
    if (!cpu.pe || cs === 0) cpu.raise(Excp.GP, 0);
    cpu.setEflags(0, S.VM | S.IF | S.RF);
    const code = S.DESC_P | S.DESC_S | S.DESC_CODE | S.DESC_RW | S.DESC_A | S.DESC_B | S.DESC_G | 0xf0000;
    const data = S.DESC_P | S.DESC_S | S.DESC_RW | S.DESC_A | S.DESC_B | S.DESC_G | 0xf0000;
    cpu.setSeg(S.CS, cs, 0, -1, code);
    cpu.setSeg(S.SS, cs + 8, 0, -1, data);
    cpu.setWord(CPL, 0);
    cpu.setReg(S.ESP, cpu.word(S.SYSENTER_ESP));
    cpu.setEip(cpu.word(S.SYSENTER_EIP));
  }),
  sysexit: defHelper('sysexit', (cpu: X86CPU) => {
    const cs = cpu.word(S.SYSENTER_CS) & 0xfffc;
    if (!cpu.pe || cs === 0 || cpu.cpl !== 0) cpu.raise(Excp.GP, 0);
    const code = S.DESC_P | S.DESC_S | S.DESC_CODE | S.DESC_RW | S.DESC_A | S.DESC_B | S.DESC_G | 0xf0000 | (3 << S.DESC_DPL_SHIFT);
    const data = S.DESC_P | S.DESC_S | S.DESC_RW | S.DESC_A | S.DESC_B | S.DESC_G | 0xf0000 | (3 << S.DESC_DPL_SHIFT);
    cpu.setSeg(S.CS, (cs + 16) | 3, 0, -1, code);
    cpu.setSeg(S.SS, (cs + 24) | 3, 0, -1, data);
    cpu.setWord(CPL, 3);
    cpu.setReg(S.ESP, cpu.reg(S.ECX));
    cpu.setEip(cpu.reg(S.EDX));
  }),
  cmpxchg8b: defHelper('cmpxchg8b', (cpu: X86CPU, addr) => {
    const mmu = cpu.mmuIdx();
    const lo = cpu.tlb.load(addr, 4, mmu, false) | 0, hi = cpu.tlb.load((addr + 4) | 0, 4, mmu, false) | 0;
    const f = flagsOf(cpu);
    if (lo === cpu.reg(S.EAX) && hi === cpu.reg(S.EDX)) {
      cpu.tlb.store(addr, cpu.reg(S.EBX), 4, mmu, false);
      cpu.tlb.store((addr + 4) | 0, cpu.reg(S.ECX), 4, mmu, false);
      setArith(cpu, f | S.ZF);
    } else {
      cpu.tlb.store(addr, lo, 4, mmu, false);
      cpu.tlb.store((addr + 4) | 0, hi, 4, mmu, false);
      cpu.setReg(S.EAX, lo); cpu.setReg(S.EDX, hi);
      setArith(cpu, f & ~S.ZF);
    }
  }),
  lldt: defHelper('lldt', (cpu: X86CPU, sel) => lldt(cpu, sel)),
  ltr: defHelper('ltr', (cpu: X86CPU, sel) => ltr(cpu, sel)),
  lmsw: defHelper('lmsw', (cpu: X86CPU, v) => {
    if (cpu.pe && cpu.cpl !== 0) cpu.raise(Excp.GP, 0);
    const cr0 = cpu.word(S.CR0);
    // LMSW can set PE but not clear it
    writeCr(cpu, 0, (cr0 & ~0xe) | (v & 0xf) | (cr0 & 1));
  }),
  sdt: defHelper('sgdt_sidt', (cpu: X86CPU, addr, p) => descTable(cpu, addr, p, false)),
  ldt: defHelper('lgdt_lidt', (cpu: X86CPU, addr, p) => descTable(cpu, addr, p, true)),
  invlpg: defHelper('invlpg', (cpu: X86CPU, addr) => {
    if (cpu.pe && cpu.cpl !== 0) cpu.raise(Excp.GP, 0);
    cpu.tlb.flushPage(addr);
  }),
};
