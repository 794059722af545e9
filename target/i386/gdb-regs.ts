/**
 * The i386 CPU as gdb sees it (QEMU's target/i386/gdbstub.c and
 * gdb-xml/i386-32bit.xml, core part): eax ecx edx ebx esp ebp esi edi, eip,
 * eflags, cs ss ds es fs gs. Registers 0-15 in the `g` packet.
 */
import type { X86CPU } from './cpu.js';
import type { GdbArch } from '../../softmmu/gdbstub.js';
import * as S from './cpu-state.js';

const GPRS = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const SEGS = ['cs', 'ss', 'ds', 'es', 'fs', 'gs'];
const SEG_IDX = [S.CS, S.SS, S.DS, S.ES, S.FS, S.GS];

export const I386_TARGET_XML = `<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target>
  <architecture>i386</architecture>
  <feature name="org.gnu.gdb.i386.core">
${GPRS.map((r) => `    <reg name="${r}" bitsize="32" type="${r === 'esp' || r === 'ebp' ? 'data_ptr' : 'int32'}"/>`).join('\n')}
    <reg name="eip" bitsize="32" type="code_ptr"/>
    <reg name="eflags" bitsize="32" type="int32"/>
${SEGS.map((r) => `    <reg name="${r}" bitsize="32" type="int32"/>`).join('\n')}
  </feature>
</target>
`;

export const i386Gdb: GdbArch = {
  targetXml: I386_TARGET_XML,
  pcReg: 8,
  gRegs: Array.from({ length: 16 }, (_, i) => i),
  readReg(c, n) {
    const cpu = c as unknown as X86CPU;
    if (n < 8) return cpu.reg(n) >>> 0;
    if (n === 8) return cpu.eip >>> 0;
    if (n === 9) return cpu.getEflags() >>> 0;
    if (n < 16) return cpu.word(S.SEG_SEL(SEG_IDX[n - 10])) & 0xffff;
    return undefined;
  },
  writeReg(c, n, v) {
    const cpu = c as unknown as X86CPU;
    if (n < 8) { cpu.setReg(n, v | 0); return true; }
    if (n === 8) { cpu.setEip(v | 0); return true; }
    if (n === 9) { cpu.setEflags(v >>> 0, 0x3f7fd5); return true; }
    return false; // segment registers: not writable from gdb here
  },
};
