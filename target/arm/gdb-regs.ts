/**
 * The ARM CPU as gdb sees it (QEMU's target/arm/gdbstub.c and
 * gdb-xml/arm-core.xml): the org.gnu.gdb.arm.core feature, r0-r12, sp, lr,
 * pc and cpsr. gdb numbers cpsr 25 (after the FPA registers the old
 * description had); with a target description the `g` packet holds only
 * the described registers, in number order: r0-r15 then cpsr.
 */
import type { ArmCPU } from './cpu.js';
import type { GdbArch } from '../../softmmu/gdbstub.js';

const CORE_REGS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12'];

export const ARM_TARGET_XML = `<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target>
  <architecture>arm</architecture>
  <feature name="org.gnu.gdb.arm.core">
${CORE_REGS.map((r) => `    <reg name="${r}" bitsize="32" type="uint32"/>`).join('\n')}
    <reg name="sp" bitsize="32" type="data_ptr"/>
    <reg name="lr" bitsize="32"/>
    <reg name="pc" bitsize="32" type="code_ptr"/>
    <reg name="cpsr" bitsize="32" regnum="25"/>
  </feature>
</target>
`;

export const CPSR_REGNUM = 25;

export const armGdb: GdbArch = {
  targetXml: ARM_TARGET_XML,
  pcReg: 15,
  gRegs: [...Array.from({ length: 16 }, (_, i) => i), CPSR_REGNUM],
  readReg(c, n) {
    const cpu = c as unknown as ArmCPU;
    if (n < 16) return cpu.reg(n) >>> 0;
    if (n === CPSR_REGNUM) return cpu.getCPSR() >>> 0;
    // 16-23: FPA f0-f7 (96 bits), 24: fps; not in our description, but old gdbs ask.
    return undefined;
  },
  writeReg(c, n, v) {
    const cpu = c as unknown as ArmCPU;
    if (n < 15) { cpu.setReg(n, v | 0); return true; }
    if (n === 15) { cpu.setPC(v | 0); return true; }
    if (n === CPSR_REGNUM) { cpu.setCPSR(v >>> 0, 0xffffffff); return true; }
    return false;
  },
};
