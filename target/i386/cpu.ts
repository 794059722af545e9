/**
 * An i686-class x86 CPU (no x87/MMX/SSE): registers in the shared state
 * block, segmentation with descriptor caches, interrupts and exceptions
 * through the IVT/IDT with privilege changes via the TSS, paging, I/O ports,
 * and the glue to the softmmu and the translator.
 */
import type { HostMemory } from '../../softmmu/host-memory.js';
import { type AddressSpace, MemoryRegion } from '../../softmmu/memory.js';
import { SoftTLB, CodePages, Access, type MMUTarget, type PageTranslation } from '../../softmmu/cputlb.js';
import type { TranslateResult } from '../../tcg/cpu-exec.js';
import type { MachineCPU } from '../../softmmu/machine.js';
import type { IRBuilder } from '../../tcg/builder.js';
import { IRBuilder as Builder } from '../../tcg/builder.js';
import type { Logger } from '../../softmmu/log.js';
import type { VirtualClock } from '../../softmmu/clock.js';
import type { IOPortSpace } from '../../softmmu/ioport.js';
import { GuestException } from '../../tcg/helpers.js';
import { ENV_BUDGET, ENV_SIZE } from '../../tcg/exec-slots.js';
import * as S from './cpu-state.js';
import { CC, Excp, EXCP_NAMES } from './cpu-state.js';
import { envEflags } from './flags.js';
import { pageTranslate, walk } from './mmu.js';
import { translateBlock, insnLength } from './translate.js';
import { disasX86 } from './disas.js';
import { X87State, f64ToF80 } from './x87.js';

/** CPL lives in the state block too (it is not always CS.RPL right after CR0.PE changes). */
export const CPL = 60;

export class X86CPU implements MachineCPU, MMUTarget {
  /** S.PC holds the linear pc (CS base + EIP), as TBs are keyed. */
  readonly pcSlot = S.PC;
  readonly env: number;
  readonly tlb: SoftTLB;
  faultPc = 0;
  faultExtra = 0;
  halted = false;
  exitRequest = false;
  interruptRequest = false;
  off = false;
  irqLevel = false;
  /** Vector of the pending external interrupt (from the interrupt controller). */
  irqAck?: () => number;
  /** Triple fault / shutdown: the board resets the machine. */
  onTripleFault: () => void = () => {};
  /** The exception being raised. */
  excpVector = 0;
  excpCode = -1;
  /** Software interrupt (INT n, INT3, INTO): pushes excpNext and checks the gate DPL. */
  excpSoft = false;
  /** Trap-like exception: return to this linear address instead of the instruction's. */
  excpNext = -1;
  insns = 0;
  tscOffset = 0;
  apicBase = 0xfee00900;
  /** Values of the MSRs that are plain storage here (see helpers.ts BENIGN_MSRS). */
  readonly msrs = new Map<number, number>();
  readonly breakpoints = new Set<number>();
  i32!: Int32Array;
  private scratch = new Builder();
  readonly excpCount = new Float64Array(32);
  /** The x87 (helpers only; not in the state block). */
  readonly fpu = new X87State();

  constructor(
    readonly index: number,
    readonly host: HostMemory,
    readonly as: AddressSpace,
    code: CodePages,
    readonly clock: VirtualClock,
    readonly logger: Logger,
    readonly model: string,
    readonly io: IOPortSpace,
  ) {
    this.env = host.reserve(S.STATE_SIZE, 64);
    this.tlb = new SoftTLB(host, as, S.NB_MMU_MODES, this, code, index);
    if (this.tlb.base !== this.env + ENV_SIZE) throw new Error('X86CPU: TLB must follow the state block');
  }

  init(): void {
    this.i32 = this.host.i32;
    this.tlb.init();
    this.reset();
  }

  word(off: number): number { return this.i32[(this.env + off) >> 2]; }
  setWord(off: number, v: number): void { this.i32[(this.env + off) >> 2] = v; }
  reg(n: number): number { return this.i32[(this.env >> 2) + n]; }
  setReg(n: number, v: number): void { this.i32[(this.env >> 2) + n] = v; }
  get cpl(): number { return this.word(CPL); }
  get pe(): boolean { return (this.word(S.CR0) & S.CR0_PE) !== 0; }
  get vm(): boolean { return (this.word(S.EFLAGS_REST) & S.VM) !== 0; }
  segBase(s: number): number { return this.word(S.SEG_BASE(s)); }
  get eip(): number { return (this.word(S.PC) - this.segBase(S.CS)) | 0; }
  setEip(eip: number): void { this.setWord(S.PC, (this.segBase(S.CS) + eip) | 0); }

  setSeg(s: number, sel: number, base: number, limit: number, flags: number): void {
    this.setWord(S.SEG_SEL(s), sel & 0xffff);
    this.setWord(S.SEG_BASE(s), base | 0);
    this.setWord(S.SEG_LIMIT(s), limit | 0);
    this.setWord(S.SEG_FLAGS(s), flags | 0);
  }

  reset(): void {
    const w = this.env >> 2;
    this.i32.fill(0, w, w + ((S.STATE_SIZE - 64) >> 2));
    this.setWord(S.EFLAGS_REST, 2);
    this.setWord(S.CC_OP, CC.EFLAGS);
    this.setWord(S.CR0, 0x60000010);
    this.setReg(S.EDX, 0x663);
    const data = S.DESC_P | S.DESC_S | S.DESC_RW | S.DESC_A;
    for (const s of [S.ES, S.SS, S.DS, S.FS, S.GS]) this.setSeg(s, 0, 0, 0xffff, data);
    this.setSeg(S.CS, 0xf000, 0xffff0000, 0xffff, data | S.DESC_CODE);
    this.setSeg(S.LDTR, 0, 0, 0xffff, S.DESC_P | (2 << 8));
    this.setSeg(S.TR, 0, 0, 0xffff, S.DESC_P | (11 << 8));
    this.setWord(S.GDTR_LIMIT, 0xffff);
    this.setWord(S.IDTR_LIMIT, 0x3ff);
    this.setWord(S.DR(6), 0xffff0ff0);
    this.setWord(S.DR(7), 0x400);
    this.setEip(0xfff0);
    this.tscOffset = 0;
    this.msrs.clear();
    this.a20Mask = -1;
    this.fpu.reset();
    this.tlb.flush();
    this.halted = false;
    this.exitRequest = false;
    this.interruptRequest = this.irqLevel;
  }

