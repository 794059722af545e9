/**
 * The machine's virtual clock (QEMU_CLOCK_VIRTUAL). Devices ask it for the
 * time and arm timers on it; they never read Date.now(). It runs only while
 * the machine runs. Without icount it follows the host's monotonic clock
 * while running; with icount, time is executed instructions << shift.
 */
export class Timer {
  expire = -1; // ns of virtual time, -1 when disarmed
  constructor(readonly clock: VirtualClock, readonly cb: () => void) {}
  /** Arm at an absolute virtual time in ns. */
  mod(expireNs: number): void {
    this.expire = expireNs;
    this.clock.timerChanged();
  }
  del(): void { this.expire = -1; }
  get pending(): boolean { return this.expire >= 0; }
}

export class VirtualClock {
  private timers: Timer[] = [];
  private baseNs = 0;          // virtual time accumulated before the current run period
  private hostStart = 0n;      // host time when the current run period began
  private running = false;
  /** icount: virtual ns per guest instruction is 2^shift; -1 = follow host time. */
  icountShift = -1;
  /** Instructions executed (fed by the CPU loop); used with icount. */
  icount = 0;
  private icountBase = 0;
  /** Called when a timer is re-armed so the CPU loop can shorten its slice. */
  onTimerChange: () => void = () => {};

  now(): number {
    if (this.icountShift >= 0) return this.baseNs + (this.icount - this.icountBase) * (1 << this.icountShift);
    if (!this.running) return this.baseNs;
    return this.baseNs + Number(process.hrtime.bigint() - this.hostStart);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.hostStart = process.hrtime.bigint();
    this.icountBase = this.icount;
  }

  stop(): void {
    if (!this.running) return;
    this.baseNs = this.now();
    this.running = false;
    this.icountBase = this.icount;
  }

  get isRunning(): boolean { return this.running; }

  newTimer(cb: () => void): Timer {
    const t = new Timer(this, cb);
    this.timers.push(t);
    return t;
  }

  timerChanged(): void { this.onTimerChange(); }

  /** Earliest armed deadline in ns, or Infinity. */
  deadline(): number {
    let d = Infinity;
    for (const t of this.timers) if (t.expire >= 0 && t.expire < d) d = t.expire;
    return d;
  }

  /** Fire every timer whose deadline has passed. */
  runTimers(): void {
    const now = this.now();
    for (const t of this.timers) {
      if (t.expire >= 0 && t.expire <= now) {
        t.expire = -1;
        t.cb();
      }
    }
  }
}
