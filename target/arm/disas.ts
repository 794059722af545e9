/**
 * A32 (ARM state) disassembler for `-d in_asm` and the monitor.
 *
 * Output follows GNU objdump (binutils 2.40, `-marm`) syntax: one tab between
 * mnemonic and operands, UAL mnemonics with the S suffix before the condition
 * (`subseq`), gcc register names (sl, fp, ip, sp, lr, pc), decimal immediates
 * (`#72`), `lsl #2` / `rrx` / register shifts, `push`/`pop`, `ldm`/`stmdb`,
 * `mrs r0, CPSR`, `msr CPSR_c, r0`, `mcr 15, 0, r0, cr1, cr0, {0}`, `dmb ish`.
 * Branch targets are printed as bare lowercase hex (objdump prints the same
 * number followed by `<symbol>`).  Where objdump appends a comment we append
 * the value comment it would print (`\t@ 0x48`, PC-relative addresses).
 * Encodings objdump calls undefined print as `.word\t0xXXXXXXXX`.
 *
 * Decoding is table driven: each table is scanned in order and the first row
 * with (insn & mask) === value wins, so rows for special cases come before the
 * general encodings they overlap (e.g. `push {r}` before `str`).  The order
 * mirrors the priorities objdump uses, which matters for the odd encodings
 * found when data is disassembled as code.  Operand templates use <field>
 * escapes defined in FIELDS below.
 *
 * Covered: the whole ARMv7-A A32 base set incl. media/DSP, exclusives,
 * virtualization and security extensions, integer divide, barriers/hints,
 * the AArch32 v8 additions objdump also decodes (lda/stl, crc32, hlt, sevl),
 * VFPv3/v4 incl. half-precision (cp9) and the core<->NEON register moves.
 * Not covered: Advanced SIMD data processing and element load/store
 * (0xf2/0xf3/0xf4 space), and coprocessor extensions that do not exist on
 * ARMv7-A (FPA on cp1/cp2, Maverick on cp4-6, XScale cp0): those words are
 * shown as the generic coprocessor instructions (cdp/ldc/stc/mcr/mrc/...)
 * they are architecturally.
 */

const COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', '', ''];
const REG = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'sl', 'fp', 'ip', 'sp', 'lr', 'pc'];
const SHIFT = ['lsl', 'lsr', 'asr', 'ror'];

/** Disassembly state for one instruction; fields record objdump's trailing comment. */
interface Ctx {
  i: number;        // the instruction word, unsigned
  pc: number;       // its address
  cmt: number;      // objdump's value_in_comment (printed if > 32 or < -16)
  addr: number;     // PC-relative target to show in a comment, or -1
}

type Field = (c: Ctx) => string;
type Part = string | Field;
interface Row { value: number; mask: number; parts: Part[] | null; when?: (i: number) => boolean }

const bit = (i: number, n: number): number => (i >>> n) & 1;
const fld = (i: number, lo: number, hi: number): number => (i >>> lo) & (2 ** (hi - lo + 1) - 1);
const hex = (v: number): string => (v >>> 0).toString(16);
const sext = (v: number, bits: number): number => (v << (32 - bits)) >> (32 - bits);

// ------------------------------------------------------------------ operand helpers

/** Register operand with optional shift: `r1`, `r1, lsl #2`, `r1, rrx`, `r1, asr r2`. */
function shifted(i: number, withName: boolean): string {
  let s = REG[i & 15];
  if ((i & 0xff0) === 0) return s;
  const sh = fld(i, 5, 6);
  if ((i & 0x10) === 0) {
    let amount = fld(i, 7, 11);
    if (amount === 0) {
      if (sh === 3) return s + ', rrx';
      amount = 32;
    }
    s += withName ? `, ${SHIFT[sh]} #${amount}` : `, #${amount}`;
  } else if ((i & 0x80) === 0) {
    s += withName ? `, ${SHIFT[sh]} ${REG[fld(i, 8, 11)]}` : `, ${REG[fld(i, 8, 11)]}`;
  } // else: bits 7 and 4 both set, objdump prints just Rm ("illegal shifter operand")
  return s;
}

/** Data-processing operand 2 (immediate or shifted register). */
function operand2(c: Ctx): string {
  const i = c.i;
  if ((i & 0x02000000) === 0) return shifted(i, true);
  const rot = (i & 0xf00) >>> 7;
  const imm = i & 0xff;
  const a = ((imm >>> rot) | (imm << ((32 - rot) & 31))) >>> 0;
  c.cmt = a;
  // A non-canonical rotation (a smaller one exists) is shown explicitly: `#imm, rot`.
  let r = 0;
  while (r < 32 && (((a << r) | (a >>> ((32 - r) & 31))) >>> 0) > 0xff) r += 2;
  return r !== rot ? `#${imm}, ${rot}` : `#${a | 0}`;
}

/** Addressing mode 2 (ldr/str/ldrb/strb/pld). */
function addrMode2(c: Ctx, forcePre = false): string {
  const i = forcePre ? (c.i | 1 << 24) >>> 0 : c.i;
  const p = bit(i, 24), u = bit(i, 23), w = bit(i, 21), neg = u ? '' : '-';
  const rn = fld(i, 16, 19), isImm = (i & 0x02000000) === 0;
  const off = i & 0xfff;
  if (rn === 15 && isImm) {
    if (p) {
      c.addr = (c.pc + 8 + (u ? off : -off)) >>> 0;
      return (w || !u || off ? `[pc, #${neg}${off}]` : '[pc]') + (w ? '!' : '');
    }
    c.addr = (c.pc + 8) >>> 0;
    return `[pc], #${neg}${off}`;
  }
  let s = '[' + REG[rn];
  if (p) {
    if (isImm) {
      if (w || !u || off) s += `, #${neg}${off}`;
    } else {
      s += ', ' + neg + shifted(i, true);
    }
    s += ']' + (w ? '!' : '');
  } else {
    s += isImm ? `], #${neg}${off}` : '], ' + neg + shifted(i, true);
  }
  if (isImm) c.cmt = u ? off : -off;
  return s;
}

/** Addressing mode 3 (ldrh/strh/ldrsb/ldrsh/ldrd/strd and the T forms). */
function addrMode3(c: Ctx): string {
  const i = c.i;
  const p = bit(i, 24), u = bit(i, 23), w = bit(i, 21), neg = u ? '' : '-';
  const off = ((i >>> 4) & 0xf0) | (i & 0xf);
  const rn = fld(i, 16, 19), isImm = bit(i, 22) === 1;
  if (rn === 15 && isImm) {
    if (p) {
      c.addr = (c.pc + 8 + (u ? off : -off)) >>> 0;
      return off || !u ? `[pc, #${neg}${off}]` : '[pc]';
    }
    return `[pc], #${neg}${off}`;
  }
  let s = '[' + REG[rn];
  if (p) {
    if (isImm) {
      if (w || !u || off) s += `, #${neg}${off}`;
      c.cmt = u ? off : -off;
    } else {
      s += `, ${neg}${REG[i & 15]}`;
    }
    return s + ']' + (w ? '!' : '');
  }
  if (isImm) {
    c.cmt = u ? off : -off;
    return s + `], #${neg}${off}`;
  }
  return s + `], ${neg}${REG[i & 15]}`;
}

