/**
 * The PC's two cascaded Intel 8259A programmable interrupt controllers,
 * after the 8259A data sheet and QEMU's hw/intc/i8259.c: master at I/O
 * ports 0x20-0x21 (IRQ 0-7), slave at 0xA0-0xA1 (IRQ 8-15) on the master's
 * IRQ 2, and the PIIX edge/level control registers (ELCR) at 0x4D0-0x4D1.
 *
 * Modelled: ICW1-ICW4 initialisation (single/cascade, ICW4, auto-EOI,
 * special fully nested mode), OCW1 mask, OCW2 non-specific / specific EOI
 * and the rotations, OCW3 IRR/ISR read select, poll and special mask mode;
 * edge triggering with QEMU's edge detection and level triggering per ELCR;
 * spurious IRQ 7 / 15 when nothing is pending at acknowledge time.
 * Not modelled (nor in QEMU): buffered mode, 8080/8085 mode.
 */
import { IRQLine, type DeviceLog, type MMIODevice } from '../device.js';

class Pic {
  lastIrr = 0;
  irr = 0;
  imr = 0;
  isr = 0;
  priorityAdd = 0;
  irqBase = 0;
  readRegSelect = 0;
  poll = false;
  specialMask = false;
  initState = 0;
  autoEoi = false;
  rotateOnAutoEoi = false;
  specialFullyNested = false;
  init4 = false;
  singleMode = false;
  elcr = 0;
  readonly out = new IRQLine();

  constructor(readonly master: boolean, readonly elcrMask: number, private readonly log: DeviceLog) {}

  initReset(): void {
    this.lastIrr = 0;
    this.irr &= this.elcr;
    this.imr = 0;
    this.isr = 0;
    this.priorityAdd = 0;
    this.irqBase = 0;
    this.readRegSelect = 0;
    this.poll = false;
    this.specialMask = false;
    this.initState = 0;
    this.autoEoi = false;
    this.rotateOnAutoEoi = false;
    this.specialFullyNested = false;
    this.init4 = false;
    this.singleMode = false;
    this.update();
  }

  reset(): void {
    this.elcr = 0;
    this.irr = 0;
    this.initReset();
  }

  /** Priority (0 highest) of the highest-priority bit in mask, 8 for none. */
  priority(mask: number): number {
    if ((mask & 0xff) === 0) return 8;
    let p = 0;
    while ((mask & (1 << ((p + this.priorityAdd) & 7))) === 0) p++;
    return p;
  }

  /** The IRQ (0-7) the chip would present now, or -1. */
  pending(): number {
    const p = this.priority(this.irr & ~this.imr);
    if (p === 8) return -1;
    let mask = this.isr;
    if (this.specialMask) mask &= ~this.imr;
    if (this.specialFullyNested && this.master) mask &= ~(1 << 2);
    const cur = this.priority(mask);
    return p < cur ? (p + this.priorityAdd) & 7 : -1;
  }

  update(): void { this.out.set(this.pending() >= 0); }

  setIRQ(irq: number, level: boolean): void {
    const mask = 1 << irq;
    if (this.elcr & mask) {
      if (level) { this.irr |= mask; this.lastIrr |= mask; } else { this.irr &= ~mask; this.lastIrr &= ~mask; }
    } else if (level) {
      if ((this.lastIrr & mask) === 0) this.irr |= mask;
      this.lastIrr |= mask;
    } else {
      this.lastIrr &= ~mask;
    }
    this.update();
  }

  intack(irq: number): void {
    if (this.autoEoi) {
      if (this.rotateOnAutoEoi) this.priorityAdd = (irq + 1) & 7;
    } else {
      this.isr |= 1 << irq;
    }
    if (!(this.elcr & (1 << irq))) this.irr &= ~(1 << irq);   // edge-triggered: the request is consumed
    this.update();
  }

