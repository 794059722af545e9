/**
 * The PC's Intel 8254 programmable interval timer (1.193182 MHz), after the
 * 8254 data sheet and QEMU's hw/timer/i8254.c: three channels at I/O ports
 * 0x40-0x42 with the mode/command register at 0x43 (modes 0-5, LSB / MSB /
 * word access, counter latch, read-back command), channel 0's output on
 * ISA IRQ 0, and port 0x61 (the PC speaker / "NMI status and control" port):
 * bit 0 gates channel 2, bit 1 enables the speaker data, bit 4 is the DRAM
 * refresh toggle (every 15.085 µs), bit 5 is channel 2's output, which
 * Linux uses to calibrate its clocks.
 *
 * Counts follow the virtual clock (QEMU_CLOCK_VIRTUAL), so with -icount the
 * timer is deterministic. BCD counting is accepted but counts in binary
 * (QEMU does the same).
 */
import type { MMIODevice, DeviceLog } from '../device.js';
import { IRQLine } from '../device.js';
import type { Timer, VirtualClock } from '../../softmmu/clock.js';

export const PIT_FREQ = 1193182;
const NS = 1_000_000_000n;
const RW_LSB = 1, RW_MSB = 2, RW_WORD0 = 3, RW_WORD1 = 4;

/** Virtual ns → PIT ticks since `from`, exactly (QEMU's muldiv64). */
function ticksSince(now: number, from: number): number {
  return Number((BigInt(Math.round(now - from)) * BigInt(PIT_FREQ)) / NS);
}
function ticksToNs(ticks: number): number { return Number((BigInt(ticks) * NS) / BigInt(PIT_FREQ)); }

class Channel {
  count = 0x10000;
  latchedCount = 0;
  countLatched = 0;
  statusLatched = false;
  status = 0;
  readState = RW_LSB;
  writeState = RW_LSB;
  writeLatch = 0;
  rwMode = RW_LSB;
  mode = 3;
  bcd = 0;
  gate = true;
  countLoadTime = 0;
  nextTransitionTime = -1;
  readonly out?: IRQLine;
  private readonly timer?: Timer;

  constructor(private readonly clock: VirtualClock, withIrq: boolean) {
    if (withIrq) {
      this.out = new IRQLine();
      this.timer = clock.newTimer(() => this.irqTimerUpdate(this.nextTransitionTime));
    }
  }

  reset(): void {
    this.mode = 3;
    this.count = 0x10000;
    this.countLoadTime = this.clock.now();
    this.countLatched = 0;
    this.statusLatched = false;
    this.rwMode = this.readState = this.writeState = RW_LSB;
    this.irqTimerUpdate(this.countLoadTime);
  }

  getCount(): number {
    const d = ticksSince(this.clock.now(), this.countLoadTime);
    switch (this.mode) {
      case 0: case 1: case 4: case 5: return (this.count - d) & 0xffff;
      case 3: return this.count - ((2 * d) % this.count);   // (QEMU: may be off for odd counts)
      default: return this.count - (d % this.count);
    }
  }

  getOut(now: number): boolean {
    const d = ticksSince(now, this.countLoadTime);
    switch (this.mode) {
      case 0: return d >= this.count;
      case 1: return d < this.count;
      case 2: return d % this.count === 0 && d !== 0;
      case 3: return d % this.count < ((this.count + 1) >> 1);
      default: return d === this.count;   // 4, 5: one tick at terminal count
    }
  }

  /** The virtual time of the next output change after `now`, or -1. */
  nextTransition(now: number): number {
    const d = ticksSince(now, this.countLoadTime);
    let next: number;
    switch (this.mode) {
      case 0: case 1:
        if (d < this.count) next = this.count; else return -1;
        break;
      case 2: {
        const base = Math.floor(d / this.count) * this.count;
        next = d - base === 0 && d !== 0 ? base + this.count : base + this.count + 1;
        break;
      }
      case 3: {
        const base = Math.floor(d / this.count) * this.count;
        const half = (this.count + 1) >> 1;
        next = d - base < half ? base + half : base + this.count;
        break;
      }
      default:
        if (d < this.count) next = this.count;
        else if (d === this.count) next = this.count + 1;
        else return -1;
    }
    let t = this.countLoadTime + ticksToNs(next);
    if (t <= now) t = now + 1;
    return t;
  }

  irqTimerUpdate(now: number): void {
    if (!this.timer || !this.out) return;
    const expire = this.nextTransition(now);
    this.out.set(this.getOut(now));
    this.nextTransitionTime = expire;
    if (expire !== -1) this.timer.mod(expire); else this.timer.del();
  }