  /** Flat 4 GiB 32-bit code in CS and data in the other segment registers, with these selectors. */
  private flatSegments(codeSel: number, dataSel: number): void {
    const data = S.DESC_P | S.DESC_S | S.DESC_RW | S.DESC_A | S.DESC_B | S.DESC_G | 0xf0000;
    this.setSeg(S.CS, codeSel, 0, 0xffffffff, data | S.DESC_CODE);
    for (const s of [S.ES, S.SS, S.DS, S.FS, S.GS]) this.setSeg(s, dataSel, 0, 0xffffffff, data);
  }

  /** Multiboot entry state: flat 32-bit protected mode, paging off, interrupts off. */
  enterMultiboot(eip: number, eax: number, ebx: number): void {
    this.flatSegments(0x08, 0x10);
    this.setWord(S.CR0, (this.word(S.CR0) | S.CR0_PE) & ~S.CR0_PG);
    this.setWord(CPL, 0);
    this.setEflags(0x2, 0xffffffff);
    this.setReg(S.EAX, eax);
    this.setReg(S.EBX, ebx);
    this.setEip(eip);
    this.halted = false;
    this.tlb.flush();
  }

  /**
   * Linux's 32-bit boot protocol entry: flat protected mode like multiboot but
   * with the boot GDT loaded and CS = __BOOT_CS (0x10), DS/ES/SS = __BOOT_DS
   * (0x18); %esi = boot_params, %ebp = %edi = %ebx = 0.
   */
  enterLinux32(eip: number, bootParams: number, gdt: number): void {
    this.enterMultiboot(eip, 0, 0);
    this.flatSegments(0x10, 0x18);
    this.setWord(S.GDTR_BASE, gdt);
    this.setWord(S.GDTR_LIMIT, 31);
    this.setReg(S.ESI, bootParams);
    for (const r of [S.EBP, S.EDI, S.EBX]) this.setReg(r, 0);
  }

  // ---- EFLAGS ----
  getEflags(): number {
    return (envEflags((o) => this.word(o)) | this.word(S.EFLAGS_REST) | 2) >>> 0;
  }
  setEflags(v: number, mask: number): void {
    const old = this.getEflags();
    v = ((old & ~mask) | (v & mask)) >>> 0;
    this.setWord(S.CC_OP, CC.EFLAGS);
    this.setWord(S.CC_SRC, v & S.ARITH);
    this.setWord(S.EFLAGS_REST, ((v & ~S.ARITH) | 2) & 0x3f7fd7);
    if ((v & S.IF) && this.irqLevel) this.interruptRequest = true;
  }

  getPC(): number { return this.word(S.PC); }

  tbFlags(): number {
    const rest = this.word(S.EFLAGS_REST);
    const cr0 = this.word(S.CR0);
    let f = this.cpl & 3;
    if (cr0 & S.CR0_PE) f |= S.TBF_PE;
    if (this.word(S.SEG_FLAGS(S.CS)) & S.DESC_B) f |= S.TBF_CODE32;
    if (this.word(S.SEG_FLAGS(S.SS)) & S.DESC_B) f |= S.TBF_SS32;
    if (!(cr0 & S.CR0_PE) || (rest & S.VM) || (this.segBase(S.DS) | this.segBase(S.ES) | this.segBase(S.SS)) !== 0) f |= S.TBF_ADDSEG;
    if (rest & S.VM) f |= S.TBF_VM;
    if (this.word(S.INHIBIT)) f |= S.TBF_INHIBIT;
    if (rest & S.TF) f |= S.TBF_TF;
    if (this.segBase(S.CS) === 0) f |= S.TBF_CSBASE0;
    if (cr0 & (S.CR0_EM | S.CR0_TS)) f |= S.TBF_FPU_TRAP;
    return f;
  }

  mmuIdx(): number { return this.cpl === 3 ? S.MMU_USER : S.MMU_KERNEL; }
  fetchMmuIdx(): number { return this.mmuIdx(); }

  translate(b: IRBuilder, pc: number, flags: number, cflags = 0): TranslateResult {
    return translateBlock(this, b, pc, flags, cflags);
  }

  disas(pc: number, flags: number): [string, number] {
    try {
      this.scratch.reset();
      const len = insnLength(this, pc, flags, this.scratch);
      const bytes: number[] = [];
      for (let i = 0; i < len; i++) bytes.push(this.tlb.load((pc + i) | 0, 1, this.fetchMmuIdx(), false));
      return [disasX86(bytes, pc, (flags & S.TBF_CODE32) !== 0), len];
    } catch {
      return ['(unreadable)', 1];
    }
  }

  restoreState(pc: number, _extra: number): void {
    this.setWord(S.PC, pc);
  }

  // ---- memory helpers for system structures ----
  physRead32(a: number): number { return (this.as.read(a >>> 0, 4, this.index) ?? 0) | 0; }
  physWrite32(a: number, v: number): void { this.as.write(a >>> 0, v >>> 0, 4, this.index); }
  ldk(a: number, size: number): number { return this.tlb.load(a | 0, size, S.MMU_KERNEL, false); }
  stk(a: number, v: number, size: number): void { this.tlb.store(a | 0, size === 4 ? v : v & ((1 << (size * 8)) - 1), size, S.MMU_KERNEL, false); }

  // ---- exceptions ----
  raise(vector: number, code = -1): never { return this.raiseAs(vector, code, false, -1); }
  /** INT n / INT3 / INTO: delivered with the next instruction's address. */
  raiseSoft(vector: number, next: number): never { return this.raiseAs(vector, -1, true, next); }
  /** A trap (single step): delivered after the instruction. */
  raiseTrap(vector: number, next: number): never { return this.raiseAs(vector, -1, false, next); }
  private raiseAs(vector: number, code: number, soft: boolean, next: number): never {
    this.excpVector = vector;
    this.excpCode = code;
    this.excpSoft = soft;
    this.excpNext = next;
    throw GuestException.it;
  }

  private delivering = -1;
  /** Linear pc of the instruction that raised the exception being delivered (faults in INT n delivery point at it). */
  private insnPc = 0;

  deliverException(): void {
    const v = this.excpVector, code = this.excpCode, soft = this.excpSoft;
    this.insnPc = this.word(S.PC);
    if (this.excpNext !== -1) this.setWord(S.PC, this.excpNext);
    this.excpNext = -1;
    this.excpCount[v & 31]++;
    if (this.logger.enabled('int')) {
      this.logger.write(`${soft ? 'INT' : 'Exception'} 0x${v.toString(16)} ${EXCP_NAMES[v] ?? ''} err=${code} at ${this.word(S.SEG_SEL(S.CS)).toString(16)}:${(this.eip >>> 0).toString(16)} CPL=${this.cpl}` +
        (v === Excp.PF ? ` CR2=${(this.word(S.CR2) >>> 0).toString(16)}` : '') + '\n');
    }
    this.deliver(v, soft, code, false);
  }

