#!/usr/bin/env node
/**
 * `tsemu`: parse a QEMU-style command line, build the machine, connect its
 * serial ports and monitor, run it. A bad configuration prints one line and
 * exits 1 before anything starts.
 */
import { writeFileSync, openSync, writeSync } from 'node:fs';
import { parseArgs, buildConfig, usage, helpText, type CliOptions } from './options.js';
import { ConfigError } from '../machines/config.js';
import { buildMachine } from '../machines/builder.js';
import { Logger } from './log.js';
import { MainLoop } from './vl.js';
import { Monitor } from './monitor.js';
import { StdioMux, MuxSerial } from '../ui/stdio-mux.js';
import { NullChar, type CharBackend } from '../ui/chardev.js';

const VERSION = '0.1.0';

class FileChar implements CharBackend {
  private fd: number;
  constructor(path: string) { this.fd = openSync(path, 'w'); }
  write(b: Uint8Array): void { writeSync(this.fd, b); }
  setReceiver(): void {}
}

export async function main(argv: string[]): Promise<number> {
  let o: CliOptions;
  try {
    o = parseArgs(argv);
    if (o.version) { process.stdout.write(`tsemu version ${VERSION}\n`); return 0; }
    if (o.help) { process.stdout.write((o.help === 'usage' ? usage() : helpText(o.help)) + '\n'); return 0; }
  } catch (e) {
    return reportError(e);
  }

  const log = new Logger();
  const mux = new StdioMux();
  let muxUsed = false;
  let monitorOnMux = false;
  const chardevs = new Map<string, CharBackend>();
  const serials: MuxSerial[] = [];
  let machine;
  try {
    const cfg = buildConfig(o);
    log.setItems(o.log);
    if (o.logFile) log.setFile(o.logFile);
    if (o.dfilter.length) log.setFilter(o.dfilter.map((r) => [r.start, r.end]));

    // Serial ports: QEMU's defaults. -nographic (and, until the TUI exists, no display at all)
    // puts serial0 and the monitor on stdio, multiplexed.
    const specs = o.serial.length ? o.serial : ['mon:stdio'];
    specs.forEach((spec, i) => {
      const name = `serial${i}`;
      if (spec === 'stdio' || spec === 'mon:stdio') {
        const s = new MuxSerial((b) => mux.write(b));
        serials.push(s);
        mux.add(s);
        muxUsed = true;
        if (spec === 'mon:stdio') monitorOnMux = true;
        chardevs.set(name, s);
      } else if (spec === 'null' || spec === 'none') {
        chardevs.set(name, new NullChar());
      } else if (spec.startsWith('file:')) {
        chardevs.set(name, new FileChar(spec.slice(5)));
      } else {
        throw new ConfigError(`tsemu: -serial ${spec}: backend not supported yet (use stdio, mon:stdio, null or file:PATH)`);
      }
    });
    if (o.monitor === 'stdio' || o.monitor === 'mon:stdio') monitorOnMux = true;
    else if (o.monitor && o.monitor !== 'none') throw new ConfigError(`tsemu: -monitor ${o.monitor}: backend not supported yet (use stdio or none)`);
    if (o.monitor === 'none') monitorOnMux = false;

    // Complete per-TB traces (-d exec, cpu, nochain) need every TB to pass through cpu_exec: use the interpreter.
    const traceAll = o.log.some((i) => i === 'exec' || i === 'cpu' || i === 'nochain');
    machine = buildMachine(cfg, { log, chardevs, backend: traceAll ? 'interp' : o.accel.backend, icountShift: typeof o.icount?.shift === 'number' ? o.icount.shift : o.icount ? 3 : undefined });
  } catch (e) {
    return reportError(e);
  }

  machine.exec.nochain = o.log.includes('nochain');
  // The code cache limit: QEMU sizes it in MiB of host code; a TB here averages about 1 KiB of wasm.
  if (o.accel.tbSize !== undefined) machine.exec.cache.maxTBs = o.accel.tbSize * 1024;
  if (o.accel.maxTbs !== undefined) machine.exec.cache.maxTBs = o.accel.maxTbs;

  const loop = new MainLoop(machine, { noReboot: o.noReboot, noShutdown: o.noShutdown });
  for (const s of serials) loop.pollers.push(() => s.pump());
  if (monitorOnMux) {
    const mon = new Monitor(machine, loop, (s) => mux.write(s));
    mux.add(mon);
    muxUsed = true;
    if (o.serial.length === 0 && !serials.length) mon.banner();
  }
  if (muxUsed) {
    mux.onQuit = () => loop.quit(0);
    mux.onInput = () => loop.kick();
    mux.start();
  }
  const onSignal = () => loop.quit(0);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const t0 = process.hrtime.bigint();
  loop.start(o.stopped);
  const code = await loop.exited;
  mux.restore();
  if (o.profile) process.stderr.write(profileReport(machine, Number(process.hrtime.bigint() - t0) / 1e9));
  return code;
}

function profileReport(m: import('./machine.js').Machine, secs: number): string {
  const c = m.exec.cache;
  const insns = m.exec.executed;
  return [
    `tsemu profile (${o_backendName(m)}):`,
    `  wall time            ${secs.toFixed(3)} s`,
    `  guest insns executed ${insns}`,
    `  guest MIPS           ${(insns / secs / 1e6).toFixed(1)}`,
    `  TBs translated       ${c.count + c.invalidations} (live ${c.count}, invalidated ${c.invalidations}, flushes ${c.flushCount})`,
    `  guest insns translated ${c.translatedInsns} (${c.guestBytes} bytes)`,
    `  translation time     ${(c.translateNs / 1e6).toFixed(1)} ms`,
    ...(m.exec.wasm ? [
      `  wasm modules         ${m.exec.wasm.stats.modules} (${m.exec.wasm.stats.compiled} TBs, ${m.exec.wasm.stats.wasmBytes} bytes)`,
      `  loop regions         ${m.exec.wasm.stats.regions} (average ${(m.exec.wasm.stats.regionTBs / Math.max(1, m.exec.wasm.stats.regions)).toFixed(1)} TBs)`,
      `  wasm compile time    ${(m.exec.wasm.stats.compileNs / 1e6).toFixed(1)} ms (emit ${(m.exec.wasm.stats.emitNs / 1e6).toFixed(1)}, V8 ${(m.exec.wasm.stats.v8CompileNs / 1e6).toFixed(1)})`,
    ] : []),
    '',
  ].join('\n');
}

function o_backendName(m: import('./machine.js').Machine): string {
  return m.exec.wasm ? 'wasm' : 'interp';
}

function reportError(e: unknown): number {
  if (e instanceof ConfigError) {
    process.stderr.write(e.message + '\n');
  } else if (process.env.TSEMU_DEBUG) {
    process.stderr.write(String((e as Error).stack ?? e) + '\n');
  } else {
    process.stderr.write(`tsemu: ${(e as Error).message ?? e}\n`);
  }
  return 1;
}

void writeFileSync;

main(process.argv.slice(2)).then(
  (code) => { process.stdout.write('', () => process.exit(code)); },
  (e) => { process.stderr.write(`tsemu: internal error: ${(e as Error).stack ?? e}\n`); process.exit(1); },
);
