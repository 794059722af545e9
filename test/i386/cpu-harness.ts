/**
 * A bare i386 machine for CPU tests: RAM at 0, an I/O port space with a test
 * exit port (0xf4) and a debug console (0xe9), one X86CPU and an Executor on
 * the interpreter or the wasm JIT. Programs are flat images loaded at a
 * physical address and entered in flat protected mode (or at the reset vector).
 */
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostMemory } from '../../softmmu/host-memory.js';
import { AddressSpace } from '../../softmmu/memory.js';
import { CodePages } from '../../softmmu/cputlb.js';
import { VirtualClock } from '../../softmmu/clock.js';
import { Logger } from '../../softmmu/log.js';
import { IOPortSpace } from '../../softmmu/ioport.js';
import { Executor } from '../../tcg/cpu-exec.js';
import { TBCache } from '../../tcg/tb.js';
import { WasmBackend } from '../../tcg/wasm/backend.js';
import { X86CPU } from '../../target/i386/cpu.js';

export const BACKENDS = ['interp', 'wasm'] as const;
export type Backend = (typeof BACKENDS)[number];
/** The sources live next to the compiled tests' source tree. */
export const ASM_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/i386/cpu-asm');

export class TestPC {
  readonly host = new HostMemory();
  readonly as: AddressSpace;
  readonly io = new IOPortSpace();
  readonly clock = new VirtualClock();
  readonly log = new Logger();
  readonly cpu: X86CPU;
  readonly exec: Executor;
  exitValue: number | null = null;
  console = '';
  outs: [number, number, number][] = [];

  constructor(backend: Backend, ramSize = 32 << 20, logItems: string[] = []) {
    this.log.setItems(logItems);
    this.as = new AddressSpace('memory', this.host);
    this.as.addRam('ram', 0, ramSize);
    // a BIOS-style ROM alias at the top of the 4 GiB space for reset-vector tests
    this.as.addRam('bios', 0xffff0000, 0x10000, 'rom');
    const code = new CodePages();
    const cache = new TBCache();
    code.onInvalidate = (p) => cache.invalidatePage(p);
    cache.onCodePage = (p) => code.mark(p);
    this.exec = new Executor(cache, this.log);
    this.io.add('test-exit', 0xf4, 4, {
      type: 'test-exit', reset() {},
      read: () => 0,
      write: (_o, v) => { this.exitValue = v; this.cpu.exitRequest = true; },
    });
    this.io.add('debugcon', 0xe9, 1, {
      type: 'debugcon', reset() {},
      read: () => 0xe9,
      write: (_o, v) => { this.console += String.fromCharCode(v & 0xff); },
    });
    this.io.add('test-port', 0x80, 4, {
      type: 'test-port', reset() {},
      read: (o) => 0x80 + o,
      write: (o, v, size) => { this.outs.push([0x80 + o, v >>> 0, size]); },
    });
    this.cpu = new X86CPU(0, this.host, this.as, code, this.clock, this.log, 'i686', this.io);
    const jt = this.host.reserve(WasmBackend.JUMP_TABLE_BYTES);
    this.host.create();
    if (backend === 'wasm') {
      this.exec.wasm = new WasmBackend(this.host, cache, this.log, jt);
      this.exec.wasm.threshold = 2;
    }
    this.cpu.init();
    this.cpu.tlb.onFlush = () => cache.clearJumpCache(0);
    this.cpu.tlb.onFlushPage = (va) => cache.clearJumpCachePage(0, va);
  }

  load(addr: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) {
      if (addr + i >= 0xffff0000) this.host.u8[this.as.find(addr + i)!.hostOffset + ((addr + i - 0xffff0000) >>> 0)] = data[i];
      else this.as.write(addr + i, data[i], 1);
    }
  }
  loadFile(addr: number, name: string): void { this.load(addr, readFileSync(resolve(ASM_DIR, name))); }

  /** Run until the exit port is written, the CPU halts with interrupts off, or `maxInsns` pass. */
  run(maxInsns = 50_000_000): number {
    let n = 0;
    this.clock.start();
    while (this.exitValue === null && n < maxInsns) {
      if (this.cpu.halted && !this.cpu.interruptRequest) break;
      n += this.exec.run(this.cpu, Math.min(100_000, maxInsns - n));
      this.cpu.exitRequest = false;
    }
    this.clock.stop();
    return n;
  }

  read32(addr: number): number { return this.as.read(addr, 4) ?? 0; }
}