  /** Deliver with double/triple fault escalation. */
  private deliver(v: number, soft: boolean, code: number, hw: boolean): void {
    const first = this.delivering;
    this.delivering = v;
    try {
      this.doInterrupt(v, soft, code, hw);
      this.delivering = -1;
    } catch (e) {
      if (e !== GuestException.it) throw e;
      const second = this.excpVector;
      this.delivering = -1;
      if (soft) this.setWord(S.PC, this.insnPc);
      if (first === Excp.DF || v === Excp.DF) {
        this.logger.log('guest_errors', 'triple fault');
        this.onTripleFault();
        this.halted = true;
        return;
      }
      const contributory = (x: number) => x === 0 || (x >= 10 && x <= 13);
      if (!soft && !hw && ((contributory(v) && contributory(second)) || (v === Excp.PF && (contributory(second) || second === Excp.PF)))) {
        this.delivering = v;
        this.deliver(Excp.DF, false, 0, false);
        return;
      }
      this.deliver(second, this.excpSoft, this.excpCode, false);
    }
  }

  /** Read a descriptor: [low, high] words, or raise #GP(sel) when outside the table. */
  loadDesc(sel: number, excp = Excp.GP): [number, number] {
    const ldt = (sel & 4) !== 0;
    const base = ldt ? this.segBase(S.LDTR) : this.word(S.GDTR_BASE);
    const limit = ldt ? this.word(S.SEG_LIMIT(S.LDTR)) : this.word(S.GDTR_LIMIT);
    const idx = sel & ~7;
    if (((idx + 7) >>> 0) > (limit >>> 0) || (ldt && (this.word(S.SEG_SEL(S.LDTR)) & ~3) === 0)) this.raise(excp, sel & 0xfffc);
    return [this.ldk(base + idx, 4) | 0, this.ldk(base + idx + 4, 4) | 0];
  }
  static descBase(e1: number, e2: number): number { return ((e1 >>> 16) | ((e2 & 0xff) << 16) | (e2 & 0xff000000)) | 0; }
  static descLimit(e1: number, e2: number): number {
    const l = (e1 & 0xffff) | (e2 & 0xf0000);
    return e2 & S.DESC_G ? ((l << 12) | 0xfff) | 0 : l;
  }
  setAccessed(sel: number, e2: number): void {
    if (e2 & S.DESC_A) return;
    const base = sel & 4 ? this.segBase(S.LDTR) : this.word(S.GDTR_BASE);
    this.stk(base + (sel & ~7) + 4, e2 | S.DESC_A, 4);
  }
  loadSegCache(s: number, sel: number, e1: number, e2: number): void {
    this.setSeg(s, sel, X86CPU.descBase(e1, e2), X86CPU.descLimit(e1, e2), e2 & 0x00ffff00);
  }

  /** MOV/POP/LxS to a data or stack segment register. */
  loadSeg(s: number, sel: number): void {
    sel &= 0xffff;
    if (!this.pe || this.vm) {
      const fl = this.word(S.SEG_FLAGS(s));
      this.setSeg(s, sel, sel << 4, this.vm ? 0xffff : this.word(S.SEG_LIMIT(s)),
        this.vm ? S.DESC_P | S.DESC_S | S.DESC_RW | S.DESC_A | (3 << S.DESC_DPL_SHIFT) : (fl | S.DESC_P | S.DESC_S | S.DESC_RW | S.DESC_A));
      return;
    }
    const cpl = this.cpl, rpl = sel & 3;
    if ((sel & ~3) === 0) {
      if (s === S.SS) this.raise(Excp.GP, 0);
      this.setSeg(s, sel, 0, 0, 0);
      return;
    }
    const [e1, e2] = this.loadDesc(sel);
    const dpl = (e2 >>> S.DESC_DPL_SHIFT) & 3;
    if (!(e2 & S.DESC_S)) this.raise(Excp.GP, sel & 0xfffc);
    if (s === S.SS) {
      if (rpl !== cpl || dpl !== cpl || (e2 & S.DESC_CODE) || !(e2 & S.DESC_RW)) this.raise(Excp.GP, sel & 0xfffc);
      if (!(e2 & S.DESC_P)) this.raise(Excp.SS, sel & 0xfffc);
    } else {
      if ((e2 & S.DESC_CODE) && !(e2 & S.DESC_RW)) this.raise(Excp.GP, sel & 0xfffc);
      if (!(e2 & S.DESC_CODE) || !(e2 & S.DESC_CE)) {
        if (dpl < cpl || dpl < rpl) this.raise(Excp.GP, sel & 0xfffc);
      }
      if (!(e2 & S.DESC_P)) this.raise(Excp.NP, sel & 0xfffc);
    }
    this.setAccessed(sel, e2);
    this.loadSegCache(s, sel, e1, e2 | S.DESC_A);
  }

  /** After a return to an outer ring: data segments the new CPL may not use become null. */
  validateSegs(): void {
    const cpl = this.cpl;
    for (const s of [S.ES, S.DS, S.FS, S.GS]) {
      const fl = this.word(S.SEG_FLAGS(s));
      const dpl = (fl >>> S.DESC_DPL_SHIFT) & 3;
      if ((!(fl & S.DESC_CODE) || !(fl & S.DESC_CE)) && dpl < cpl) this.setSeg(s, 0, 0, 0, 0);
    }
  }

  /** Load CS for a far transfer to `sel` at privilege `cpl`. */
  loadCS(sel: number, e1: number, e2: number, cpl: number): void {
    this.loadSegCache(S.CS, (sel & 0xfffc) | cpl, e1, e2);
    this.setWord(CPL, cpl);
  }

  /** Check a code segment descriptor for a far JMP/CALL/RET; raises #GP/#NP. */
  private checkCode(sel: number, e2: number, rplMax: boolean): number {
    const cpl = this.cpl, dpl = (e2 >>> S.DESC_DPL_SHIFT) & 3, rpl = sel & 3;
    if (!(e2 & S.DESC_S) || !(e2 & S.DESC_CODE)) this.raise(Excp.GP, sel & 0xfffc);
    if (e2 & S.DESC_CE) { if (dpl > cpl) this.raise(Excp.GP, sel & 0xfffc); }
    else if (rplMax && (rpl > cpl || dpl !== cpl)) this.raise(Excp.GP, sel & 0xfffc);
    if (!(e2 & S.DESC_P)) this.raise(Excp.NP, sel & 0xfffc);
    return dpl;
  }

