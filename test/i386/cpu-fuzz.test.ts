/**
 * Random instruction bytes never crash the host: every sequence either runs,
 * faults into the guest's IDT, or raises #UD/#GP, in 32-bit protected mode
 * and in real mode, on both backends (a fixed seed keeps it repeatable).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPC, BACKENDS } from './cpu-harness.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

for (const be of BACKENDS) {
  test(`fuzz: random code raises guest exceptions, never host errors [${be}]`, () => {
    const r = rng(0x1234567);
    let faults = 0;
    const pc = new TestPC(be, 4 << 20);
    for (let iter = 0; iter < 400; iter++) {
      const real = iter % 3 === 2;
      pc.exec.cache.flush();
      pc.cpu.halted = false;
      pc.exitValue = null;
      // handlers: every vector goes to a HLT at 0x2000 (IDT at 0x1000 / IVT at 0)
      pc.load(0x2000, new Uint8Array([0xf4, 0xeb, 0xfd]));
      for (let v = 0; v < 256; v++) {
        if (real) { pc.as.write(v * 4, 0x2000, 2); pc.as.write(v * 4 + 2, 0, 2); }
        else { pc.as.write(0x1000 + v * 8, 0x00082000, 4); pc.as.write(0x1000 + v * 8 + 4, 0x00008e00, 4); }
      }
      const code = new Uint8Array(64);
      for (let i = 0; i < code.length; i++) code[i] = r() & 0xff;
      pc.load(real ? 0x7c00 : 0x100000, code);
      if (real) {
        pc.cpu.reset();
        pc.cpu.setSeg(1, 0, 0, 0xffff, pc.cpu.word(76 + 16)); // CS = 0
        pc.cpu.setEip(0x7c00);
        pc.cpu.setReg(4, 0x7000);
      } else {
        pc.cpu.enterMultiboot(0x100000, 0, 0);
        pc.cpu.setWord(200, 0x1000); // IDTR base
        pc.cpu.setWord(204, 0x7ff);
        pc.cpu.setReg(4, 0x80000);
      }
      pc.cpu.excpCount.fill(0);
      pc.run(200);
      faults += pc.cpu.excpCount.reduce((a, b) => a + b, 0) > 0 ? 1 : 0;
    }
    assert.ok(faults > 50, `expected many sequences to fault, got ${faults}`);
  });
}
