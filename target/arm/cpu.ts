/**
 * An ARMv7-A CPU (Cortex-A15 without the Security and Virtualization
 * Extensions, as QEMU's virt board runs it): registers in the shared state
 * block, mode banking, CPSR/SPSR, exception entry, interrupt lines, and the
 * glue to the softmmu and the translator.
 */
import type { HostMemory } from '../../softmmu/host-memory.js';
import type { AddressSpace } from '../../softmmu/memory.js';
import { SoftTLB, CodePages, Access, type MMUTarget, type PageTranslation } from '../../softmmu/cputlb.js';
import type { ExecCPU, TranslateResult } from '../../tcg/cpu-exec.js';
import type { IRBuilder } from '../../tcg/builder.js';
import type { Logger } from '../../softmmu/log.js';
import type { VirtualClock } from '../../softmmu/clock.js';
import { GuestException } from '../../tcg/helpers.js';
import { ENV_BUDGET, ENV_SIZE } from '../../tcg/exec-slots.js';
import * as S from './cpu-state.js';
import { Mode, bankIndex, CPSR_T, CPSR_I, CPSR_F, CPSR_A, CPSR_E, CPSR_IT_MASK, CPSR_J, MODE_NAMES } from './cpu-state.js';
import { CP15 } from './cp15.js';
import { GenericTimer } from './gtimer.js';
import { mmuTranslate, walk } from './mmu.js';
import { translateBlock } from './translate.js';
import { disasA32 } from './disas.js';

export const enum Excp { UDEF = 1, SWI = 2, PREFETCH_ABORT = 3, DATA_ABORT = 4, IRQ = 5, FIQ = 6, BKPT = 7 }
const EXCP_NAMES: Record<number, string> = { 1: 'UNDEF', 2: 'SVC', 3: 'PREFETCH_ABORT', 4: 'DATA_ABORT', 5: 'IRQ', 6: 'FIQ', 7: 'BKPT' };

/** What the CPU asks of its board (PSCI power control). */
export interface ArmBoard {
  shutdown(reason: 'poweroff' | 'reset'): void;
  cpuOn(target: number, entry: number, context: number): number;
  cpuOff(cpu: ArmCPU): void;
  affinityInfo(target: number): number;
}

export class ArmCPU implements ExecCPU, MMUTarget {
  readonly pcSlot = S.R(15);
  readonly env: number;
  readonly tlb: SoftTLB;
  readonly cp15: CP15;
  readonly gt: GenericTimer;
  faultPc = 0;
  faultExtra = 0;
  halted = false;
  exitRequest = false;
  interruptRequest = false;
  /** Powered off (secondary CPUs before PSCI CPU_ON). */
  off = false;
  irqLevel = false;
  fiqLevel = false;
  /** The exception being raised: set before GuestException is thrown. */
  excp: Excp = 0 as Excp;
  /** Guest instruction count, for `info cpus` and profiling. */
  insns = 0;
  board: ArmBoard | null = null;
  /** ThumbEE configuration and handler base (cp14). */
  teecr = 0;
  teehbr = 0;
  private i32!: Int32Array;
  /** Debugger (gdb) breakpoints: virtual pcs where execution stops before the instruction. */
  readonly breakpoints = new Set<number>();

  constructor(
    readonly index: number,
    readonly host: HostMemory,
    readonly as: AddressSpace,
    code: CodePages,
    readonly clock: VirtualClock,
    readonly logger: Logger,
    readonly model = 'cortex-a15',
  ) {
    this.env = host.reserve(S.STATE_SIZE, 64);
    this.tlb = new SoftTLB(host, as, S.NB_MMU_MODES, this, code, index);
    // Compiled code finds the TLB at a fixed distance from the state block.
    if (this.tlb.base !== this.env + ENV_SIZE) throw new Error('ArmCPU: TLB must follow the state block');
    this.gt = new GenericTimer(this, clock);
    this.cp15 = new CP15(this);
  }

  /** Call once HostMemory exists. */
  init(): void {
    this.i32 = this.host.i32;
    this.tlb.init();
    this.reset();
  }

  reg(n: number): number { return this.i32[(this.env >> 2) + n]; }
  setReg(n: number, v: number): void { this.i32[(this.env >> 2) + n] = v; }
  word(off: number): number { return this.i32[(this.env + off) >> 2]; }
  setWord(off: number, v: number): void { this.i32[(this.env + off) >> 2] = v; }