/** Coprocessor load/store address (ldc/stc/vldr/vstr): imm8 scaled by 4 (by 2 on cp9). */
function addrMode5(c: Ctx, offMask = 0xff): string {
  const i = c.i;
  const p = bit(i, 24), u = bit(i, 23), w = bit(i, 21);
  const rn = fld(i, 16, 19);
  let off = i & offMask;
  let s = '[' + REG[rn];
  if (p || w) {
    off *= fld(i, 8, 11) === 9 ? 2 : 4;
    if (!u) off = -off;
    if (rn !== 15) c.cmt = off;
  }
  if (p) {
    if (off) s += `, #${off}]` + (w ? '!' : '');
    else s += !u ? ', #-0]' : ']';
  } else {
    s += ']';
    if (w) {
      if (off) s += `, #${off}`;
      else if (!u) s += ', #-0';
    } else {
      s += `, {${!u && !off ? '-' : ''}${off}}`;
      c.cmt = off;
    }
  }
  if (rn === 15 && (p || w)) c.addr = (off + c.pc + 8 - (c.pc & 3)) >>> 0;
  return s;
}

function regList(i: number): string {
  const regs: string[] = [];
  for (let r = 0; r < 16; r++) if (i & (1 << r)) regs.push(REG[r]);
  return '{' + regs.join(', ') + '}';
}

const BANKED: Record<number, string> = {
  15: 'CPSR', 32: 'R8_usr', 33: 'R9_usr', 34: 'R10_usr', 35: 'R11_usr', 36: 'R12_usr', 37: 'SP_usr',
  38: 'LR_usr', 40: 'R8_fiq', 41: 'R9_fiq', 42: 'R10_fiq', 43: 'R11_fiq', 44: 'R12_fiq', 45: 'SP_fiq',
  46: 'LR_fiq', 48: 'LR_irq', 49: 'SP_irq', 50: 'LR_svc', 51: 'SP_svc', 52: 'LR_abt', 53: 'SP_abt',
  54: 'LR_und', 55: 'SP_und', 60: 'LR_mon', 61: 'SP_mon', 62: 'ELR_hyp', 63: 'SP_hyp', 79: 'SPSR',
  110: 'SPSR_fiq', 112: 'SPSR_irq', 114: 'SPSR_svc', 116: 'SPSR_abt', 118: 'SPSR_und', 124: 'SPSR_mon',
  126: 'SPSR_hyp',
};

/** mrs/msr banked-register or PSR name from R:M:M1 (bits 22, 8-9, 16-19). */
function banked(i: number): string {
  const sysm = ((i & 0x004f0000) >>> 16) | ((i & 0x300) >>> 4);
  return BANKED[sysm] ?? `(UNDEF: ${sysm})`;
}

const BARRIER: Record<number, string> = {
  15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld',
  7: 'un', 6: 'unst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld',
};

const VFP_SYSREG: Record<number, string> = {
  0: 'fpsid', 1: 'fpscr', 2: 'fpscr_nzcvqc', 5: 'mvfr2', 6: 'mvfr1', 7: 'mvfr0', 8: 'fpexc',
  9: 'fpinst', 10: 'fpinst2', 14: 'fpcxt_ns', 15: 'fpcxt_s',
};

const VLDR_SYSREG: Record<number, string> = {
  1: 'FPSCR', 2: 'FPSCR_nzcvqc', 12: 'VPR', 13: 'P0', 14: 'FPCXTNS', 15: 'FPCXTS',
};

// VFP register numbers: single = Vx:x, double = x:Vx.
const sD = (i: number): number => (fld(i, 12, 15) << 1) | bit(i, 22);
const sN = (i: number): number => (fld(i, 16, 19) << 1) | bit(i, 7);
const sM = (i: number): number => ((i & 15) << 1) | bit(i, 5);
const dD = (i: number): number => fld(i, 12, 15) | (bit(i, 22) << 4);
const dN = (i: number): number => fld(i, 16, 19) | (bit(i, 7) << 4);
const dM = (i: number): number => (i & 15) | (bit(i, 5) << 4);

/** `{s4-s7}` (count = imm8) or `{d8-d11}` for fstmx/fldmx (count = imm8 / 2). */
function vfpList(i: number, single: boolean): string {
  const first = single ? sD(i) : dD(i);
  const p = single ? 's' : 'd';
  let count = i & 0xff;
  if (!single) count >>= 1;
  return `{${p}${first}` + (count - 1 ? `-${p}${first + count - 1}` : '') + '}';
}

/** vpush/vpop/vldm/vstm D-register list. */
function dList(i: number): string {
  const first = dD(i), n = (i >>> 1) & 0x3f;
  if (n === 1) return `{d${first}}`;
  if (first + n > 32) return `{d${first}-<overflow reg d${first + n - 1}>}`;
  return `{d${first}-d${first + n - 1}}`;
}

/** VFPv3 8-bit float immediate: objdump prints the raw imm8 and the value in a comment. */
function vfpImm(c: Ctx): string {
  return `${(fld(c.i, 16, 19) << 4) | (c.i & 15)}`;
}

// ------------------------------------------------------------------ template fields

const FIELDS: Record<string, Field> = {
  c: (c) => COND[c.i >>> 28],
  s: (c) => (bit(c.i, 20) ? 's' : ''),
  '!': (c) => (bit(c.i, 21) ? '!' : ''),
  '^': (c) => (bit(c.i, 22) ? '^' : ''),
  t: (c) => ((c.i & 0x01200000) === 0x00200000 ? 't' : ''),
  op2: operand2,
  shop: (c) => shifted(c.i, false),
  am2: (c) => addrMode2(c),
  am2p: (c) => addrMode2(c, true),
  am3: addrMode3,
  am5: (c) => addrMode5(c),
  am5k: (c) => addrMode5(c, 0x7f),
  list: (c) => regList(c.i),
  bt: (c) => hex(c.pc + 8 + (sext(c.i & 0xffffff, 24) << 2)),
  blxt: (c) => hex(c.pc + 8 + (sext(c.i & 0xffffff, 24) << 2) + (bit(c.i, 24) << 1)),
  i16: (c) => {
    const v = ((c.i & 0xf0000) >>> 4) | (c.i & 0xfff);
    c.cmt = v;
    return `#${v}`;
  },
  i16e: (c) => {
    const v = ((c.i & 0xfff00) >>> 4) | (c.i & 0xf);
    c.cmt = v;
    return `${v}`;
  },
  hex16: (c) => '0x' + [16, 12, 8, 0].map((b) => hex(fld(c.i, b, b + 3))).join(''),
  bf: (c) => {
    const msb = fld(c.i, 16, 20), lsb = fld(c.i, 7, 11), w = msb - lsb + 1;
    return w > 0 ? `#${lsb}, #${w}` : `(invalid: ${lsb}:${msb})`;
  },
  psr: (c) => {
    const i = c.i;
    if ((i & 0x02000200) === 0x200) return banked(i);
    return (bit(i, 22) ? 'SPSR_' : 'CPSR_') + (bit(i, 19) ? 'f' : '') + (bit(i, 18) ? 's' : '') +
      (bit(i, 17) ? 'x' : '') + (bit(i, 16) ? 'c' : '');
  },
  mrs: (c) => banked(c.i),
  bar: (c) => {
    const o = c.i & 15;
    if ((c.i & 0xf0) === 0x60) return o === 15 ? 'sy' : `#${o}`;
    return BARRIER[o] ?? `#${o}`;
  },
  aif: (c) => (bit(c.i, 8) ? 'a' : '') + (bit(c.i, 7) ? 'i' : '') + (bit(c.i, 6) ? 'f' : ''),
  rot: (c) => (fld(c.i, 10, 11) ? `, ror #${fld(c.i, 10, 11) * 8}` : ''),
  rotU: (c) => (fld(c.i, 10, 11) === 3 ? ', ROR #24' : FIELDS.rot(c)), // objdump's spelling for uxtab16
  // VFP / NEON
  Sd: (c) => `s${sD(c.i)}`,
  Sn: (c) => `s${sN(c.i)}`,
  Sm: (c) => `s${sM(c.i)}`,
  'Sm+1': (c) => `s${sM(c.i) + 1}`,
  Dd: (c) => `d${dD(c.i)}`,
  Dn: (c) => `d${dN(c.i)}`,
  Dm: (c) => `d${dM(c.i)}`,
  Qn: (c) => {
    const n = dN(c.i);
    return n & 1 ? `<illegal reg q${n >> 1}.5>` : `q${n >> 1}`;
  },
  Slist: (c) => vfpList(c.i, true),
  Xlist: (c) => vfpList(c.i, false),
  Dlist: (c) => dList(c.i),
  idx16: (c) => `${(bit(c.i, 21) << 1) | bit(c.i, 6)}`,
  idx8: (c) => `${(bit(c.i, 21) << 2) | (bit(c.i, 6) << 1) | bit(c.i, 5)}`,
  fimm: vfpImm,
  fbits: (c) => `${(bit(c.i, 7) ? 32 : 16) - (((c.i & 15) << 1) | bit(c.i, 5))}`,
  vsr: (c) => VFP_SYSREG[fld(c.i, 16, 19)] ?? `<impl def 0x${hex(fld(c.i, 16, 19))}>`,
  vsys: (c) => {
    const r = fld(c.i, 13, 15) | (bit(c.i, 22) << 3);
    return VLDR_SYSREG[r] ?? `<invalid reg ${r}>`;
  },
  rzx: (c) => 'rzx?'[(bit(c.i, 16) << 1) | bit(c.i, 7)],
  anpm: (c) => 'anpm'[fld(c.i, 16, 17)],
  vselc: (c) => ['eq', 'vs', 'ge', 'gt'][fld(c.i, 20, 21)],
};

