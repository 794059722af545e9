/**
 * The interpreter's warm-up runs loads, stores, helpers and a throwing helper
 * on the real CPU before the guest starts, through a TLB entry it borrows.
 * It must leave everything the guest can see as it was: guest RAM, the CPU
 * state block (but for the scratch words the warm-up owns) and the TLB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPC } from '../i386/cpu-harness.js';
import { warmInterpreter } from '../../tcg/interp-warmup.js';
import { ENV_SIZE, ENV_SCRATCH } from '../../tcg/exec-slots.js';
import { TLB_ENTRIES, TLB_ENTRY_BYTES } from '../../softmmu/cputlb.js';

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
