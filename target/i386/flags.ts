/**
 * Lazy EFLAGS (QEMU's cc_helper.c): the six arithmetic flags computed from
 * CC_OP and its operands only when something reads them.
 */
import { CC, CF, PF, AF, ZF, SF, OF } from './cpu-state.js';
import * as S from './cpu-state.js';

const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let n = 0;
  for (let b = 0; b < 8; b++) n += (i >> b) & 1;
  PARITY[i] = n & 1 ? 0 : PF;
}

const MASK = [0xff, 0xffff, 0xffffffff];
const SIGN = [0x80, 0x8000, 0x80000000];

function szp(dst: number, s: number): number {
  const d = (dst & MASK[s]) >>> 0;
  return (d === 0 ? ZF : 0) | ((dst & SIGN[s]) !== 0 ? SF : 0) | PARITY[dst & 0xff];
}

/** The arithmetic flags of a CPU state block (`w` reads a word at a byte offset). */
export function envEflags(w: (off: number) => number): number {
  const op = w(S.CC_OP);
  if (op >= CC.ROLB && op < CC.COUNT) return rotEflags(op, w(S.CC_DST), w);
  if (op >= CC.INCLB && op < CC.ROLB) {
    const pop = w(S.CC_P_OP);
    const prev = pop >= CC.ROLB && pop < CC.COUNT ? rotEflags(pop, w(S.CC_P_DST), w)
      : computeEflags(pop, w(S.CC_P_DST), w(S.CC_P_SRC), w(S.CC_P_SRC2));
    return computeEflags(op - (CC.INCLB - CC.INCB), w(S.CC_DST), prev & CF, 0);
  }
  return computeEflags(op, w(S.CC_DST), w(S.CC_SRC), w(S.CC_SRC2));
}

/** ROL/ROR: CF and OF from the result (OF as for a count of 1, which hardware also gives for others), the rest kept. */
function rotEflags(op: number, r: number, w: (off: number) => number): number {
  const prev = computeEflags(w(S.CC_R_OP), w(S.CC_R_DST), w(S.CC_R_SRC), w(S.CC_R_SRC2));
  const ror = op >= CC.RORB, s = (op - CC.ROLB) % 3, bits = 8 << s;
  const msb = (r >>> (bits - 1)) & 1;
  const cf = ror ? msb : r & 1;
  const of = ror ? msb ^ ((r >>> (bits - 2)) & 1) : msb ^ cf;
  return (prev & ~(CF | OF)) | cf | (of ? OF : 0);
}

export function computeEflags(op: number, dst: number, src: number, src2: number): number {
  if (op === CC.EFLAGS) return src & (CF | PF | AF | ZF | SF | OF);
  const kind = Math.floor((op - 1) / 3) * 3 + 1, s = (op - 1) % 3;
  const m = MASK[s], sb = SIGN[s];
  const d = (dst & m) >>> 0, v = (src & m) >>> 0;
  switch (kind) {
    case CC.ADDB: {
      const a = ((d - v) & m) >>> 0;
      const cf = d < v ? CF : 0;
      const of = ((a ^ v ^ sb) & (a ^ d)) & sb ? OF : 0;
      return cf | of | szp(d, s) | ((d ^ a ^ v) & 0x10);
    }
    case CC.ADCB: {
      const a = ((d - v - src2) & m) >>> 0;
      const cf = src2 ? (d <= v ? CF : 0) : (d < v ? CF : 0);
      const of = ((a ^ v ^ sb) & (a ^ d)) & sb ? OF : 0;
      return cf | of | szp(d, s) | ((d ^ a ^ v) & 0x10);
    }
    case CC.SUBB: {
      const a = ((d + v) & m) >>> 0;
      const cf = a < v ? CF : 0;
      const of = ((a ^ v) & (a ^ d)) & sb ? OF : 0;
      return cf | of | szp(d, s) | ((d ^ a ^ v) & 0x10);
    }
    case CC.SBBB: {
      const a = ((d + v + src2) & m) >>> 0;
      const cf = src2 ? (a <= v ? CF : 0) : (a < v ? CF : 0);
      const of = ((a ^ v) & (a ^ d)) & sb ? OF : 0;
      return cf | of | szp(d, s) | ((d ^ a ^ v) & 0x10);
    }
    case CC.LOGICB: return szp(d, s);
    case CC.INCB: {
      const a = ((d - 1) & m) >>> 0;
      return (src & CF) | (d === sb ? OF : 0) | szp(d, s) | ((d ^ a ^ 1) & 0x10);
    }
    case CC.DECB: {
      const a = ((d + 1) & m) >>> 0;
      return (src & CF) | (d === sb - 1 ? OF : 0) | szp(d, s) | ((d ^ a ^ 1) & 0x10);
    }
    case CC.SHLB: {
      const cf = (src & sb) !== 0 ? CF : 0;
      const of = ((src ^ dst) & sb) !== 0 ? OF : 0;
      return cf | of | szp(d, s);
    }
    case CC.SARB: {
      const of = ((src ^ dst) & sb) !== 0 ? OF : 0;
      return (src & 1 ? CF : 0) | of | szp(d, s);
    }
    case CC.MULB: {
      const c = src !== 0 ? CF | OF : 0;
      return c | szp(d, s);
    }
  }
  return 0;
}
