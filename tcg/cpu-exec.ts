/**
 * cpu_exec: find or translate the TB at the CPU's pc, run it, follow chains,
 * deliver exceptions and interrupts, and return to the main loop when the
 * instruction budget is spent or an exit was requested.
 */
import type { HostMemory } from '../softmmu/host-memory.js';
import type { SoftTLB } from '../softmmu/cputlb.js';
import { IRBuilder } from './builder.js';
import { GuestException, ExitTbRequest, DebugException, CF_NO_BP } from './helpers.js';
import { TB, TBCache } from './tb.js';
import { interpRun, EXIT_LOOKUP } from './interp.js';
import type { Logger } from '../softmmu/log.js';
import { dumpOps } from './dump.js';
import { optimize } from './optimize.js';
import { warmInterpreter } from './interp-warmup.js';
import type { WasmBackend } from './wasm/backend.js';

export interface TranslateResult {
  size: number;
  icount: number;
  /** Physical page of code fetched from the TB's second virtual page, when there is one. */
  page2?: number;
}

/** What cpu_exec needs from a target CPU. */
export interface ExecCPU {
  readonly index: number;
  readonly host: HostMemory;
  readonly env: number;          // byte offset of the state block
  /** Offset in the state block of the guest pc, which equals a TB's pc whenever the TB starts. */
  readonly pcSlot?: number;
  readonly tlb: SoftTLB;
  faultPc: number;
  faultExtra: number;
  halted: boolean;
  /** Set by devices and the monitor: leave the loop at the next TB boundary. */
  exitRequest: boolean;
  /** Set when an interrupt line changed; cleared by checkInterrupts. */
  interruptRequest: boolean;
  getPC(): number;
  tbFlags(): number;
  fetchMmuIdx(): number;
  /** `cflags`: CF_COUNT_MASK bits bound the instruction count (0: default); CF_NO_BP skips debugger breakpoints. */
  translate(b: IRBuilder, pc: number, flags: number, cflags?: number): TranslateResult;
  /** Debugger breakpoints (virtual pcs): the translator ends TBs before them and raises a debug exit at them. */
  readonly breakpoints?: Set<number>;
  restoreState(pc: number, extra: number): void;
  deliverException(): void;
  /** Take a pending unmasked interrupt (returns true if taken); wakes a halted CPU when any is pending. */
  checkInterrupts(): boolean;
  /** `-d cpu`: the registers as text. */
  dumpRegisters?(): string;
  /** Disassemble one instruction for `-d in_asm`: [text, length]. */
  disas(pc: number, flags: number): [string, number];
}


/** Indirect successors remembered per TB (a switch's cases); more are not worth a region's code. */
const MAX_INDIRECT = 12;

function noteIndirect(from: TB, to: TB): void {
  const l = from.indirect ??= [];
  if (l.length < MAX_INDIRECT && !l.includes(to)) l.push(to);
}

export class Executor {
  readonly builder = new IRBuilder();
  /** The JIT; null runs everything in the interpreter. */
  wasm: WasmBackend | null = null;
  nochain = false;
  /** Run the IR optimizer on each TB (off only to compare). */
  optimize = true;
  /**
   * Guest instructions run, kept in a Float64Array: as a plain field it
   * turned from a small integer into a double at 2^31, and from then on V8
   * deoptimized `run` on every call (bench-mix: 315 times).
   */
  private readonly count = new Float64Array(1);
  get executed(): number { return this.count[0]; }
  /**
   * gdb single-step: the CPU with this index runs exactly one instruction (an
   * uncached one-instruction TB, interrupts masked as QEMU's SSTEP_NOIRQ) and
   * reports; the other CPUs stay put. -1: off.
   */
  singlestepCpu = -1;
  /** A CPU stopped for the debugger: it reached a breakpoint or finished a single step. */
  onDebug: (cpu: ExecCPU, reason: 'breakpoint' | 'step' | 'watch') => void = () => {};

  constructor(readonly cache: TBCache, readonly log: Logger) {}

  /** `mmu`, `hostPc`: the fetch's MMU index and where the pc's byte is in host memory (-1: not RAM). */
  private translate(cpu: ExecCPU, pc: number, flags: number, phys: number, mmu: number, hostPc: number): TB {
    const t0 = process.hrtime.bigint();
    const b = this.builder;
    b.reset();
    const r = cpu.translate(b, pc, flags);
    const log = this.log;
    if (log.enabled('op') && log.inRange(pc)) log.write(`OP:\n${dumpOps(Int32Array.from(b.ops))}\n\n`);
    const ops = this.optimize ? optimize(b.ops, b.nTemps) : b.ops;
    const tb = new TB(pc, phys, flags, r.size, r.icount, Int32Array.from(ops), b.nTemps, r.page2);
    tb.fetchMmu = mmu;
    tb.hostPc = hostPc;
    this.cache.translateNs += Number(process.hrtime.bigint() - t0);
    this.cache.insert(tb);
    if (log.enabled('in_asm') && log.inRange(pc)) {
      const lines = [`IN:`];
      for (let a = pc, n = 0; n < r.icount; n++) {
        const [text, len] = cpu.disas(a, flags);
        lines.push(`0x${(a >>> 0).toString(16).padStart(8, '0')}:  ${text}`);
        a += len;
      }
      log.write(lines.join('\n') + '\n\n');
    }
    if (log.enabled('op_opt') && log.inRange(pc)) log.write(`OP after optimization:\n${dumpOps(tb.code)}\n\n`);
    return tb;
  }

  private warmed = false;

