/**
 * Type feedback for the interpreter before the guest starts. V8 optimizes
 * interpRun from the feedback it has when it gets hot; every IR op or
 * condition the guest first uses later deoptimizes it, and it then runs in
 * the baseline tier until it is hot again — about eight rounds while a
 * benchmark, U-Boot or Linux warms up, ~0.1 s in all. One TB that uses every
 * arithmetic op, condition and branch, loads and stores of each size, and
 * calls to two helpers (one call site seeing one helper is specialised to it,
 * and the guest's first other helper deoptimized it), run a few dozen times
 * on the CPU, gives interpRun (and `condHolds`) that feedback up front. It
 * touches only temps and the state block's scratch words: its memory
 * accesses go through a TLB entry borrowed for the warm-up that maps a page
 * onto them.
 */
import { IRBuilder } from './builder.js';
import { Cond, memop } from './ir.js';
import { TB } from './tb.js';
import { interpRun } from './interp.js';
import { ENV_SCRATCH } from './exec-slots.js';
import { HELPER_NEXT_PC, HELPER_NEXT_FLAGS, defHelper } from './helpers.js';
import { PAGE_BITS, TLB_BITS } from '../softmmu/cputlb.js';
import type { ExecCPU } from './cpu-exec.js';

/**
 * Enough for every path to leave feedback; V8 may optimize interpRun during
 * the guest's first TBs instead of here (400 rounds cost ~35 ms of start-up
 * and bought nothing once the TB covered every path).
 */
const ROUNDS = 32;
/** The guest page the warm-up's loads and stores use (MMU index 0); its TLB entry is restored after. */
const PAGE = 0xfffff000;

function warmupTB(exit: number): TB {
  const b = new IRBuilder();
  const [x, y, z, zero] = [b.const(0x12345678), b.const(-7), b.const(5), b.const(0)];
  let acc = b.mov(x);
  // (x, y): a second operand of 2^31 or more as an unsigned number (MULU2 otherwise loses precision later).
  for (const [p, q] of [[x, z], [y, x], [z, zero], [x, y]]) {
    for (const f of [b.add, b.sub, b.and, b.andc, b.or, b.xor, b.shl, b.shr, b.sar, b.rotr, b.mul, b.divu, b.divs, b.remu, b.rems]) {
      acc = b.xor(acc, f.call(b, p, q));
    }
    for (const f of [b.not, b.neg, b.clz, b.ext8s, b.ext8u, b.ext16s, b.ext16u, b.bswap32]) acc = b.add(acc, f.call(b, p));
    for (const f of [b.mulu2, b.muls2]) { const [l, h] = f.call(b, p, q); acc = b.xor(acc, b.add(l, h)); }
    for (const f of [b.add2, b.sub2]) { const [l, h] = f.call(b, p, q, q, p); acc = b.xor(acc, b.add(l, h)); }
    for (let c = Cond.EQ; c <= Cond.TSTNE; c++) {
      acc = b.add(acc, b.setcond(c, p, q));
      acc = b.xor(acc, b.movcond(c, p, q, acc, z));
      const l = b.label();
      b.brcond(c, p, q, l);
      acc = b.addi(acc, 1);
      b.setLabel(l);
    }
  }
  b.insnStart(0);
  // Values of 2^30 and more (not small integers to V8) through both paths: scratch = 0x87654321, 0xf0.
  const at = (off: number) => b.const(PAGE + off);
  b.qst(b.const(0x87654321), at(0), memop(2, false, 0));
  b.qst(b.const(0xf0), at(4), memop(2, false, 0));
  for (const off of [0, 1, 2, 3]) {
    for (const sz of off === 0 ? [2, 1, 0] : off === 2 ? [1, 0] : [0]) {
      for (const signed of [false, true]) acc = b.xor(acc, b.qld(at(off), memop(sz, signed, 0)));
    }
  }
  // Misaligned: the fast path's tag compare fails and the slow path (tlb.load/store) does them.
  for (const sz of [1, 2]) for (const signed of [false, true]) acc = b.xor(acc, b.qld(at(1), memop(sz, signed, 0)));
  for (const off of [0, 1, 2, 3]) {
    for (const sz of off === 0 ? [0, 1, 2] : off === 2 ? [0, 1] : [0]) b.qst(acc, at(off), memop(sz, false, 0));
  }
  b.qst(acc, at(1), memop(1, false, 0));
  acc = b.xor(acc, b.call(HELPER_NEXT_PC, acc, acc, acc, acc)); // (arguments are read, then ignored)
  acc = b.xor(acc, b.call(HELPER_NEXT_FLAGS));
  const skip = b.label();
  b.br(skip);
  b.setLabel(skip);
  b.stEnv(ENV_SCRATCH, acc);
  acc = b.add(acc, b.ldEnv(ENV_SCRATCH));
  b.stEnv(ENV_SCRATCH, acc);
  // Each way out (chain slot 0 or 1, lookup, exit), one per variant of the TB.
  if (exit < 2) b.gotoTb(exit); else if (exit === 2) b.lookupTb(); else b.exitTb(3);
  return new TB(0, 0, 0, 0, 1, Int32Array.from(b.ops), b.nTemps);
}

/** A TB whose helper throws: interpRun's handler (which records the faulting instruction) gets run too. */
const warmupThrow = new Error('interpreter warm-up');
const HELPER_WARMUP_THROW = defHelper('warmup_throw', () => { throw warmupThrow; });
function throwTB(): TB {
  const b = new IRBuilder();
  b.insnStart(0);
  b.callVoid(HELPER_WARMUP_THROW);
  b.exitTb(3);
  return new TB(0, 0, 0, 0, 1, Int32Array.from(b.ops), b.nTemps);
}

export function warmInterpreter(cpu: ExecCPU): void {
  const tbs = [0, 1, 2, 3].map(warmupTB), thrower = throwTB();
  const i32 = cpu.host.i32;
  const w = (cpu.tlb.base >> 2) + (((PAGE >>> PAGE_BITS) & ((1 << TLB_BITS) - 1)) << 2);
  const saved = i32.slice(w, w + 4);
  // Read and write tags for PAGE; the addend takes PAGE to the scratch words.
  i32[w] = PAGE | 0;
  i32[w + 1] = PAGE | 0;
  i32[w + 3] = (cpu.env + ENV_SCRATCH - PAGE) | 0;
  try {
    for (let i = 0; i < ROUNDS; i++) {
      interpRun(cpu, tbs[i & 3]);
      if (i % 8 === 0) {
        try { interpRun(cpu, thrower); } catch (e) { if (e !== warmupThrow) throw e; }
      }
    }
  } finally {
    i32.set(saved, w);
  }
}
