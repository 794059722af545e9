/**
 * The PC's CMOS real-time clock and NVRAM (Motorola MC146818A), after its
 * data sheet and QEMU's hw/rtc/mc146818rtc.c: index port 0x70 (bit 7 masks
 * NMI), data port 0x71, ISA IRQ 8.
 *
 * Time comes from the virtual clock plus the start time (`-rtc base`; tests
 * pin it), in BCD or binary, 24- or 12-hour format per register B; SET
 * freezes the registers so the guest can write a new time, which takes
 * effect when SET is cleared. UIP reads as set in the last 244 µs of each
 * second (QEMU's rule). Interrupts: periodic (register A rate, PIE),
 * alarm (AIE, with the "don't care" values 0xC0-0xFF) and update-ended
 * (UIE), flagged in register C, which a read clears (lowering IRQ 8).
 * The NVRAM holds what QEMU's pc_cmos_init writes that software reads:
 * base and extended memory sizes, CPU count, century.
 */
import { IRQLine, type DeviceLog, type MMIODevice } from '../device.js';
import type { Timer, VirtualClock } from '../../softmmu/clock.js';

const SEC = 0, SEC_ALARM = 1, MIN = 2, MIN_ALARM = 3, HOUR = 4, HOUR_ALARM = 5, DOW = 6, DAY = 7, MONTH = 8, YEAR = 9;
export const REG_A = 10, REG_B = 11, REG_C = 12, REG_D = 13;
const CENTURY = 0x32;
export const B_SET = 0x80, B_PIE = 0x40, B_AIE = 0x20, B_UIE = 0x10, B_DM = 0x04, B_24H = 0x02;
export const C_IRQF = 0x80, C_PF = 0x40, C_AF = 0x20, C_UF = 0x10;
const A_UIP = 0x80;
const UIP_HOLD_NS = 244_000;

const bcd = (v: number) => ((Math.floor(v / 10) << 4) | (v % 10));
const unbcd = (v: number) => (v >> 4) * 10 + (v & 15);

export interface CmosLayout { ramSize: number; cpus: number }

export class MC146818 implements MMIODevice {
  readonly type = 'mc146818';
  readonly irq = new IRQLine();
  readonly cmos = new Uint8Array(128);
  index = 0;
  nmiMasked = false;
  /** Epoch seconds at virtual time 0. */
  private base: number;
  private lastSecond = 0;
  private readonly periodic: Timer;
  private readonly second: Timer;

  constructor(private readonly clock: VirtualClock, baseEpoch: number, private readonly layout: CmosLayout, private readonly log: DeviceLog) {
    this.base = baseEpoch;
    this.periodic = clock.newTimer(() => this.periodicTick());
    this.second = clock.newTimer(() => this.secondTick());
    this.reset();
  }

  reset(): void {
    // The time registers and NVRAM keep their contents across a reset (battery backed); control registers do not.
    const c = this.cmos;
    c[REG_A] = 0x26;        // 32.768 kHz time base, 1024 Hz periodic rate
    c[REG_B] = B_24H;       // BCD, 24-hour
    c[REG_C] = 0;
    c[REG_D] = 0x80;        // valid RAM and time
    this.writeNvram();
    this.irq.lower();
    this.lastSecond = this.nowSeconds();
    this.rearm();
  }

  private writeNvram(): void {
    const c = this.cmos, ram = this.layout.ramSize;
    c[0x15] = 640 & 0xff; c[0x16] = 640 >> 8;                           // base memory, KiB
    const ext = Math.min(Math.max(0, ram / 1024 - 1024), 0xffff);       // extended memory above 1 MiB, KiB
    c[0x17] = c[0x30] = ext & 0xff; c[0x18] = c[0x31] = ext >> 8;
    const above16 = Math.min(Math.max(0, (Math.min(ram, 0xe0000000) - (16 << 20)) / 65536), 0xffff);
    c[0x34] = above16 & 0xff; c[0x35] = above16 >> 8;                   // memory above 16 MiB, 64 KiB units
    c[0x5b] = c[0x5c] = c[0x5d] = 0;                                   // above 4 GiB
    c[0x5f] = this.layout.cpus - 1;
    c[0x14] = 0x06;                                                     // equipment: FPU, PS/2 mouse
    c[CENTURY] = bcd(Math.floor(new Date(this.nowSeconds() * 1000).getUTCFullYear() / 100));
  }

  private nowSeconds(): number { return this.base + Math.floor(this.clock.now() / 1e9); }

  private get binary(): boolean { return (this.cmos[REG_B] & B_DM) !== 0; }
  private enc(v: number): number { return this.binary ? v : bcd(v); }
  private dec(v: number): number { return this.binary ? v : unbcd(v); }

  /** The time registers as they read now (unless SET froze them). */
  private refreshTime(): void {
    if (this.cmos[REG_B] & B_SET) return;
    const d = new Date(this.nowSeconds() * 1000);
    const c = this.cmos;
    c[SEC] = this.enc(d.getUTCSeconds());
    c[MIN] = this.enc(d.getUTCMinutes());
    const h = d.getUTCHours();
    if (c[REG_B] & B_24H) c[HOUR] = this.enc(h);
    else c[HOUR] = this.enc(h % 12 === 0 ? 12 : h % 12) | (h >= 12 ? 0x80 : 0);
    c[DOW] = this.enc(d.getUTCDay() + 1);
    c[DAY] = this.enc(d.getUTCDate());
    c[MONTH] = this.enc(d.getUTCMonth() + 1);
    c[YEAR] = this.enc(d.getUTCFullYear() % 100);
    c[CENTURY] = bcd(Math.floor(d.getUTCFullYear() / 100));
  }