/** Resolve a <field>: named, register (`r12`, `r0+1`), bit field (`d7-11`, `w16-20`, `x0-23`), or `N?a|b`. */
function field(name: string): Field {
  const named = FIELDS[name];
  if (named) return named;
  let m = /^r(\d+)(\+1)?$/.exec(name);
  if (m) {
    const lo = +m[1], inc = m[2] ? 1 : 0;
    return (c) => REG[(fld(c.i, lo, lo + 3) + inc) & 15];
  }
  m = /^([dwx])(\d+)(?:-(\d+))?$/.exec(name);
  if (m) {
    const kind = m[1], lo = +m[2], hi = m[3] ? +m[3] : lo;
    if (kind === 'x') return (c) => '0x' + hex(fld(c.i, lo, hi)).padStart(8, '0');
    const add = kind === 'w' ? 1 : 0;
    return (c) => {
      c.cmt = fld(c.i, lo, hi) + add;
      return `${c.cmt}`;
    };
  }
  m = /^(\d+)\?([^|]*)\|(.*)$/.exec(name);
  if (m) {
    const b = +m[1], yes = m[2], no = m[3];
    return (c) => (bit(c.i, b) ? yes : no);
  }
  throw new Error(`disas: unknown template field <${name}>`);
}

function compile(tmpl: string): Part[] {
  const parts: Part[] = [];
  const re = /<([^<>]+)>/g;
  let last = 0;
  for (let m = re.exec(tmpl); m; m = re.exec(tmpl)) {
    if (m.index > last) parts.push(tmpl.slice(last, m.index));
    parts.push(field(m[1]));
    last = re.lastIndex;
  }
  if (last < tmpl.length) parts.push(tmpl.slice(last));
  return parts;
}

/** A table row; template null = objdump reports the encoding as undefined. */
type RowSpec = [value: number, mask: number, tmpl: string | null, when?: (i: number) => boolean];

function table(specs: RowSpec[]): Row[] {
  return specs.map(([value, mask, tmpl, when]) => ({ value: value >>> 0, mask: mask >>> 0, parts: tmpl === null ? null : compile(tmpl), when }));
}

// ------------------------------------------------------------------ coprocessor space (VFP)

const notCp9to11 = (i: number): boolean => { const cp = fld(i, 8, 11); return cp < 9 || cp > 11; };
const notUnindexed = (i: number): boolean => bit(i, 24) === 1 || bit(i, 21) === 1;

/** VFP three-register data processing: [opc1:opc3 value bits, name]. */
const VFP_3REG: [number, string][] = [
  [0x000000, 'vmla'], [0x000040, 'vmls'], [0x100000, 'vnmls'], [0x100040, 'vnmla'],
  [0x200000, 'vmul'], [0x200040, 'vnmul'], [0x300000, 'vadd'], [0x300040, 'vsub'], [0x800000, 'vdiv'],
];
const VFP_FMA: [number, string][] = [
  [0xa00000, 'vfma'], [0xa00040, 'vfms'], [0x900040, 'vfnma'], [0x900000, 'vfnms'],
];
/** [cp field, type suffix, register kind] for single, double and half precision. */
const VFP_SZ = { f32: [0xa00, '.f32', 'S'], f64: [0xb00, '.f64', 'D'], f16: [0x900, '.f16', 'S'] } as const;
type Sz = keyof typeof VFP_SZ;

function vfp3(ops: [number, string][], sizes: Sz[]): RowSpec[] {
  const rows: RowSpec[] = [];
  for (const [op, name] of ops) {
    for (const sz of sizes) {
      const [cp, suffix, r] = VFP_SZ[sz];
      rows.push([0x0e000000 | op | cp, 0x0fb00f50, `${name}<c>${suffix}\t<${r}d>, <${r}n>, <${r}m>`]);
    }
  }
  return rows;
}

