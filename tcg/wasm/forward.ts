/**
 * Temps that need no wasm local of their own. A temp defined once by MOVI
 * is that constant wherever it is read; one defined once by LD_ENV (or MOV
 * of such a temp) is the guest-state local it copies, as long as nothing
 * writes that local (ST_ENV to the same word, or a helper call, after which
 * every local is reloaded) before the temp's last read. Reads of those temps
 * emit `i32.const` or `local.get` of the source, and their definitions emit
 * nothing: about a fifth of the instructions the backend wrote went to such
 * copies. TurboFan never cared (it builds SSA), but Liftoff, V8's compile
 * time and the emitter itself pay per instruction.
 */
import { Op, OP_WORDS } from '../ir.js';
import { OP_IN, OP_OUT } from '../optimize.js';

export const FWD_NONE = 0, FWD_CONST = 1, FWD_LOCAL = 2;

export interface Forwarding {
  /** Per temp: FWD_NONE (its own local), FWD_CONST (val is the constant) or FWD_LOCAL (val is a local index). */
  kind: Uint8Array;
  val: Int32Array;
}

/**
 * `slotLocal(off)` is the local holding env word `off`; `tempLocal(t)` a
 * temp's own local. `keep` lists temps that must have their own local (the
 * backend reads them as locals, e.g. the pc and flags of a lookup).
 */
export function forwardTemps(code: Int32Array, nTemps: number, slotLocal: (off: number) => number,
  tempLocal: (t: number) => number): Forwarding {
  // Runs once per TB on the cold compile path: indexed loops and typed arrays only.
  const kind = new Uint8Array(nTemps), val = new Int32Array(nTemps);
  const defs = new Uint8Array(nTemps);
  for (let i = 0; i < code.length; i += OP_WORDS) {
    const op = code[i], out = OP_OUT[op];
    for (let k = 0; k < out.length; k++) { const t = code[i + out[k]]; if (t >= 0 && defs[t] < 2) defs[t]++; }
    if (op === Op.LOOKUP_TB) { if (code[i + 1] >= 0) defs[code[i + 1]] = 2; if (code[i + 2] >= 0) defs[code[i + 2]] = 2; }
  }
  // A forwarded copy of guest-state word src[t] is valid while nothing has written that word
  // (or called a helper) since `since[t]`, a tick of `clk`; written[off >> 2] is the last write's tick.
  const src = new Int32Array(nTemps).fill(-1), since = new Int32Array(nTemps);
  let written = new Int32Array(64).fill(-1);
  const lastWrite = (off: number) => ((off >> 2) < written.length ? written[off >> 2] : -1);
  let clk = 0, lastCall = -1;
  const bad = new Uint8Array(nTemps);
  for (let i = 0; i < code.length; i += OP_WORDS) {
    const op = code[i], inp = OP_IN[op];
    for (let k = 0; k < inp.length; k++) {
      const t = code[i + inp[k]];
      if (t >= 0 && src[t] >= 0 && (lastWrite(src[t]) > since[t] || lastCall > since[t])) bad[t] = 1;
    }
    const a1 = code[i + 1], a2 = code[i + 2];
    switch (op) {
      case Op.MOVI: if (defs[a1] === 1) { kind[a1] = FWD_CONST; val[a1] = a2; } break;
      case Op.LD_ENV: if (defs[a1] === 1) { kind[a1] = FWD_LOCAL; val[a1] = slotLocal(a2); src[a1] = a2; since[a1] = clk; } break;
      case Op.MOV:
        if (defs[a1] !== 1) break;
        if (kind[a2] !== FWD_NONE) { kind[a1] = kind[a2]; val[a1] = val[a2]; src[a1] = src[a2]; since[a1] = since[a2]; }
        else if (defs[a2] === 1) { kind[a1] = FWD_LOCAL; val[a1] = tempLocal(a2); }
        break;
      case Op.ST_ENV: {
        const w = a2 >> 2;
        if (w >= written.length) { const g = new Int32Array(Math.max(w + 1, written.length * 2)).fill(-1); g.set(written); written = g; }
        written[w] = ++clk;
        break;
      }
      case Op.CALL: lastCall = ++clk; break;
    }
  }
  for (let t = 0; t < nTemps; t++) if (bad[t]) kind[t] = FWD_NONE;
  return { kind, val };
}