  reset(): void {
    const w = this.env >> 2;
    this.i32.fill(0, w, w + (S.STATE_SIZE >> 2));
    this.setWord(S.ZF, 1);
    this.setWord(S.CPSR_REST, Mode.SVC | CPSR_A | CPSR_I | CPSR_F);
    this.cp15.reset();
    this.gt.reset();
    this.tlb.flush();
    this.halted = false;
    this.exitRequest = false;
    this.interruptRequest = this.irqLevel || this.fiqLevel;
    this.excl = false;
    this.setPC(this.cp15.sctlr & (1 << 13) ? 0xffff0000 : 0);
  }

  // ---- CPSR and banking ----

  get mode(): number { return this.word(S.CPSR_REST) & 0x1f; }
  get thumb(): boolean { return (this.word(S.CPSR_REST) & CPSR_T) !== 0; }
  get privileged(): boolean { return this.mode !== Mode.USR; }

  getCPSR(): number {
    const nf = this.word(S.NF), zf = this.word(S.ZF), cf = this.word(S.CF), vf = this.word(S.VF);
    return ((nf & 0x80000000) | (zf === 0 ? 1 << 30 : 0) | (cf ? 1 << 29 : 0) | ((vf >>> 31) << 28) |
      (this.word(S.QF) ? 1 << 27 : 0) | ((this.word(S.GE) & 0xf) << 16) | this.word(S.CPSR_REST)) >>> 0;
  }

  /** Write CPSR bits selected by `mask`; a mode change switches register banks. */
  setCPSR(v: number, mask: number): void {
    const old = this.getCPSR();
    v = ((old & ~mask) | (v & mask)) >>> 0;
    if (mask & 0xf0000000) {
      this.setWord(S.NF, v & 0x80000000);
      this.setWord(S.ZF, (v >>> 30) & 1 ? 0 : 1);
      this.setWord(S.CF, (v >>> 29) & 1);
      this.setWord(S.VF, ((v >>> 28) & 1) << 31);
    }
    if (mask & (1 << 27)) this.setWord(S.QF, (v >>> 27) & 1);
    if (mask & 0xf0000) this.setWord(S.GE, (v >>> 16) & 0xf);
    const newMode = v & 0x1f;
    if ((old & 0x1f) !== newMode) {
      if (bankIndex(newMode) < 0) {
        this.logger.log('guest_errors', `cpsr write: illegal mode 0x${newMode.toString(16)} ignored`);
        v = (v & ~0x1f) | (old & 0x1f);
      } else {
        this.switchMode(old & 0x1f, newMode);
      }
    }
    this.setWord(S.CPSR_REST, v & (0x1f | CPSR_T | CPSR_F | CPSR_I | CPSR_A | CPSR_E | CPSR_IT_MASK | CPSR_J));
    // Unmasking may make a pending interrupt deliverable.
    if (this.irqLevel || this.fiqLevel) this.interruptRequest = true;
  }

  private switchMode(from: number, to: number): void {
    const bf = bankIndex(from), bt = bankIndex(to);
    if (bf === bt) return;
    this.setWord(S.BANK_R13 + bf * 4, this.reg(13));
    this.setWord(S.BANK_R14 + bf * 4, this.reg(14));
    this.setWord(S.BANK_SPSR + bf * 4, this.word(S.SPSR));
    this.setReg(13, this.word(S.BANK_R13 + bt * 4));
    this.setReg(14, this.word(S.BANK_R14 + bt * 4));
    this.setWord(S.SPSR, this.word(S.BANK_SPSR + bt * 4));
    if (from === Mode.FIQ || to === Mode.FIQ) {
      const save = from === Mode.FIQ ? S.FIQ_R8_12 : S.USR_R8_12;
      const load = to === Mode.FIQ ? S.FIQ_R8_12 : S.USR_R8_12;
      for (let i = 0; i < 5; i++) {
        this.setWord(save + i * 4, this.reg(8 + i));
        this.setReg(8 + i, this.word(load + i * 4));
      }
    }
  }

  /** User-mode view of r8-r14 (LDM/STM with ^). */
  getUserReg(n: number): number {
    const m = this.mode;
    if (n >= 13 && bankIndex(m) !== 0) return this.word(S.BANK_R13 + (n - 13) * 32);
    if (n >= 8 && n <= 12 && m === Mode.FIQ) return this.word(S.USR_R8_12 + (n - 8) * 4);
    return this.reg(n);
  }

  setUserReg(n: number, v: number): void {
    const m = this.mode;
    if (n >= 13 && bankIndex(m) !== 0) { this.setWord(S.BANK_R13 + (n - 13) * 32, v); return; }
    if (n >= 8 && n <= 12 && m === Mode.FIQ) { this.setWord(S.USR_R8_12 + (n - 8) * 4, v); return; }
    this.setReg(n, v);
  }

  getPC(): number { return this.reg(15); }
  setPC(v: number): void { this.setReg(15, v); }

