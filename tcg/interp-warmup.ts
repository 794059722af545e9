/**
 * Type feedback for the interpreter before the guest starts. V8 optimizes
 * interpRun from the feedback it has when it gets hot; every IR op or
 * condition the guest first uses later deoptimizes it, and it then runs in
 * the baseline tier until it is hot again — about eight rounds while a
 * benchmark, U-Boot or Linux warms up, ~0.1 s in all. One TB that uses every
 * arithmetic op, condition and branch, run a few hundred times on the CPU,
 * gives interpRun (and `cond`) that feedback up front. It touches only temps
 * and the state block's scratch word.
 */
import { IRBuilder } from './builder.js';
import { Cond } from './ir.js';
import { TB } from './tb.js';
import { interpRun } from './interp.js';
import { ENV_SCRATCH } from './exec-slots.js';
import type { ExecCPU } from './cpu-exec.js';

const ROUNDS = 400;

function warmupTB(): TB {
  const b = new IRBuilder();
  const vals = [b.const(0x12345678), b.const(-7), b.const(5), b.const(0)];
  const [x, y, z, zero] = vals;
  let acc = b.mov(x);
  for (const [p, q] of [[x, z], [y, x], [z, zero]]) {
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
  const skip = b.label();
  b.br(skip);
  b.setLabel(skip);
  b.stEnv(ENV_SCRATCH, acc);
  acc = b.add(acc, b.ldEnv(ENV_SCRATCH));
  b.stEnv(ENV_SCRATCH, acc);
  b.exitTb(3);
  return new TB(0, 0, 0, 0, 1, Int32Array.from(b.ops), b.nTemps);
}

export function warmInterpreter(cpu: ExecCPU): void {
  const tb = warmupTB();
  for (let i = 0; i < ROUNDS; i++) interpRun(cpu, tb);
}
