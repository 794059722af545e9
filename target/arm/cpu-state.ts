/**
 * Byte offsets of the ARM CPU state block in HostMemory. Generated code
 * reads and writes these directly (DESIGN.md invariant 1). NZCV are kept in
 * QEMU's split form: N = NF bit 31, Z = (ZF == 0), C = CF (0/1), V = VF bit 31.
 */
export const STATE_SIZE = 4096;
export const R = (n: number): number => n * 4;
export const NF = 64, ZF = 68, CF = 72, VF = 76, QF = 80;
/** GE[3:0] of the CPSR, bits 0-3. */
export const GE = 84;
/** CPSR without N Z C V Q GE: mode, T, I, F, A, E, IT, J. */
export const CPSR_REST = 88;
export const SPSR = 92;
export const EXCL_ADDR = 96, EXCL_VAL = 100, EXCL_VALHI = 104;
/** Non-zero asks generated code to leave at the next TB boundary. */
export const EXIT_REQ = 108;
/** Banked r13/r14/SPSR, indexed by BANK_* (QEMU's bank_number). */
export const BANK_R13 = 112, BANK_R14 = 144, BANK_SPSR = 176;
export const USR_R8_12 = 208, FIQ_R8_12 = 228;
/** VFP registers d0-d31 (64-bit each) at 256, FPSCR flags etc. after (issue 4). */
export const VFP_D = 256;

export const enum Mode {
  USR = 0x10, FIQ = 0x11, IRQ = 0x12, SVC = 0x13, MON = 0x16, ABT = 0x17, HYP = 0x1a, UND = 0x1b, SYS = 0x1f,
}

export const CPSR_T = 1 << 5, CPSR_F = 1 << 6, CPSR_I = 1 << 7, CPSR_A = 1 << 8, CPSR_E = 1 << 9;
export const CPSR_J = 1 << 24, CPSR_Q = 1 << 27;
export const CPSR_IT_MASK = 0x0600fc00;
export const CPSR_NZCV = 0xf0000000 | 0;
export const CPSR_GE = 0x000f0000;

export function bankIndex(mode: number): number {
  switch (mode) {
    case Mode.USR: case Mode.SYS: return 0;
    case Mode.SVC: return 1;
    case Mode.ABT: return 2;
    case Mode.UND: return 3;
    case Mode.IRQ: return 4;
    case Mode.FIQ: return 5;
    case Mode.HYP: return 6;
    case Mode.MON: return 7;
  }
  return -1;
}

export const MODE_NAMES: Record<number, string> = {
  0x10: 'usr', 0x11: 'fiq', 0x12: 'irq', 0x13: 'svc', 0x16: 'mon', 0x17: 'abt', 0x1a: 'hyp', 0x1b: 'und', 0x1f: 'sys',
};

/** TB flag bits: what the translator depends on besides the pc. */
/** TBF_ALIGN: SCTLR.A, every data access must be aligned. */
export const TBF_THUMB = 1, TBF_PRIV = 2, TBF_VFP = 4, TBF_ALIGN = 8;
export const TBF_IT_SHIFT = 8; // 8 bits of IT state (condexec)

/** MMU indexes of the softmmu TLB. */
export const MMU_PL1 = 0, MMU_PL0 = 1, NB_MMU_MODES = 2;
