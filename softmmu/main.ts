#!/usr/bin/env node
/**
 * `tsemu`: parse a QEMU-style command line, build the machine, connect its
 * serial ports and monitor, run it. A bad configuration prints one line and
 * exits 1 before anything starts.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs, buildConfig, usage, helpText, type CliOptions } from './options.js';
import { ConfigError } from '../machines/config.js';
import { buildMachine } from '../machines/builder.js';
import { resolveRemoteImages } from './config-images.js';
import { Logger } from './log.js';
import { MainLoop } from './vl.js';
import { Monitor } from './monitor.js';
import { startGdbServer, stopGdbServer } from './gdbstub.js';
import { StdioMux, MuxSerial } from '../ui/stdio-mux.js';
import { NullChar, type CharBackend } from '../ui/chardev.js';
import { FileChar } from '../ui/chardev-file.js';
import { ChardevSet } from '../ui/chardev-open.js';
import type { ByteStream } from '../ui/chardev-stream.js';
import { QmpEvents, QmpServer } from './qmp.js';
import { SerialFrontend } from '../ui/char-mux.js';
import { SerialTerminal, tapOutput } from '../ui/serial-term.js';
import { setTextConsole } from '../ui/consoles.js';
import { chooseDisplay, isDisplayConsole } from '../ui/display.js';
import type { Tui, TuiSerial } from '../ui/tui.js';
import { deprioritizeHelperThreads } from './host-threads.js';

const VERSION = '0.1.0';

export async function main(argv: string[]): Promise<number> {
  deprioritizeHelperThreads();
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
  // Stream chardevs (sockets, host serial devices): serial ports muxed with a monitor, a socket monitor, QMP.
  const streams = new ChardevSet();
  const muxedStreams: ByteStream[] = [];
  let monitorStream: ByteStream | null = null;
  const qmpStreams: ByteStream[] = [];
  const display = chooseDisplay(o, { stdin: !!process.stdin.isTTY, stdout: !!process.stdout.isTTY });
  /** Serial ports on the display (`vc`): the TUI's panes, or screens nobody sees under -display none. */
  const vcs: TuiSerial[] = [];
  let serial0Screen: SerialTerminal | undefined;
  let machine;
  try {
    const cfg = await buildConfig(o);
    // http(s) images: fetched (or found in the cache) now that the whole configuration is known
    // to be good, and before anything opens; from here on every image is a local path.
    await resolveRemoteImages(cfg);
    log.setItems(o.log);
    if (o.logFile) log.setFile(o.logFile);
    if (o.dfilter.length) log.setFilter(o.dfilter.map((r) => [r.start, r.end]));

    // Serial ports: QEMU's defaults. With a display (the TUI, or none) serial0 is a console on it (vc);
    // -nographic, and a run whose stdio is not a terminal, put serial0 and the monitor on stdio, multiplexed.
    const specs = o.serial.length ? o.serial : [display === 'tui' || display === 'none' ? 'vc' : 'mon:stdio'];
    for (const [i, spec] of specs.entries()) {
      const name = `serial${i}`;
      if (isDisplayConsole(spec, display)) {
        const term = new SerialTerminal();
        const frontend = new SerialFrontend((b) => term.feed(b));
        vcs.push({ name, term, frontend });
        chardevs.set(name, frontend);
        continue;
      }
      const cs = streams.parse(spec, `-serial ${spec}`);
      if (ChardevSet.isStream(cs)) {
        const st = await streams.openStream(cs, `-serial ${spec}`, name);
        chardevs.set(name, streams.serial(st, cs.mux));
        if (cs.mux) muxedStreams.push(st);
        continue;
      }
      if (spec === 'stdio' || spec === 'mon:stdio') {
        const s = new MuxSerial((b) => mux.write(b));
        serials.push(s);
        mux.add(s);
        muxUsed = true;
        if (spec === 'mon:stdio') monitorOnMux = true;
        chardevs.set(name, s);
      } else if (spec === 'null' || spec === 'none') {
        chardevs.set(name, new NullChar());
      } else if (cs.kind === 'file') {
        chardevs.set(name, new FileChar(cs.path, `-serial ${spec}`));
      } else {
        throw new ConfigError(`tsemu: -serial ${spec}: backend not supported`);
      }
    }
    if (o.monitor === 'stdio' || o.monitor === 'mon:stdio') monitorOnMux = display !== 'tui';
    else if (o.monitor && o.monitor !== 'none' && o.monitor !== 'null' && o.monitor !== 'vc') {
      const cs = streams.parse(o.monitor, `-monitor ${o.monitor}`);
      if (!ChardevSet.isStream(cs)) throw new ConfigError(`tsemu: -monitor ${o.monitor}: backend not supported (use stdio, none, pty, tcp:, telnet:, unix: or a /dev/ path)`);
      monitorStream = await streams.openStream(cs, `-monitor ${o.monitor}`, 'compat_monitor0');
    }
    if (o.monitor === 'none' || o.monitor === 'null') monitorOnMux = false;
    // QEMU: -nographic with explicit -serial and no -monitor puts the monitor on stdio.
    if (o.monitor === undefined && o.nographic && o.serial.length && !o.serial.some((s) => s.startsWith('mon:'))) monitorOnMux = true;
    for (const q of o.qmp) {
      const cs = streams.parse(q, `-qmp ${q}`);
      if (cs.kind !== 'socket') throw new ConfigError(`tsemu: -qmp ${q}: QMP needs a socket (tcp:HOST:PORT,server,wait=off or unix:PATH,server,wait=off)`);
      qmpStreams.push(await streams.openStream(cs, `-qmp ${q}`));
    }

    // serial0's screen, kept in every display mode for screendump.
    const s0 = chardevs.get('serial0');
    if (vcs[0]?.name === 'serial0') serial0Screen = vcs[0].term;
    else if (s0) { serial0Screen = new SerialTerminal(); chardevs.set('serial0', tapOutput(s0, serial0Screen)); }

    // Complete per-TB traces (-d exec, cpu, nochain) need every TB to pass through cpu_exec: use the interpreter.
    const traceAll = o.log.some((i) => i === 'exec' || i === 'cpu' || i === 'nochain');
    machine = await buildMachine(cfg, { log, chardevs, backend: traceAll ? 'interp' : o.accel.backend, icountShift: typeof o.icount?.shift === 'number' ? o.icount.shift : o.icount ? 3 : undefined, rtcBase: o.rtcBase });
  } catch (e) {
    return reportError(e);
  }

  machine.exec.nochain = o.log.includes('nochain');
  // The code cache limit: QEMU sizes it in MiB of host code; a TB here averages about 1 KiB of wasm.
  if (o.accel.tbSize !== undefined) machine.exec.cache.maxTBs = o.accel.tbSize * 1024;
  if (o.accel.maxTbs !== undefined) machine.exec.cache.maxTBs = o.accel.maxTbs;

  const loop = new MainLoop(machine, { noReboot: o.noReboot, noShutdown: o.noShutdown });
  if (serial0Screen) setTextConsole(machine, serial0Screen);
  for (const s of serials) loop.pollers.push(() => s.pump());
  for (const v of vcs) loop.pollers.push(() => v.frontend.pump());
  loop.pollers.push(...streams.pumps);
  streams.kick = () => loop.kick();
  streams.quit = () => loop.quit(0);
  const qmpEvents = new QmpEvents(machine, loop);
  for (const st of qmpStreams) new QmpServer(machine, loop, qmpEvents, st);
  const mach = machine;
  for (const st of muxedStreams) streams.attachMuxMonitor(st, (out) => new Monitor(mach, loop, out));
  if (monitorStream) streams.monitor(monitorStream, (out) => new Monitor(mach, loop, out));
  if (monitorOnMux) {
    const mon = new Monitor(machine, loop, (s) => mux.write(s));
    mux.add(mon);
    muxUsed = true;
    if (!serials.length) mon.banner(); // the monitor alone on stdio greets, as QEMU's does
  }
  if (muxUsed) {
    mux.onQuit = () => loop.quit(0);
    mux.onInput = () => loop.kick();
    mux.start();
  }
  const onSignal = () => { qmpEvents.quitReason = 'host-signal'; loop.quit(0); };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const t0 = process.hrtime.bigint();
  // Servers with wait=on (QEMU's default for `server`): the machine starts once a client is there.
  await Promise.race([streams.waitForClients(), loop.exited]);
  if (o.gdb) {
    try { await startGdbServer(machine, loop, o.gdb); } catch (e) { mux.restore(); return reportError(new ConfigError(`tsemu: -gdb ${o.gdb}: ${(e as Error).message}`)); }
  }
  // The TUI takes the terminal last, so configuration messages above are still readable.
  let tui: Tui | null = null;
  if (display === 'tui' && vcs.length) {
    // -monitor elsewhere (a socket) or none: the TUI has no monitor pane.
    const tuiMonitor = o.monitor === undefined || o.monitor === 'stdio' || o.monitor === 'mon:stdio' || o.monitor === 'vc';
    // Loaded only here: blessed costs start-up time the other display modes never need.
    const { Tui } = await import('../ui/tui.js');
    tui = new Tui(machine, loop, vcs, tuiMonitor);
    tui.onQuit = () => loop.quit(0);
    tui.onInput = () => loop.kick();
    restoreTerminal = () => tui?.destroy();
    tui.start();
  }
  loop.start(o.stopped);
  const code = await loop.exited;
  machine.close();   // disks: fsync and close before anything else can fail
  tui?.destroy();
  await stopGdbServer(machine, code);
  mux.restore();
  await streams.closeAll();
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
      `  interpreted insns    ${m.exec.wasm.stats.interpInsns} (cold and queued TBs)`,
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

/** Undo the TUI's hold on the terminal, also when tsemu dies of an internal error. */
let restoreTerminal: () => void = () => {};

main(process.argv.slice(2)).then(
  (code) => { process.stdout.write('', () => process.exit(code)); },
  (e) => { restoreTerminal(); process.stderr.write(`tsemu: internal error: ${(e as Error).stack ?? e}\n`); process.exit(1); },
);
