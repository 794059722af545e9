/**
 * Flattened device tree (DTB, version 17): a tree of nodes and properties
 * built in memory, written as the blob a guest kernel or U-Boot reads, and
 * read back (tests, the monitor, a user's -dtb). Node and property order is
 * kept exactly as built, so a caller can reproduce another tool's layout.
 */

const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;
const HEADER_SIZE = 40;
const VERSION = 17;
const LAST_COMP_VERSION = 16;

export interface FdtProp { name: string; value: Uint8Array }
export interface Reservation { address: bigint; size: bigint }

const utf8 = new TextEncoder();
const text = new TextDecoder();

function be32(values: readonly number[]): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => dv.setUint32(i * 4, v >>> 0));
  return b;
}

export class FdtNode {
  readonly props: FdtProp[] = [];
  readonly children: FdtNode[] = [];
  constructor(readonly name: string) {}

  /** Add a child at the end (QEMU-style layouts are built in final order). */
  child(name: string): FdtNode {
    if (this.children.some((c) => c.name === name)) throw new Error(`fdt: duplicate node ${name}`);
    const n = new FdtNode(name);
    this.children.push(n);
    return n;
  }

  /** Set a property; an existing one keeps its place, so a later fix-up doesn't reorder the tree. */
  set(name: string, value: Uint8Array): this {
    const old = this.props.find((p) => p.name === name);
    if (old) old.value = value;
    else this.props.push({ name, value });
    return this;
  }
  empty(name: string): this { return this.set(name, new Uint8Array(0)); }
  u32(name: string, ...values: number[]): this { return this.set(name, be32(values)); }
  u64(name: string, value: number | bigint): this { return this.sizedCells(name, [2, value]); }
  string(name: string, s: string): this { return this.strings(name, [s]); }
  strings(name: string, list: readonly string[]): this {
    return this.set(name, utf8.encode(list.map((s) => `${s}\0`).join('')));
  }
  /** Values of 1 or 2 cells each, like QEMU's qemu_fdt_setprop_sized_cells (reg, ranges). */
  sizedCells(name: string, ...pairs: [cells: 1 | 2, value: number | bigint][]): this {
    const words: number[] = [];
    for (const [cells, v] of pairs) {
      const big = BigInt(v);
      if (cells === 2) words.push(Number(big >> 32n), Number(big & 0xffffffffn));
      else if (big >> 32n !== 0n) throw new Error(`fdt: ${name}: ${v} does not fit one cell`);
      else words.push(Number(big));
    }
    return this.set(name, be32(words));
  }

  prop(name: string): Uint8Array | undefined {
    return this.props.find((p) => p.name === name)?.value;
  }
  getU32s(name: string): number[] | undefined {
    const v = this.prop(name);
    if (!v || v.length % 4) return undefined;
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    return Array.from({ length: v.length / 4 }, (_, i) => dv.getUint32(i * 4));
  }
  getU32(name: string): number | undefined {
    const v = this.getU32s(name);
    return v?.length === 1 ? v[0] : undefined;
  }
  getU64(name: string): bigint | undefined {
    const v = this.getU32s(name);
    return v?.length === 2 ? (BigInt(v[0]) << 32n) | BigInt(v[1]) : undefined;
  }
  getStrings(name: string): string[] | undefined {
    const v = this.prop(name);
    if (!v || v[v.length - 1] !== 0) return undefined;
    return text.decode(v.subarray(0, v.length - 1)).split('\0');
  }
  getString(name: string): string | undefined {
    return this.getStrings(name)?.[0];
  }

  /**
   * A descendant by path ('/chosen', 'cpus/cpu@0'); a component without '@'
   * also matches a node with a unit address when only one does, as libfdt's
   * fdt_path_offset allows.
   */
  find(path: string): FdtNode | undefined {
    let node: FdtNode | undefined = this;
    for (const part of path.split('/').filter(Boolean)) {
      const exact: FdtNode | undefined = node.children.find((c) => c.name === part);
      const loose: FdtNode[] = part.includes('@') ? [] : node.children.filter((c) => c.name.split('@')[0] === part);
      node = exact ?? (loose.length === 1 ? loose[0] : undefined);
      if (!node) return undefined;
    }
    return node;
  }
}

export class DeviceTree {
  readonly root = new FdtNode('');
  readonly reservations: Reservation[] = [];
  bootCpuId = 0;
  /** QEMU's qemu_fdt_alloc_phandle starts at 0x8000, clear of phandles dtc assigns in a -dtb file. */
  private nextPhandle = 0x8000;

  allocPhandle(): number {
    return this.nextPhandle++;
  }

  reserve(address: number | bigint, size: number | bigint): void {
    this.reservations.push({ address: BigInt(address), size: BigInt(size) });
  }

  find(path: string): FdtNode | undefined {
    return this.root.find(path);
  }