const COPROC = table([
  // extension register load/store
  [0x0d2d0b00, 0x0fbf0f01, 'vpush<c>\t<Dlist>'],
  [0x0d200b00, 0x0fb00f01, 'vstmdb<c>\t<r16>!, <Dlist>'],
  [0x0d300b00, 0x0fb00f01, 'vldmdb<c>\t<r16>!, <Dlist>'],
  [0x0c800b00, 0x0f900f01, 'vstmia<c>\t<r16><!>, <Dlist>'],
  [0x0cbd0b00, 0x0fbf0f01, 'vpop<c>\t<Dlist>'],
  [0x0c900b00, 0x0f900f01, 'vldmia<c>\t<r16><!>, <Dlist>'],
  [0x0d000b00, 0x0f300f00, 'vstr<c>\t<Dd>, <am5>'],
  [0x0d100b00, 0x0f300f00, 'vldr<c>\t<Dd>, <am5>'],
  [0x0d2d0a00, 0x0fbf0f00, 'vpush<c>\t<Slist>'],
  [0x0d200a00, 0x0fb00f00, 'vstmdb<c>\t<r16>!, <Slist>'],
  [0x0d300a00, 0x0fb00f00, 'vldmdb<c>\t<r16>!, <Slist>'],
  [0x0c800a00, 0x0f900f00, 'vstmia<c>\t<r16><!>, <Slist>'],
  [0x0cbd0a00, 0x0fbf0f00, 'vpop<c>\t<Slist>'],
  [0x0c900a00, 0x0f900f00, 'vldmia<c>\t<r16><!>, <Slist>'],
  [0x0d000a00, 0x0f300f00, 'vstr<c>\t<Sd>, <am5>'],
  [0x0d100a00, 0x0f300f00, 'vldr<c>\t<Sd>, <am5>'],
  // (objdump also decodes the v8.1-M system-register vldr/vstr here)
  [0xec100f80, 0xfe101f80, 'vldr<c>\t<vsys>, <am5k>', notUnindexed],
  [0xec000f80, 0xfe101f80, 'vstr<c>\t<vsys>, <am5k>', notUnindexed],
  [0x0d200b01, 0x0fb00f01, 'fstmdbx<c>\t<r16>!, <Xlist>'],
  [0x0d300b01, 0x0fb00f01, 'fldmdbx<c>\t<r16>!, <Xlist>'],
  [0x0c800b01, 0x0f900f01, 'fstmiax<c>\t<r16><!>, <Xlist>'],
  [0x0c900b01, 0x0f900f01, 'fldmiax<c>\t<r16><!>, <Xlist>'],
  // core <-> extension register transfers
  [0x0c400b10, 0x0ff00fd0, 'vmov<c>\t<Dm>, <r12>, <r16>'],
  [0x0c500b10, 0x0ff00fd0, 'vmov<c>\t<r12>, <r16>, <Dm>'],
  [0x0e000b10, 0x0fd00f70, 'vmov<c>.32\t<Dn>[<d21>], <r12>'],
  [0x0e100b10, 0x0f500f70, 'vmov<c>.32\t<r12>, <Dn>[<d21>]'],
  [0x0e000b30, 0x0fd00f30, 'vmov<c>.16\t<Dn>[<idx16>], <r12>'],
  [0x0e100b30, 0x0f500f30, 'vmov<c>.<23?u|s>16\t<r12>, <Dn>[<idx16>]'],
  [0x0e400b10, 0x0fd00f10, 'vmov<c>.8\t<Dn>[<idx8>], <r12>'],
  [0x0e500b10, 0x0f500f10, 'vmov<c>.<23?u|s>8\t<r12>, <Dn>[<idx8>]'],
  // half-precision conversions
  [0x0eb20b40, 0x0fbf0f50, 'vcvt<7?t|b><c>.f64.f16\t<Dd>, <Sm>'],
  [0x0eb30b40, 0x0fbf0f50, 'vcvt<7?t|b><c>.f16.f64\t<Sd>, <Dm>'],
  [0x0eb20a40, 0x0fbf0f50, 'vcvt<7?t|b><c>.f32.f16\t<Sd>, <Sm>'],
  [0x0eb30a40, 0x0fbf0f50, 'vcvt<7?t|b><c>.f16.f32\t<Sd>, <Sm>'],
  // system registers
  [0x0ef1fa10, 0x0fffffff, 'vmrs<c>\tAPSR_nzcv, fpscr'],
  [0x0ee00a10, 0x0ff00fff, 'vmsr<c>\t<vsr>, <r12>'],
  [0x0ef00a10, 0x0ff00fff, 'vmrs<c>\t<r12>, <vsr>'],
  [0x0e000a10, 0x0ff00f7f, 'vmov<c>\t<Sn>, <r12>'],
  [0x0e100a10, 0x0ff00f7f, 'vmov<c>\t<r12>, <Sn>'],
  // two-register data processing
  [0x0eb50a40, 0x0fbf0f70, 'vcmp<7?e|><c>.f32\t<Sd>, #0.0'],
  [0x0eb50b40, 0x0fbf0f70, 'vcmp<7?e|><c>.f64\t<Dd>, #0.0'],
  [0x0eb00a40, 0x0fbf0fd0, 'vmov<c>.f32\t<Sd>, <Sm>'],
  [0x0eb00ac0, 0x0fbf0fd0, 'vabs<c>.f32\t<Sd>, <Sm>'],
  [0x0eb00b40, 0x0fbf0fd0, 'vmov<c>.f64\t<Dd>, <Dm>'],
  [0x0eb00bc0, 0x0fbf0fd0, 'vabs<c>.f64\t<Dd>, <Dm>'],
  [0x0eb10a40, 0x0fbf0fd0, 'vneg<c>.f32\t<Sd>, <Sm>'],
  [0x0eb10ac0, 0x0fbf0fd0, 'vsqrt<c>.f32\t<Sd>, <Sm>'],
  [0x0eb10b40, 0x0fbf0fd0, 'vneg<c>.f64\t<Dd>, <Dm>'],
  [0x0eb10bc0, 0x0fbf0fd0, 'vsqrt<c>.f64\t<Dd>, <Dm>'],
  [0x0eb70ac0, 0x0fbf0fd0, 'vcvt<c>.f64.f32\t<Dd>, <Sm>'],
  [0x0eb70bc0, 0x0fbf0fd0, 'vcvt<c>.f32.f64\t<Sd>, <Dm>'],
  [0x0eb80a40, 0x0fbf0f50, 'vcvt<c>.f32.<7?s|u>32\t<Sd>, <Sm>'],
  [0x0eb80b40, 0x0fbf0f50, 'vcvt<c>.f64.<7?s|u>32\t<Dd>, <Sm>'],
  [0x0eb40a40, 0x0fbf0f50, 'vcmp<7?e|><c>.f32\t<Sd>, <Sm>'],
  [0x0eb40b40, 0x0fbf0f50, 'vcmp<7?e|><c>.f64\t<Dd>, <Dm>'],
  [0x0eba0a40, 0x0fbe0f50, 'vcvt<c>.f32.<16?u|s><7?32|16>\t<Sd>, <Sd>, #<fbits>'],
  [0x0eba0b40, 0x0fbe0f50, 'vcvt<c>.f64.<16?u|s><7?32|16>\t<Dd>, <Dd>, #<fbits>'],
  [0x0ebc0a40, 0x0fbe0f50, 'vcvt<7?|r><c>.<16?s|u>32.f32\t<Sd>, <Sm>'],
  [0x0ebc0b40, 0x0fbe0f50, 'vcvt<7?|r><c>.<16?s|u>32.f64\t<Sd>, <Dm>'],
  [0x0ebe0a40, 0x0fbe0f50, 'vcvt<c>.<16?u|s><7?32|16>.f32\t<Sd>, <Sd>, #<fbits>'],
  [0x0ebe0b40, 0x0fbe0f50, 'vcvt<c>.<16?u|s><7?32|16>.f64\t<Dd>, <Dd>, #<fbits>'],
  [0x0c500b10, 0x0fb00ff0, 'vmov<c>\t<r12>, <r16>, <Dm>'],
  [0x0eb00a00, 0x0fb00ff0, 'vmov<c>.f32\t<Sd>, #<fimm>'],
  [0x0eb00b00, 0x0fb00ff0, 'vmov<c>.f64\t<Dd>, #<fimm>'],
  [0x0c400a10, 0x0ff00fd0, 'vmov<c>\t<Sm>, <Sm+1>, <r12>, <r16>'],
  [0x0c500a10, 0x0ff00fd0, 'vmov<c>\t<r12>, <r16>, <Sm>, <Sm+1>'],
  // three-register data processing
  ...vfp3(VFP_3REG, ['f32', 'f64']),
  ...vfp3(VFP_FMA, ['f32', 'f64']),
  // ARMv8 additions (unconditional space)
  [0xfe000a00, 0xff800f50, 'vsel<vselc>.f32\t<Sd>, <Sn>, <Sm>'],
  [0xfe000b00, 0xff800f50, 'vsel<vselc>.f64\t<Dd>, <Dn>, <Dm>'],
  [0xfe800a00, 0xffb00f50, 'vmaxnm.f32\t<Sd>, <Sn>, <Sm>'],
  [0xfe800b00, 0xffb00f50, 'vmaxnm.f64\t<Dd>, <Dn>, <Dm>'],
  [0xfe800a40, 0xffb00f50, 'vminnm.f32\t<Sd>, <Sn>, <Sm>'],
  [0xfe800b40, 0xffb00f50, 'vminnm.f64\t<Dd>, <Dn>, <Dm>'],
  [0xfebc0a40, 0xffbc0f50, 'vcvt<anpm>.<7?s|u>32.f32\t<Sd>, <Sm>'],
  [0xfebc0b40, 0xffbc0f50, 'vcvt<anpm>.<7?s|u>32.f64\t<Sd>, <Dm>'],
  [0x0eb60a40, 0x0fbe0f50, 'vrint<rzx><c>.f32\t<Sd>, <Sm>'],
  [0x0eb60b40, 0x0fbe0f50, 'vrint<rzx><c>.f64\t<Dd>, <Dm>'],
  [0xfeb80a40, 0xffbc0fd0, 'vrint<anpm>.f32\t<Sd>, <Sm>'],
  [0xfeb80b40, 0xffbc0fd0, 'vrint<anpm>.f64\t<Dd>, <Dm>'],
  [0x0eb30940, 0x0fbf0f50, 'vcvt<7?t|b><c>.bf16.f32\t<Sd>, <Sm>'],
  // half precision (cp9)
  [0x0eb009c0, 0x0fbf0fd0, 'vabs<c>.f16\t<Sd>, <Sm>'],
  [0x0eb40940, 0x0fbf0f50, 'vcmp<7?e|><c>.f16\t<Sd>, <Sm>'],
  [0x0eb50940, 0x0fbf0f70, 'vcmp<7?e|><c>.f16\t<Sd>, #0.0'],
  [0x0eba09c0, 0x0fbe0fd0, 'vcvt<c>.f16.<16?u|s>32\t<Sd>, <Sd>, #<fbits>'],
  [0x0ebe09c0, 0x0fbe0fd0, 'vcvt<c>.<16?u|s>32.f16\t<Sd>, <Sd>, #<fbits>'],
  [0x0ebc0940, 0x0fbe0f50, 'vcvt<7?|r><c>.<16?s|u>32.f16\t<Sd>, <Sm>'],
  [0x0eb80940, 0x0fbf0f50, 'vcvt<c>.f16.<7?s|u>32\t<Sd>, <Sm>'],
  [0xfebc0940, 0xffbc0f50, 'vcvt<anpm>.<7?s|u>32.f16\t<Sd>, <Sm>'],
  ...vfp3([[0x800000, 'vdiv'], ...VFP_FMA], ['f16']),
  [0xfeb00ac0, 0xffbf0fd0, 'vins.f16\t<Sd>, <Sm>'],
  [0xfeb00a40, 0xffbf0fd0, 'vmovx.f16\t<Sd>, <Sm>'],
  [0x0d100900, 0x0f300f00, 'vldr<c>.16\t<Sd>, <am5>'],
  [0x0d000900, 0x0f300f00, 'vstr<c>.16\t<Sd>, <am5>'],
  [0xfe800900, 0xffb00f50, 'vmaxnm.f16\t<Sd>, <Sn>, <Sm>'],
  [0xfe800940, 0xffb00f50, 'vminnm.f16\t<Sd>, <Sn>, <Sm>'],
  ...vfp3(VFP_3REG.filter(([, n]) => n !== 'vdiv'), ['f16']),
  [0x0e100910, 0x0ff00f7f, 'vmov<c>.f16\t<r12>, <Sn>'],
  [0x0e000910, 0x0ff00f7f, 'vmov<c>.f16\t<Sn>, <r12>'],
  [0x0eb00900, 0x0fb00ff0, 'vmov<c>.f16\t<Sd>, #<fimm>'],
  [0x0eb10940, 0x0fbf0fd0, 'vneg<c>.f16\t<Sd>, <Sm>'],
  [0x0eb60940, 0x0fbe0f50, 'vrint<rzx><c>.f16\t<Sd>, <Sm>'],
  [0xfeb80940, 0xffbc0fd0, 'vrint<anpm>.f16\t<Sd>, <Sm>'],
  [0xfe000900, 0xff800f50, 'vsel<vselc>.f16\t<Sd>, <Sn>, <Sm>'],
  [0x0eb109c0, 0x0fbf0fd0, 'vsqrt<c>.f16\t<Sd>, <Sm>'],
  [0x0eb90bc0, 0x0fbf0fd0, 'vjcvt<c>.s32.f64\t<Sd>, <Dm>'],
  // Advanced SIMD transfers from core registers (conditional)
  [0x0e800b10, 0x0ff00f70, 'vdup<c>.32\t<Dn>, <r12>'],
  [0x0e800b30, 0x0ff00f70, 'vdup<c>.16\t<Dn>, <r12>'],
  [0x0ea00b10, 0x0ff00f70, 'vdup<c>.32\t<Qn>, <r12>'],
  [0x0ea00b30, 0x0ff00f70, 'vdup<c>.16\t<Qn>, <r12>'],
  [0x0ec00b10, 0x0ff00f70, 'vdup<c>.8\t<Dn>, <r12>'],
  [0x0ee00b10, 0x0ff00f70, 'vdup<c>.8\t<Qn>, <r12>'],
  // generic coprocessor instructions (cp9-11 belong to the FP/SIMD unit)
  [0x0c400000, 0x0ff00000, 'mcrr<c>\t<d8-11>, <d4-7>, <r12>, <r16>, cr<d0-3>'],
  [0x0c500000, 0x0ff00000, 'mrrc<c>\t<d8-11>, <d4-7>, <r12>, <r16>, cr<d0-3>'],
  [0x0e000000, 0x0f000010, 'cdp<c>\t<d8-11>, <d20-23>, cr<d12-15>, cr<d16-19>, cr<d0-3>, {<d5-7>}', notCp9to11],
  [0x0e10f010, 0x0f10f010, 'mrc<c>\t<d8-11>, <d21-23>, APSR_nzcv, cr<d16-19>, cr<d0-3>, {<d5-7>}'],
  [0x0e100010, 0x0f100010, 'mrc<c>\t<d8-11>, <d21-23>, <r12>, cr<d16-19>, cr<d0-3>, {<d5-7>}', notCp9to11],
  [0x0e000010, 0x0f100010, 'mcr<c>\t<d8-11>, <d21-23>, <r12>, cr<d16-19>, cr<d0-3>, {<d5-7>}', notCp9to11],
  [0x0c000000, 0x0e100000, 'stc<22?l|><c>\t<d8-11>, cr<d12-15>, <am5>', notCp9to11],
  [0x0c100000, 0x0e100000, 'ldc<22?l|><c>\t<d8-11>, cr<d12-15>, <am5>', notCp9to11],
  [0xfc500000, 0xfff00000, 'mrrc2\t<d8-11>, <d4-7>, <r12>, <r16>, cr<d0-3>'],
  [0xfc400000, 0xfff00000, 'mcrr2\t<d8-11>, <d4-7>, <r12>, <r16>, cr<d0-3>'],
  [0xfc100000, 0xfe100000, 'ldc2<22?l|>\t<d8-11>, cr<d12-15>, <am5>'],
  [0xfc000000, 0xfe100000, 'stc2<22?l|>\t<d8-11>, cr<d12-15>, <am5>'],
  [0xfe000000, 0xff000010, 'cdp2\t<d8-11>, <d20-23>, cr<d12-15>, cr<d16-19>, cr<d0-3>, {<d5-7>}', notCp9to11],
  [0xfe000010, 0xff100010, 'mcr2\t<d8-11>, <d21-23>, <r12>, cr<d16-19>, cr<d0-3>, {<d5-7>}'],
  [0xfe100010, 0xff100010, 'mrc2\t<d8-11>, <d21-23>, <r12>, cr<d16-19>, cr<d0-3>, {<d5-7>}'],
]);

