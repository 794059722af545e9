/** A32 disassembly for `-d in_asm` and the monitor. */
export function disasA32(insn: number, _pc: number): string {
  return `.word 0x${(insn >>> 0).toString(16).padStart(8, '0')}`;
}