  // stack access at the current SS
  private spMask(): number { return this.word(S.SEG_FLAGS(S.SS)) & S.DESC_B ? -1 : 0xffff; }
  push(v: number, size: number, mmu = this.mmuIdx()): void {
    const m = this.spMask();
    const esp = this.reg(S.ESP);
    const n = (esp - size) | 0;
    this.tlb.store((this.segBase(S.SS) + (n & m)) | 0, size === 4 ? v : v & 0xffff, size, mmu, false);
    this.setReg(S.ESP, (esp & ~m) | (n & m));
  }
  pop(size: number, skip = 0): number {
    const m = this.spMask();
    const esp = this.reg(S.ESP);
    return this.tlb.load((this.segBase(S.SS) + ((esp + skip) & m)) | 0, size, this.mmuIdx(), false);
  }
  popAdjust(bytes: number): void {
    const m = this.spMask();
    const esp = this.reg(S.ESP);
    this.setReg(S.ESP, (esp & ~m) | ((esp + bytes) & m));
  }

  /** JMP/CALL/INT through a TSS descriptor or a task gate. */
  taskVia(sel: number, e1: number, e2: number, source: number, nextEip: number, errorCode = -1, checkDpl = true): void {
    const type = (e2 >>> 8) & 0xf, dpl = (e2 >>> S.DESC_DPL_SHIFT) & 3;
    if (checkDpl && (dpl < this.cpl || dpl < (sel & 3))) this.raise(Excp.GP, sel & 0xfffc);
    if (type === 5) {
      if (!(e2 & S.DESC_P)) this.raise(Excp.NP, sel & 0xfffc);
      const tss = e1 >>> 16;
      if (tss & 4) this.raise(Excp.GP, tss & 0xfffc);
      const [t1, t2] = this.loadDesc(tss);
      if ((t2 & S.DESC_S) || ((t2 >>> 8) & 0xf) !== 9) this.raise(Excp.GP, tss & 0xfffc);
      this.switchTask(tss, t1, t2, source, nextEip, errorCode);
      return;
    }
    if (type !== 9) this.raise(Excp.GP, sel & 0xfffc); // busy or 16-bit
    this.switchTask(sel, e1, e2, source, nextEip, errorCode);
  }

  farJmp(sel: number, off: number, osz: number, len = 0): void {
    if (!this.pe || this.vm) {
      this.setSeg(S.CS, sel, sel << 4, this.word(S.SEG_LIMIT(S.CS)), this.word(S.SEG_FLAGS(S.CS)));
      this.setEip(osz === 1 ? off & 0xffff : off);
      return;
    }
    if ((sel & ~3) === 0) this.raise(Excp.GP, 0);
    const [e1, e2] = this.loadDesc(sel);
    if (!(e2 & S.DESC_S)) {
      const type = (e2 >>> 8) & 0xf;
      if (type === 5 || type === 9 || type === 1) { this.taskVia(sel, e1, e2, 0, (this.eip + len) | 0); return; }
      this.unimpSystem('far jmp', sel, e2);
    }
    this.checkCode(sel, e2, true);
    const limit = X86CPU.descLimit(e1, e2);
    if ((off >>> 0) > (limit >>> 0)) this.raise(Excp.GP, sel & 0xfffc);
    this.setAccessed(sel, e2);
    this.loadCS(sel, e1, e2 | S.DESC_A, this.cpl);
    this.setEip(off);
  }

  farCall(sel: number, off: number, osz: number, len: number): void {
    const retEip = (this.eip + len) | 0;
    const size = 1 << osz;
    const oldCs = this.word(S.SEG_SEL(S.CS));
    if (!this.pe || this.vm) {
      const esp = this.reg(S.ESP);
      try {
        this.push(oldCs, size);
        this.push(retEip, size);
      } catch (e) { this.setReg(S.ESP, esp); throw e; }
      this.setSeg(S.CS, sel, sel << 4, this.word(S.SEG_LIMIT(S.CS)), this.word(S.SEG_FLAGS(S.CS)));
      this.setEip(osz === 1 ? off & 0xffff : off);
      return;
    }
    if ((sel & ~3) === 0) this.raise(Excp.GP, 0);
    const [e1, e2] = this.loadDesc(sel);
    if (!(e2 & S.DESC_S)) {
      const type = (e2 >>> 8) & 0xf;
      if (type === 4 || type === 12) { this.callGate(sel, e1, e2, osz, retEip, oldCs); return; }
      if (type === 5 || type === 9 || type === 1) { this.taskVia(sel, e1, e2, 1, retEip); return; }
      this.unimpSystem('far call', sel, e2);
    }
    this.checkCode(sel, e2, true);
    const esp = this.reg(S.ESP);
    try {
      this.push(oldCs, size);
      this.push(retEip, size);
    } catch (e) { this.setReg(S.ESP, esp); throw e; }
    this.setAccessed(sel, e2);
    this.loadCS(sel, e1, e2 | S.DESC_A, this.cpl);
    this.setEip(off);
  }

  private callGate(gsel: number, g1: number, g2: number, _osz: number, retEip: number, oldCs: number): void {
    const cpl = this.cpl, gdpl = (g2 >>> S.DESC_DPL_SHIFT) & 3;
    if (gdpl < cpl || gdpl < (gsel & 3)) this.raise(Excp.GP, gsel & 0xfffc);
    if (!(g2 & S.DESC_P)) this.raise(Excp.NP, gsel & 0xfffc);
    const sel = g1 >>> 16, off = (g2 & 0xffff0000) | (g1 & 0xffff);
    const gate32 = ((g2 >>> 8) & 0xf) === 12;
    const size = gate32 ? 4 : 2;
    if ((sel & ~3) === 0) this.raise(Excp.GP, 0);
    const [e1, e2] = this.loadDesc(sel);
    const dpl = (e2 >>> S.DESC_DPL_SHIFT) & 3;
    if (!(e2 & S.DESC_S) || !(e2 & S.DESC_CODE) || dpl > cpl) this.raise(Excp.GP, sel & 0xfffc);
    if (!(e2 & S.DESC_P)) this.raise(Excp.NP, sel & 0xfffc);
    const pcount = g2 & 0x1f;
    if (!(e2 & S.DESC_CE) && dpl < cpl) {
      const [ss, esp] = this.tssStack(dpl);
      const oldSs = this.word(S.SEG_SEL(S.SS)), oldEsp = this.reg(S.ESP);
      const params: number[] = [];
      for (let i = pcount - 1; i >= 0; i--) params.push(this.pop(size, i * size));
      const [s1, s2] = this.checkStackSeg(ss, dpl);
      this.loadSegCache(S.SS, ss, s1, s2);
      this.setReg(S.ESP, esp);
      this.setWord(CPL, dpl);
      const mmu = dpl === 3 ? S.MMU_USER : S.MMU_KERNEL;
      this.push(oldSs, size, mmu); this.push(oldEsp, size, mmu);
      for (const p of params) this.push(p, size, mmu);
      this.push(oldCs, size, mmu); this.push(retEip, size, mmu);
      this.loadCS(sel, e1, e2, dpl);
    } else {
      this.push(oldCs, size); this.push(retEip, size);
      this.loadCS(sel, e1, e2, cpl);
    }
    this.setEip(gate32 ? off : off & 0xffff);
  }