  /** SET cleared: the registers the guest wrote become the clock. */
  private takeTime(): void {
    const c = this.cmos;
    let h = this.dec(c[HOUR] & 0x7f);
    if (!(c[REG_B] & B_24H)) { h %= 12; if (c[HOUR] & 0x80) h += 12; }
    const year = unbcd(c[CENTURY]) * 100 + this.dec(c[YEAR]);
    const t = Date.UTC(year, this.dec(c[MONTH]) - 1, this.dec(c[DAY]), h, this.dec(c[MIN]), this.dec(c[SEC])) / 1000;
    if (Number.isFinite(t)) this.base = t - Math.floor(this.clock.now() / 1e9);
    else this.log.guestError('mc146818: invalid date written');
    this.lastSecond = this.nowSeconds();
  }

  read(offset: number, _size = 1, _cpu = 0): number {
    if ((offset & 1) === 0) return 0xff;   // the index port is write-only
    const i = this.index;
    switch (i) {
      case SEC: case MIN: case HOUR: case DOW: case DAY: case MONTH: case YEAR: case CENTURY:
        this.refreshTime();
        return this.cmos[i];
      case REG_A: {
        const ns = this.clock.now() % 1e9;
        const uip = !(this.cmos[REG_B] & B_SET) && ns >= 1e9 - UIP_HOLD_NS;
        return (this.cmos[REG_A] & 0x7f) | (uip ? A_UIP : 0);
      }
      case REG_C: {
        this.catchUp();
        const v = this.cmos[REG_C];
        this.cmos[REG_C] = 0;
        this.irq.lower();
        return v;
      }
      default: return this.cmos[i];
    }
  }

  write(offset: number, value: number, _size = 1, _cpu = 0): void {
    const v = value & 0xff;
    if ((offset & 1) === 0) { this.index = v & 0x7f; this.nmiMasked = (v & 0x80) !== 0; return; }
    const i = this.index;
    switch (i) {
      case REG_A:
        this.cmos[REG_A] = (this.cmos[REG_A] & A_UIP) | (v & 0x7f);
        this.rearm();
        return;
      case REG_B: {
        const was = this.cmos[REG_B];
        if (v & B_SET && !(was & B_SET)) this.refreshTime();   // freeze the current time for the guest to edit
        // Setting SET clears UIE (data sheet).
        this.cmos[REG_B] = v & B_SET ? v & ~B_UIE : v;
        if (was & B_SET && !(v & B_SET)) this.takeTime();
        this.updateIrq();
        this.rearm();
        return;
      }
      case REG_C: case REG_D:
        return;   // read-only
      case SEC: case MIN: case HOUR: case DOW: case DAY: case MONTH: case YEAR: case CENTURY:
        this.cmos[i] = v;
        if (!(this.cmos[REG_B] & B_SET)) this.takeTime();   // a write without SET sets the clock at once (as QEMU)
        return;
      default:
        this.cmos[i] = v;
    }
  }

  private updateIrq(): void {
    const c = this.cmos[REG_C] & (C_PF | C_AF | C_UF);
    const en = this.cmos[REG_B] & (B_PIE | B_AIE | B_UIE);
    if (c & en) { this.cmos[REG_C] |= C_IRQF; this.irq.raise(); }
  }

  private alarmMatches(): boolean {
    const c = this.cmos;
    this.refreshTime();
    const m = (alarm: number, now: number) => (alarm & 0xc0) === 0xc0 || alarm === now;
    return m(c[SEC_ALARM], c[SEC]) && m(c[MIN_ALARM], c[MIN]) && m(c[HOUR_ALARM], c[HOUR]);
  }

  /** Seconds that passed since the last look: update-ended (and alarm) flags. */
  private catchUp(): void {
    if (this.cmos[REG_B] & B_SET) return;
    const s = this.nowSeconds();
    if (s === this.lastSecond) return;
    this.lastSecond = s;
    this.cmos[REG_C] |= C_UF;
    if (this.alarmMatches()) this.cmos[REG_C] |= C_AF;
    this.updateIrq();
  }

  private periodNs(): number {
    let rs = this.cmos[REG_A] & 15;
    if (rs === 0) return 0;
    if (rs <= 2) rs += 7;
    return ((1 << (rs - 1)) * 1e9) / 32768;
  }

  private rearm(): void {
    const p = this.periodNs();
    if (p && this.cmos[REG_B] & B_PIE) {
      const now = this.clock.now();
      this.periodic.mod((Math.floor(now / p) + 1) * p);
    } else {
      this.periodic.del();
    }
    if (this.cmos[REG_B] & (B_UIE | B_AIE) && !(this.cmos[REG_B] & B_SET)) {
      this.second.mod((Math.floor(this.clock.now() / 1e9) + 1) * 1e9);
    } else {
      this.second.del();
    }
  }

  private periodicTick(): void {
    this.cmos[REG_C] |= C_PF;
    this.updateIrq();
    this.rearm();
  }

  private secondTick(): void {
    this.catchUp();
    this.rearm();
  }

  state(): Record<string, unknown> {
    return { index: this.index, regA: this.cmos[REG_A], regB: this.cmos[REG_B], regC: this.cmos[REG_C], seconds: this.nowSeconds(), irq: this.irq.level };
  }
}
