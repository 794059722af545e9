/**
 * The interpreter (tcg/interp.ts) and its warm-up. The warm-up runs loads,
 * stores, helpers and a throwing helper on the real CPU before the guest
 * starts, through a TLB entry it borrows: it must leave everything the guest
 * can see as it was (guest RAM, the CPU state block but for the scratch words
 * the warm-up owns, the TLB). The 64-bit multiplies are checked against BigInt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPC } from '../i386/cpu-harness.js';
import { warmInterpreter } from '../../tcg/interp-warmup.js';
import { ENV_SIZE, ENV_SCRATCH } from '../../tcg/exec-slots.js';
import { TLB_ENTRIES, TLB_ENTRY_BYTES } from '../../softmmu/cputlb.js';
import { IRBuilder } from '../../tcg/builder.js';
import { TB } from '../../tcg/tb.js';
import { interpRun } from '../../tcg/interp.js';

/** General-purpose registers' words in the state block (the first four): free to use in a test. */
const ENV_RESULT = 0;

test('interpreter warm-up leaves guest RAM, CPU state and the TLB as it found them', () => {
  const pc = new TestPC('interp', 1 << 20);
  const { cpu, host } = pc;
  // Something to lose: a pattern in RAM and filled TLB entries (the guest's own accesses).
  for (let a = 0; a < 1 << 20; a += 4) host.i32[a >> 2] = Math.imul(a, 0x9e3779b1);
  for (let a = 0; a < 64 << 12; a += 4096) cpu.tlb.load(a, 4, 0, false);
  const tlbBytes = cpu.tlb.nIdx * TLB_ENTRIES * TLB_ENTRY_BYTES;
  const snap = (off: number, len: number) => host.u8.slice(off, off + len);
  const ram = snap(pc.as.find(0)!.hostOffset, 1 << 20);
  const env = snap(cpu.env, ENV_SIZE);
  const tlb = snap(cpu.tlb.base, tlbBytes);
  const misses = cpu.tlb.misses;

  warmInterpreter(cpu);

  assert.deepEqual(snap(pc.as.find(0)!.hostOffset, 1 << 20), ram, 'guest RAM changed');
  assert.deepEqual(snap(cpu.tlb.base, tlbBytes), tlb, 'TLB changed');
  assert.equal(cpu.tlb.misses, misses, 'the warm-up filled TLB entries');
  const after = snap(cpu.env, ENV_SIZE);
  after.set(env.subarray(ENV_SCRATCH, ENV_SCRATCH + 8), ENV_SCRATCH); // the scratch words are the warm-up's
  assert.deepEqual(after, env, 'CPU state block changed');
  // It did run: the scratch words hold what its TB computed.
  assert.notDeepEqual(snap(cpu.env + ENV_SCRATCH, 8), env.subarray(ENV_SCRATCH, ENV_SCRATCH + 8));
});

test('interpreter MULU2/MULS2 give the 64-bit products (checked against BigInt)', () => {
  const pc = new TestPC('interp', 1 << 20);
  const edge = [0, 1, -1, 2, -2, 3, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 0x1ffff, 0x12345678, -7, 0x80000001 | 0, 0xdeadbeef | 0];
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
  const pairs: [number, number][] = [];
  for (const a of edge) for (const b of edge) pairs.push([a, b]);
  for (let i = 0; i < 200; i++) pairs.push([rnd(), rnd()]);
  for (const [a, b] of pairs) {
    const bld = new IRBuilder();
    const x = bld.const(a), y = bld.const(b);
    const [ul, uh] = bld.mulu2(x, y), [sl, sh] = bld.muls2(x, y);
    const w = [ul, uh, sl, sh];
    w.forEach((t, k) => bld.stEnv(ENV_RESULT + 4 * k, t));
    bld.exitTb(3);
    interpRun(pc.cpu, new TB(0, 0, 0, 0, 1, Int32Array.from(bld.ops), bld.nTemps));
    const got = [0, 1, 2, 3].map((k) => pc.host.i32[(pc.cpu.env + ENV_RESULT + 4 * k) >> 2]);
    const u = BigInt.asUintN(64, BigInt(a >>> 0) * BigInt(b >>> 0)), s = BigInt.asUintN(64, BigInt(a) * BigInt(b));
    const want = [u & 0xffffffffn, u >> 32n, s & 0xffffffffn, s >> 32n].map((v) => Number(BigInt.asIntN(32, v)));
    assert.deepEqual(got, want, `${a} * ${b}`);
  }
});
