/**
 * ARM Generic Interrupt Controller v2 (ARM IHI 0048B): a distributor and one
 * CPU interface per CPU, without the Security and Virtualization Extensions
 * (QEMU's `arm_gic` as the 32-bit virt board configures it).
 *
 * INTIDs 0-15 are SGIs and 16-31 PPIs, both banked per CPU; 32 and up are
 * SPIs. All 8 priority bits are implemented; the minimum binary point is 0,
 * so there are 128 preemption levels (4 active-priority registers). Groups
 * exist (GICv2 always has them) and reset to Group 0; Group 0 is signalled
 * as FIQ when GICC_CTLR.FIQEn is set and as IRQ otherwise, Group 1 always as
 * IRQ. GICC_IAR acknowledges Group 0 (and Group 1 when AckCtl is set);
 * GICC_AIAR/AEOIR/AHPPIR are the Group 1 aliases.
 *
 * Level-sensitive interrupts are pending while their line is high or while a
 * GICD_ISPENDR write holds them pending; edge-triggered ones latch pending on
 * a rising edge until acknowledged or cleared. An SPI has one pending and one
 * active state (the 1-N model): every targeted CPU is signalled and the first
 * to read GICC_IAR takes it. SGIs keep a pending bit per source CPU.
 *
 * Per-interrupt state lives in flat arrays indexed by "slot": SGIs and PPIs
 * have one slot per CPU (cpu * 32 + intid), SPIs one slot each after those.
 * The bit-per-interrupt distributor registers are one table over them.
 */
import { IRQLine, type DeviceLog, type MMIODevice } from '../device.js';

// Distributor register offsets (IHI 0048B table 4-1)
export const GICD_CTLR = 0x000;
export const GICD_TYPER = 0x004;
export const GICD_IIDR = 0x008;
export const GICD_IGROUPR = 0x080;
export const GICD_ISENABLER = 0x100;
export const GICD_ICENABLER = 0x180;
export const GICD_ISPENDR = 0x200;
export const GICD_ICPENDR = 0x280;
export const GICD_ISACTIVER = 0x300;
export const GICD_ICACTIVER = 0x380;
export const GICD_IPRIORITYR = 0x400;
export const GICD_ITARGETSR = 0x800;
export const GICD_ICFGR = 0xc00;
export const GICD_SGIR = 0xf00;
export const GICD_CPENDSGIR = 0xf10;
export const GICD_SPENDSGIR = 0xf20;
export const GICD_PIDR4 = 0xfd0; // identification registers 0xFD0-0xFFC
export const GICD_ICPIDR2 = 0xfe8;
export const GICD_SIZE = 0x1000;

// CPU interface register offsets (IHI 0048B table 4-2)
export const GICC_CTLR = 0x0000;
export const GICC_PMR = 0x0004;
export const GICC_BPR = 0x0008;
export const GICC_IAR = 0x000c;
export const GICC_EOIR = 0x0010;
export const GICC_RPR = 0x0014;
export const GICC_HPPIR = 0x0018;
export const GICC_ABPR = 0x001c;
export const GICC_AIAR = 0x0020;
export const GICC_AEOIR = 0x0024;
export const GICC_AHPPIR = 0x0028;
export const GICC_APR0 = 0x00d0; // APR0-3
export const GICC_NSAPR0 = 0x00e0; // NSAPR0-3
export const GICC_IIDR = 0x00fc;
export const GICC_DIR = 0x1000;
export const GICC_SIZE = 0x2000;

// GICD_CTLR / GICC_CTLR bits
export const GICD_CTLR_ENABLE_GRP0 = 1 << 0;
export const GICD_CTLR_ENABLE_GRP1 = 1 << 1;
export const GICC_CTLR_ENABLE_GRP0 = 1 << 0;
export const GICC_CTLR_ENABLE_GRP1 = 1 << 1;
export const GICC_CTLR_ACKCTL = 1 << 2;
export const GICC_CTLR_FIQEN = 1 << 3;
export const GICC_CTLR_CBPR = 1 << 4;
export const GICC_CTLR_EOIMODE = 1 << 9;
/** Writable GICC_CTLR bits of a GICv2 CPU interface without Security Extensions. */
const GICC_CTLR_MASK = GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_ACKCTL |
  GICC_CTLR_FIQEN | GICC_CTLR_CBPR | GICC_CTLR_EOIMODE;

// Special INTIDs
export const INTID_SPURIOUS = 1023;
/** Returned by GICC_IAR/HPPIR when the highest pending interrupt is Group 1 and AckCtl is clear. */
export const INTID_GROUP1_PENDING = 1022;

