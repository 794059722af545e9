/**
 * The ARMv7 Generic Timer seen through CP15 c14: the counter (CNTPCT,
 * CNTVCT), CNTFRQ, and the physical and virtual timers (CTL, CVAL, TVAL),
 * running on the machine's virtual clock at 62.5 MHz like QEMU's. Each timer
 * drives an output line the board wires to a GIC PPI.
 */
import { IRQLine } from '../../hw/device.js';
import type { VirtualClock, Timer } from '../../softmmu/clock.js';
import type { ArmCPU } from './cpu.js';

export const GTIMER_SCALE_NS = 16;       // 62.5 MHz
export const CNTFRQ = 1e9 / GTIMER_SCALE_NS;

const CTL_ENABLE = 1, CTL_IMASK = 2, CTL_ISTATUS = 4;

class OneTimer {
  ctl = 0;
  cval = 0;              // 64-bit compare value as a Number (exact up to 2^53)
  readonly out = new IRQLine();
  readonly timer: Timer;
  constructor(private gt: GenericTimer, clock: VirtualClock) {
    this.timer = clock.newTimer(() => this.update());
  }
  reset(): void { this.ctl = 0; this.cval = 0; this.timer.del(); this.out.set(false); }
  update(): void {
    const now = this.gt.counter(this);
    const fired = (this.ctl & CTL_ENABLE) !== 0 && now >= this.cval;
    this.ctl = fired ? this.ctl | CTL_ISTATUS : this.ctl & ~CTL_ISTATUS;
    this.out.set(fired && (this.ctl & CTL_IMASK) === 0);
    if ((this.ctl & CTL_ENABLE) && !fired && this.cval < 2 ** 62) {
      this.timer.mod((this.cval - this.gt.offset(this)) * GTIMER_SCALE_NS);
    } else {
      this.timer.del();
    }
  }
}

export class GenericTimer {
  readonly phys: OneTimer;
  readonly virt: OneTimer;
  cntvoff = 0;
  cntkctl = 0;

  constructor(private cpu: ArmCPU, private clock: VirtualClock) {
    this.phys = new OneTimer(this, clock);
    this.virt = new OneTimer(this, clock);
  }

  reset(): void { this.phys.reset(); this.virt.reset(); this.cntvoff = 0; this.cntkctl = 0; }

  /** Physical count. */
  count(): number { return Math.floor(this.clock.now() / GTIMER_SCALE_NS); }
  offset(t: OneTimer): number { return t === this.virt ? this.cntvoff : 0; }
  counter(t: OneTimer): number { return this.count() - this.offset(t); }

  private tval(t: OneTimer): number { return (t.cval - this.counter(t)) | 0; }

  /** Register the 32-bit c14 registers into CP15's table. */
  registerCp15(r: (crn: number, opc1: number, crm: number, opc2: number, name: string, read?: () => number, write?: (v: number) => void) => void): void {
    r(14, 0, 0, 0, 'CNTFRQ', () => CNTFRQ, () => {});
    r(14, 0, 1, 0, 'CNTKCTL', () => this.cntkctl, (v) => { this.cntkctl = v & 0x3ff; });
    for (const [crm, t, n] of [[2, this.phys, 'CNTP'], [3, this.virt, 'CNTV']] as const) {
      r(14, 0, crm, 0, `${n}_TVAL`, () => this.tval(t), (v) => { t.cval = this.counter(t) + (v | 0); t.update(); });
      r(14, 0, crm, 1, `${n}_CTL`, () => { t.update(); return t.ctl; }, (v) => { t.ctl = (t.ctl & CTL_ISTATUS) | (v & 3); t.update(); });
    }
  }

  /** MRRC p15, opc1, Rt, Rt2, c14: [lo, hi] or undefined. */
  read64(opc1: number): number | undefined {
    switch (opc1) {
      case 0: return this.count();
      case 1: return this.count() - this.cntvoff;
      case 2: return this.phys.cval;
      case 3: return this.virt.cval;
    }
    return undefined;
  }

  write64(opc1: number, v: number): boolean {
    switch (opc1) {
      case 2: this.phys.cval = v; this.phys.update(); return true;
      case 3: this.virt.cval = v; this.virt.update(); return true;
    }
    return false;
  }
}
