/**
 * Guest accesses at constant offsets from a register the region never
 * writes (the stack pointer, above all: x86 code spills to [esp+K] a dozen
 * times per loop iteration, ARM code less). Such a group fits one page in
 * most runs, so the region probes the TLB for the whole group once — on
 * entry and after every helper call, the only places the base or the TLB
 * can change — and keeps the page's addend in a local; each access then
 * tests that local instead of loading and comparing its own TLB entry.
 */
import { Op, OP_WORDS, MemOp } from '../ir.js';
import { OP_OUT } from '../optimize.js';

export interface TlbGroup {
  /** The env offset of the base register and the MMU index of the accesses. */
  slot: number;
  mmu: number;
  /** Lowest offset, and bytes from there to the last byte any access reaches. */
  lo: number;
  span: number;
  /** Largest access size in bytes: the base must be aligned to it. */
  align: number;
  loads: boolean;
  stores: boolean;
  count: number;
  /**
   * Accesses of one size at variable offsets from the base (an array indexed
   * by a register: `ldr r1, [r5, r3, lsl #2]`). The probe finds how many
   * aligned slots of that size lie between the base and the end of its page;
   * each access checks its offset against that count (lo, span unused).
   */
  indexed: boolean;
}

/** Fewer accesses than this are not worth a probe per region entry. */
const MIN_ACCESSES = 2;
/** At most this many groups (each costs a local live through the region). */
const MAX_GROUPS = 2;

/**
 * The groups of a region, and per TB per op index the group an access
 * belongs to (-1: none). `invariant(off)` says the region never writes env
 * word `off`.
 */
export function findTlbGroups(codes: Int32Array[], nTemps: number[], invariant: (off: number) => boolean):
  { groups: TlbGroup[]; member: Int8Array[] } {
  const all = new Map<number, TlbGroup>();
  const hits: { tb: number; at: number; key: number }[] = [];
  for (let t = 0; t < codes.length; t++) {
    const code = codes[t];
    const n = nTemps[t];
    // What each temp is known to hold: env word slot[x] + off[x], or the constant off[x] (slot -2).
    const slot = new Int32Array(n).fill(-1), off = new Int32Array(n);
    // ...or env word ibase[x] plus something not known here (-1: neither).
    const ibase = new Int32Array(n).fill(-1);
    const fact = (d: number, s: number, k: number) => { if (d >= 0) { slot[d] = s; off[d] = k; ibase[d] = -1; } };
    for (let i = 0; i < code.length; i += OP_WORDS) {
      const op = code[i], a1 = code[i + 1], a2 = code[i + 2], a3 = code[i + 3];
      switch (op) {
        case Op.LABEL: slot.fill(-1); ibase.fill(-1); break; // paths merge: forget everything
        case Op.MOVI: fact(a1, -2, a2); break;
        case Op.MOV: fact(a1, slot[a2], off[a2]); break;
        case Op.LD_ENV: fact(a1, invariant(a2) ? a2 : -1, 0); break;
        case Op.ADD: case Op.SUB: {
          const s2 = slot[a2], s3 = slot[a3], k = op === Op.ADD ? off[a3] : -off[a3];
          if (s2 >= 0 && s3 === -2) fact(a1, s2, (off[a2] + k) | 0);
          else if (op === Op.ADD && s3 >= 0 && s2 === -2) fact(a1, s3, (off[a2] + off[a3]) | 0);
          else if (s2 === -2 && s3 === -2) fact(a1, -2, (off[a2] + k) | 0);
          else {
            fact(a1, -1, 0);
            if (op === Op.ADD && a1 >= 0) ibase[a1] = s2 >= 0 && off[a2] === 0 ? slot[a2] : s3 >= 0 && off[a3] === 0 ? slot[a3] : -1;
          }
          break;
        }
        case Op.QLD: case Op.QST: {
          const s = slot[a2], k = off[a2], size = 1 << (a3 & MemOp.SIZE_MASK), mmu = a3 >> MemOp.MMU_SHIFT;
          const b = ibase[a2];
          if (b >= 0) {
            // keys: (slot, mmu) for constant offsets, (slot, mmu, size) for indexed ones; mmu < 16
            const key = -((b * 16 + mmu) * 4 + (a3 & MemOp.SIZE_MASK)) - 1;
            let g = all.get(key);
            if (!g) all.set(key, g = { slot: b, mmu, lo: 0, span: 0, align: size, loads: false, stores: false, count: 0, indexed: true });
            if (op === Op.QLD) g.loads = true; else g.stores = true;
            g.count++;
            hits.push({ tb: t, at: i / OP_WORDS, key });
          } else if (s >= 0 && (k & (size - 1)) === 0) {
            const key = s * 16 + mmu;
            let g = all.get(key);
            if (!g) all.set(key, g = { slot: s, mmu, lo: k, span: size - 1, align: size, loads: false, stores: false, count: 0, indexed: false });
            const end = Math.max(g.lo + g.span, k + size - 1);
            g.lo = Math.min(g.lo, k);
            g.span = end - g.lo;
            g.align = Math.max(g.align, size);
            if (op === Op.QLD) g.loads = true; else g.stores = true;
            g.count++;
            hits.push({ tb: t, at: i / OP_WORDS, key });
          }
          if (op === Op.QLD) fact(a1, -1, 0);
          break;
        }
        default:
          { const out = OP_OUT[op]; for (let k = 0; k < out.length; k++) fact(code[i + out[k]], -1, 0); }
      }
    }
  }
  const groups = [...all.values()].filter((g) => g.count >= MIN_ACCESSES && g.span < 4096)
    .sort((x, y) => y.count - x.count).slice(0, MAX_GROUPS);
  const member = codes.map((c) => new Int8Array(c.length / OP_WORDS).fill(-1));
  for (const h of hits) {
    const g = all.get(h.key)!;
    const j = groups.indexOf(g);
    if (j >= 0) member[h.tb][h.at] = j;
  }
  return { groups, member };
}
