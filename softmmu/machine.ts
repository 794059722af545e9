/**
 * A built machine: memory, CPUs, devices, clock, the executor, and the
 * run-state the main loop and the monitor share (QEMU's MachineState plus
 * runstate). Boards fill it in; nothing here knows an architecture.
 */
import type { HostMemory } from './host-memory.js';
import type { AddressSpace } from './memory.js';
import type { VirtualClock } from './clock.js';
import type { Logger } from './log.js';
import type { Executor, ExecCPU } from '../tcg/cpu-exec.js';
import type { MMIODevice } from '../hw/device.js';
import type { MachineConfig } from '../machines/config.js';

/** What the monitor and main loop need from a CPU beyond execution. */
export interface MachineCPU extends ExecCPU {
  off: boolean;
  reset(): void;
  dumpRegisters(): string;
  /** Virtual -> physical for the monitor's `x`; a number or undefined when unmapped. */
  debugTranslate(va: number): number | undefined;
  readonly model: string;
}

export type ShutdownCause = 'poweroff' | 'reset' | 'quit' | 'error';

export class Machine {
  cpus: MachineCPU[] = [];
  devices = new Map<string, MMIODevice>();
  /** Things that must happen on every system reset after devices reset (loaders). */
  resetHooks: (() => void)[] = [];
  /** Release host resources (disk images: flush and close) when the emulator exits. */
  closeHooks: (() => void)[] = [];
  /** Called when the guest asks to power off or reset. The main loop installs it. */
  onShutdown: (cause: ShutdownCause) => void = () => {};
  /** Called when the machine should re-check CPUs now (input arrived, interrupt raised). */
  kick: () => void = () => {};
  paused = false;
  /** The x86 I/O port space, on machines that have one (for `info mtree`). */
  io?: { mtree(): string };
  /** Process exit status when the guest ends the run itself (isa-debug-exit); 0 otherwise. */
  exitCode = 0;

  constructor(
    readonly config: MachineConfig,
    readonly host: HostMemory,
    readonly as: AddressSpace,
    readonly clock: VirtualClock,
    readonly log: Logger,
    readonly exec: Executor,
  ) {}

  reset(): void {
    for (const d of this.devices.values()) d.reset();
    for (const c of this.cpus) c.reset();
    this.exec.cache.flush();
    for (const h of this.resetHooks) h();
  }

  /** Run the close hooks once; a failing one does not stop the others. */
  close(): void {
    for (const h of this.closeHooks.splice(0)) {
      try { h(); } catch (e) { process.stderr.write(`tsemu: ${(e as Error).message}\n`); }
    }
  }

  requestShutdown(cause: ShutdownCause): void {
    for (const c of this.cpus) c.exitRequest = true;
    this.onShutdown(cause);
  }

  /**
   * The guest ends the emulator with a status (QEMU's isa-debug-exit calls
   * exit() directly): no reboot, no -no-shutdown pause.
   */
  requestExit(code: number): void {
    this.exitCode = code;
    this.requestShutdown('quit');
  }
}
