/**
 * Turns a validated MachineConfig into a wired Machine: what every board
 * starts from (one HostMemory, the address space, clock, code tracking, TB
 * cache, executor and JIT), and the choice of board code by architecture
 * (machines/arm.ts, machines/pc.ts), which reserves guest RAM, flash and CPU
 * state, creates the devices, maps their registers, connects interrupt lines
 * and loads firmware or a kernel.
 */
import { HostMemory } from '../softmmu/host-memory.js';
import { AddressSpace } from '../softmmu/memory.js';
import { CodePages } from '../softmmu/cputlb.js';
import { VirtualClock } from '../softmmu/clock.js';
import type { Logger } from '../softmmu/log.js';
import type { Machine } from '../softmmu/machine.js';
import { Executor, type ExecCPU } from '../tcg/cpu-exec.js';
import { TBCache } from '../tcg/tb.js';
import { ConfigError, type MachineConfig } from './config.js';
import type { CharBackend } from '../ui/chardev.js';
import type { DeviceLog } from '../hw/device.js';
import { WasmBackend } from '../tcg/wasm/backend.js';

export interface BuildOptions {
  log: Logger;
  /** Backends for chardev names in the YAML (`serial0`, ...). Missing ones get a null backend. */
  chardevs: Map<string, CharBackend>;
  /** icount shift, or undefined for host-clock time. */
  icountShift?: number;
  /** Translator backend: the wasm JIT (default) or the reference interpreter. */
  backend?: 'interp' | 'wasm';
  /** Epoch seconds the RTC starts from (tests pin it). */
  rtcBase?: number;
}

/** What every board starts from: one HostMemory, the physical address space, clock, code tracking, TB cache and executor. */
export interface MachineCore {
  host: HostMemory;
  as: AddressSpace;
  clock: VirtualClock;
  code: CodePages;
  cache: TBCache;
  exec: Executor;
  devLog: DeviceLog;
}

export function createCore(opts: BuildOptions): MachineCore {
  const host = new HostMemory();
  const as = new AddressSpace('memory', host);
  const clock = new VirtualClock();
  if (opts.icountShift !== undefined) clock.icountShift = opts.icountShift;
  const code = new CodePages();
  const cache = new TBCache();
  code.onInvalidate = (p) => cache.invalidatePage(p);
  cache.onCodePage = (p) => code.mark(p);
  const exec = new Executor(cache, opts.log);
  const devLog: DeviceLog = {
    unimp: (m) => opts.log.log('unimp', m),
    guestError: (m) => opts.log.log('guest_errors', m),
  };
  return { host, as, clock, code, cache, exec, devLog };
}

/** The wasm JIT for a board's CPUs (unless `-accel tcg,backend=interp`); its jump table is reserved already. */
export function attachJit(exec: Executor, host: HostMemory, cache: TBCache, opts: BuildOptions, jumpTable: number, cpus: ExecCPU[]): void {
  if (opts.backend === 'interp') return;
  exec.wasm = new WasmBackend(host, cache, opts.log, jumpTable);
  if (cpus.length === 1) exec.wasm.fixedEnv = cpus[0].env;
  exec.wasm.pcSlot = cpus[0].pcSlot ?? null;
}

/**
 * The machine a config describes. Each architecture's board code (and with
 * it the CPU, its translator and its devices) is a module of its own, loaded
 * here only for the machines that need it: an ARM run never compiles the x86
 * frontend, nor an x86 run the ARM one.
 */
export async function buildMachine(cfg: MachineConfig, opts: BuildOptions): Promise<Machine> {
  if (cfg.arch === 'i386') return (await import('./pc.js')).buildPcMachine(cfg, opts);
  if (cfg.arch === 'arm') return (await import('./arm.js')).buildArmMachine(cfg, opts);
  throw new ConfigError(`${cfg.file}: arch '${cfg.arch}' is not supported`);
}
