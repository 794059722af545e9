/**
 * A small WebAssembly binary writer: LEB128, sections, and the opcodes the
 * backend emits. Knows nothing about guests or IR (v86's wasmgen role).
 */
export const enum W {
  unreachable = 0x00, nop = 0x01, block = 0x02, loop = 0x03, if_ = 0x04, else_ = 0x05, end = 0x0b,
  br = 0x0c, br_if = 0x0d, br_table = 0x0e, return_ = 0x0f, call = 0x10, call_indirect = 0x11,
  return_call = 0x12, return_call_indirect = 0x13, drop = 0x1a, select = 0x1b,
  local_get = 0x20, local_set = 0x21, local_tee = 0x22,
  i32_load = 0x28, i32_load8_u = 0x2d, i32_load16_u = 0x2f, i32_store = 0x36, i32_store8 = 0x3a, i32_store16 = 0x3b,
  i32_const = 0x41, i64_const = 0x42,
  i32_eqz = 0x45, i32_eq = 0x46, i32_ne = 0x47, i32_lt_s = 0x48, i32_lt_u = 0x49, i32_gt_s = 0x4a, i32_gt_u = 0x4b,
  i32_le_s = 0x4c, i32_le_u = 0x4d, i32_ge_s = 0x4e, i32_ge_u = 0x4f,
  i32_clz = 0x67, i32_add = 0x6a, i32_sub = 0x6b, i32_mul = 0x6c, i32_div_s = 0x6d, i32_div_u = 0x6e,
  i32_rem_s = 0x6f, i32_rem_u = 0x70, i32_and = 0x71, i32_or = 0x72, i32_xor = 0x73, i32_shl = 0x74,
  i32_shr_s = 0x75, i32_shr_u = 0x76, i32_rotl = 0x77, i32_rotr = 0x78,
  i64_add = 0x7c, i64_sub = 0x7d, i64_mul = 0x7e, i64_or = 0x84, i64_shl = 0x86, i64_shr_u = 0x88,
  i32_wrap_i64 = 0xa7, i64_extend_i32_s = 0xac, i64_extend_i32_u = 0xad,
  i32_extend8_s = 0xc0, i32_extend16_s = 0xc1,
}

export const I32 = 0x7f, I64 = 0x7e, FUNCREF = 0x70, VOID = 0x40;