// ------------------------------------------------------------------ A32 core

const DP_NAMES = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn'];

/** Data processing with Rd and Rn: immediate, immediate-shifted register, register-shifted register. */
function dp(op: number): RowSpec[] {
  const t = `${DP_NAMES[op]}<s><c>\t<r12>, <r16>, <op2>`;
  return [[0x02000000 | op << 21, 0x0fe00000, t], [op << 21, 0x0fe00010, t], [0x10 | op << 21, 0x0fe00090, t]];
}

/** Comparisons (Rd ignored); teq alone requires S=1 and accepts bit 7 set. */
function cmp(op: number): RowSpec[] {
  const t = `${DP_NAMES[op]}<c>\t<r16>, <op2>`;
  if (op === 9) return [[0x03300000, 0x0ff00000, t], [0x01300000, 0x0ff00010, t], [0x01300010, 0x0ff00010, t]];
  return [[0x02000000 | op << 21, 0x0fe00000, t], [op << 21, 0x0fe00010, t], [0x10 | op << 21, 0x0fe00090, t]];
}

/** Parallel add/subtract: prefixes by op1 (bits 20-22), operations by op2 (bits 5-7). */
function parallel(): RowSpec[] {
  const pre: [number, string][] = [[1, 's'], [2, 'q'], [3, 'sh'], [5, 'u'], [6, 'uq'], [7, 'uh']];
  const ops: [number, string][] = [[0, 'add16'], [1, 'asx'], [2, 'sax'], [3, 'sub16'], [4, 'add8'], [7, 'sub8']];
  const rows: RowSpec[] = [];
  for (const [p, pn] of pre) {
    for (const [o, on] of ops) rows.push([0x06000f10 | p << 20 | o << 5, 0x0ff00ff0, `${pn}${on}<c>\t<r12>, <r16>, <r0>`]);
  }
  return rows;
}

