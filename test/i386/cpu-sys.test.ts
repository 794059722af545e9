/**
 * System features (cpu-asm/sys.S) in flat protected mode: CPUID, TF single
 * step through #DB, paging with PSE, an ADC whose store faults (restarts with
 * the original CF), a REP MOVS that faults mid-copy and
 * restarts after the #PF handler maps the page, TSS + IRET to ring 3, #GP
 * from CLI at CPL 3, a call gate from ring 3 with a parameter, INT 0x80 through a DPL-3 gate, SYSENTER/SYSEXIT, RDTSC,
 * task switches (CALL to a TSS, IRET through the back link, a task gate),
 * self-modifying code (a patched immediate; data sharing a page with code),
 * virtual-8086 mode entered by IRET with INT n to ring 0 and back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPC, BACKENDS } from './cpu-harness.js';

const WANT = [0x756e6547, 6, 0x00010000, 1, 0x801000, 0x00010006, 0x3ff00001, 0x77, 0x1b, 0x23, 0x08, 0x600d, 0x1b, 1, 0x08, 0x5e5e, 1, 0x7a5c, 0x30, 0x4000, 0x1111, 0x28, 0x3333, 0x28, 0x00c09b00, 0xffffffff, 1, 0x1234, 0x10013, 0x47, 0, 0x19, 0x2222, 0x1111, 1005, 0, 0x20000, 0x700, 0x700, 0x700, 0x1234, 0x7100];

for (const be of BACKENDS) {
  test(`system features: single step, #PF restart, rings, sysenter [${be}]`, () => {
    const pc = new TestPC(be);
    pc.loadFile(0x100000, 'sys.bin');
    pc.cpu.enterMultiboot(0x100000, 0x2badb002, 0);
    pc.run(5_000_000);
    assert.equal(pc.exitValue, 0, `no exit: outs ${JSON.stringify(pc.outs.map((o) => o[1].toString(16)))}\n${pc.cpu.dumpRegisters()}`);
    assert.deepEqual(pc.outs.map((o) => o[1]), WANT);
  });
}