  /** The DTB: header, memory reservation block, structure block, strings block. */
  toBlob(): Uint8Array {
    const strings = new StringTable();
    const struct: number[] = [];
    const emit = (bytes: Uint8Array) => {
      for (const b of bytes) struct.push(b);
      while (struct.length % 4) struct.push(0);
    };
    const walk = (n: FdtNode) => {
      emit(be32([FDT_BEGIN_NODE]));
      emit(utf8.encode(`${n.name}\0`));
      for (const p of n.props) {
        emit(be32([FDT_PROP, p.value.length, strings.offset(p.name)]));
        emit(p.value);
      }
      n.children.forEach(walk);
      emit(be32([FDT_END_NODE]));
    };
    walk(this.root);
    emit(be32([FDT_END]));

    const rsvOff = HEADER_SIZE;
    const structOff = rsvOff + 16 * (this.reservations.length + 1);
    const stringsOff = structOff + struct.length;
    const strBytes = strings.bytes();
    const total = stringsOff + strBytes.length;
    const blob = new Uint8Array(total);
    const dv = new DataView(blob.buffer);
    [FDT_MAGIC, total, structOff, stringsOff, rsvOff, VERSION, LAST_COMP_VERSION,
      this.bootCpuId, strBytes.length, struct.length].forEach((v, i) => dv.setUint32(i * 4, v));
    this.reservations.forEach((r, i) => {
      dv.setBigUint64(rsvOff + i * 16, r.address);
      dv.setBigUint64(rsvOff + i * 16 + 8, r.size);
    });
    blob.set(struct, structOff);
    blob.set(strBytes, stringsOff);
    return blob;
  }
}

/** Property names stored once each, as dtc does. */
class StringTable {
  private map = new Map<string, number>();
  private parts: string[] = [];
  private size = 0;
  offset(name: string): number {
    let off = this.map.get(name);
    if (off === undefined) {
      off = this.size;
      this.map.set(name, off);
      this.parts.push(`${name}\0`);
      this.size += utf8.encode(`${name}\0`).length;
    }
    return off;
  }
  bytes(): Uint8Array {
    return utf8.encode(this.parts.join(''));
  }
}

/** Read a DTB (version 16 or later); throws Error naming what is wrong with it. */
export function parseFdt(blob: Uint8Array): DeviceTree {
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.length < HEADER_SIZE || dv.getUint32(0) !== FDT_MAGIC) throw new Error('fdt: bad magic (not a device tree blob)');
  const [total, structOff, stringsOff, rsvOff, version, , bootCpu, stringsSize, structSize] =
    Array.from({ length: 9 }, (_, i) => dv.getUint32(4 + i * 4));
  if (version < 16) throw new Error(`fdt: version ${version} is too old`);
  if (total > blob.length) throw new Error(`fdt: header says ${total} bytes, blob has ${blob.length}`);
  const tree = new DeviceTree();
  tree.bootCpuId = bootCpu;
  for (let off = rsvOff; ; off += 16) {
    const address = dv.getBigUint64(off), size = dv.getBigUint64(off + 8);
    if (address === 0n && size === 0n) break;
    tree.reservations.push({ address, size });
  }
  const cstr = (off: number, limit: number): string => {
    let end = off;
    while (end < limit && blob[end] !== 0) end++;
    if (end >= limit) throw new Error('fdt: unterminated string');
    return text.decode(blob.subarray(off, end));
  };
  const structEnd = structOff + (version >= 17 ? structSize : total - structOff);
  const stack: FdtNode[] = [];
  let pos = structOff;
  const align = () => { pos = (pos + 3) & ~3; };
  while (pos < structEnd) {
    const token = dv.getUint32(pos);
    pos += 4;
    if (token === FDT_BEGIN_NODE) {
      const name = cstr(pos, structEnd);
      pos += utf8.encode(name).length + 1;
      align();
      const parent = stack[stack.length - 1];
      const node = parent ? parent.child(name) : tree.root;
      if (!parent && name !== '') throw new Error(`fdt: root node is named '${name}'`);
      stack.push(node);
    } else if (token === FDT_PROP) {
      const len = dv.getUint32(pos), nameOff = dv.getUint32(pos + 4);
      pos += 8;
      const node = stack[stack.length - 1];
      if (!node) throw new Error('fdt: property outside any node');
      node.props.push({ name: cstr(stringsOff + nameOff, stringsOff + stringsSize), value: blob.slice(pos, pos + len) });
      pos += len;
      align();
    } else if (token === FDT_END_NODE) {
      if (!stack.pop()) throw new Error('fdt: unbalanced END_NODE');
    } else if (token === FDT_END) {
      if (stack.length) throw new Error('fdt: END inside a node');
      return tree;
    } else if (token !== FDT_NOP) {
      throw new Error(`fdt: bad token ${token} at offset ${pos - 4}`);
    }
  }
  throw new Error('fdt: structure block ends without FDT_END');
}
