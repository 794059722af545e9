/**
 * Text form of the modules the backend writes, for `-d out_asm`: the
 * function bodies decoded back into instruction names (only the opcodes
 * lower.ts emits).
 */
const NAMES: Record<number, string> = {
  0x00: 'unreachable', 0x01: 'nop', 0x02: 'block', 0x03: 'loop', 0x04: 'if', 0x05: 'else', 0x0b: 'end',
  0x0c: 'br', 0x0d: 'br_if', 0x0e: 'br_table', 0x0f: 'return', 0x10: 'call', 0x11: 'call_indirect', 0x12: 'return_call', 0x13: 'return_call_indirect',
  0x1a: 'drop', 0x1b: 'select', 0x20: 'local.get', 0x21: 'local.set', 0x22: 'local.tee',
  0x28: 'i32.load', 0x2d: 'i32.load8_u', 0x2f: 'i32.load16_u', 0x36: 'i32.store', 0x3a: 'i32.store8', 0x3b: 'i32.store16',
  0x41: 'i32.const', 0x42: 'i64.const', 0x45: 'i32.eqz', 0x46: 'i32.eq', 0x47: 'i32.ne', 0x48: 'i32.lt_s', 0x49: 'i32.lt_u',
  0x4a: 'i32.gt_s', 0x4b: 'i32.gt_u', 0x4c: 'i32.le_s', 0x4d: 'i32.le_u', 0x4e: 'i32.ge_s', 0x4f: 'i32.ge_u',
  0x67: 'i32.clz', 0x6a: 'i32.add', 0x6b: 'i32.sub', 0x6c: 'i32.mul', 0x6d: 'i32.div_s', 0x6e: 'i32.div_u', 0x6f: 'i32.rem_s',
  0x70: 'i32.rem_u', 0x71: 'i32.and', 0x72: 'i32.or', 0x73: 'i32.xor', 0x74: 'i32.shl', 0x75: 'i32.shr_s', 0x76: 'i32.shr_u',
  0x77: 'i32.rotl', 0x78: 'i32.rotr', 0x7c: 'i64.add', 0x7d: 'i64.sub', 0x7e: 'i64.mul', 0x84: 'i64.or', 0x86: 'i64.shl',
  0x88: 'i64.shr_u', 0xa7: 'i32.wrap_i64', 0xac: 'i64.extend_i32_s', 0xad: 'i64.extend_i32_u', 0xc0: 'i32.extend8_s', 0xc1: 'i32.extend16_s',
};

class Reader {
  constructor(private b: Uint8Array, public p = 0) {}
  u8(): number { return this.b[this.p++]; }
  u32(): number { let r = 0, s = 0, x; do { x = this.b[this.p++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return r >>> 0; }
  s64(): bigint { let r = 0n, s = 0n, x; do { x = this.b[this.p++]; r |= BigInt(x & 0x7f) << s; s += 7n; } while (x & 0x80); if (x & 0x40) r -= 1n << s; return r; }
  s32(): number { return Number(BigInt.asIntN(32, this.s64())); }
}

import { IMP_SLOW_LD, IMP_SLOW_ST, IMP_FIRST_HELPER } from './lower.js';

/** Function names from the module's "name" section, by index among the defined functions (`imported` come first). */
function functionNames(mod: Uint8Array, imported: number): string[] {
  const r = new Reader(mod, 8);
  const names: string[] = [];
  const str = () => { const n = r.u32(); const s = Buffer.from(mod.subarray(r.p, r.p + n)).toString('utf8'); r.p += n; return s; };
  while (r.p < mod.length) {
    const id = r.u8(), len = r.u32(), end = r.p + len;
    if (id === 0 && str() === 'name') {
      while (r.p < end) {
        const sub = r.u8(), sublen = r.u32(), subend = r.p + sublen;
        if (sub === 1) for (let n = r.u32(); n > 0; n--) { const fi = r.u32(); names[fi - imported] = str(); }
        r.p = subend;
      }
    }
    r.p = end;
  }
  return names;
}

export function wasmToText(mod: Uint8Array, helperNames: string[]): string {
  // The slow paths, then one import per helper (lower.ts numbers them so).
  const names = functionNames(mod, IMP_FIRST_HELPER + helperNames.length);
  const r = new Reader(mod, 8);
  const out: string[] = [];
  while (r.p < mod.length) {
    const id = r.u8(), len = r.u32(), end = r.p + len;
    if (id !== 10) { r.p = end; continue; }
    const n = r.u32();
    for (let f = 0; f < n; f++) {
      const size = r.u32(), fend = r.p + size;
      out.push(`(func $${names[f] ?? `t${f}`}`);
      const nl = r.u32();
      for (let k = 0; k < nl; k++) { const cnt = r.u32(); const t = r.u8(); out.push(`  (local ${cnt} ${t === 0x7e ? 'i64' : 'i32'})`); }
      let indent = 1;
      while (r.p < fend) {
        const op = r.u8();
        const name = NAMES[op] ?? `op_0x${op.toString(16)}`;
        if (op === 0x0b || op === 0x05) indent = Math.max(1, indent - 1);
        let args = '';
        switch (op) {
          case 0x02: case 0x03: case 0x04: { const bt = r.u8(); if (bt !== 0x40) args = ' (result i32)'; break; }
          case 0x0e: { const n = r.u32(); const t: number[] = []; for (let k = 0; k <= n; k++) t.push(r.u32()); args = ' ' + t.join(' '); break; }
          case 0x0c: case 0x0d: case 0x20: case 0x21: case 0x22: args = ' ' + r.u32(); break;
          case 0x10: case 0x12: {
            const fi = r.u32();
            args = ' ' + (fi === IMP_SLOW_LD ? '$slow_ld' : fi === IMP_SLOW_ST ? '$slow_st' : fi - IMP_FIRST_HELPER < helperNames.length ? `$${helperNames[fi - IMP_FIRST_HELPER]}` : `$f${fi}`);
            break;
          }
          case 0x11: case 0x13: args = ` (type ${r.u32()}) (table ${r.u32()})`; break;
          case 0x41: args = ' ' + r.s32(); break;
          case 0x42: args = ' ' + r.s64(); break;
          default:
            if (op >= 0x28 && op <= 0x3e) { const al = r.u32(); const off = r.u32(); args = (off ? ` offset=${off}` : '') + ` align=${1 << al}`; }
        }
        out.push('  '.repeat(indent) + name + args);
        if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x05) indent++;
      }
      out.push(')');
    }
    r.p = end;
  }
  return out.join('\n');
}