  loadCount(v: number): void {
    if (v === 0) v = 0x10000;
    this.countLoadTime = this.clock.now();
    this.count = v;
    this.irqTimerUpdate(this.countLoadTime);
  }

  latchCount(): void {
    if (this.countLatched) return;
    this.latchedCount = this.getCount();
    this.countLatched = this.rwMode;
  }

  setGate(level: boolean): void {
    if (!this.gate && level && this.mode !== 0 && this.mode !== 4) {
      // modes 1, 2, 3, 5: a rising edge on the gate restarts counting
      this.countLoadTime = this.clock.now();
      this.irqTimerUpdate(this.countLoadTime);
    }
    this.gate = level;
  }

  write(v: number): void {
    switch (this.writeState) {
      case RW_MSB: this.loadCount(v << 8); break;
      case RW_WORD0: this.writeLatch = v; this.writeState = RW_WORD1; break;
      case RW_WORD1: this.loadCount(this.writeLatch | (v << 8)); this.writeState = RW_WORD0; break;
      default: this.loadCount(v); break;
    }
  }

  read(): number {
    if (this.statusLatched) { this.statusLatched = false; return this.status; }
    if (this.countLatched) {
      switch (this.countLatched) {
        case RW_MSB: this.countLatched = 0; return (this.latchedCount >> 8) & 0xff;
        case RW_WORD0: this.countLatched = RW_MSB; return this.latchedCount & 0xff;
        default: this.countLatched = 0; return this.latchedCount & 0xff;
      }
    }
    const c = this.getCount();
    switch (this.readState) {
      case RW_MSB: return (c >> 8) & 0xff;
      case RW_WORD0: this.readState = RW_WORD1; return c & 0xff;
      case RW_WORD1: this.readState = RW_WORD0; return (c >> 8) & 0xff;
      default: return c & 0xff;
    }
  }

  state(): Record<string, unknown> {
    return { count: this.count, mode: this.mode, rwMode: this.rwMode, gate: this.gate, out: this.getOut(this.clock.now()), countLoadTime: this.countLoadTime };
  }
}

export class I8254 {
  readonly channels: Channel[];
  /** Channel 0's output: ISA IRQ 0. */
  readonly irq: IRQLine;
  /** Ports 0x40-0x43. */
  readonly ports: MMIODevice;
  /** Port 0x61. */
  readonly port61: MMIODevice;
  speakerData = false;

  constructor(private readonly clock: VirtualClock, private readonly log: DeviceLog) {
    this.channels = [new Channel(clock, true), new Channel(clock, false), new Channel(clock, false)];
    this.irq = this.channels[0].out!;
    this.ports = {
      type: 'i8254',
      read: (o) => this.read(o),
      write: (o, v) => this.write(o, v & 0xff),
      reset: () => this.reset(),
      state: () => ({ channels: this.channels.map((c) => c.state()) }),
    };
    this.port61 = {
      type: 'i8254-port61',
      read: () => {
        const refresh = Math.floor(this.clock.now() / 15085) & 1;
        const ch2 = this.channels[2];
        return (refresh << 4) | (ch2.getOut(this.clock.now()) ? 0x20 : 0) | (this.speakerData ? 2 : 0) | (ch2.gate ? 1 : 0);
      },
      write: (_o, v) => { this.channels[2].setGate((v & 1) !== 0); this.speakerData = (v & 2) !== 0; },
      reset: () => {},
    };
    this.reset();
  }

  reset(): void {
    this.channels.forEach((c, i) => { c.gate = i !== 2; c.reset(); });
    this.speakerData = false;
  }

  private write(o: number, v: number): void {
    o &= 3;
    if (o !== 3) { this.channels[o].write(v); return; }
    const ch = v >> 6;
    if (ch === 3) {   // read-back command
      for (let i = 0; i < 3; i++) {
        if (!(v & (2 << i))) continue;
        const c = this.channels[i];
        if (!(v & 0x20)) c.latchCount();
        if (!(v & 0x10) && !c.statusLatched) {
          c.status = (c.getOut(this.clock.now()) ? 0x80 : 0) | (c.rwMode << 4) | (c.mode << 1) | c.bcd;
          c.statusLatched = true;
        }
      }
      return;
    }
    const c = this.channels[ch];
    const access = (v >> 4) & 3;
    if (access === 0) { c.latchCount(); return; }
    c.rwMode = c.readState = c.writeState = access;
    c.mode = (v >> 1) & 7;
    if (c.mode > 5) c.mode -= 4;   // 6 and 7 are aliases of 2 and 3
    c.bcd = v & 1;
    if (c.bcd) this.log.unimp('i8254: BCD counting (counts in binary)');
  }

  private read(o: number): number {
    o &= 3;
    if (o === 3) return 0;   // the command register is write-only
    return this.channels[o].read();
  }
}