  tbFlags(): number {
    const rest = this.word(S.CPSR_REST);
    const it = ((rest >>> 25) & 3) | ((rest >>> 8) & 0xfc);
    return (rest & CPSR_T ? S.TBF_THUMB : 0) | ((rest & 0x1f) !== Mode.USR ? S.TBF_PRIV : 0) |
      (this.cp15.vfpEnabled() ? S.TBF_VFP : 0) | (this.cp15.sctlr & 2 ? S.TBF_ALIGN : 0) | (it << S.TBF_IT_SHIFT);
  }

  mmuIdx(): number { return this.privileged ? S.MMU_PL1 : S.MMU_PL0; }
  fetchMmuIdx(): number { return this.mmuIdx(); }

  // ---- translation ----

  translate(b: IRBuilder, pc: number, flags: number, cflags = 0): TranslateResult {
    return translateBlock(this, b, pc, flags, cflags);
  }

  disas(pc: number, flags: number): [string, number] {
    const len = flags & S.TBF_THUMB ? 2 : 4;
    try {
      const h = this.tlb.codeHost(pc, this.fetchMmuIdx());
      if (len === 4) {
        const insn = h >= 0 ? this.host.dv.getUint32(h, true) : this.tlb.codeIoRead(pc, 4, this.fetchMmuIdx());
        return [disasA32(insn >>> 0, pc), 4];
      }
      return ['(thumb)', 2];
    } catch {
      return ['(unreadable)', len];
    }
  }

  restoreState(pc: number, extra: number): void {
    this.setPC(pc);
    if (this.thumb) {
      const rest = this.word(S.CPSR_REST) & ~CPSR_IT_MASK;
      this.setWord(S.CPSR_REST, rest | ((extra & 3) << 25) | ((extra & 0xfc) << 8));
    }
  }

  // ---- exceptions ----

  /** Record an exception and unwind to cpu_exec. */
  raise(e: Excp): never {
    this.excp = e;
    throw GuestException.it;
  }

  deliverException(): void {
    this.takeException(this.excp);
  }

  /** Exceptions taken, by Excp number, for `info irq`. */
  readonly excpCount = new Float64Array(8);

  takeException(e: Excp): void {
    this.excpCount[e]++;
    const cpsr = this.getCPSR();
    const pc = this.getPC();
    const t = (cpsr & CPSR_T) !== 0;
    let mode: number, offset: number, lr: number, mask = CPSR_I;
    switch (e) {
      case Excp.UDEF: mode = Mode.UND; offset = 4; lr = pc + (t ? 2 : 4); break;
      case Excp.SWI: mode = Mode.SVC; offset = 8; lr = pc + (t ? 2 : 4); break;
      case Excp.BKPT: // fall through: a BKPT with no debugger is a prefetch abort (debug event)
      case Excp.PREFETCH_ABORT: mode = Mode.ABT; offset = 0xc; lr = pc + 4; mask |= CPSR_A; break;
      case Excp.DATA_ABORT: mode = Mode.ABT; offset = 0x10; lr = pc + 8; mask |= CPSR_A; break;
      case Excp.IRQ: mode = Mode.IRQ; offset = 0x18; lr = pc + 4; mask |= CPSR_A; break;
      case Excp.FIQ: mode = Mode.FIQ; offset = 0x1c; lr = pc + 4; mask |= CPSR_A | CPSR_F; break;
      default: throw new Error(`unknown exception ${e}`);
    }
    if (this.logger.enabled('int')) {
      this.logger.write(`Taking exception ${e} [${EXCP_NAMES[e]}] on CPU ${this.index}\n` +
        `...from pc 0x${(pc >>> 0).toString(16)} mode ${MODE_NAMES[cpsr & 0x1f]}` +
        (e === Excp.DATA_ABORT ? ` DFSR 0x${this.cp15.dfsr.toString(16)} DFAR 0x${(this.cp15.dfar >>> 0).toString(16)}` : '') +
        (e === Excp.PREFETCH_ABORT ? ` IFSR 0x${this.cp15.ifsr.toString(16)} IFAR 0x${(this.cp15.ifar >>> 0).toString(16)}` : '') + '\n');
    }
    const sctlr = this.cp15.sctlr;
    let nw = (cpsr & ~(0x1f | CPSR_T | CPSR_E | CPSR_IT_MASK | CPSR_J)) | mode | mask;
    if (sctlr & (1 << 30)) nw |= CPSR_T;     // SCTLR.TE: exceptions in Thumb
    if (sctlr & (1 << 25)) nw |= CPSR_E;     // SCTLR.EE
    this.setCPSR(nw >>> 0, 0xffffffff);
    this.setWord(S.SPSR, cpsr | 0);
    this.setReg(14, lr | 0);
    const base = sctlr & (1 << 13) ? 0xffff0000 : this.cp15.vbar;
    this.setPC((base + offset) | 0);
    this.excl = false;
  }

