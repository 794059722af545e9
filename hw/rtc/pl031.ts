/**
 * ARM PrimeCell Real Time Clock (PL031), after the Technical Reference
 * Manual (ARM DDI 0224) and QEMU's model of it.
 *
 * The counter is a 32-bit count of seconds: `startEpochSeconds` (the host's
 * UTC time when the machine was created, passed in so tests are
 * deterministic) plus whole seconds of virtual time since then. Writing
 * RTCLR moves the counter; the match interrupt fires when the counter
 * reaches RTCMR, scheduled as a timer on the virtual clock. The RTC is
 * always running, so RTCCR reads as 1 (as in QEMU).
 */
import { IRQLine, type DeviceLog, type MMIODevice } from '../device.js';
import type { Timer, VirtualClock } from '../../softmmu/clock.js';

// Register offsets (TRM table 3-1)
export const RTCDR = 0x000;   // data register: current count (RO)
export const RTCMR = 0x004;   // match register
export const RTCLR = 0x008;   // load register
export const RTCCR = 0x00c;   // control register (bit 0: RTC start)
export const RTCIMSC = 0x010; // interrupt mask set/clear
export const RTCRIS = 0x014;  // raw interrupt status (RO)
export const RTCMIS = 0x018;  // masked interrupt status (RO)
export const RTCICR = 0x01c;  // interrupt clear (WO)
export const RTCPeriphID0 = 0xfe0; // PeriphID0..3 then PCellID0..3 up to 0xffc
export const RTCPCellID3 = 0xffc;

/** PeriphID0..3, PCellID0..3 as the PL031 (and QEMU) report them. */
const PL031_ID = [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

const NS_PER_SECOND = 1_000_000_000;

export class PL031 implements MMIODevice {
  readonly type = 'pl031';
  /** RTCINTR: (RTCRIS & RTCIMSC) != 0. */
  readonly irq = new IRQLine();

  /** Counter value minus whole virtual seconds elapsed (mod 2^32). */
  tickOffset: number;
  mr = 0;   // RTCMR
  lr = 0;   // RTCLR, the last value loaded
  im = 0;   // RTCIMSC
  is = 0;   // RTCRIS
  private readonly timer: Timer;

  constructor(private readonly clock: VirtualClock, startEpochSeconds: number, private readonly log: DeviceLog) {
    this.tickOffset = (Math.floor(startEpochSeconds) - this.elapsedSeconds()) >>> 0;
    this.timer = clock.newTimer(() => this.matchInterrupt());
  }

  /** The RTC keeps its time across a system reset; only the interrupt logic is cleared. */
  reset(): void {
    this.timer.del();
    this.mr = 0;
    this.lr = 0;
    this.im = 0;
    this.is = 0;
    this.update();
  }

  private elapsedSeconds(): number {
    return Math.floor(this.clock.now() / NS_PER_SECOND);
  }

  /** The current RTCDR value. */
  get count(): number {
    return (this.tickOffset + this.elapsedSeconds()) >>> 0;
  }

  read(offset: number, size: number, _cpu: number): number {
    const v = this.readReg(offset & ~3);
    if (size >= 4) return v >>> 0;
    return (v >>> ((offset & 3) * 8)) & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, value: number, size: number, _cpu: number): void {
    const v = size >= 4 ? value >>> 0 : (value << ((offset & 3) * 8)) >>> 0;
    this.writeReg(offset & ~3, v);
  }

  private readReg(reg: number): number {
    switch (reg) {
      case RTCDR: return this.count;
      case RTCMR: return this.mr;
      case RTCLR: return this.lr;
      case RTCCR: return 1; // always started
      case RTCIMSC: return this.im;
      case RTCRIS: return this.is;
      case RTCMIS: return this.is & this.im;
      case RTCICR:
        this.log.guestError('pl031: read of write-only register RTCICR');
        return 0;
    }
    if (reg >= RTCPeriphID0 && reg <= RTCPCellID3) return PL031_ID[(reg - RTCPeriphID0) >> 2];
    this.log.guestError(`pl031: read of unknown register 0x${reg.toString(16)}`);
    return 0;
  }

  private writeReg(reg: number, value: number): void {
    switch (reg) {
      case RTCLR:
        this.lr = value;
        this.tickOffset = (this.tickOffset + value - this.count) >>> 0;
        this.armMatch();
        return;
      case RTCMR:
        this.mr = value;
        this.armMatch();
        return;
      case RTCIMSC:
        this.im = value & 1;
        this.update();
        return;
      case RTCICR:
        this.is &= ~value & 1;
        this.update();
        return;
      case RTCCR:
        return; // the RTC is always running; writes are ignored
      case RTCDR:
      case RTCRIS:
      case RTCMIS:
        this.log.guestError(`pl031: write to read-only register 0x${reg.toString(16)}`);
        return;
    }
    this.log.guestError(`pl031: write of unknown register 0x${reg.toString(16)} = 0x${value.toString(16)}`);
  }

  /**
   * Schedule the match interrupt for the virtual time at which the counter
   * next equals RTCMR. The counter wraps, and so does the subtraction.
   */
  private armMatch(): void {
    const ticks = (this.mr - this.count) >>> 0;
    if (ticks === 0) {
      this.timer.del();
      this.matchInterrupt();
      return;
    }
    const at = (this.elapsedSeconds() + ticks) * NS_PER_SECOND;
    this.timer.mod(at);
  }

  private matchInterrupt(): void {
    this.is = 1;
    this.update();
  }

  private update(): void {
    this.irq.set((this.is & this.im) !== 0);
  }

  state(): Record<string, unknown> {
    return {
      count: this.count, tickOffset: this.tickOffset, mr: this.mr, lr: this.lr, im: this.im, is: this.is,
      matchAtNs: this.timer.expire, irq: this.irq.level,
    };
  }
}