  /** Run one CPU for up to `budget` guest instructions; returns instructions executed. */
  run(cpu: ExecCPU, budget: number): number {
    if (!this.warmed) { this.warmed = true; warmInterpreter(cpu); }
    if (this.singlestepCpu >= 0) return this.step(cpu);
    const cache = this.cache;
    const jc = cache.jmpCache(cpu.index);
    const logExec = this.log.enabled('exec');
    const logCpu = this.log.enabled('cpu');
    let done = 0;
    let last: TB | null = null;
    let lastExit = EXIT_LOOKUP;
    while (done < budget) {
      if (cpu.interruptRequest) {
        if (cpu.checkInterrupts()) last = null;
      }
      if (cpu.halted || cpu.exitRequest) break;
      let tb: TB | null = null;
      let running = false;
      if (last !== null && lastExit < 2) {
        tb = last.jmp[lastExit];
        if (tb !== null && !tb.valid) { last.jmp[lastExit] = null; tb = null; }
      }
      try {
        if (tb === null) {
          const pc = cpu.getPC() | 0, flags = cpu.tbFlags();
          const ji = TBCache.jcIndex(pc);
          tb = jc[ji];
          if (tb === null || tb.pc !== pc || tb.flags !== flags || !tb.valid) {
            const mmu = cpu.fetchMmuIdx();
            const h = cpu.tlb.codeHost(pc, mmu);
            const phys = cpu.tlb.lastCodePhys;
            tb = cache.lookup(phys, pc, flags) ?? this.translate(cpu, pc, flags, phys, mmu, h);
            jc[ji] = tb;
          }
          if (last !== null && !this.nochain) {
            const samePage = (last.pc & ~0xfff) === (tb.pc & ~0xfff);
            if (lastExit < 2) { if (samePage) last.jmp[lastExit] = tb; }
            // Lookups to another page too: regions may take those in behind a check of the TLB.
            else if (lastExit === EXIT_LOOKUP && last.flags === tb.flags && (samePage || tb.hostPc >= 0)) noteIndirect(last, tb);
          }
        }
        if (last !== null && lastExit < 2 && this.wasm !== null && !this.nochain && last.jmp[lastExit] === tb) this.wasm.link(last, lastExit, tb);
        if (logExec && this.log.inRange(tb.pc)) this.log.write(`Trace ${cpu.index}: [${(tb.pc >>> 0).toString(16).padStart(8, '0')}/${tb.flags.toString(16)}]\n`);
        if (logCpu && this.log.inRange(tb.pc)) this.log.write((cpu.dumpRegisters?.() ?? '') + '\n');
        tb.execCount++;
        running = true;
        if (this.wasm !== null) {
          lastExit = this.wasm.exec(cpu, tb, budget - done);
          done += this.wasm.insns;
          last = this.wasm.last;
        } else {
          lastExit = interpRun(cpu, tb);
          done += tb.icount;
          last = tb;
        }
      } catch (e) {
        last = null;
        lastExit = EXIT_LOOKUP;
        if (e === GuestException.it) {
          // Only an exception raised while a TB ran has an instruction to restore; a fault while
          // looking up or translating the next TB (instruction fetch) already has the right pc.
          if (running) cpu.restoreState(cpu.faultPc, cpu.faultExtra);
          done += 1; // counts toward the budget so an exception loop still returns to the main loop
          cpu.deliverException();
        } else if (e === ExitTbRequest.it) {
          done += 1;
        } else if (e === DebugException.it) {
          // A breakpoint, or a watchpoint hit by an access (the softmmu set tlb.watchHit): the
          // instruction has not run; stop before it and tell the debugger.
          if (running) cpu.restoreState(cpu.faultPc, cpu.faultExtra);
          cpu.exitRequest = true;
          this.onDebug(cpu, cpu.tlb.watchHit !== null ? 'watch' : 'breakpoint');
        } else {
          throw e;
        }
      }
    }
    this.count[0] += done;
    this.wasm?.maybeFlushQueue();
    return done;
  }

  /** Single-step mode: run one instruction of the stepping CPU, then report. */
  private step(cpu: ExecCPU): number {
    if (cpu.index !== this.singlestepCpu) return 0;
    this.singlestepCpu = -1;
    // A WFI under the debugger completes at once (WFI may be a no-op); pending interrupts wait for `continue`.
    cpu.halted = false;
    let running = false;
    try {
      const pc = cpu.getPC() | 0, flags = cpu.tbFlags();
      cpu.tlb.codeHost(pc, cpu.fetchMmuIdx());
      const phys = cpu.tlb.lastCodePhys;
      const b = this.builder;
      b.reset();
      const r = cpu.translate(b, pc, flags, 1 | CF_NO_BP);
      const ops = this.optimize ? optimize(b.ops, b.nTemps) : b.ops;
      // Not cached: one-instruction TBs must not replace the normal ones.
      const tb = new TB(pc, phys, flags, r.size, r.icount, Int32Array.from(ops), b.nTemps, r.page2);
      running = true;
      interpRun(cpu, tb);
    } catch (e) {
      if (e === GuestException.it) {
        if (running) cpu.restoreState(cpu.faultPc, cpu.faultExtra);
        cpu.deliverException();
      } else if (e === DebugException.it) {
        // A watchpoint on the stepped instruction's access: it has not run.
        if (running) cpu.restoreState(cpu.faultPc, cpu.faultExtra);
        cpu.exitRequest = true;
        this.onDebug(cpu, 'watch');
        return 0;
      } else if (e !== ExitTbRequest.it) {
        throw e;
      }
    }
    this.count[0] += 1;
    cpu.exitRequest = true;
    this.onDebug(cpu, 'step');
    return 1;
  }
}
