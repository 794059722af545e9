/**
 * Byte offsets of the i386 CPU state block in HostMemory (DESIGN.md
 * invariant 1). Generated code reads and writes these directly.
 *
 * PC holds the *linear* address of the next instruction (CS.base + EIP), as
 * QEMU's TB pc does; EIP is PC - CS.base wherever the architecture needs it.
 * The arithmetic flags are lazy (QEMU's scheme): CC_OP says how CC_DST,
 * CC_SRC and CC_SRC2 encode OF SF ZF AF PF CF; EFLAGS_REST holds every other
 * EFLAGS bit (DF, IF, TF, IOPL, NT, RF, VM, AC, ID and the always-one bit 1).
 */
export const STATE_SIZE = 4096;
export const R = (n: number): number => n * 4;
export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
export const PC = 32;
export const CC_OP = 36, CC_DST = 40, CC_SRC = 44, CC_SRC2 = 48;
export const EFLAGS_REST = 52;
/** Non-zero for the one instruction after MOV SS / POP SS / STI that set IF (interrupt shadow). */
export const INHIBIT = 56;

/** Segment registers in encoding order, then LDTR and TR: selector, base, limit, flags (descriptor word 2 bits 8-23). */
export const ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5, LDTR = 6, TR = 7;
export const SEG_SEL = (s: number): number => 64 + s * 16;
export const SEG_BASE = (s: number): number => 68 + s * 16;
export const SEG_LIMIT = (s: number): number => 72 + s * 16;
export const SEG_FLAGS = (s: number): number => 76 + s * 16;
export const GDTR_BASE = 192, GDTR_LIMIT = 196, IDTR_BASE = 200, IDTR_LIMIT = 204;
export const CR0 = 208, CR2 = 212, CR3 = 216, CR4 = 220;
export const DR = (n: number): number => 224 + n * 4;
export const SYSENTER_CS = 260, SYSENTER_ESP = 264, SYSENTER_EIP = 268;
/** The flags state before a lazy INC/DEC (CC.INCLB/DECLB): CF comes from it. */
export const CC_P_OP = 272, CC_P_DST = 276, CC_P_SRC = 280, CC_P_SRC2 = 284;
/** The flags state before a lazy ROL/ROR (CC.ROLB/RORB): all but CF and OF come from it. Never itself lazy. */
export const CC_R_OP = 288, CC_R_DST = 292, CC_R_SRC = 296, CC_R_SRC2 = 300;

/** EFLAGS bits. */
export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400, OF = 0x800;
export const IOPL = 0x3000, NT = 0x4000, RF = 0x10000, VM = 0x20000, AC = 0x40000, VIF = 0x80000, VIP = 0x100000, ID = 0x200000;
export const ARITH = CF | PF | AF | ZF | SF | OF;

/** Descriptor flag bits as kept in SEG_FLAGS (the descriptor's second dword). */
export const DESC_A = 1 << 8, DESC_RW = 1 << 9, DESC_CE = 1 << 10, DESC_CODE = 1 << 11, DESC_S = 1 << 12;
export const DESC_DPL_SHIFT = 13, DESC_P = 1 << 15, DESC_AVL = 1 << 20, DESC_B = 1 << 22, DESC_G = 1 << 23;

export const CR0_PE = 1, CR0_MP = 2, CR0_EM = 4, CR0_TS = 8, CR0_ET = 0x10, CR0_NE = 0x20, CR0_WP = 1 << 16, CR0_AM = 1 << 18, CR0_PG = 1 << 31;
export const CR4_VME = 1, CR4_PVI = 2, CR4_TSD = 4, CR4_DE = 8, CR4_PSE = 0x10, CR4_PAE = 0x20, CR4_PGE = 0x80, CR4_OSFXSR = 0x200;

/**
 * Lazy flag encodings. Sized ops come in byte/word/long triples (add 0/1/2).
 * DST is the result; SRC the second operand (ADD/SUB/ADC/SBB), the old CF
 * (INC/DEC), the value shifted by count-1 (SHL/SAR), the high half or its
 * overflow indicator (MUL); SRC2 the carry-in (ADC/SBB).
 */
export const enum CC {
  DYNAMIC = -1,
  EFLAGS = 0, // SRC holds the six arithmetic flags
  ADDB = 1, ADCB = 4, SUBB = 7, SBBB = 10, LOGICB = 13, INCB = 16, DECB = 19, SHLB = 22, SARB = 25, MULB = 28,
  /** INC/DEC whose CF is that of the flags state saved in CC_P_* (CC_OP was unknown at translation). */
  INCLB = 31, DECLB = 34,
  /** ROL/ROR by a constant: DST is the result (CF, OF from it); the other flags are those of CC_R_*. */
  ROLB = 37, RORB = 40,
  COUNT = 43,
}

/** TB flags (must fit in 24 bits: the JIT's jump table uses the top byte). */
export const TBF_CPL_MASK = 3, TBF_PE = 4, TBF_CODE32 = 8, TBF_SS32 = 0x10, TBF_ADDSEG = 0x20, TBF_VM = 0x40,
  TBF_INHIBIT = 0x80, TBF_TF = 0x100, TBF_CSBASE0 = 0x200, TBF_FPU_TRAP = 0x400;

/** MMU indexes: supervisor (CPL 0-2) and user (CPL 3). */
export const MMU_KERNEL = 0, MMU_USER = 1, NB_MMU_MODES = 2;

export const enum Excp {
  DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8, TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17,
}
export const EXCP_NAMES: Record<number, string> = {
  0: '#DE', 1: '#DB', 2: 'NMI', 3: '#BP', 4: '#OF', 5: '#BR', 6: '#UD', 7: '#NM', 8: '#DF', 10: '#TS', 11: '#NP', 12: '#SS', 13: '#GP', 14: '#PF', 16: '#MF', 17: '#AC',
};