  /**
   * Hardware task switch to the TSS `sel` (SDM vol. 3 §7.3), 32-bit TSSs only.
   * `source`: 0 JMP, 1 CALL or interrupt/task gate, 2 IRET. `nextEip` is saved as the old task's EIP.
   */
  switchTask(sel: number, e1: number, e2: number, source: number, nextEip: number, errorCode = -1): void {
    const type = (e2 >>> 8) & 0xf;
    if ((type & 5) !== 1 || !(type & 8)) { this.logger.log('unimp', `task switch to a 16-bit TSS (sel 0x${sel.toString(16)})`); this.raise(Excp.GP, sel & 0xfffc); }
    if (!(e2 & S.DESC_P)) this.raise(Excp.NP, sel & 0xfffc);
    const limit = X86CPU.descLimit(e1, e2) >>> 0;
    if (limit < 103) this.raise(Excp.TS, sel & 0xfffc);
    const nb = X86CPU.descBase(e1, e2);
    // read the whole new state first so a fault leaves the old task intact
    const rd = (o: number) => this.ldk(nb + o, 4) | 0;
    const ncr3 = rd(0x1c), neip = rd(0x20), nfl = rd(0x24);
    const nregs = Array.from({ length: 8 }, (_, i) => rd(0x28 + i * 4));
    const nsegs = Array.from({ length: 6 }, (_, i) => rd(0x48 + i * 4) & 0xffff);
    const nldt = rd(0x60) & 0xffff;
    // save the old task
    const ob = this.segBase(S.TR), osel = this.word(S.SEG_SEL(S.TR));
    let ofl = this.getEflags();
    if (source !== 1) ofl &= ~S.NT;
    const wr = (o: number, v: number) => this.stk(ob + o, v, 4);
    wr(0x20, nextEip); wr(0x24, ofl);
    for (let i = 0; i < 8; i++) wr(0x28 + i * 4, this.reg(i));
    for (let i = 0; i < 6; i++) wr(0x48 + i * 4, this.word(S.SEG_SEL(i)));
    const gdt = this.word(S.GDTR_BASE);
    if (source !== 1) { // JMP, IRET: the old task is no longer busy
      const a = gdt + (osel & ~7) + 4;
      this.stk(a, this.ldk(a, 4) & ~0x200, 4);
    }
    if (source === 1) this.stk(nb, osel, 2); // back link
    if (source !== 2) this.stk(gdt + (sel & ~7) + 4, e2 | 0x200, 4);
    // load the new task
    this.loadSegCache(S.TR, sel, e1, e2 | 0x200);
    this.setWord(S.CR0, this.word(S.CR0) | S.CR0_TS);
    if (this.word(S.CR0) & S.CR0_PG) { this.setWord(S.CR3, ncr3); this.tlb.flush(); }
    for (let i = 0; i < 8; i++) this.setReg(i, nregs[i]);
    this.setEflags(source === 1 ? nfl | S.NT : nfl, 0x3f7fd5);
    const vm = (nfl & S.VM) !== 0;
    const cpl = vm ? 3 : nsegs[S.CS] & 3;
    this.setWord(CPL, cpl);
    // LDT, then the segment registers (faults here are #TS in the new task)
    if ((nldt & ~3) === 0) this.setSeg(S.LDTR, nldt, 0, 0, 0);
    else {
      if (nldt & 4) this.raise(Excp.TS, nldt & 0xfffc);
      const [l1, l2] = this.loadDesc(nldt, Excp.TS);
      if ((l2 & S.DESC_S) || ((l2 >>> 8) & 0xf) !== 2) this.raise(Excp.TS, nldt & 0xfffc);
      this.loadSegCache(S.LDTR, nldt, l1, l2);
    }
    if (vm) {
      const vf = S.DESC_P | S.DESC_S | S.DESC_RW | S.DESC_A | (3 << S.DESC_DPL_SHIFT);
      for (let s = 0; s < 6; s++) this.setSeg(s, nsegs[s], nsegs[s] << 4, 0xffff, s === S.CS ? vf | S.DESC_CODE : vf);
    } else {
      const cs = nsegs[S.CS];
      if ((cs & ~3) === 0) this.raise(Excp.TS, 0);
      const [c1, c2] = this.loadDesc(cs, Excp.TS);
      if (!(c2 & S.DESC_S) || !(c2 & S.DESC_CODE)) this.raise(Excp.TS, cs & 0xfffc);
      if (!(c2 & S.DESC_P)) this.raise(Excp.NP, cs & 0xfffc);
      this.loadCS(cs, c1, c2, cpl);
      const [s1, s2] = this.checkStackSeg(nsegs[S.SS], cpl, Excp.TS);
      this.loadSegCache(S.SS, nsegs[S.SS], s1, s2);
      for (const s of [S.ES, S.DS, S.FS, S.GS]) {
        try { this.loadSeg(s, nsegs[s]); } catch (e) {
          if (e === GuestException.it && this.excpVector === Excp.GP) this.excpVector = Excp.TS;
          throw e;
        }
      }
    }
    this.setEip(neip);
    if (errorCode >= 0) this.push(errorCode, 4);
  }

  private unimpSystem(what: string, sel: number, e2: number): never {
    this.logger.log('unimp', `${what} through system descriptor type ${(e2 >>> 8) & 0xf} (sel 0x${sel.toString(16)}) not supported`);
    this.raise(Excp.GP, sel & 0xfffc);
  }