  write(port: number, v: number): void {
    if ((port & 1) === 0) {
      if (v & 0x10) {   // ICW1
        this.initReset();
        this.initState = 1;
        this.init4 = (v & 1) !== 0;
        this.singleMode = (v & 2) !== 0;
        if (v & 0x08) this.log.unimp('i8259: level-triggered mode through ICW1 (use the ELCR)');
      } else if (v & 0x08) {   // OCW3
        if (v & 0x04) this.poll = true;
        if (v & 0x02) this.readRegSelect = v & 1;
        if (v & 0x40) this.specialMask = ((v >> 5) & 1) !== 0;
      } else {   // OCW2
        const cmd = v >> 5;
        switch (cmd) {
          case 0: case 4: this.rotateOnAutoEoi = cmd === 4; break;
          case 1: case 5: {   // non-specific EOI (and rotate)
            const p = this.priority(this.isr);
            if (p !== 8) {
              const irq = (p + this.priorityAdd) & 7;
              this.isr &= ~(1 << irq);
              if (cmd === 5) this.priorityAdd = (irq + 1) & 7;
              this.update();
            }
            break;
          }
          case 3: this.isr &= ~(1 << (v & 7)); this.update(); break;                               // specific EOI
          case 6: this.priorityAdd = (v + 1) & 7; this.update(); break;                           // set priority
          case 7: this.isr &= ~(1 << (v & 7)); this.priorityAdd = ((v & 7) + 1) & 7; this.update(); break; // rotate on specific EOI
          default: break;   // 2: no operation
        }
      }
      return;
    }
    switch (this.initState) {
      case 0: this.imr = v; this.update(); break;   // OCW1
      case 1: this.irqBase = v & 0xf8; this.initState = this.singleMode ? (this.init4 ? 3 : 0) : 2; break;
      case 2: this.initState = this.init4 ? 3 : 0; break;   // ICW3: the cascade wiring is fixed on a PC
      case 3:
        this.specialFullyNested = ((v >> 4) & 1) !== 0;
        this.autoEoi = ((v >> 1) & 1) !== 0;
        this.initState = 0;
        if (!(v & 1)) this.log.unimp('i8259: 8080/8085 mode');
        break;
    }
  }

  read(port: number): number {
    if (this.poll) {
      this.poll = false;
      const irq = this.pending();
      if (irq < 0) return 0;
      this.intack(irq);
      return irq | 0x80;
    }
    if ((port & 1) === 0) return this.readRegSelect ? this.isr : this.irr;
    return this.imr;
  }

  state(): Record<string, unknown> {
    return {
      irr: this.irr, imr: this.imr, isr: this.isr, irqBase: this.irqBase, priorityAdd: this.priorityAdd, elcr: this.elcr,
      autoEoi: this.autoEoi, specialMask: this.specialMask, specialFullyNested: this.specialFullyNested, initState: this.initState,
    };
  }
}

/** Both chips; `output` is the master's INT pin (to the CPU), `ack()` is the CPU's interrupt acknowledge cycle. */
export class I8259 {
  readonly master: Pic;
  readonly slave: Pic;
  readonly output: IRQLine;
  /** Port windows for the I/O space: master 0x20 (2 ports), slave 0xA0 (2 ports), ELCR 0x4D0 (2 ports). */
  readonly masterPorts: MMIODevice;
  readonly slavePorts: MMIODevice;
  readonly elcrPorts: MMIODevice;

  constructor(log: DeviceLog) {
    this.master = new Pic(true, 0xf8, log);
    this.slave = new Pic(false, 0xde, log);
    this.output = this.master.out;
    this.slave.out.connect((l) => this.master.setIRQ(2, l));
    const chip = (p: Pic, type: string): MMIODevice => ({
      type, read: (o) => p.read(o), write: (o, v) => p.write(o, v & 0xff), reset: () => p.reset(), state: () => p.state(),
    });
    this.masterPorts = chip(this.master, 'i8259');
    this.slavePorts = chip(this.slave, 'i8259');
    this.elcrPorts = {
      type: 'i8259-elcr',
      read: (o) => (o & 1 ? this.slave : this.master).elcr,
      write: (o, v) => { const p = o & 1 ? this.slave : this.master; p.elcr = v & p.elcrMask; p.update(); },
      reset: () => {},
    };
    this.reset();
  }

  reset(): void {
    this.slave.reset();
    this.master.reset();
  }

  /** An ISA interrupt line 0-15 changed level. */
  setIRQ(irq: number, level: boolean): void {
    if (irq < 8) this.master.setIRQ(irq, level); else this.slave.setIRQ(irq - 8, level);
  }

  /** INTA: the vector of the highest-priority pending request (IRQ 7 / 15 spurious when none). */
  ack(): number {
    const irq = this.master.pending();
    if (irq < 0) return this.master.irqBase + 7;
    let vec: number;
    if (irq === 2) {
      let irq2 = this.slave.pending();
      if (irq2 >= 0) this.slave.intack(irq2); else irq2 = 7;
      vec = this.slave.irqBase + irq2;
    } else {
      vec = this.master.irqBase + irq;
    }
    this.master.intack(irq);
    return vec;
  }

  state(): Record<string, unknown> {
    return { master: this.master.state(), slave: this.slave.state(), output: this.output.level };
  }
}
