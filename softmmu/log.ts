/**
 * `-d` / `-D` / `-dfilter`: QEMU's qemu_log. Items are enabled by name; output
 * goes to stderr or the -D file.
 */
import { openSync, writeSync } from 'node:fs';

export const LOG_ITEMS: Record<string, string> = {
  in_asm: 'show target assembly code for each compiled TB',
  op: 'show IR ops for each compiled TB',
  op_opt: 'show IR ops after optimization',
  out_asm: 'show generated host (wasm) code for each compiled TB',
  exec: 'show trace before each executed TB',
  int: 'show interrupts/exceptions',
  cpu: 'show CPU registers before entering a TB',
  mmu: 'log MMU-related activities',
  unimp: 'log unimplemented functionality',
  guest_errors: 'log when the guest OS does something invalid',
  nochain: 'do not chain compiled TBs so that "exec" and "cpu" show complete traces',
};

export class Logger {
  private items = new Set<string>();
  private fd = 2;
  private ranges: [number, number][] = [];

  setItems(list: string[]): void { this.items = new Set(list); }
  get itemList(): string[] { return [...this.items]; }
  enabled(item: string): boolean { return this.items.has(item); }
  setFile(path: string): void { this.fd = openSync(path, 'w'); }
  /** `-dfilter 0x1000..0x2000,0x3000+0x100` */
  setFilter(ranges: [number, number][]): void { this.ranges = ranges; }
  inRange(addr: number): boolean {
    if (this.ranges.length === 0) return true;
    const a = addr >>> 0;
    return this.ranges.some(([lo, hi]) => a >= lo && a <= hi);
  }
  write(s: string): void { writeSync(this.fd, s); }
  log(item: string, msg: string): void { if (this.items.has(item)) this.write(msg.endsWith('\n') ? msg : msg + '\n'); }
}
