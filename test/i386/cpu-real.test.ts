/**
 * Reset vector to protected mode (cpu-asm/real.S): real-mode stack, IVT
 * interrupts and #DE, 16-bit addressing, segment arithmetic, operand-size
 * prefixes, LGDT + CR0.PE + far jump, an IDT and an external interrupt that
 * wakes a HLT. Both backends must give the same port writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPC, BACKENDS } from './cpu-harness.js';
import * as S from '../../target/i386/cpu-state.js';

const WANT: [number, number, number][] = [
  [0x80, 0x5555, 2], [0x80, 0xaaaa, 2], [0x80, 0x77, 1], [0x80, 0x38373635, 4], [0x80, 0x3534, 2], [0x80, 0x31, 1],
  [0x80, 0x0de0, 2], [0x80, 15, 2], [0x80, 0x34567812, 4], [0x80, 0xcafebabe, 4], [0x80, 1, 4], [0x80, 0x200, 4],
];

for (const be of BACKENDS) {
  test(`reset vector, real mode, switch to protected mode, IRQ wakes HLT [${be}]`, () => {
    const pc = new TestPC(be);
    pc.loadFile(0xf0000, 'real.bin');
    pc.loadFile(0xffff0000, 'real.bin');
    pc.cpu.reset();
    assert.equal(pc.cpu.getPC() >>> 0, 0xfffffff0);
    assert.equal(pc.cpu.reg(S.EDX), 0x663);
    pc.run(1_000_000);
    assert.ok(pc.cpu.halted, `halted waiting for the interrupt\n${pc.cpu.dumpRegisters()}`);
    assert.equal(pc.outs.length, 10, JSON.stringify(pc.outs));
    let acks = 0;
    pc.cpu.irqAck = () => { acks++; pc.cpu.setIRQ(false); return 0x30; };
    pc.cpu.setIRQ(true);
    pc.run(1_000_000);
    assert.equal(acks, 1);
    assert.equal(pc.exitValue, 0, pc.cpu.dumpRegisters());
    assert.deepEqual(pc.outs, WANT);
    assert.match(pc.cpu.dumpRegisters(), /CS =0008 00000000 ffffffff 00cf9b00/);
  });
}

test('A20 gate: with A20 off, 0x100000 reads wrap to 0', () => {
  for (const a20 of [true, false]) {
    const pc = new TestPC('interp');
    pc.load(0x1000, new Uint8Array([0xa1, 0x00, 0x00, 0x10, 0x00, 0xe7, 0x80, 0xf4]));
    pc.as.write(0x100000, 0x11111111, 4);
    pc.as.write(0, 0x22222222, 4);
    pc.cpu.enterMultiboot(0x1000, 0, 0);
    pc.cpu.setA20(a20);
    pc.run(1000);
    assert.deepEqual(pc.outs, [[0x80, a20 ? 0x11111111 : 0x22222222, 4]]);
    assert.match(pc.cpu.dumpRegisters(), a20 ? /A20=1/ : /A20=0/);
  }
});