  farRet(n: number, osz: number): void {
    const size = 1 << osz;
    const eip = this.pop(size), sel = this.pop(size, size) & 0xffff;
    if (!this.pe || this.vm) {
      this.setSeg(S.CS, sel, sel << 4, this.word(S.SEG_LIMIT(S.CS)), this.word(S.SEG_FLAGS(S.CS)));
      this.setEip(eip);
      this.popAdjust(size * 2 + n);
      return;
    }
    if ((sel & ~3) === 0) this.raise(Excp.GP, 0);
    const [e1, e2] = this.loadDesc(sel);
    const rpl = sel & 3, cpl = this.cpl;
    if (rpl < cpl) this.raise(Excp.GP, sel & 0xfffc);
    const dpl = (e2 >>> S.DESC_DPL_SHIFT) & 3;
    if (!(e2 & S.DESC_S) || !(e2 & S.DESC_CODE)) this.raise(Excp.GP, sel & 0xfffc);
    if (e2 & S.DESC_CE ? dpl > rpl : dpl !== rpl) this.raise(Excp.GP, sel & 0xfffc);
    if (!(e2 & S.DESC_P)) this.raise(Excp.NP, sel & 0xfffc);
    if (rpl === cpl) {
      this.popAdjust(size * 2 + n);
      this.loadCS(sel, e1, e2, cpl);
      this.setEip(eip);
      return;
    }
    const esp = this.pop(size, size * 2 + n), ss = this.pop(size, size * 3 + n) & 0xffff;
    const [s1, s2] = this.checkStackSeg(ss, rpl);
    this.loadCS(sel, e1, e2, rpl);
    this.loadSegCache(S.SS, ss, s1, s2);
    this.setReg(S.ESP, size === 2 ? (this.reg(S.ESP) & ~0xffff) | (esp & 0xffff) : esp);
    this.popAdjust(n);
    this.setEip(eip);
    this.validateSegs();
  }

  private checkStackSeg(ss: number, cpl: number, excp = Excp.GP): [number, number] {
    if ((ss & ~3) === 0) this.raise(excp, 0);
    if ((ss & 3) !== cpl) this.raise(excp, ss & 0xfffc);
    const [e1, e2] = this.loadDesc(ss, excp);
    const dpl = (e2 >>> S.DESC_DPL_SHIFT) & 3;
    if (!(e2 & S.DESC_S) || (e2 & S.DESC_CODE) || !(e2 & S.DESC_RW) || dpl !== cpl) this.raise(excp, ss & 0xfffc);
    if (!(e2 & S.DESC_P)) this.raise(Excp.SS, ss & 0xfffc);
    this.setAccessed(ss, e2);
    return [e1, e2 | S.DESC_A];
  }

  /** SS:ESP for privilege `dpl` from the current TSS. */
  private tssStack(dpl: number): [number, number] {
    const fl = this.word(S.SEG_FLAGS(S.TR));
    if (!(fl & S.DESC_P)) this.raise(Excp.TS, this.word(S.SEG_SEL(S.TR)) & 0xfffc);
    const type = (fl >>> 8) & 0xf;
    const shift = type & 8 ? 1 : 0;
    const off = (dpl * 4 + 2) << shift;
    const base = this.segBase(S.TR);
    if (((off + (4 << shift) - 1) >>> 0) > (this.word(S.SEG_LIMIT(S.TR)) >>> 0)) this.raise(Excp.TS, this.word(S.SEG_SEL(S.TR)) & 0xfffc);
    if (shift) return [this.ldk(base + off + 4, 2), this.ldk(base + off, 4) | 0];
    return [this.ldk(base + off + 2, 2), this.ldk(base + off, 2)];
  }

  /** Interrupt/exception entry (real-mode IVT or protected-mode IDT). */
  doInterrupt(v: number, soft: boolean, code: number, hw: boolean): void {
    void hw;
    const eip = this.eip;
    if (!this.pe) {
      const base = this.word(S.IDTR_BASE);
      if (((v * 4 + 3) >>> 0) > (this.word(S.IDTR_LIMIT) >>> 0)) this.raise(Excp.GP, v * 8 + 2);
      const off = this.ldk(base + v * 4, 2), sel = this.ldk(base + v * 4 + 2, 2);
      const fl = this.getEflags();
      this.push(fl, 2); this.push(this.word(S.SEG_SEL(S.CS)), 2); this.push(eip, 2);
      this.setEflags(0, S.IF | S.TF | S.AC | S.RF);
      this.setSeg(S.CS, sel, sel << 4, this.word(S.SEG_LIMIT(S.CS)), this.word(S.SEG_FLAGS(S.CS)));
      this.setEip(off);
      return;
    }
    const idtBase = this.word(S.IDTR_BASE);
    if (((v * 8 + 7) >>> 0) > (this.word(S.IDTR_LIMIT) >>> 0)) this.raise(Excp.GP, v * 8 + 2);
    const g1 = this.ldk(idtBase + v * 8, 4) | 0, g2 = this.ldk(idtBase + v * 8 + 4, 4) | 0;
    const type = (g2 >>> 8) & 0x1f;
    const gdpl = (g2 >>> S.DESC_DPL_SHIFT) & 3;
    const cpl = this.cpl;
    if (type === 5) {
      if (soft && gdpl < cpl) this.raise(Excp.GP, v * 8 + 2);
      if (!(g2 & S.DESC_P)) this.raise(Excp.NP, v * 8 + 2);
      this.taskVia(v * 8, g1, g2, 1, eip, code, false);
      return;
    }
    if (type !== 6 && type !== 7 && type !== 14 && type !== 15) this.raise(Excp.GP, v * 8 + 2);
    if (soft && gdpl < cpl) this.raise(Excp.GP, v * 8 + 2);
    if (!(g2 & S.DESC_P)) this.raise(Excp.NP, v * 8 + 2);
    const sel = g1 >>> 16, off = (g2 & 0xffff0000) | (g1 & 0xffff);
    const gate32 = (type & 8) !== 0, size = gate32 ? 4 : 2;
    if ((sel & ~3) === 0) this.raise(Excp.GP, 0);
    const [e1, e2] = this.loadDesc(sel);
    const dpl = (e2 >>> S.DESC_DPL_SHIFT) & 3;
    if (!(e2 & S.DESC_S) || !(e2 & S.DESC_CODE) || dpl > cpl) this.raise(Excp.GP, sel & 0xfffc);
    if (!(e2 & S.DESC_P)) this.raise(Excp.NP, sel & 0xfffc);
    const flags = this.getEflags();
    const vm = (flags & S.VM) !== 0;
    const oldCs = this.word(S.SEG_SEL(S.CS));
    let newCpl = cpl;
    if (!(e2 & S.DESC_CE) && dpl < cpl) {
      // inner privilege: the stack comes from the TSS
      const [ss, esp] = this.tssStack(dpl);
      const [s1, s2] = this.checkStackSeg(ss, dpl, Excp.TS);
      const oldSs = this.word(S.SEG_SEL(S.SS)), oldEsp = this.reg(S.ESP);
      const ssBase = X86CPU.descBase(s1, s2), ssMask = s2 & S.DESC_B ? -1 : 0xffff;
      let sp = esp;
      const mmu = dpl === 3 ? S.MMU_USER : S.MMU_KERNEL;
      const push = (x: number) => { sp = (sp - size) | 0; this.tlb.store((ssBase + (sp & ssMask)) | 0, size === 4 ? x : x & 0xffff, size, mmu, false); };
      if (vm) {
        push(this.word(S.SEG_SEL(S.GS))); push(this.word(S.SEG_SEL(S.FS)));
        push(this.word(S.SEG_SEL(S.DS))); push(this.word(S.SEG_SEL(S.ES)));
      }
      push(oldSs); push(oldEsp); push(flags); push(oldCs); push(eip);
      if (code >= 0) push(code);
      this.loadSegCache(S.SS, ss, s1, s2);
      this.setReg(S.ESP, ssMask === -1 ? sp : (esp & ~0xffff) | (sp & 0xffff));
      newCpl = dpl;
      if (vm) for (const s of [S.ES, S.DS, S.FS, S.GS]) this.setSeg(s, 0, 0, 0, 0);
    } else {
      if (vm) this.raise(Excp.GP, sel & 0xfffc);
      const esp = this.reg(S.ESP);
      try {
        this.push(flags, size); this.push(oldCs, size); this.push(eip, size);
        if (code >= 0) this.push(code, size);
      } catch (e) { this.setReg(S.ESP, esp); throw e; }
    }
    this.loadCS(sel, e1, e2, newCpl);
    this.setEip(gate32 ? off : off & 0xffff);
    let clear = S.TF | S.VM | S.RF | S.NT;
    if (!(type & 1)) clear |= S.IF;
    this.setEflags(0, clear);
  }

