/**
 * The TUI's status line: run state, virtual time, guest MIPS over the last
 * sample period, and live translated blocks (the `TB count` of `info jit`).
 */
import type { Machine } from '../softmmu/machine.js';
import type { MainLoop } from '../softmmu/vl.js';

export class StatusSampler {
  private lastInsns: number;
  private lastNs: bigint;
  private mips = 0;

  constructor(private m: Machine, private loop: MainLoop, private now: () => bigint = () => process.hrtime.bigint()) {
    this.lastInsns = m.exec.executed;
    this.lastNs = now();
  }

  /** Take a sample (the TUI does so once a second): MIPS is measured between samples. */
  sample(): void {
    const ns = this.now(), insns = this.m.exec.executed;
    const dt = Number(ns - this.lastNs) / 1e9;
    if (dt > 0) this.mips = (insns - this.lastInsns) / dt / 1e6;
    this.lastNs = ns;
    this.lastInsns = insns;
  }

  text(): string {
    const state = this.loop.running ? 'running' : 'paused';
    const vt = (this.m.clock.now() / 1e9).toFixed(3);
    return `${state}  vtime ${vt} s  ${this.mips.toFixed(1)} MIPS  TBs ${this.m.exec.cache.count}`;
  }
}
