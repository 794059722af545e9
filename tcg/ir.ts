/**
 * The intermediate representation every frontend emits and every backend
 * consumes (QEMU's TCG ops, reduced to what 32-bit guests need). Values are
 * 32-bit temps; guest state lives in the CPU's state block and is reached
 * with LD_ENV/ST_ENV at byte offsets. Each op is OP_WORDS int32s: the opcode
 * then up to seven operands.
 */
export const OP_WORDS = 8;

export const enum Op {
  MOVI, MOV,
  ADD, SUB, AND, OR, XOR, SHL, SHR, SAR, ROTR, MUL, ANDC,
  NOT, NEG, CLZ, EXT8S, EXT8U, EXT16S, EXT16U, BSWAP32,
  /** DIVU/DIVS: x/0 = 0 and INT_MIN/-1 = INT_MIN (ARM's rules; frontends that need traps check first). */
  DIVU, DIVS, REMU, REMS,
  /** d_lo, d_hi = a * b (64-bit product). */
  MULU2, MULS2,
  /** d_lo, d_hi = (a_lo,a_hi) +/- (b_lo,b_hi). */
  ADD2, SUB2,
  /** d = (a cond b) ? 1 : 0 */
  SETCOND,
  /** d = (c1 cond c2) ? v1 : v2 ; operands d c1 c2 v1 v2 cond */
  MOVCOND,
  /** d = env[off] (32-bit) ; ST_ENV: env[off] = a. off is a byte offset into the CPU state block. */
  LD_ENV, ST_ENV,
  /** Guest memory through the softmmu: d = [a] / [a] = v. Operand 3 is a MemOp. */
  QLD, QST,
  BR, BRCOND, LABEL,
  /** d = helper(id)(a, b, c, e); d = -1 when the result is unused. */
  CALL,
  /** Marks the start of a guest instruction: operand 0 = guest pc, 1 = extra state (e.g. Thumb IT bits). */
  INSN_START,
  /** End the TB and continue at a direct successor through chain slot n (pc already stored). */
  GOTO_TB,
  /** End the TB and look the next one up by the pc in the state block. */
  LOOKUP_TB,
  /** End the TB returning an exit code to cpu_exec (pc already stored). */
  EXIT_TB,
  COUNT,
}

export const enum Cond {
  EQ, NE, LT, GE, LE, GT, LTU, GEU, LEU, GTU, TSTEQ, TSTNE,
}

export const COND_NAMES = ['eq', 'ne', 'lt', 'ge', 'le', 'gt', 'ltu', 'geu', 'leu', 'gtu', 'tsteq', 'tstne'];

/** Whether `a cond b` holds for 32-bit values (the interpreter runs it, the optimizer folds with it). */
export function condHolds(c: Cond, a: number, b: number): boolean {
  switch (c) {
    case Cond.EQ: return a === b;
    case Cond.NE: return a !== b;
    case Cond.LT: return a < b;
    case Cond.GE: return a >= b;
    case Cond.LE: return a <= b;
    case Cond.GT: return a > b;
    case Cond.LTU: return (a >>> 0) < (b >>> 0);
    case Cond.GEU: return (a >>> 0) >= (b >>> 0);
    case Cond.LEU: return (a >>> 0) <= (b >>> 0);
    case Cond.GTU: return (a >>> 0) > (b >>> 0);
    case Cond.TSTEQ: return (a & b) === 0;
    case Cond.TSTNE: return (a & b) !== 0;
  }
  return false;
}

export function invertCond(c: Cond): Cond {
  return [Cond.NE, Cond.EQ, Cond.GE, Cond.LT, Cond.GT, Cond.LE, Cond.GEU, Cond.LTU, Cond.GTU, Cond.LEU, Cond.TSTNE, Cond.TSTEQ][c];
}

/** MemOp: size in bytes log2 (bits 0-1), sign-extend (bit 2), mmu index (bits 4-7), alignment required (bit 3). */
export const enum MemOp {
  SIZE_MASK = 3, SIGN = 4, ALIGN = 8, MMU_SHIFT = 4,
}
export function memop(sizeLog2: number, signed: boolean, mmuIdx: number, align = false): number {
  return sizeLog2 | (signed ? MemOp.SIGN : 0) | (align ? MemOp.ALIGN : 0) | (mmuIdx << MemOp.MMU_SHIFT);
}

/** Names for `-d op` output, indexed by Op. */
export const OP_NAMES = [
  'movi', 'mov', 'add', 'sub', 'and', 'or', 'xor', 'shl', 'shr', 'sar', 'rotr', 'mul', 'andc',
  'not', 'neg', 'clz', 'ext8s', 'ext8u', 'ext16s', 'ext16u', 'bswap32',
  'divu', 'divs', 'remu', 'rems', 'mulu2', 'muls2', 'add2', 'sub2', 'setcond', 'movcond',
  'ld_env', 'st_env', 'qemu_ld', 'qemu_st', 'br', 'brcond', 'label', 'call', 'insn_start',
  'goto_tb', 'lookup_tb', 'exit_tb',
];

/** A temp index, or the marker that an operand slot is unused. */
export type Temp = number;