/** Sign/zero extension, with (`sxtab`) and without (`sxtb`, Rn = pc) accumulate; rotation in bits 10-11. */
function extend(): RowSpec[] {
  const ops: [number, string][] = [[0, 'sxtab16'], [2, 'sxtab'], [3, 'sxtah'], [4, 'uxtab16'], [6, 'uxtab'], [7, 'uxtah']];
  const rows: RowSpec[] = [];
  for (const [op, name] of ops) {
    const plain = name.replace('a', '');
    rows.push([0x068f0070 | op << 20, 0x0fff03f0, `${plain}<c>\t<r12>, <r0><rot>`]);
  }
  for (const [op, name] of ops) {
    rows.push([0x06800070 | op << 20, 0x0ff003f0, `${name}<c>\t<r12>, <r16>, <r0><rot${name === 'uxtab16' ? 'U' : ''}>`]);
  }
  return rows;
}

const single = (i: number): boolean => (i & 0xffff) !== 0 && ((i & 0xffff) & ((i & 0xffff) - 1)) === 0;

const ARM = table([
  [0xe1a00000, 0xffffffff, 'nop'],
  [0xe7f000f0, 0xfff000f0, 'udf\t#<i16e>'],
  [0x012fff10, 0x0ffffff0, 'bx<c>\t<r0>'],
  [0x00000090, 0x0fe000f0, 'mul<s><c>\t<r16>, <r0>, <r8>'],
  [0x00200090, 0x0fe000f0, 'mla<s><c>\t<r16>, <r0>, <r8>, <r12>'],
  [0x01000090, 0x0fb00ff0, 'swp<22?b|><c>\t<r12>, <r0>, [<r16>]'],
  [0x00800090, 0x0fa000f0, '<22?s|u>mull<s><c>\t<r12>, <r16>, <r0>, <r8>'],
  [0x00a00090, 0x0fa000f0, '<22?s|u>mlal<s><c>\t<r12>, <r16>, <r0>, <r8>'],
  // ARMv8 AArch32 additions
  [0xe320f010, 0xffffffff, 'esb'],
  [0xf57ff04c, 0xffffffff, 'dfb'],
  [0x0320f005, 0x0fffffff, 'sevl'],
  [0xe1000070, 0xfff000f0, 'hlt\t<hex16>'],
  [0x01800e90, 0x0ff00ff0, 'stlex<c>\t<r12>, <r0>, [<r16>]'],
  [0x01900e9f, 0x0ff00fff, 'ldaex<c>\t<r12>, [<r16>]'],
  [0x01a00e90, 0x0ff00ff0, 'stlexd<c>\t<r12>, <r0>, <r0+1>, [<r16>]'],
  [0x01b00e9f, 0x0ff00fff, 'ldaexd<c>\t<r12>, <r12+1>, [<r16>]'],
  [0x01c00e90, 0x0ff00ff0, 'stlexb<c>\t<r12>, <r0>, [<r16>]'],
  [0x01d00e9f, 0x0ff00fff, 'ldaexb<c>\t<r12>, [<r16>]'],
  [0x01e00e90, 0x0ff00ff0, 'stlexh<c>\t<r12>, <r0>, [<r16>]'],
  [0x01f00e9f, 0x0ff00fff, 'ldaexh<c>\t<r12>, [<r16>]'],
  [0x0180fc90, 0x0ff0fff0, 'stl<c>\t<r0>, [<r16>]'],
  [0x01900c9f, 0x0ff00fff, 'lda<c>\t<r12>, [<r16>]'],
  [0x01c0fc90, 0x0ff0fff0, 'stlb<c>\t<r0>, [<r16>]'],
  [0x01d00c9f, 0x0ff00fff, 'ldab<c>\t<r12>, [<r16>]'],
  [0x01e0fc90, 0x0ff0fff0, 'stlh<c>\t<r0>, [<r16>]'],
  [0x01f00c9f, 0x0ff00fff, 'ldah<c>\t<r12>, [<r16>]'],
  [0xe1000040, 0xfff00ff0, 'crc32b\t<r12>, <r16>, <r0>'],
  [0xe1200040, 0xfff00ff0, 'crc32h\t<r12>, <r16>, <r0>'],
  [0xe1400040, 0xfff00ff0, 'crc32w\t<r12>, <r16>, <r0>'],
  [0xe1000240, 0xfff00ff0, 'crc32cb\t<r12>, <r16>, <r0>'],
  [0xe1200240, 0xfff00ff0, 'crc32ch\t<r12>, <r16>, <r0>'],
  [0xe1400240, 0xfff00ff0, 'crc32cw\t<r12>, <r16>, <r0>'],
  [0xf1100000, 0xfffffdff, 'setpan\t#<d9>'],
  // virtualization, divide, MP, barriers, hints
  [0x0160006e, 0x0fffffff, 'eret<c>'],
  [0x01400070, 0x0ff000f0, 'hvc<c>\t<i16e>'],
  [0x0710f010, 0x0ff0f0f0, 'sdiv<c>\t<r16>, <r0>, <r8>'],
  [0x0730f010, 0x0ff0f0f0, 'udiv<c>\t<r16>, <r0>, <r8>'],
  [0xf410f000, 0xfc70f000, 'pldw\t<am2>'],
  [0xe320f014, 0xffffffff, 'csdb'],
  [0xf57ff040, 0xffffffff, 'ssbb'],
  [0xf57ff044, 0xffffffff, 'pssbb'],
  [0xf450f000, 0xfd70f000, 'pli\t<am2p>'],
  [0x0320f0f0, 0x0ffffff0, 'dbg<c>\t#<d0-3>'],
  [0xf57ff050, 0xfffffff0, 'dmb\t<bar>'],
  [0xf57ff040, 0xfffffff0, 'dsb\t<bar>'],
  [0xf57ff060, 0xfffffff0, 'isb\t<bar>'],
  [0x0320f000, 0x0fffffff, 'nop<c>\t{<d0-7>}'],
  // ARMv6T2
  [0x07c0001f, 0x0fe0007f, 'bfc<c>\t<r12>, <bf>'],
  [0x07c00010, 0x0fe00070, 'bfi<c>\t<r12>, <r0>, <bf>'],
  [0x00600090, 0x0ff000f0, 'mls<c>\t<r16>, <r0>, <r8>, <r12>'],
  [0x002000b0, 0x0f3000f0, 'strht<c>\t<r12>, <am3>'],
  [0x00300090, 0x0f3000f0, null],
  [0x00300090, 0x0f300090, 'ldr<6?s|><5?h|b>t<c>\t<r12>, <am3>'],
  [0x03000000, 0x0ff00000, 'movw<c>\t<r12>, <i16>'],
  [0x03400000, 0x0ff00000, 'movt<c>\t<r12>, <i16>'],
  [0x06ff0f30, 0x0fff0ff0, 'rbit<c>\t<r12>, <r0>'],
  [0x07a00050, 0x0fa00070, '<22?u|s>bfx<c>\t<r12>, <r0>, #<d7-11>, #<w16-20>'],
  [0x01600070, 0x0ff000f0, 'smc<c>\t<i16e>'],
  // ARMv6K
  [0xf57ff01f, 0xffffffff, 'clrex'],
  [0x01d00f9f, 0x0ff00fff, 'ldrexb<c>\t<r12>, [<r16>]'],
  [0x01b00f9f, 0x0ff00fff, 'ldrexd<c>\t<r12>, [<r16>]'],
  [0x01f00f9f, 0x0ff00fff, 'ldrexh<c>\t<r12>, [<r16>]'],
  [0x01c00f90, 0x0ff00ff0, 'strexb<c>\t<r12>, <r0>, [<r16>]'],
  [0x01a00f90, 0x0ff00ff0, 'strexd<c>\t<r12>, <r0>, [<r16>]'],
  [0x01e00f90, 0x0ff00ff0, 'strexh<c>\t<r12>, <r0>, [<r16>]'],
  [0xf57ff070, 0xffffffff, 'sb'],
  [0x0320f001, 0x0fffffff, 'yield<c>'],
  [0x0320f002, 0x0fffffff, 'wfe<c>'],
  [0x0320f003, 0x0fffffff, 'wfi<c>'],
  [0x0320f004, 0x0fffffff, 'sev<c>'],
  [0x0320f000, 0x0fffff00, 'nop<c>\t{<d0-7>}'],
  // ARMv6
  [0xf1080000, 0xfffffe3f, 'cpsie\t<aif>'],
  [0xf10a0000, 0xfffffe20, 'cpsie\t<aif>,#<d0-4>'],
  [0xf10c0000, 0xfffffe3f, 'cpsid\t<aif>'],
  [0xf10e0000, 0xfffffe20, 'cpsid\t<aif>,#<d0-4>'],
  [0xf1000000, 0xfff1fe20, 'cps\t#<d0-4>'],
  [0x06800010, 0x0ff00ff0, 'pkhbt<c>\t<r12>, <r16>, <r0>'],
  [0x06800010, 0x0ff00070, 'pkhbt<c>\t<r12>, <r16>, <r0>, lsl #<d7-11>'],
  [0x06800050, 0x0ff00ff0, 'pkhtb<c>\t<r12>, <r16>, <r0>, asr #32'],
  [0x06800050, 0x0ff00070, 'pkhtb<c>\t<r12>, <r16>, <r0>, asr #<d7-11>'],
  [0x01900f9f, 0x0ff00fff, 'ldrex<c>\tr<d12-15>, [<r16>]'],
  ...parallel(),
  [0x06bf0f30, 0x0fff0ff0, 'rev<c>\t<r12>, <r0>'],
  [0x06bf0fb0, 0x0fff0ff0, 'rev16<c>\t<r12>, <r0>'],
  [0x06ff0fb0, 0x0fff0ff0, 'revsh<c>\t<r12>, <r0>'],
  [0xf8100a00, 0xfe50ffff, 'rfe<23?i|d><24?b|a>\t<r16><!>'],
  ...extend(),
  [0x06800fb0, 0x0ff00ff0, 'sel<c>\t<r12>, <r16>, <r0>'],
  [0xf1010000, 0xfffffc00, 'setend\t<9?be|le>'],
  [0x0700f010, 0x0ff0f0d0, 'smuad<5?x|><c>\t<r16>, <r0>, <r8>'],
  [0x0700f050, 0x0ff0f0d0, 'smusd<5?x|><c>\t<r16>, <r0>, <r8>'],
  [0x07000010, 0x0ff000d0, 'smlad<5?x|><c>\t<r16>, <r0>, <r8>, <r12>'],
  [0x07400010, 0x0ff000d0, 'smlald<5?x|><c>\t<r12>, <r16>, <r0>, <r8>'],
  [0x07000050, 0x0ff000d0, 'smlsd<5?x|><c>\t<r16>, <r0>, <r8>, <r12>'],
  [0x07400050, 0x0ff000d0, 'smlsld<5?x|><c>\t<r12>, <r16>, <r0>, <r8>'],
  [0x0750f010, 0x0ff0f0d0, 'smmul<5?r|><c>\t<r16>, <r0>, <r8>'],
  [0x07500010, 0x0ff000d0, 'smmla<5?r|><c>\t<r16>, <r0>, <r8>, <r12>'],
  [0x075000d0, 0x0ff000d0, 'smmls<5?r|><c>\t<r16>, <r0>, <r8>, <r12>'],
  [0xf84d0500, 0xfe5fffe0, 'srs<23?i|d><24?b|a>\t<r16><!>, #<d0-4>'],
  [0x06a00010, 0x0fe00ff0, 'ssat<c>\t<r12>, #<w16-20>, <r0>'],
  [0x06a00010, 0x0fe00070, 'ssat<c>\t<r12>, #<w16-20>, <r0>, lsl #<d7-11>'],
  [0x06a00050, 0x0fe00070, 'ssat<c>\t<r12>, #<w16-20>, <r0>, asr #<d7-11>'],
  [0x06a00f30, 0x0ff00ff0, 'ssat16<c>\t<r12>, #<w16-19>, <r0>'],
  [0x01800f90, 0x0ff00ff0, 'strex<c>\t<r12>, <r0>, [<r16>]'],
  [0x00400090, 0x0ff000f0, 'umaal<c>\t<r12>, <r16>, <r0>, <r8>'],
  [0x0780f010, 0x0ff0f0f0, 'usad8<c>\t<r16>, <r0>, <r8>'],
  [0x07800010, 0x0ff000f0, 'usada8<c>\t<r16>, <r0>, <r8>, <r12>'],
  [0x06e00010, 0x0fe00ff0, 'usat<c>\t<r12>, #<d16-20>, <r0>'],
  [0x06e00010, 0x0fe00070, 'usat<c>\t<r12>, #<d16-20>, <r0>, lsl #<d7-11>'],
  [0x06e00050, 0x0fe00070, 'usat<c>\t<r12>, #<d16-20>, <r0>, asr #<d7-11>'],
  [0x06e00f30, 0x0ff00ff0, 'usat16<c>\t<r12>, #<d16-19>, <r0>'],
  // ARMv5
  [0x012fff20, 0x0ffffff0, 'bxj<c>\t<r0>'],
  [0xe1200070, 0xfff000f0, 'bkpt\t<hex16>'],
  [0xfa000000, 0xfe000000, 'blx\t<blxt>'],
  [0x012fff30, 0x0ffffff0, 'blx<c>\t<r0>'],
  [0x016f0f10, 0x0fff0ff0, 'clz<c>\t<r12>, <r0>'],
  [0x000000d0, 0x0e1000f0, 'ldrd<c>\t<r12>, <am3>'],
  [0x000000f0, 0x0e1000f0, 'strd<c>\t<r12>, <am3>'],
  [0xf450f000, 0xfc70f000, 'pld\t<am2>'],
  [0x01000080, 0x0ff00090, 'smla<5?t|b><6?t|b><c>\t<r16>, <r0>, <r8>, <r12>'],
  [0x01200080, 0x0ff000b0, 'smlaw<6?t|b><c>\t<r16>, <r0>, <r8>, <r12>'],
  [0x01400080, 0x0ff00090, 'smlal<5?t|b><6?t|b><c>\t<r12>, <r16>, <r0>, <r8>'],
  [0x01600080, 0x0ff0f090, 'smul<5?t|b><6?t|b><c>\t<r16>, <r0>, <r8>'],
  [0x012000a0, 0x0ff0f0b0, 'smulw<6?t|b><c>\t<r16>, <r0>, <r8>'],
  [0x01000050, 0x0ff00ff0, 'qadd<c>\t<r12>, <r0>, <r16>'],
  [0x01400050, 0x0ff00ff0, 'qdadd<c>\t<r12>, <r0>, <r16>'],
  [0x01200050, 0x0ff00ff0, 'qsub<c>\t<r12>, <r0>, <r16>'],
  [0x01600050, 0x0ff00ff0, 'qdsub<c>\t<r12>, <r0>, <r16>'],
  // loads and stores
  [0x052d0004, 0x0fff0fff, 'push<c>\t{<r12>}'],
  [0x04400000, 0x0e500000, 'strb<t><c>\t<r12>, <am2>'],
  [0x04000000, 0x0e500000, 'str<t><c>\t<r12>, <am2>'],
  [0x06400000, 0x0e500010, 'strb<t><c>\t<r12>, <am2>'],
  [0x06000000, 0x0e500010, 'str<t><c>\t<r12>, <am2>'],
  [0x004000b0, 0x0e5000f0, 'strh<c>\t<r12>, <am3>'],
  [0x000000b0, 0x0e500ff0, 'strh<c>\t<r12>, <am3>'],
  [0x00500090, 0x0e5000f0, null],
  [0x00500090, 0x0e500090, 'ldr<6?s|><5?h|b><c>\t<r12>, <am3>'],
  [0x00100090, 0x0e500ff0, null],
  [0x00100090, 0x0e500f90, 'ldr<6?s|><5?h|b><c>\t<r12>, <am3>'],
  // data processing and PSR access
  ...dp(0), ...dp(1), ...dp(2), ...dp(3), ...dp(4), ...dp(5), ...dp(6), ...dp(7),
  [0x0120f200, 0x0fb0f200, 'msr<c>\t<psr>, <r0>'],
  [0x0120f000, 0x0db0f000, 'msr<c>\t<psr>, <op2>'],
  [0x01000000, 0x0fb00cff, 'mrs<c>\t<r12>, <mrs>'],
  ...cmp(8), ...cmp(9), ...cmp(10), ...cmp(11),
  ...dp(12),
  [0x03a00000, 0x0fef0000, 'mov<s><c>\t<r12>, <op2>'],
  [0x01a00000, 0x0def0ff0, 'mov<s><c>\t<r12>, <r0>'],
  [0x01a00000, 0x0def0060, 'lsl<s><c>\t<r12>, <shop>'],
  [0x01a00020, 0x0def0060, 'lsr<s><c>\t<r12>, <shop>'],
  [0x01a00040, 0x0def0060, 'asr<s><c>\t<r12>, <shop>'],
  [0x01a00060, 0x0def0ff0, 'rrx<s><c>\t<r12>, <r0>'],
  [0x01a00060, 0x0def0060, 'ror<s><c>\t<r12>, <shop>'],
  ...dp(14),
  [0x03e00000, 0x0fe00000, 'mvn<s><c>\t<r12>, <op2>'],
  [0x01e00000, 0x0fe00010, 'mvn<s><c>\t<r12>, <op2>'],
  [0x01e00010, 0x0fe00090, 'mvn<s><c>\t<r12>, <op2>'],
  [0x06000010, 0x0e000010, null],
  [0x049d0004, 0x0fff0fff, 'pop<c>\t{<r12>}'],
  [0x04500000, 0x0c500000, 'ldrb<t><c>\t<r12>, <am2>'],
  [0x04300000, 0x0d700000, 'ldrt<c>\t<r12>, <am2>'],
  [0x04100000, 0x0c500000, 'ldr<c>\t<r12>, <am2>'],
  // block transfers, branches, svc
  [0x092d0000, 0x0fff0000, 'stmfd<c>\tsp!, <list>', single],
  [0x092d0000, 0x0fff0000, 'push<c>\t<list>'],
  [0x08800000, 0x0ff00000, 'stm<c>\t<r16><!>, <list><^>'],
  [0x08000000, 0x0e100000, 'stm<23?i|d><24?b|a><c>\t<r16><!>, <list><^>'],
  [0x08bd0000, 0x0fff0000, 'ldmfd<c>\tsp!, <list>', single],
  [0x08bd0000, 0x0fff0000, 'pop<c>\t<list>'],
  [0x08900000, 0x0f900000, 'ldm<c>\t<r16><!>, <list><^>'],
  [0x08100000, 0x0e100000, 'ldm<23?i|d><24?b|a><c>\t<r16><!>, <list><^>'],
  [0x0a000000, 0x0e000000, 'b<24?l|><c>\t<bt>'],
  [0x0f000000, 0x0f000000, 'svc<c>\t<x0-23>'],
  [0x03200000, 0x0fff00ff, 'nop<c>\t{<d0-7>}'],
]);