  iret(osz: number, len = 1): void {
    const size = 1 << osz;
    if (!this.pe || this.vm) {
      if (this.vm && ((this.getEflags() >>> 12) & 3) !== 3) this.raise(Excp.GP, 0);
      const eip = this.pop(size), cs = this.pop(size, size) & 0xffff, fl = this.pop(size, size * 2);
      this.popAdjust(size * 3);
      this.setSeg(S.CS, cs, cs << 4, this.word(S.SEG_LIMIT(S.CS)), this.word(S.SEG_FLAGS(S.CS)));
      this.setEip(osz === 1 ? eip & 0xffff : eip);
      let mask = osz === 1 ? 0xffff : S.ARITH | S.TF | S.IF | S.DF | S.IOPL | S.NT | S.RF | S.AC | S.ID;
      if (this.vm) mask &= ~S.IOPL;
      this.setEflags(fl, mask & ~(S.VM | S.VIF | S.VIP));
      return;
    }
    if (this.getEflags() & S.NT) { // return to the previous task through the back link
      const link = this.ldk(this.segBase(S.TR), 2);
      if (link & 4) this.raise(Excp.TS, link & 0xfffc);
      const [l1, l2] = this.loadDesc(link, Excp.TS);
      if ((l2 & S.DESC_S) || ((l2 >>> 8) & 0xf) !== 11) this.raise(Excp.TS, link & 0xfffc);
      this.switchTask(link, l1, l2, 2, (this.eip + len) | 0);
      return;
    }
    const cpl = this.cpl;
    const eip = this.pop(size), sel = this.pop(size, size) & 0xffff, fl = this.pop(size, size * 2);
    if (osz === 2 && (fl & S.VM) && cpl === 0) {
      // return to virtual-8086 mode
      const esp = this.pop(4, 12), ss = this.pop(4, 16), es = this.pop(4, 20), ds = this.pop(4, 24), fs = this.pop(4, 28), gs = this.pop(4, 32);
      this.setEflags(fl, 0x3f7fd5);
      const vmFlags = S.DESC_P | S.DESC_S | S.DESC_RW | S.DESC_A | (3 << S.DESC_DPL_SHIFT);
      this.setSeg(S.CS, sel, sel << 4, 0xffff, vmFlags | S.DESC_CODE);
      for (const [s, v] of [[S.SS, ss], [S.ES, es], [S.DS, ds], [S.FS, fs], [S.GS, gs]] as const) this.setSeg(s, v & 0xffff, (v & 0xffff) << 4, 0xffff, vmFlags);
      this.setWord(CPL, 3);
      this.setReg(S.ESP, esp);
      this.setEip(eip & 0xffff);
      return;
    }
    if ((sel & ~3) === 0) this.raise(Excp.GP, 0);
    const [e1, e2] = this.loadDesc(sel);
    const rpl = sel & 3;
    if (rpl < cpl) this.raise(Excp.GP, sel & 0xfffc);
    const dpl = (e2 >>> S.DESC_DPL_SHIFT) & 3;
    if (!(e2 & S.DESC_S) || !(e2 & S.DESC_CODE)) this.raise(Excp.GP, sel & 0xfffc);
    if (e2 & S.DESC_CE ? dpl > rpl : dpl !== rpl) this.raise(Excp.GP, sel & 0xfffc);
    if (!(e2 & S.DESC_P)) this.raise(Excp.NP, sel & 0xfffc);
    const iopl = (this.getEflags() >>> 12) & 3;
    let mask = S.ARITH | S.TF | S.DF | S.NT | S.RF | S.AC | S.ID;
    if (cpl === 0) mask |= S.IOPL;
    if (cpl <= iopl) mask |= S.IF;
    if (osz === 1) mask &= 0xffff;
    if (rpl === cpl) {
      this.popAdjust(size * 3);
      this.loadCS(sel, e1, e2, cpl);
    } else {
      const esp = this.pop(size, size * 3), ss = this.pop(size, size * 4) & 0xffff;
      const [s1, s2] = this.checkStackSeg(ss, rpl);
      this.loadCS(sel, e1, e2, rpl);
      this.loadSegCache(S.SS, ss, s1, s2);
      this.setReg(S.ESP, size === 2 ? (this.reg(S.ESP) & ~0xffff) | (esp & 0xffff) : esp);
      this.validateSegs();
    }
    this.setEip(osz === 1 ? eip & 0xffff : eip);
    this.setEflags(fl, mask);
  }