  /** Exclusive monitor for LDREX/STREX (local monitor; the address and value live in the state block). */
  excl = false;

  // ---- interrupts ----

  setIRQ(level: boolean): void { this.irqLevel = level; if (level) this.wake(); }
  setFIQ(level: boolean): void { this.fiqLevel = level; if (level) this.wake(); }
  private wake(): void {
    this.interruptRequest = true;
    this.exitRequest = true;
    this.setWord(S.EXIT_REQ, 1);
    // Compiled code checks its instruction budget at every TB entry: spending it ends a chain at once.
    if (this.i32) this.setWord(ENV_BUDGET, -1);
  }

  checkInterrupts(): boolean {
    this.interruptRequest = false;
    const rest = this.word(S.CPSR_REST);
    if (this.irqLevel || this.fiqLevel) this.halted = false;
    if (this.fiqLevel && !(rest & CPSR_F)) { this.takeException(Excp.FIQ); return true; }
    if (this.irqLevel && !(rest & CPSR_I)) { this.takeException(Excp.IRQ); return true; }
    return false;
  }

  // ---- MMU ----

  pageTranslate(vaddr: number, access: Access, mmuIdx: number): PageTranslation {
    return mmuTranslate(this, vaddr, access, mmuIdx);
  }

  busError(vaddr: number, access: Access, _mmuIdx: number): never {
    this.logger.log('guest_errors', `Invalid access at addr 0x${(vaddr >>> 0).toString(16)}, size 4, region '(null)', reason: rejected`);
    return this.abort(vaddr, access, 0x08, 0, true);
  }

  alignmentFault(vaddr: number, access: Access, _mmuIdx: number): never {
    return this.abort(vaddr, access, 0x01, 0, false);
  }

  /** Raise a data or prefetch abort with short-descriptor fault status `fs` (5 bits). */
  abort(vaddr: number, access: Access, fs: number, domain: number, ext: boolean, lpae?: boolean): never {
    const longFmt = lpae ?? (this.cp15.ttbcr & 0x80000000) !== 0;
    if (longFmt && !lpae) fs = fs === 0x01 ? 0x21 : fs === 0x08 ? 0x10 : fs; // alignment / external abort codes
    const fsr = longFmt ? (fs & 0x3f) | (1 << 9) | (ext ? 1 << 12 : 0)
      : (fs & 0xf) | ((fs & 0x10) << 6) | (ext ? 1 << 12 : 0);
    if (longFmt) domain = 0;
    if (access === Access.EXEC) {
      this.cp15.ifsr = fsr;
      this.cp15.ifar = vaddr;
      this.raise(Excp.PREFETCH_ABORT);
    }
    this.cp15.dfsr = fsr | (domain << 4) | (access === Access.WRITE ? 1 << 11 : 0);
    this.cp15.dfar = vaddr;
    this.raise(Excp.DATA_ABORT);
  }

  log(mask: string, msg: string): void { this.logger.log(mask, msg); }

  debugTranslate(va: number): number | undefined {
    const r = this.probeTranslate(va, Access.READ, this.mmuIdx());
    return typeof r === 'number' ? r : undefined;
  }

  /** Translate without side effects (ATS1C*, the monitor, gdb): physical address or the fault. */
  probeTranslate(va: number, access: Access, mmuIdx: number): number | { fsr: number; ext: boolean; lpae?: boolean } {
    const r = walk(this, va, access, mmuIdx);
    if ('fs' in r) return { fsr: r.lpae ? r.fs | (1 << 9) : (r.fs & 0xf) | ((r.fs & 0x10) << 6), ext: r.ext, lpae: r.lpae };
    return r.paddr;
  }

  // ---- monitor ----

  /** `info registers` in QEMU's layout. */
  dumpRegisters(): string {
    const lines: string[] = [];
    let line = '';
    for (let i = 0; i < 16; i++) {
      line += `R${String(i).padStart(2, '0')}=${(this.reg(i) >>> 0).toString(16).padStart(8, '0')}`;
      if (i % 4 === 3) { lines.push(line); line = ''; } else line += ' ';
    }
    const c = this.getCPSR();
    const f = (b: number, ch: string) => (c & (1 << b) ? ch : '-');
    lines.push(`PSR=${c.toString(16).padStart(8, '0')} ${f(31, 'N')}${f(30, 'Z')}${f(29, 'C')}${f(28, 'V')} ${c & CPSR_T ? 'T' : 'A'} ${MODE_NAMES[c & 0x1f] ?? '???'}${this.privileged ? '32' : '32'}`);
    return lines.join('\n');
  }
}