const GIC_NR_SGIS = 16;
const GIC_INTERNAL = 32;
const GIC_MIN_BPR = 0;
const GIC_MIN_ABPR = GIC_MIN_BPR + 1;
const GIC_NR_APRS = 4;      // 128 preemption levels / 32
const IDLE_PRIORITY = 0x100; // running priority with nothing active

/** GICD_PIDR4-7, PIDR0-3, CIDR0-3 at 0xFD0-0xFFC, as QEMU reports for a GICv2 (ICPIDR2 = 0x2B). */
const GICD_ID = [0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
/** GICD_IIDR: implementer ARM (0x43B). */
const GICD_IIDR_VALUE = 0x0000043b;
/** GICC_IIDR: architecture version 2, implementer ARM (QEMU: revision << 16 | 0x43B). */
const GICC_IIDR_VALUE = 0x0002043b;

export interface ArmGicV2Options {
  numCpus: number;   // 1-8
  numIrqs: number;   // INTIDs implemented, a multiple of 32 from 32 to 1020 (virt: 288)
  log: DeviceLog;
}

/** One of the distributor's bit-per-interrupt register arrays. */
interface BitRegister {
  name: string;
  base: number;
  get(cpu: number, irq: number): boolean;
  /** Called for each of the 8 bits of a written byte. */
  put(cpu: number, irq: number, bit: boolean): void;
}

export class ArmGicV2 {
  readonly numCpus: number;
  readonly numIrqs: number;
  private readonly log: DeviceLog;

  /** Memory-mapped distributor (4 KiB; virt: 0x08000000). */
  readonly distributor: MMIODevice;
  /** Memory-mapped CPU interface (8 KiB; virt: 0x08010000), banked by the accessing CPU. */
  readonly cpuInterface: MMIODevice;
  /** Per-CPU outputs to the cores' IRQ and FIQ inputs. */
  readonly irqOut: IRQLine[] = [];
  readonly fiqOut: IRQLine[] = [];
  private readonly spiLines: IRQLine[] = [];
  private readonly ppiLines: IRQLine[][] = [];

  // Distributor state
  ctlr = 0;
  readonly enabled: Uint8Array;
  readonly pending: Uint8Array;   // latched pending (edge, or set by GICD_ISPENDR)
  readonly active: Uint8Array;
  readonly level: Uint8Array;     // input line level
  readonly group: Uint8Array;
  readonly priority: Uint8Array;
  readonly edge: Uint8Array;      // GICD_ICFGR Int_config[1]: 1 = edge-triggered
  readonly target: Uint8Array;    // GICD_ITARGETSR for SPIs, indexed by INTID
  readonly sgiSources: Uint8Array; // [cpu * 16 + sgi]: bit per source CPU

  // CPU interface state, indexed by CPU
  readonly cpuCtlr: number[];
  readonly pmr: number[];
  readonly bpr: number[];
  readonly abpr: number[];
  readonly apr: number[][];      // Group 0 active priorities, [cpu][n]
  readonly nsapr: number[][];    // Group 1 active priorities
  readonly runningPriority: number[];
  /** Highest-priority pending interrupt that passes the priority mask, per CPU (1023 when none). */
  readonly currentPending: number[];

  private readonly bitRegisters: BitRegister[];

  constructor(opts: ArmGicV2Options) {
    const { numCpus, numIrqs } = opts;
    if (!Number.isInteger(numCpus) || numCpus < 1 || numCpus > 8) throw new RangeError(`gic-v2: ${numCpus} CPUs (1-8 supported)`);
    if (!Number.isInteger(numIrqs) || numIrqs < 32 || numIrqs > 1020 || numIrqs % 32 !== 0) {
      throw new RangeError(`gic-v2: ${numIrqs} interrupts (a multiple of 32 from 32 to 1020 expected)`);
    }
    this.numCpus = numCpus;
    this.numIrqs = numIrqs;
    this.log = opts.log;

    const slots = numCpus * GIC_INTERNAL + (numIrqs - GIC_INTERNAL);
    this.enabled = new Uint8Array(slots);
    this.pending = new Uint8Array(slots);
    this.active = new Uint8Array(slots);
    this.level = new Uint8Array(slots);
    this.group = new Uint8Array(slots);
    this.priority = new Uint8Array(slots);
    this.edge = new Uint8Array(slots);
    this.target = new Uint8Array(numIrqs);
    this.sgiSources = new Uint8Array(numCpus * GIC_NR_SGIS);
    this.cpuCtlr = new Array<number>(numCpus).fill(0);
    this.pmr = new Array<number>(numCpus).fill(0);
    this.bpr = new Array<number>(numCpus).fill(GIC_MIN_BPR);
    this.abpr = new Array<number>(numCpus).fill(GIC_MIN_ABPR);
    this.apr = Array.from({ length: numCpus }, () => new Array<number>(GIC_NR_APRS).fill(0));
    this.nsapr = Array.from({ length: numCpus }, () => new Array<number>(GIC_NR_APRS).fill(0));
    this.runningPriority = new Array<number>(numCpus).fill(IDLE_PRIORITY);
    this.currentPending = new Array<number>(numCpus).fill(INTID_SPURIOUS);

    for (let cpu = 0; cpu < numCpus; cpu++) {
      this.irqOut.push(new IRQLine());
      this.fiqOut.push(new IRQLine());
      const ppis: IRQLine[] = [];
      for (let n = 0; n < GIC_INTERNAL - GIC_NR_SGIS; n++) {
        ppis.push(new IRQLine((lvl) => this.setLine(cpu, GIC_NR_SGIS + n, lvl)));
      }
      this.ppiLines.push(ppis);
    }
    for (let n = 0; n < numIrqs - GIC_INTERNAL; n++) {
      this.spiLines.push(new IRQLine((lvl) => this.setLine(0, GIC_INTERNAL + n, lvl)));
    }

    this.bitRegisters = this.makeBitRegisters();

    const gic = this;
    this.distributor = {
      type: 'gic-v2',
      read: (offset, size, cpu) => gic.distRead(offset, size, cpu),
      write: (offset, value, size, cpu) => gic.distWrite(offset, value, size, cpu),
      reset: () => gic.reset(),
      state: () => gic.distState(),
    };
    this.cpuInterface = {
      type: 'gic-v2',
      read: (offset, size, cpu) => gic.cpuRead(offset, size, cpu),
      write: (offset, value, size, cpu) => gic.cpuWrite(offset, value, size, cpu),
      reset: () => gic.reset(),
      state: () => gic.cpuState(),
    };
    this.reset();
  }

  // ---------------------------------------------------------------- inputs

  /** Input line of shared peripheral interrupt n (INTID 32 + n). */
  spi(n: number): IRQLine {
    const line = this.spiLines[n];
    if (!line) throw new RangeError(`gic-v2: SPI ${n} does not exist (0-${this.spiLines.length - 1})`);
    return line;
  }

  /** Input line of private peripheral interrupt n (INTID 16 + n) of one CPU; the arch timer's PPI 14 is INTID 30. */
  ppi(cpu: number, n: number): IRQLine {
    const line = this.ppiLines[cpu]?.[n];
    if (!line) throw new RangeError(`gic-v2: PPI ${n} of CPU ${cpu} does not exist`);
    return line;
  }

  private setLine(cpu: number, irq: number, high: boolean): void {
    const s = this.slot(cpu, irq);
    const lvl = high ? 1 : 0;
    if (this.level[s] === lvl) return;
    this.level[s] = lvl;
    if (high && this.edge[s]) this.pending[s] = 1; // edge-triggered: latch the rising edge
    this.update();
  }

  // ---------------------------------------------------------------- reset

  reset(): void {
    this.ctlr = 0;
    this.enabled.fill(0);
    this.pending.fill(0);
    this.active.fill(0);
    this.group.fill(0);
    this.priority.fill(0);
    this.edge.fill(0);
    this.sgiSources.fill(0);
    // Input levels are wires driven from outside; they survive a reset.
    for (let cpu = 0; cpu < this.numCpus; cpu++) {
      for (let sgi = 0; sgi < GIC_NR_SGIS; sgi++) {
        const s = this.slot(cpu, sgi);
        this.enabled[s] = 1; // SGIs are permanently enabled
        this.edge[s] = 1;    // and edge-triggered
      }
    }
    // A uniprocessor GIC sends every interrupt to its one CPU (ITARGETSR RAZ/WI).
    this.target.fill(this.numCpus === 1 ? 1 : 0);
    for (let cpu = 0; cpu < this.numCpus; cpu++) {
      this.cpuCtlr[cpu] = 0;
      this.pmr[cpu] = 0;
      this.bpr[cpu] = GIC_MIN_BPR;
      this.abpr[cpu] = GIC_MIN_ABPR;
      this.apr[cpu].fill(0);
      this.nsapr[cpu].fill(0);
      this.runningPriority[cpu] = IDLE_PRIORITY;
      this.currentPending[cpu] = INTID_SPURIOUS;
    }
    this.update();
  }

  // ---------------------------------------------------------------- per-interrupt state

  private slot(cpu: number, irq: number): number {
    return irq < GIC_INTERNAL ? cpu * GIC_INTERNAL + irq : this.numCpus * GIC_INTERNAL + (irq - GIC_INTERNAL);
  }

  private isPending(cpu: number, irq: number): boolean {
    if (irq < GIC_NR_SGIS) return this.sgiSources[cpu * GIC_NR_SGIS + irq] !== 0;
    const s = this.slot(cpu, irq);
    return this.pending[s] === 1 || (this.edge[s] === 0 && this.level[s] === 1);
  }

  /** Group priority: the priority with the sub-priority bits below the binary point cleared. */
  private groupPriority(cpu: number, irq: number): number {
    const s = this.slot(cpu, irq);
    const bpr = this.group[s] && !(this.cpuCtlr[cpu] & GICC_CTLR_CBPR) ? this.abpr[cpu] - 1 : this.bpr[cpu];
    return this.priority[s] & ((0xff << ((bpr & 7) + 1)) & 0xff);
  }

  private makeBitRegisters(): BitRegister[] {
    return [
      {
        name: 'GICD_IGROUPR', base: GICD_IGROUPR,
        get: (cpu, irq) => this.group[this.slot(cpu, irq)] === 1,
        put: (cpu, irq, bit) => { this.group[this.slot(cpu, irq)] = bit ? 1 : 0; },
      },
      {
        name: 'GICD_ISENABLER', base: GICD_ISENABLER,
        get: (cpu, irq) => this.enabled[this.slot(cpu, irq)] === 1,
        put: (cpu, irq, bit) => { if (bit && irq >= GIC_NR_SGIS) this.enabled[this.slot(cpu, irq)] = 1; },
      },
      {
        name: 'GICD_ICENABLER', base: GICD_ICENABLER,
        get: (cpu, irq) => this.enabled[this.slot(cpu, irq)] === 1,
        put: (cpu, irq, bit) => { if (bit && irq >= GIC_NR_SGIS) this.enabled[this.slot(cpu, irq)] = 0; },
      },
      {
        // SGI pending state is set and cleared through GICD_SPENDSGIR / CPENDSGIR instead.
        name: 'GICD_ISPENDR', base: GICD_ISPENDR,
        get: (cpu, irq) => this.isPending(cpu, irq),
        put: (cpu, irq, bit) => { if (bit && irq >= GIC_NR_SGIS) this.pending[this.slot(cpu, irq)] = 1; },
      },
      {
        // A level-sensitive interrupt whose line is still high stays pending.
        name: 'GICD_ICPENDR', base: GICD_ICPENDR,
        get: (cpu, irq) => this.isPending(cpu, irq),
        put: (cpu, irq, bit) => { if (bit && irq >= GIC_NR_SGIS) this.pending[this.slot(cpu, irq)] = 0; },
      },
      {
        name: 'GICD_ISACTIVER', base: GICD_ISACTIVER,
        get: (cpu, irq) => this.active[this.slot(cpu, irq)] === 1,
        put: (cpu, irq, bit) => { if (bit) this.active[this.slot(cpu, irq)] = 1; },
      },
      {
        name: 'GICD_ICACTIVER', base: GICD_ICACTIVER,
        get: (cpu, irq) => this.active[this.slot(cpu, irq)] === 1,
        put: (cpu, irq, bit) => { if (bit) this.active[this.slot(cpu, irq)] = 0; },
      },
    ];
  }

  // ---------------------------------------------------------------- distributor

  private distRead(offset: number, size: number, cpu: number): number {
    if (!this.validCpu(cpu, 'distributor read')) return 0;
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.distReadByte(offset + i, cpu) << (8 * i);
    return v >>> 0;
  }

  private distWrite(offset: number, value: number, size: number, cpu: number): void {
    if (!this.validCpu(cpu, 'distributor write')) return;
    if (offset === GICD_SGIR) {
      if (size === 4) this.writeSgir(value >>> 0, cpu);
      else this.log.guestError(`gic-v2: ${size}-byte write to GICD_SGIR ignored`);
      return;
    }
    for (let i = 0; i < size; i++) this.distWriteByte(offset + i, (value >>> (8 * i)) & 0xff, cpu);
    this.update();
  }

  private distReadByte(offset: number, cpu: number): number {
    if (offset < GICD_IGROUPR) {
      switch (offset) {
        case GICD_CTLR: return this.ctlr;
        case GICD_TYPER: return ((this.numIrqs / 32) - 1) | ((this.numCpus - 1) << 5); // ITLinesNumber, CPUNumber
        case GICD_IIDR: return GICD_IIDR_VALUE & 0xff;
        case GICD_IIDR + 1: return (GICD_IIDR_VALUE >> 8) & 0xff;
      }
      if (offset < 0x0c) return 0;
      return this.badRead(offset);
    }
    if (offset < GICD_IPRIORITYR) {
      const reg = this.bitRegisters[(offset - GICD_IGROUPR) >> 7];
      const first = (offset - reg.base) * 8;
      if (first >= this.numIrqs) return this.badRead(offset);
      let v = 0;
      for (let i = 0; i < 8; i++) if (reg.get(cpu, first + i)) v |= 1 << i;
      return v;
    }
    if (offset < GICD_ITARGETSR) {
      const irq = offset - GICD_IPRIORITYR;
      if (irq >= this.numIrqs) return this.badRead(offset);
      return this.priority[this.slot(cpu, irq)];
    }
    if (offset < GICD_ICFGR) {
      const irq = offset - GICD_ITARGETSR;
      if (irq >= this.numIrqs) return this.badRead(offset);
      if (this.numCpus === 1) return 0; // RAZ/WI on a uniprocessor GIC
      return irq < GIC_INTERNAL ? 1 << cpu : this.target[irq];
    }
    if (offset < GICD_ICFGR + 0x100) {
      const first = (offset - GICD_ICFGR) * 4;
      if (first >= this.numIrqs) return this.badRead(offset);
      let v = 0;
      for (let i = 0; i < 4; i++) if (this.edge[this.slot(cpu, first + i)]) v |= 2 << (2 * i);
      return v;
    }
    if (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR + 0x10) {
      const sgi = offset & 0xf;
      return this.sgiSources[cpu * GIC_NR_SGIS + sgi];
    }
    if (offset >= GICD_PIDR4 && offset < GICD_SIZE) {
      return offset & 3 ? 0 : GICD_ID[(offset - GICD_PIDR4) >> 2];
    }
    return this.badRead(offset);
  }

  private distWriteByte(offset: number, value: number, cpu: number): void {
    if (offset < GICD_IGROUPR) {
      if (offset === GICD_CTLR) this.ctlr = value & (GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
      else if (offset >= 0x0c) this.badWrite(offset, value); // TYPER and IIDR are read-only; writes ignored
      return;
    }
    if (offset < GICD_IPRIORITYR) {
      const reg = this.bitRegisters[(offset - GICD_IGROUPR) >> 7];
      const first = (offset - reg.base) * 8;
      if (first >= this.numIrqs) return this.badWrite(offset, value);
      for (let i = 0; i < 8; i++) reg.put(cpu, first + i, (value & (1 << i)) !== 0);
      return;
    }
    if (offset < GICD_ITARGETSR) {
      const irq = offset - GICD_IPRIORITYR;
      if (irq >= this.numIrqs) return this.badWrite(offset, value);
      this.priority[this.slot(cpu, irq)] = value; // all 8 priority bits implemented
      return;
    }
    if (offset < GICD_ICFGR) {
      const irq = offset - GICD_ITARGETSR;
      if (irq >= this.numIrqs) return this.badWrite(offset, value);
      // SGI/PPI targets are read-only; a uniprocessor GIC ignores all of them.
      if (irq >= GIC_INTERNAL && this.numCpus > 1) this.target[irq] = value & ((1 << this.numCpus) - 1);
      return;
    }
    if (offset < GICD_ICFGR + 0x100) {
      const first = (offset - GICD_ICFGR) * 4;
      if (first >= this.numIrqs) return this.badWrite(offset, value);
      for (let i = 0; i < 4; i++) {
        const irq = first + i;
        if (irq < GIC_NR_SGIS) continue; // SGIs are always edge-triggered
        this.edge[this.slot(cpu, irq)] = value & (2 << (2 * i)) ? 1 : 0;
      }
      return;
    }
    if (offset >= GICD_CPENDSGIR && offset < GICD_CPENDSGIR + 0x10) {
      this.sgiSources[cpu * GIC_NR_SGIS + (offset & 0xf)] &= ~value;
      return;
    }
    if (offset >= GICD_SPENDSGIR && offset < GICD_SPENDSGIR + 0x10) {
      this.sgiSources[cpu * GIC_NR_SGIS + (offset & 0xf)] |= value & ((1 << this.numCpus) - 1);
      return;
    }
    this.badWrite(offset, value);
  }

  /** GICD_SGIR: send SGI `SGIINTID` to the CPUs chosen by `TargetListFilter` and `CPUTargetList`. */
  private writeSgir(value: number, cpu: number): void {
    const sgi = value & 0xf;
    const all = (1 << this.numCpus) - 1;
    let targets: number;
    switch ((value >>> 24) & 3) {
      case 0: targets = (value >>> 16) & all; break;       // the CPUs in CPUTargetList
      case 1: targets = all & ~(1 << cpu); break;          // all but the requester
      case 2: targets = 1 << cpu; break;                   // only the requester
      default:
        this.log.guestError('gic-v2: GICD_SGIR TargetListFilter 0b11 is reserved');
        return;
    }
    for (let t = 0; t < this.numCpus; t++) {
      if (targets & (1 << t)) this.sgiSources[t * GIC_NR_SGIS + sgi] |= 1 << cpu;
    }
    this.update();
  }

  // ---------------------------------------------------------------- CPU interface

  private cpuRead(offset: number, size: number, cpu: number): number {
    if (!this.validCpu(cpu, 'CPU interface read')) return 0;
    const v = this.cpuReadReg(offset & ~3, cpu);
    if (size >= 4) return v >>> 0;
    return (v >>> ((offset & 3) * 8)) & (size === 2 ? 0xffff : 0xff);
  }

  private cpuWrite(offset: number, value: number, size: number, cpu: number): void {
    if (!this.validCpu(cpu, 'CPU interface write')) return;
    const v = size >= 4 ? value >>> 0 : (value << ((offset & 3) * 8)) >>> 0;
    this.cpuWriteReg(offset & ~3, v, cpu);
  }

  private cpuReadReg(reg: number, cpu: number): number {
    switch (reg) {
      case GICC_CTLR: return this.cpuCtlr[cpu];
      case GICC_PMR: return this.pmr[cpu];
      case GICC_BPR: return this.bpr[cpu];
      case GICC_IAR: return this.acknowledge(cpu, false);
      case GICC_RPR: return Math.min(this.runningPriority[cpu], 0xff);
      case GICC_HPPIR: return this.highestPending(cpu, false);
      case GICC_ABPR: return this.abpr[cpu];
      case GICC_AIAR: return this.acknowledge(cpu, true);
      case GICC_AHPPIR: return this.highestPending(cpu, true);
      case GICC_IIDR: return GICC_IIDR_VALUE;
      case GICC_EOIR:
      case GICC_AEOIR:
      case GICC_DIR:
        this.log.guestError(`gic-v2: read of write-only CPU interface register 0x${reg.toString(16)}`);
        return 0;
    }
    if (reg >= GICC_APR0 && reg < GICC_APR0 + 4 * GIC_NR_APRS) return this.apr[cpu][(reg - GICC_APR0) >> 2];
    if (reg >= GICC_NSAPR0 && reg < GICC_NSAPR0 + 4 * GIC_NR_APRS) return this.nsapr[cpu][(reg - GICC_NSAPR0) >> 2];
    this.log.guestError(`gic-v2: read of unknown CPU interface register 0x${reg.toString(16)}`);
    return 0;
  }

  private cpuWriteReg(reg: number, value: number, cpu: number): void {
    switch (reg) {
      case GICC_CTLR:
        this.cpuCtlr[cpu] = value & GICC_CTLR_MASK;
        break;
      case GICC_PMR:
        this.pmr[cpu] = value & 0xff;
        break;
      case GICC_BPR:
        this.bpr[cpu] = Math.max(value & 7, GIC_MIN_BPR);
        break;
      case GICC_ABPR:
        this.abpr[cpu] = Math.max(value & 7, GIC_MIN_ABPR);
        break;
      case GICC_EOIR:
        this.endOfInterrupt(cpu, value & 0x3ff, false);
        break;
      case GICC_AEOIR:
        this.endOfInterrupt(cpu, value & 0x3ff, true);
        break;
      case GICC_DIR:
        this.deactivate(cpu, value & 0x3ff);
        break;
      case GICC_IAR:
      case GICC_RPR:
      case GICC_HPPIR:
      case GICC_AIAR:
      case GICC_AHPPIR:
      case GICC_IIDR:
        this.log.guestError(`gic-v2: write to read-only CPU interface register 0x${reg.toString(16)}`);
        return;
      default:
        if (reg >= GICC_APR0 && reg < GICC_APR0 + 4 * GIC_NR_APRS) {
          this.apr[cpu][(reg - GICC_APR0) >> 2] = value >>> 0;
          this.runningPriority[cpu] = this.priorityFromApr(cpu);
        } else if (reg >= GICC_NSAPR0 && reg < GICC_NSAPR0 + 4 * GIC_NR_APRS) {
          this.nsapr[cpu][(reg - GICC_NSAPR0) >> 2] = value >>> 0;
          this.runningPriority[cpu] = this.priorityFromApr(cpu);
        } else {
          this.log.guestError(`gic-v2: write of unknown CPU interface register 0x${reg.toString(16)} = 0x${value.toString(16)}`);
          return;
        }
    }
    this.update();
  }

  /**
   * The value GICC_HPPIR (alias = false) or GICC_AHPPIR (alias = true)
   * shows: IAR's view is Group 0, plus Group 1 when AckCtl is set (else
   * 1022); the alias's view is Group 1 only.
   */
  private visiblePending(cpu: number, alias: boolean): number {
    const irq = this.currentPending[cpu];
    if (irq === INTID_SPURIOUS) return irq;
    const grp = this.group[this.slot(cpu, irq)];
    if (alias) return grp === 1 ? irq : INTID_SPURIOUS;
    if (grp === 1 && !(this.cpuCtlr[cpu] & GICC_CTLR_ACKCTL)) return INTID_GROUP1_PENDING;
    return irq;
  }

  private highestPending(cpu: number, alias: boolean): number {
    const irq = this.visiblePending(cpu, alias);
    if (irq < GIC_NR_SGIS) return irq | (this.lowestSource(cpu, irq) << 10);
    return irq;
  }

  private lowestSource(cpu: number, sgi: number): number {
    const src = this.sgiSources[cpu * GIC_NR_SGIS + sgi];
    return src === 0 ? 0 : 31 - Math.clz32(src & -src);
  }

  /** GICC_IAR / GICC_AIAR read: activate the highest pending interrupt and return its ID (with the source CPU for SGIs). */
  private acknowledge(cpu: number, alias: boolean): number {
    const irq = this.visiblePending(cpu, alias);
    if (irq >= INTID_GROUP1_PENDING) return irq;
    const prio = this.groupPriority(cpu, irq);
    if (prio >= this.runningPriority[cpu]) return INTID_SPURIOUS;

    // Record the new active priority and raise the running priority to it.
    const s = this.slot(cpu, irq);
    const level = prio >> (GIC_MIN_BPR + 1);
    const aprs = this.group[s] ? this.nsapr[cpu] : this.apr[cpu];
    aprs[level >> 5] = (aprs[level >> 5] | (1 << (level & 31))) >>> 0;
    this.runningPriority[cpu] = prio;
    this.active[s] = 1;

    let ret = irq;
    if (irq < GIC_NR_SGIS) {
      const src = this.lowestSource(cpu, irq);
      this.sgiSources[cpu * GIC_NR_SGIS + irq] &= ~(1 << src);
      ret = irq | (src << 10);
    } else {
      this.pending[s] = 0; // a level-sensitive interrupt with its line high stays pending (and active)
    }
    this.update();
    return ret;
  }

  /** GICC_EOIR / GICC_AEOIR write: drop the running priority and, unless EOImode is set, deactivate. */
  private endOfInterrupt(cpu: number, irq: number, alias: boolean): void {
    if (irq >= this.numIrqs) return; // spurious IDs and nonexistent interrupts are ignored
    if (this.runningPriority[cpu] === IDLE_PRIORITY) return; // nothing active
    const grp = this.group[this.slot(cpu, irq)];
    if (alias && grp === 0) {
      this.log.guestError(`gic-v2: GICC_AEOIR for Group 0 interrupt ${irq} ignored`);
      return;
    }
    // Drop the highest active priority of the interrupt's group (its lowest set APR bit).
    const aprs = grp ? this.nsapr[cpu] : this.apr[cpu];
    for (let i = 0; i < GIC_NR_APRS; i++) {
      if (aprs[i] !== 0) {
        aprs[i] = (aprs[i] & (aprs[i] - 1)) >>> 0;
        break;
      }
    }
    this.runningPriority[cpu] = this.priorityFromApr(cpu);
    if (!(this.cpuCtlr[cpu] & GICC_CTLR_EOIMODE)) this.active[this.slot(cpu, irq)] = 0;
  }

  /** GICC_DIR write: deactivate (only meaningful with GICC_CTLR.EOImode set). */
  private deactivate(cpu: number, irq: number): void {
    if (irq >= this.numIrqs) return;
    if (!(this.cpuCtlr[cpu] & GICC_CTLR_EOIMODE)) {
      this.log.guestError('gic-v2: GICC_DIR written while GICC_CTLR.EOImode is clear; ignored');
      return;
    }
    this.active[this.slot(cpu, irq)] = 0;
  }

  /** Running priority implied by the active-priority registers. */
  private priorityFromApr(cpu: number): number {
    for (let i = 0; i < GIC_NR_APRS; i++) {
      const bits = this.apr[cpu][i] | this.nsapr[cpu][i];
      if (bits !== 0) return (i * 32 + (31 - Math.clz32(bits & -bits))) << (GIC_MIN_BPR + 1);
    }
    return IDLE_PRIORITY;
  }

  // ---------------------------------------------------------------- signalling

  /**
   * Recompute each CPU's highest-priority pending interrupt and drive its
   * IRQ/FIQ outputs: an interrupt is forwarded if it is enabled, pending, not
   * active, targets the CPU and its group is enabled in both the distributor
   * and the CPU interface; it is signalled if its priority is above the
   * priority mask and its group priority above the running priority.
   */
  private update(): void {
    const spiBase = this.numCpus * GIC_INTERNAL - GIC_INTERNAL;
    for (let cpu = 0; cpu < this.numCpus; cpu++) {
      this.currentPending[cpu] = INTID_SPURIOUS;
      const groups = this.ctlr & this.cpuCtlr[cpu] & (GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1);
      let irqLevel = false;
      let fiqLevel = false;
      if (groups !== 0) {
        const cm = 1 << cpu;
        let best = INTID_SPURIOUS;
        let bestPrio = 0x100;
        for (let irq = 0; irq < this.numIrqs; irq++) {
          const s = irq < GIC_INTERNAL ? cpu * GIC_INTERNAL + irq : spiBase + irq;
          if (!this.enabled[s] || this.active[s]) continue;
          if (!(groups & (1 << this.group[s]))) continue;
          if (irq >= GIC_INTERNAL && !(this.target[irq] & cm)) continue;
          if (this.priority[s] >= bestPrio) continue;
          if (!this.isPending(cpu, irq)) continue;
          best = irq;
          bestPrio = this.priority[s];
        }
        if (best !== INTID_SPURIOUS && bestPrio < this.pmr[cpu]) {
          this.currentPending[cpu] = best;
          if (this.groupPriority(cpu, best) < this.runningPriority[cpu]) {
            const grp = this.group[this.slot(cpu, best)];
            if (grp === 0 && this.cpuCtlr[cpu] & GICC_CTLR_FIQEN) fiqLevel = true;
            else irqLevel = true;
          }
        }
      }
      this.irqOut[cpu].set(irqLevel);
      this.fiqOut[cpu].set(fiqLevel);
    }
  }

  // ---------------------------------------------------------------- helpers

  private validCpu(cpu: number, what: string): boolean {
    if (cpu >= 0 && cpu < this.numCpus) return true;
    this.log.guestError(`gic-v2: ${what} from nonexistent CPU ${cpu}`);
    return false;
  }

  private badRead(offset: number): number {
    this.log.guestError(`gic-v2: read of unknown distributor offset 0x${offset.toString(16)}`);
    return 0;
  }

  private badWrite(offset: number, value: number): void {
    this.log.guestError(`gic-v2: write of unknown distributor offset 0x${offset.toString(16)} = 0x${value.toString(16)}`);
  }

  private distState(): Record<string, unknown> {
    return {
      ctlr: this.ctlr,
      enabled: [...this.enabled], pending: [...this.pending], active: [...this.active], level: [...this.level],
      group: [...this.group], priority: [...this.priority], edge: [...this.edge], target: [...this.target],
      sgiSources: [...this.sgiSources],
    };
  }

  private cpuState(): Record<string, unknown> {
    return {
      ctlr: [...this.cpuCtlr], pmr: [...this.pmr], bpr: [...this.bpr], abpr: [...this.abpr],
      apr: this.apr.map((a) => [...a]), nsapr: this.nsapr.map((a) => [...a]),
      runningPriority: [...this.runningPriority], currentPending: [...this.currentPending],
      irqOut: this.irqOut.map((l) => l.level), fiqOut: this.fiqOut.map((l) => l.level),
    };
  }

  /** Both halves' state, for snapshots and `info qtree`. */
  state(): Record<string, unknown> {
    return { distributor: this.distState(), cpuInterface: this.cpuState() };
  }
}
