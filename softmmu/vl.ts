/**
 * The main loop (QEMU's vl.c/main-loop.c): runs the CPUs round-robin in
 * slices of about 10 ms of host time, fires virtual-clock timers between
 * quanta, and yields to Node's event loop after every slice so serial input,
 * the monitor and sockets stay responsive (DESIGN.md invariant 7). When every
 * CPU sleeps in WFI it sleeps the host until the next timer deadline or a kick.
 */
import type { Machine, ShutdownCause } from './machine.js';

const SLICE_NS = 10_000_000n;
const QUANTUM = 20_000;          // guest instructions per CPU turn (SMP, icount)
/**
 * A lone CPU runs until the next timer deadline instead, estimated from its
 * measured speed, within these bounds: every turn costs a write-back and
 * re-entry of compiled code and a pass through the timers, ~1 µs, which at
 * 20 000 instructions was 5-10 % of a busy guest's time.
 */
const QUANTUM_MIN = 1_000, QUANTUM_MAX = 1_000_000;

export class MainLoop {
  private sleeping: NodeJS.Timeout | null = null;
  private scheduled = false;
  private done = false;
  private pendingCause: ShutdownCause | null = null;
  private resolveExit!: (code: number) => void;
  readonly exited: Promise<number>;
  /** Hooks run between slices (chardev input pumps, UI refresh). */
  readonly pollers: (() => void)[] = [];
  onStateChange: (running: boolean) => void = () => {};
  /** Guest instructions executed, for status lines and benchmarks. */
  insns = 0;

  constructor(readonly m: Machine, readonly opts: { noReboot: boolean; noShutdown?: boolean }) {
    this.exited = new Promise((r) => { this.resolveExit = r; });
    m.kick = () => this.kick();
    m.onShutdown = (cause) => { this.pendingCause = cause; };
  }

  start(paused = false): void {
    if (paused) this.stop(); else this.cont();
  }

  get running(): boolean { return !this.m.paused && !this.done; }

  stop(): void {
    if (this.m.paused) return;
    this.m.paused = true;
    this.m.clock.stop();
    for (const c of this.m.cpus) c.exitRequest = true;
    this.onStateChange(false);
  }

  cont(): void {
    if (this.done) return;
    const was = this.m.paused;
    this.m.paused = false;
    this.m.clock.start();
    if (was) this.onStateChange(true);
    this.kick();
  }

  quit(code = 0): void {
    if (this.done) return;
    this.done = true;
    if (this.sleeping) clearTimeout(this.sleeping);
    this.m.clock.stop();
    this.resolveExit(code);
  }

  /** A reset from outside the guest (monitor): with -no-reboot this ends the run, as in QEMU. */
  requestReset(): void {
    if (this.opts.noReboot) { this.quit(0); return; }
    this.m.reset();
    this.kick();
  }

  kick(): void {
    // A kick from inside a slice (a device raising an interrupt) needs nothing: the slice
    // looks at the CPUs again before it sleeps. Scheduling here would start a second loop.
    if (this.done || this.m.paused || this.inStep) return;
    if (this.sleeping) { clearTimeout(this.sleeping); this.sleeping = null; }
    if (!this.scheduled) { this.scheduled = true; setImmediate(() => this.step()); }
  }

  private handleShutdown(): boolean {
    const cause = this.pendingCause;
    if (!cause) return false;
    this.pendingCause = null;
    if (cause === 'reset' && !this.opts.noReboot) {
      this.m.reset();
      return false;
    }
    if (cause === 'poweroff' && this.opts.noShutdown) {
      // -no-shutdown: keep the machine for inspection, as QEMU does.
      this.stop();
      return true;
    }
    this.quit(cause === 'quit' ? this.m.exitCode : 0);
    return true;
  }

  private inStep = false;

  private step(): void {
    this.scheduled = false;
    if (this.sleeping) { clearTimeout(this.sleeping); this.sleeping = null; }
    if (this.done || this.m.paused) return;
    this.inStep = true;
    try {
      this.slice();
    } finally {
      this.inStep = false;
    }
  }

  private slice(): void {
    const m = this.m;
    const end = process.hrtime.bigint() + SLICE_NS;
    for (;;) {
      for (const p of this.pollers) p();
      m.clock.runTimers();
      let active = false;
      // Only a lone CPU without icount sizes its turns by speed (see QUANTUM_MIN): only it measures.
      const lone = m.cpus.length === 1 && m.clock.icountShift < 0;
      const quantum = lone ? this.quantum() : QUANTUM;
      for (const cpu of m.cpus) {
        if (cpu.off) continue;
        cpu.exitRequest = false;
        const t0 = lone ? process.hrtime.bigint() : 0n;
        const n = m.exec.run(cpu, quantum);
        if (lone && n >= QUANTUM) this.rate = 0.8 * this.rate + 0.2 * n / Number(process.hrtime.bigint() - t0);
        this.insns += n;
        if (m.clock.icountShift >= 0) m.clock.icount += n;
        if (!cpu.halted) active = true;
        if (this.pendingCause || m.paused) break; // paused: a debugger stop must not let the next CPU run
      }
      if (this.pendingCause && this.handleShutdown()) return;
      if (m.paused) return;
      // An interrupt raised during the slice (kicks are ignored then) must not wait for the next timer.
      if (!active && !m.cpus.some((c) => !c.off && c.interruptRequest)) { this.idle(); return; }
      if (process.hrtime.bigint() >= end) break;
    }
    this.scheduled = true;
    setImmediate(() => this.step());
  }

  /** Guest instructions per host ns, measured over busy turns. */
  private rate = 0.02;

  /** Instructions for the next turn of a lone CPU: up to its next timer deadline. */
  private quantum(): number {
    const clock = this.m.clock;
    const d = clock.deadline();
    if (d === Infinity) return QUANTUM_MAX;
    return Math.max(QUANTUM_MIN, Math.min(QUANTUM_MAX, Math.floor((d - clock.now()) * this.rate)));
  }

  /** Every CPU waits for an interrupt: sleep until the next timer deadline or a kick. */
  private idle(): void {
    // Input waiting in a backend may fit now that the guest drained its UART before halting
    // (QEMU's main loop polls its file descriptors before it sleeps, too).
    for (const p of this.pollers) p();
    if (this.m.cpus.some((c) => !c.off && c.interruptRequest)) {
      this.scheduled = true;
      setImmediate(() => this.step());
      return;
    }
    const clock = this.m.clock;
    const deadline = clock.deadline();
    if (clock.icountShift >= 0) {
      // icount: virtual time stands still while idle, so jump it to the deadline (QEMU's icount warp).
      if (deadline !== Infinity) {
        clock.icount += Math.ceil((deadline - clock.now()) / (1 << clock.icountShift));
        this.scheduled = true;
        setImmediate(() => this.step());
      }
      return;
    }
    if (deadline === Infinity) return; // nothing will happen until input arrives (kick)
    const ms = Math.max(0, (deadline - clock.now()) / 1e6);
    this.sleeping = setTimeout(() => { this.sleeping = null; this.step(); }, Math.ceil(ms));
  }
}
