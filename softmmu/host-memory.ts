/**
 * The one WebAssembly.Memory that holds guest RAM and ROMs, every CPU's state
 * block and the TLB tables (DESIGN.md invariant 1). Space is reserved while the
 * machine is built and the Memory is created once, at its final size, so the
 * typed-array views never go stale.
 */
const WASM_PAGE = 65536;

export class HostMemory {
  private top = 0x1000; // keep host offset 0 unused: a zero addend is never a valid mapping by accident
  private created = false;
  memory!: WebAssembly.Memory;
  u8!: Uint8Array;
  i32!: Int32Array;
  u16!: Uint16Array;
  dv!: DataView;

  reserve(size: number, align = 4096): number {
    if (this.created) throw new Error('HostMemory.reserve after create');
    this.top = Math.ceil(this.top / align) * align;
    const off = this.top;
    this.top += size;
    return off;
  }

  get size(): number { return this.top; }

  create(): void {
    const pages = Math.ceil(this.top / WASM_PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const buf = this.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i32 = new Int32Array(buf);
    this.dv = new DataView(buf);
    this.created = true;
  }
}