export class Bytes {
  private a = new Uint8Array(256);
  n = 0;
  /** The bytes written so far (a view, valid until the next write). */
  get buf(): Uint8Array { return this.a.subarray(0, this.n); }
  private room(k: number): void {
    if (this.n + k <= this.a.length) return;
    const b = new Uint8Array(Math.max(this.a.length * 2, this.n + k));
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  u8(b: number): this { this.room(1); this.a[this.n++] = b; return this; }
  u32(v: number): this {
    this.room(5);
    v >>>= 0;
    do { let b = v & 0x7f; v >>>= 7; if (v) b |= 0x80; this.a[this.n++] = b; } while (v);
    return this;
  }
  s32(v: number): this {
    this.room(5);
    v |= 0;
    for (;;) {
      const b = v & 0x7f; v >>= 7;
      if ((v === 0 && !(b & 0x40)) || (v === -1 && (b & 0x40))) { this.a[this.n++] = b; return this; }
      this.a[this.n++] = b | 0x80;
    }
  }
  s64(v: bigint): this {
    for (;;) {
      const b = Number(v & 0x7fn); v >>= 7n;
      if ((v === 0n && !(b & 0x40)) || (v === -1n && (b & 0x40))) { this.u8(b); return this; }
      this.u8(b | 0x80);
    }
  }
  str(s: string): this { const e = Buffer.from(s, 'utf8'); this.u32(e.length); return this.bytes(e); }
  bytes(b: number[] | Uint8Array): this {
    this.room(b.length);
    if (b instanceof Uint8Array) { this.a.set(b, this.n); this.n += b.length; return this; }
    for (let i = 0; i < b.length; i++) this.a[this.n++] = b[i];
    return this;
  }
  vec(b: Bytes): this { this.u32(b.n); return this.bytes(b.buf); }
  get length(): number { return this.n; }

  // instructions
  op(o: W): this { return this.u8(o); }
  i32(v: number): this { return this.u8(W.i32_const).s32(v); }
  get(l: number): this { return this.u8(W.local_get).u32(l); }
  set(l: number): this { return this.u8(W.local_set).u32(l); }
  tee(l: number): this { return this.u8(W.local_tee).u32(l); }
  /** A memory access with alignment hint and offset. */
  mem(o: W, align: number, offset: number): this { return this.u8(o).u32(align).u32(offset >>> 0); }
}

/**
 * A function body. `hints` are branch hints (the branch-hinting proposal):
 * [offset of an `if`/`br_if` in `code`, 1 likely | 0 unlikely]. V8 lays
 * unlikely paths out of line as deferred blocks, so the register allocator
 * keeps their spill code (around slow-path calls) off the hot path.
 */
export interface FuncBody { locals: [number, number][]; code: Bytes; hints?: number[] }

/** Assemble a module: one function type (i32)->i32 for TBs, plus import types. */
export function buildModule(opts: {
  types: { params: number[]; results: number[] }[];
  imports: { module: string; name: string; kind: 'func' | 'memory' | 'table'; type?: number; min?: number }[];
  funcs: { type: number; body: FuncBody }[];
  exports: { name: string; func: number }[];
  /** Imported functions (they come first in the function index space). */
  importedFuncs?: number;
  /** Names of the defined functions (the "name" section: V8 shows them in profiles and traces). */
  names?: string[];
}): Uint8Array {
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, b: Bytes) => { out.u8(id).vec(b); };
  const types = new Bytes().u32(opts.types.length);
  for (const t of opts.types) { types.u8(0x60).u32(t.params.length).bytes(t.params).u32(t.results.length).bytes(t.results); }
  section(1, types);
  const imps = new Bytes().u32(opts.imports.length);
  for (const i of opts.imports) {
    imps.str(i.module).str(i.name);
    if (i.kind === 'func') imps.u8(0).u32(i.type!);
    else if (i.kind === 'table') imps.u8(1).u8(FUNCREF).u8(0).u32(i.min ?? 0);
    else imps.u8(2).u8(0).u32(i.min ?? 0);
  }
  section(2, imps);
  const fsec = new Bytes().u32(opts.funcs.length);
  for (const f of opts.funcs) fsec.u32(f.type);
  section(3, fsec);
  const ex = new Bytes().u32(opts.exports.length);
  for (const e of opts.exports) ex.str(e.name).u8(0).u32(e.func);
  section(7, ex);
  const code = new Bytes().u32(opts.funcs.length);
  const hinted: [number, number, number[]][] = [];
  opts.funcs.forEach((f, i) => {
    const body = new Bytes().u32(f.body.locals.length);
    for (const [n, t] of f.body.locals) body.u32(n).u8(t);
    if (f.body.hints?.length) hinted.push([(opts.importedFuncs ?? 0) + i, body.length, f.body.hints]);
    body.bytes(f.body.code.buf).u8(W.end);
    code.vec(body);
  });
  if (hinted.length) {
    // Hint offsets count from the start of the body's local declarations; the section precedes code.
    const h = new Bytes().str('metadata.code.branch_hint').u32(hinted.length);
    for (const [fi, base, hints] of hinted) {
      h.u32(fi).u32(hints.length / 2);
      for (let k = 0; k < hints.length; k += 2) h.u32(base + hints[k]).u32(1).u8(hints[k + 1]);
    }
    section(0, h);
  }
  section(10, code);
  if (opts.names) {
    const fnames = new Bytes().u32(opts.names.length);
    opts.names.forEach((n, i) => fnames.u32((opts.importedFuncs ?? 0) + i).str(n));
    section(0, new Bytes().str('name').u8(1).vec(fnames));
  }
  return out.buf.slice();
}