function match(rows: Row[], i: number): Row | undefined {
  const uncond = i >>> 28 === 0xf;
  for (const r of rows) {
    if ((i & r.mask) >>> 0 !== r.value) continue;
    // Words with cond = 0b1111 only match rows that spell out the top nibble.
    if (uncond && r.mask >>> 28 !== 0xf) continue;
    if (r.when && !r.when(i)) continue;
    return r;
  }
  return undefined;
}

function render(row: Row, i: number, pc: number): string {
  if (!row.parts) return undef(i);
  const c: Ctx = { i, pc, cmt: 0, addr: -1 };
  let s = '';
  for (const p of row.parts) s += typeof p === 'string' ? p : p(c);
  if (c.addr >= 0) s += `\t@ 0x${hex(c.addr)}`;
  else if (c.cmt > 32 || c.cmt < -16) s += `\t@ 0x${hex(c.cmt)}`;
  return s;
}

const undef = (i: number): string => `.word\t0x${hex(i).padStart(8, '0')}`;

/** Disassemble one A32 instruction word located at `pc`. */
export function disasA32(insn: number, pc: number): string {
  const i = insn >>> 0;
  const row = match(COPROC, i) ?? match(ARM, i);
  return row ? render(row, i, pc >>> 0) : undef(i);
}
