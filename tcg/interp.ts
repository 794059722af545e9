/**
 * The reference backend: executes a TB's IR directly. Every guest test must
 * give the same results here as on the JIT (DESIGN.md invariant 2), so this
 * stays simple and obviously right rather than clever.
 */
import { Op, OP_WORDS, MemOp, condHolds } from './ir.js';
import { helperFns } from './helpers.js';
import type { TB } from './tb.js';
import type { ExecCPU } from './cpu-exec.js';
import { PAGE_MASK, TLB_BITS, PAGE_BITS } from '../softmmu/cputlb.js';

/** Values a TB returns to cpu_exec. */
export const EXIT_CHAIN0 = 0, EXIT_CHAIN1 = 1, EXIT_LOOKUP = 2, EXIT_REQUEST = 3;

/**
 * High word of the unsigned 64-bit product, from 16-bit halves (every partial
 * product is exact in a double). BigInt was simpler, but its results'
 * representations deoptimized interpRun when a guest first multiplied large
 * numbers.
 */
function mulhu(x: number, y: number): number {
  const a = x >>> 0, b = y >>> 0;
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** Label id -> op index, computed once per TB. */
function labelTable(code: Int32Array): Int32Array {
  let max = -1;
  for (let i = 0; i < code.length; i += OP_WORDS) if (code[i] === Op.LABEL && code[i + 1] > max) max = code[i + 1];
  const t = new Int32Array(max + 1);
  for (let i = 0; i < code.length; i += OP_WORDS) if (code[i] === Op.LABEL) t[code[i + 1]] = i;
  return t;
}

let temps = new Int32Array(256);

export function interpRun(cpu: ExecCPU, tb: TB): number {
  const code = tb.code;
  let labels = tb.compiled as Int32Array | null;
  if (!labels) tb.compiled = labels = labelTable(code);
  if (temps.length < tb.nTemps) temps = new Int32Array(tb.nTemps * 2);
  const t = temps;
  const host = cpu.host;
  const i32 = host.i32, u16 = host.u16, u8 = host.u8;
  const envW = cpu.env >> 2;
  const tlb = cpu.tlb;
  const tlbW = tlb.base >> 2;
  let pc = 0;
  let insnPc = 0, insnExtra = 0;
  try {
    for (;;) {
      const o = pc;
      pc += OP_WORDS;
      switch (code[o] as Op) {
        case Op.MOVI: t[code[o + 1]] = code[o + 2]; break;
        case Op.MOV: t[code[o + 1]] = t[code[o + 2]]; break;
        case Op.ADD: t[code[o + 1]] = (t[code[o + 2]] + t[code[o + 3]]) | 0; break;
        case Op.SUB: t[code[o + 1]] = (t[code[o + 2]] - t[code[o + 3]]) | 0; break;
        case Op.AND: t[code[o + 1]] = t[code[o + 2]] & t[code[o + 3]]; break;
        case Op.ANDC: t[code[o + 1]] = t[code[o + 2]] & ~t[code[o + 3]]; break;
        case Op.OR: t[code[o + 1]] = t[code[o + 2]] | t[code[o + 3]]; break;
        case Op.XOR: t[code[o + 1]] = t[code[o + 2]] ^ t[code[o + 3]]; break;
        case Op.SHL: t[code[o + 1]] = t[code[o + 2]] << t[code[o + 3]]; break;
        case Op.SHR: t[code[o + 1]] = t[code[o + 2]] >>> t[code[o + 3]]; break;
        case Op.SAR: t[code[o + 1]] = t[code[o + 2]] >> t[code[o + 3]]; break;
        case Op.ROTR: { const a = t[code[o + 2]], s = t[code[o + 3]] & 31; t[code[o + 1]] = (a >>> s) | (a << (32 - s)); break; }
        case Op.MUL: t[code[o + 1]] = Math.imul(t[code[o + 2]], t[code[o + 3]]); break;
        case Op.NOT: t[code[o + 1]] = ~t[code[o + 2]]; break;
        case Op.NEG: t[code[o + 1]] = -t[code[o + 2]] | 0; break;
        case Op.CLZ: t[code[o + 1]] = Math.clz32(t[code[o + 2]]); break;
        case Op.EXT8S: t[code[o + 1]] = (t[code[o + 2]] << 24) >> 24; break;
        case Op.EXT8U: t[code[o + 1]] = t[code[o + 2]] & 0xff; break;
        case Op.EXT16S: t[code[o + 1]] = (t[code[o + 2]] << 16) >> 16; break;
        case Op.EXT16U: t[code[o + 1]] = t[code[o + 2]] & 0xffff; break;
        case Op.BSWAP32: { const a = t[code[o + 2]]; t[code[o + 1]] = (a >>> 24) | ((a >> 8) & 0xff00) | ((a << 8) & 0xff0000) | (a << 24); break; }
        case Op.DIVU: { const b = t[code[o + 3]] >>> 0; t[code[o + 1]] = b === 0 ? 0 : ((t[code[o + 2]] >>> 0) / b) | 0; break; }
        case Op.DIVS: { const a = t[code[o + 2]], b = t[code[o + 3]]; t[code[o + 1]] = b === 0 ? 0 : (a === -0x80000000 && b === -1) ? a : (a / b) | 0; break; }
        case Op.REMU: { const b = t[code[o + 3]] >>> 0; t[code[o + 1]] = b === 0 ? t[code[o + 2]] : ((t[code[o + 2]] >>> 0) % b) | 0; break; }
        case Op.REMS: { const a = t[code[o + 2]], b = t[code[o + 3]]; t[code[o + 1]] = b === 0 ? a : (b === -1) ? 0 : (a % b) | 0; break; }
        case Op.MULU2: { const a = t[code[o + 3]], b = t[code[o + 4]]; t[code[o + 1]] = Math.imul(a, b); t[code[o + 2]] = mulhu(a, b); break; }
        case Op.MULS2: {
          // The signed high word from the unsigned one: subtract b when a < 0 and a when b < 0 (mod 2^32).
          const a = t[code[o + 3]], b = t[code[o + 4]];
          t[code[o + 1]] = Math.imul(a, b); t[code[o + 2]] = (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0; break;
        }
        case Op.ADD2: {
          const al = t[code[o + 3]] >>> 0, bl = t[code[o + 5]] >>> 0;
          const lo = al + bl, carry = lo > 0xffffffff ? 1 : 0;
          const hi = (t[code[o + 4]] + t[code[o + 6]] + carry) | 0;
          t[code[o + 1]] = lo | 0; t[code[o + 2]] = hi; break;
        }
        case Op.SUB2: {
          const al = t[code[o + 3]] >>> 0, bl = t[code[o + 5]] >>> 0;
          const borrow = al < bl ? 1 : 0;
          const hi = (t[code[o + 4]] - t[code[o + 6]] - borrow) | 0;
          t[code[o + 1]] = (al - bl) | 0; t[code[o + 2]] = hi; break;
        }
        case Op.SETCOND: t[code[o + 1]] = condHolds(code[o + 4], t[code[o + 2]], t[code[o + 3]]) ? 1 : 0; break;
        case Op.MOVCOND: t[code[o + 1]] = condHolds(code[o + 6], t[code[o + 2]], t[code[o + 3]]) ? t[code[o + 4]] : t[code[o + 5]]; break;
        case Op.LD_ENV: t[code[o + 1]] = i32[envW + (code[o + 2] >> 2)]; break;
        case Op.ST_ENV: i32[envW + (code[o + 2] >> 2)] = t[code[o + 1]]; break;
        case Op.QLD: {
          const addr = t[code[o + 2]], mop = code[o + 3], sz = mop & MemOp.SIZE_MASK, mmu = mop >> MemOp.MMU_SHIFT;
          const w = tlbW + (((mmu << TLB_BITS) | ((addr >>> PAGE_BITS) & ((1 << TLB_BITS) - 1))) << 2);
          let v: number;
          if (i32[w] === (addr & (PAGE_MASK | ((1 << sz) - 1)))) {
            const h = (addr + i32[w + 3]) >>> 0;
            v = sz === 2 ? i32[h >> 2] : sz === 1 ? u16[h >> 1] : u8[h];
          } else {
            v = tlb.load(addr, 1 << sz, mmu, (mop & MemOp.ALIGN) !== 0);
          }
          if (mop & MemOp.SIGN) v = sz === 0 ? (v << 24) >> 24 : sz === 1 ? (v << 16) >> 16 : v | 0;
          t[code[o + 1]] = v | 0;
          break;
        }
        case Op.QST: {
          const addr = t[code[o + 2]], mop = code[o + 3], sz = mop & MemOp.SIZE_MASK, mmu = mop >> MemOp.MMU_SHIFT;
          const w = tlbW + (((mmu << TLB_BITS) | ((addr >>> PAGE_BITS) & ((1 << TLB_BITS) - 1))) << 2);
          const v = t[code[o + 1]];
          if (i32[w + 1] === (addr & (PAGE_MASK | ((1 << sz) - 1)))) {
            const h = (addr + i32[w + 3]) >>> 0;
            if (sz === 2) i32[h >> 2] = v; else if (sz === 1) u16[h >> 1] = v; else u8[h] = v;
          } else {
            tlb.store(addr, sz === 2 ? v : v & ((1 << (8 << sz)) - 1), 1 << sz, mmu, (mop & MemOp.ALIGN) !== 0);
          }
          break;
        }
        case Op.BR: pc = labels[code[o + 1]]; break;
        case Op.BRCOND: if (condHolds(code[o + 3], t[code[o + 1]], t[code[o + 2]])) pc = labels[code[o + 4]]; break;
        case Op.LABEL: break;
        case Op.CALL: {
          const a = code[o + 3], b = code[o + 4], c = code[o + 5], d = code[o + 6];
          const r = helperFns[code[o + 1]](cpu, a >= 0 ? t[a] : 0, b >= 0 ? t[b] : 0, c >= 0 ? t[c] : 0, d >= 0 ? t[d] : 0);
          if (code[o + 2] >= 0) t[code[o + 2]] = (r as number) | 0;
          break;
        }
        case Op.INSN_START: insnPc = code[o + 1]; insnExtra = code[o + 2]; break;
        case Op.GOTO_TB: return code[o + 1];
        case Op.LOOKUP_TB: return EXIT_LOOKUP;
        case Op.EXIT_TB: return EXIT_REQUEST;
        default: throw new Error(`interp: bad op ${code[o]} at ${o / OP_WORDS}`);
      }
    }
  } catch (e) {
    cpu.faultPc = insnPc;
    cpu.faultExtra = insnExtra;
    throw e;
  }
}