  // ---- interrupts ----
  setIRQ(level: boolean): void {
    this.irqLevel = level;
    if (level) {
      this.interruptRequest = true;
      this.exitRequest = true;
      if (this.i32) this.setWord(ENV_BUDGET, -1);
    }
  }

  checkInterrupts(): boolean {
    this.interruptRequest = false;
    if (!this.irqLevel) return false;
    const rest = this.word(S.EFLAGS_REST);
    if (!(rest & S.IF)) return false;
    if (this.word(S.INHIBIT)) { this.interruptRequest = true; return false; }
    this.halted = false;
    const v = this.irqAck ? this.irqAck() : 0x20;
    if (v < 0) return false;
    if (this.logger.enabled('int')) this.logger.write(`IRQ vector 0x${v.toString(16)} at ${(this.eip >>> 0).toString(16)}\n`);
    this.deliver(v & 0xff, false, -1, true);
    return true;
  }

  // ---- MMU ----
  /** Address line 20 (the PC's A20 gate): when off, physical addresses wrap at 1 MiB like an 8086. */
  a20Mask = -1;
  setA20(enabled: boolean): void {
    const m = enabled ? -1 : ~(1 << 20);
    if (m === this.a20Mask) return;
    this.a20Mask = m;
    this.tlb.flush();
  }

  pageTranslate(vaddr: number, access: Access, mmuIdx: number): PageTranslation {
    const t = pageTranslate(this, vaddr, access, mmuIdx);
    if (this.a20Mask !== -1) t.paddr = (t.paddr & this.a20Mask) >>> 0;
    return t;
  }
  /** Unassigned physical memory: reads float high, writes vanish (logged under guest_errors). */
  readonly unassigned = new MemoryRegion('unassigned', 0, 2 ** 32, 'mmio', -1, {
    type: 'unassigned',
    read: (off, size) => { this.logger.log('guest_errors', `read from unassigned physical address 0x${(off >>> 0).toString(16)} (size ${size})`); return size === 4 ? 0xffffffff : (1 << (size * 8)) - 1; },
    write: (off, v, size) => { this.logger.log('guest_errors', `write of 0x${(v >>> 0).toString(16)} to unassigned physical address 0x${(off >>> 0).toString(16)} (size ${size})`); },
    reset: () => {},
  });

  busError(vaddr: number, _access: Access, _mmuIdx: number): never {
    // Unassigned physical memory: reads float high on a PC, writes vanish. Report and fault softly.
    this.logger.log('guest_errors', `access to unassigned address 0x${(vaddr >>> 0).toString(16)}`);
    this.raise(Excp.GP, 0);
  }
  alignmentFault(_vaddr: number, _access: Access, _mmuIdx: number): never { this.raise(Excp.AC, 0); }
  log(mask: string, msg: string): void { this.logger.log(mask, msg); }

  debugTranslate(va: number): number | undefined {
    const r = walk(this, va, Access.READ, false, false);
    return 'error' in r ? undefined : r.paddr;
  }

  // ---- monitor ----
  dumpRegisters(): string {
    const h = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
    const r = (n: number) => h(this.reg(n));
    const fl = this.getEflags();
    const f = (bit: number, ch: string) => (fl & bit ? ch : '-');
    const lines = [
      `EAX=${r(0)} EBX=${r(3)} ECX=${r(1)} EDX=${r(2)}`,
      `ESI=${r(6)} EDI=${r(7)} EBP=${r(5)} ESP=${r(4)}`,
      `EIP=${h(this.eip)} EFL=${h(fl)} [${f(S.DF, 'D')}${f(S.OF, 'O')}${f(S.SF, 'S')}${f(S.ZF, 'Z')}${f(S.AF, 'A')}${f(S.PF, 'P')}${f(S.CF, 'C')}] CPL=${this.cpl} II=${this.word(S.INHIBIT) ? 1 : 0} A20=${this.a20Mask === -1 ? 1 : 0} SMM=0 HLT=${this.halted ? 1 : 0}`,
    ];
    const names = ['ES', 'CS', 'SS', 'DS', 'FS', 'GS', 'LDT', 'TR'];
    for (let s = 0; s < 8; s++) {
      const fl2 = this.word(S.SEG_FLAGS(s));
      lines.push(`${names[s].padEnd(3)}=${(this.word(S.SEG_SEL(s)) & 0xffff).toString(16).padStart(4, '0')} ${h(this.segBase(s))} ${h(this.word(S.SEG_LIMIT(s)))} ${h(fl2)}`);
    }
    lines.push(`GDT=     ${h(this.word(S.GDTR_BASE))} ${h(this.word(S.GDTR_LIMIT))}`);
    lines.push(`IDT=     ${h(this.word(S.IDTR_BASE))} ${h(this.word(S.IDTR_LIMIT))}`);
    lines.push(`CR0=${h(this.word(S.CR0))} CR2=${h(this.word(S.CR2))} CR3=${h(this.word(S.CR3))} CR4=${h(this.word(S.CR4))}`);
    lines.push(`DR0=${h(this.word(S.DR(0)))} DR1=${h(this.word(S.DR(1)))} DR2=${h(this.word(S.DR(2)))} DR3=${h(this.word(S.DR(3)))}`);
    lines.push(`DR6=${h(this.word(S.DR(6)))} DR7=${h(this.word(S.DR(7)))}`);
    lines.push(`CCS=${h(this.word(S.CC_SRC))} CCD=${h(this.word(S.CC_DST))} CCO=${this.word(S.CC_OP)}`);
    const fpu = this.fpu;
    let ftw = 0;
    for (let r = 0; r < 8; r++) if (!fpu.empty[r]) ftw |= 1 << r;
    const h4 = (v: number) => (v & 0xffff).toString(16).padStart(4, '0');
    lines.push(`FCW=${h4(fpu.cw)} FSW=${h4(fpu.sw)} [ST=${fpu.top}] FTW=${ftw.toString(16).padStart(2, '0')} MXCSR=${h(fpu.mxcsr)}`);
    for (let i = 0; i < 8; i += 2) {
      const f = (k: number) => { const [lo, hi, se] = f64ToF80(fpu.st(k)); return `FPR${k}=${h(hi)}${h(lo)} ${h4(se)}`; };
      lines.push(`${f(i)} ${f(i + 1)}`);
    }
    return lines.join('\n');
  }
}
