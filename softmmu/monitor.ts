/**
 * The human monitor (QEMU's HMP): `stop`, `cont`, `info ...`, `x`/`xp`,
 * `system_reset`, `quit`. It reads lines from whatever front end it is given
 * (the stdio mux, a socket) and writes text back through `out`.
 */
import { writeFileSync } from 'node:fs';
import type { Machine } from './machine.js';
import { LOG_ITEMS } from './log.js';
import type { MainLoop } from './vl.js';
import type { MuxFrontend } from '../ui/stdio-mux.js';
import { startGdbServer, stopGdbServer } from './gdbstub.js';
import { textConsole } from '../ui/consoles.js';
import { screendump } from '../ui/screendump.js';
import { machineDrives } from '../machines/drives.js';

const VERSION = '0.1.0';

interface Cmd { args: string; help: string; run: (mon: Monitor, args: string[]) => void }

export class Monitor implements MuxFrontend {
  private line = '';
  cpuIndex = 0;
  echo = true;

  constructor(readonly m: Machine, readonly loop: MainLoop, private out: (s: string) => void) {}

  print(s: string): void { this.out(s.replace(/\r?\n/g, '\r\n')); }
  println(s = ''): void { this.print(s + '\n'); }

  static readonly greeting = `QEMU-compatible monitor (tsemu ${VERSION}) - type 'help' for more information`;
  banner(): void { this.println(Monitor.greeting); this.prompt(); }
  prompt(): void { this.print('(qemu) '); }
  focus(): void { this.println(); this.prompt(); }

  input(bytes: Uint8Array): void {
    for (const c of bytes) {
      if (c === 0x0d || c === 0x0a) {
        if (c === 0x0a && this.lastCR) { this.lastCR = false; continue; }
        this.lastCR = c === 0x0d;
        if (this.echo) this.print('\n');
        const l = this.line;
        this.line = '';
        this.execute(l);
        this.prompt();
      } else if (c === 0x7f || c === 0x08) {
        if (this.line.length > 0) { this.line = this.line.slice(0, -1); if (this.echo) this.print('\b \b'); }
        this.lastCR = false;
      } else if (c >= 0x20) {
        this.line += String.fromCharCode(c);
        if (this.echo) this.print(String.fromCharCode(c));
        this.lastCR = false;
      }
    }
  }
  private lastCR = false;

  /** Run one command line; output goes to `out`. */
  execute(line: string): void {
    const words = line.trim().split(/\s+/).filter((w) => w.length > 0);
    if (words.length === 0) return;
    let name = words[0];
    // x/10x addr: the format is glued to the command
    let args = words.slice(1);
    const slash = name.indexOf('/');
    if (slash > 0) { args = [name.slice(slash), ...args]; name = name.slice(0, slash); }
    const cmd = COMMANDS[ALIASES[name] ?? name];
    if (!cmd) { this.println(`unknown command: '${name}'`); return; }
    try {
      cmd.run(this, args);
    } catch (e) {
      this.println(`Error: ${(e as Error).message}`);
    }
  }

  get cpu() { return this.m.cpus[this.cpuIndex]; }

  memoryDump(args: string[], physical: boolean): void {
    let fmt = '/1x';
    if (args[0]?.startsWith('/')) fmt = args.shift()!;
    if (args.length < 1) throw new Error('missing address');
    // QEMU accepts the format letter and the size letter in either order: /2wx, /2xw
    const mt = /^\/(\d*)([xduocibhwg]*)$/.exec(fmt);
    if (!mt || /[xduoci].*[xduoci]|[bhwg].*[bhwg]/.test(mt[2])) throw new Error(`invalid format '${fmt}'`);
    const count = mt[1] ? parseInt(mt[1], 10) : 1;
    const f = /[xduoci]/.exec(mt[2])?.[0] ?? 'x';
    const size = ({ b: 1, h: 2, w: 4, g: 8 } as Record<string, number>)[/[bhwg]/.exec(mt[2])?.[0] ?? ''] ?? (f === 'c' ? 1 : 4);
    if (f === 'i') { this.disas(parseAddr(args.join(' ')), count, physical); return; }
    let addr = parseAddr(args.join(' '));
    const perLine = f === 'c' ? 16 : Math.max(1, 16 / size);
    const read = (a: number): number | undefined => {
      let pa: number | undefined = a;
      if (!physical) pa = this.cpu.debugTranslate(a);
      if (pa === undefined) return undefined;
      return this.m.as.read(pa >>> 0, 1);
    };
    for (let i = 0; i < count;) {
      let s = physical ? addr.toString(16).padStart(16, '0') + ':' : (addr >>> 0).toString(16).padStart(8, '0') + ':';
      for (let k = 0; k < perLine && i < count; k++, i++) {
        let v = 0n;
        for (let b = size - 1; b >= 0; b--) {
          const byte = read((addr + b) >>> 0);
          if (byte === undefined) { this.println(s); this.println(`Cannot access memory`); return; }
          v = (v << 8n) | BigInt(byte);
        }
        s += ' ' + fmtValue(v, f, size);
        addr = (addr + size) >>> 0;
      }
      this.println(s);
    }
  }

  /** memsave / pmemsave: raw bytes to a file; an unmapped byte is an error, as in QEMU. */
  save(args: string[], physical: boolean): void {
    if (args.length !== 3) throw new Error('usage: addr size file');
    const addr = parseAddr(args[0]), size = parseAddr(args[1]);
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const va = (addr + i) >>> 0;
      const pa = physical ? va : this.cpu.debugTranslate(va);
      const v = pa === undefined ? undefined : this.m.as.read(pa >>> 0, 1);
      if (v === undefined) throw new Error(`Invalid addr 0x${va.toString(16)}/size ${size} specified`);
      out[i] = v;
    }
    writeFileSync(args[2], out);
  }

  private disas(addr: number, count: number, _physical: boolean): void {
    const cpu = this.cpu;
    for (let i = 0; i < count; i++) {
      const [text, len] = cpu.disas(addr, cpu.tbFlags());
      this.println(`0x${(addr >>> 0).toString(16).padStart(8, '0')}:  ${text}`);
      addr = (addr + len) >>> 0;
    }
  }
}

/** Command names and aliases, for completion in front ends (the TUI). */
export function commandNames(): string[] { return [...Object.keys(COMMANDS), ...Object.keys(ALIASES)].sort(); }
/** `info` subcommands, for completion. */
export function infoNames(): string[] { return Object.keys(INFO).sort(); }

/** The text console of the machine's first serial port as a PNG (HMP and QMP `screendump`). */
export function screendumpCommand(m: Machine, file: string): void {
  const con = textConsole(m);
  if (!con) throw new Error('no text console to dump');
  con.flush();
  screendump(con, file);
}

function parseAddr(s: string): number {
  const t = s.trim().replace(/^\$pc$/, '');
  const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+$/.test(t) ? parseInt(t, 10) : NaN;
  if (Number.isNaN(v)) throw new Error(`invalid address '${s}'`);
  return v;
}

function fmtValue(v: bigint, f: string, size: number): string {
  const bits = BigInt(size * 8);
  switch (f) {
    case 'x': return '0x' + v.toString(16).padStart(size * 2, '0');
    case 'o': return '0' + v.toString(8);
    case 'u': return v.toString(10);
    case 'd': return BigInt.asIntN(Number(bits), v).toString(10);
    case 'c': { const c = Number(v & 0xffn); return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `'\\x${c.toString(16).padStart(2, '0')}'`; }
  }
  return v.toString(16);
}

const ALIASES: Record<string, string> = { c: 'cont', q: 'quit', '?': 'help' };

const INFO: Record<string, { help: string; run: (mon: Monitor, args: string[]) => void }> = {
  registers: { help: 'show the cpu registers', run: (mon, a) => {
    const cpus = a[0] === '-a' ? mon.m.cpus : [mon.cpu];
    for (const c of cpus) { if (cpus.length > 1) mon.println(`CPU#${c.index}`); mon.println(c.dumpRegisters()); }
  } },
  cpus: { help: 'show infos for each CPU', run: (mon) => {
    for (const c of mon.m.cpus) {
      const state = c.off ? ' (off)' : c.halted ? ' (halted)' : '';
      mon.println(`${c.index === mon.cpuIndex ? '*' : ' '} CPU #${c.index}: pc=0x${(c.getPC() >>> 0).toString(16).padStart(8, '0')}${state} thread_id=${process.pid}`);
    }
  } },
  mtree: { help: 'show memory tree', run: (mon) => mon.println(mon.m.io ? `${mon.m.as.mtree()}\n\n${mon.m.io.mtree()}` : mon.m.as.mtree()) },
  status: { help: 'show the current VM status (running|paused)', run: (mon) => mon.println(`VM status: ${mon.loop.running ? 'running' : 'paused'}`) },
  version: { help: 'show the version of QEMU', run: (mon) => mon.println(`tsemu ${VERSION}`) },
  irq: { help: 'show the interrupt statistics', run: (mon) => {
    for (const c of mon.m.cpus) {
      const n = (c as unknown as { excpCount?: Float64Array }).excpCount;
      if (n) mon.println(`CPU ${c.index}: IRQ ${n[5]} FIQ ${n[6]} (exceptions: undef ${n[1]} svc ${n[2]} pabt ${n[3]} dabt ${n[4]})`);
    }
    // The interrupt controller's view: which INTIDs are enabled, pending, active.
    for (const [name, d] of mon.m.devices) if (d.type === 'gic-v2' && d.state) {
      const dist = (d.state() as { distributor?: Record<string, unknown> }).distributor ?? {};
      const ids = (k: string) => {
        const v = dist[k];
        return Array.isArray(v) ? v.flatMap((x, i) => (x ? [i] : [])).join(',') || '-' : '?';
      };
      mon.println(`${name}: enabled ${ids('enabled')}; pending ${ids('pending')}; active ${ids('active')}`);
    }
  } },
  tlb: { help: 'show the softmmu TLB of the current CPU', run: (mon) => mon.println(mon.cpu.tlb.dump() || '(empty)') },
  jit: { help: 'show translation statistics', run: (mon) => {
    const c = mon.m.exec.cache;
    mon.println(`Translation buffer state:\nTB count            ${c.count}\nTB flushes          ${c.flushCount}\nTB invalidations    ${c.invalidations}\n` +
      `guest insns translated ${c.translatedInsns}\nguest bytes         ${c.guestBytes}\ntranslation time    ${(c.translateNs / 1e6).toFixed(1)} ms\n` +
      `guest insns executed ${mon.m.exec.executed}` +
      (mon.m.exec.wasm ? `\nwasm modules        ${mon.m.exec.wasm.stats.modules}\nwasm TBs compiled   ${mon.m.exec.wasm.stats.compiled}\nloop regions        ${mon.m.exec.wasm.stats.regions}\nwasm bytes          ${mon.m.exec.wasm.stats.wasmBytes}` : '\nbackend             interp'));
  } },
  block: { help: 'show the block devices', run: (mon) => {
    const drives = machineDrives(mon.m.config);
    if (!drives.length) { mon.println('(no block devices)'); return; }
    drives.forEach(({ device, drive }, i) => {
      // The device knows whether the file really opened writable.
      const st = (mon.m.devices.get(device.name)?.state?.() ?? {}) as { readOnly?: boolean; reads?: number; writes?: number; flushes?: number };
      const flags = ['raw', ...(st.readOnly ?? drive.readonly ? ['read-only'] : []), ...(drive.snapshot ? ['snapshot'] : [])];
      mon.println(`${drive.id ?? `virtio${i}`}: ${drive.file} (${flags.join(', ')})`);
      mon.println(`    Attached to:      ${device.name} (virtio-mmio@0x${device.base!.toString(16).padStart(8, '0')})`);
      if (drive.snapshot) mon.println('    Writes:           kept in memory, the file is not changed');
      mon.println(`    Requests:         ${st.reads ?? 0} reads, ${st.writes ?? 0} writes, ${st.flushes ?? 0} flushes`);
    });
  } },
  qtree: { help: 'show device tree', run: (mon) => {
    for (const [name, d] of mon.m.devices) mon.println(`  dev: ${d.type}, id "${name}"` + (d.state ? '\n' + Object.entries(d.state()).map(([k, v]) => `    ${k} = ${JSON.stringify(v)}`).join('\n') : ''));
  } },
};

const COMMANDS: Record<string, Cmd> = {
  help: { args: '[cmd]', help: 'show the help', run: (mon) => {
    for (const [n, c] of Object.entries(COMMANDS)) mon.println(`${n} ${c.args} -- ${c.help}`);
  } },
  stop: { args: '', help: 'stop emulation', run: (mon) => mon.loop.stop() },
  cont: { args: '', help: 'resume emulation', run: (mon) => mon.loop.cont() },
  info: { args: 'subcommand', help: 'show various information about the system state', run: (mon, a) => {
    const sub = INFO[a[0] ?? ''];
    if (!sub) { for (const [n, s] of Object.entries(INFO)) mon.println(`info ${n} -- ${s.help}`); return; }
    sub.run(mon, a.slice(1));
  } },
  x: { args: '/fmt addr', help: 'virtual memory dump starting at addr', run: (mon, a) => mon.memoryDump(a, false) },
  xp: { args: '/fmt addr', help: 'physical memory dump starting at addr', run: (mon, a) => mon.memoryDump(a, true) },
  cpu: { args: 'index', help: 'set the default CPU', run: (mon, a) => {
    const i = parseInt(a[0] ?? '', 10);
    if (!(i >= 0 && i < mon.m.cpus.length)) throw new Error('invalid CPU index');
    mon.cpuIndex = i;
  } },
  system_reset: { args: '', help: 'reset the system', run: (mon) => mon.loop.requestReset() },
  system_powerdown: { args: '', help: 'send system power down event', run: (mon) => {
    // QEMU's virt presses a GPIO power button the guest's gpio-keys driver sees; this board has none yet.
    mon.println('system_powerdown: this machine has no power button device; use quit, or poweroff in the guest');
  } },
  log: { args: 'item1[,...]', help: "activate logging of the specified items ('log none' stops)", run: (mon, a) => {
    const items = (a[0] ?? '').split(',').filter((x) => x && x !== 'none');
    const bad = items.filter((i) => !(i in LOG_ITEMS));
    if (!a[0] || bad.length) { mon.println(`Invalid log mask${bad.length ? ` '${bad.join(',')}'` : ''}; valid: ${Object.keys(LOG_ITEMS).join(', ')}, none`); return; }
    mon.m.log.setItems(items);
  } },
  memsave: { args: 'addr size file', help: 'save to disk virtual memory dump starting at addr of size size', run: (mon, a) => mon.save(a, false) },
  pmemsave: { args: 'addr size file', help: 'save to disk physical memory dump starting at addr of size size', run: (mon, a) => mon.save(a, true) },
  gdbserver: { args: '[device]', help: "start gdbserver on given device (default 'tcp::1234'), stop with 'none'", run: (mon, a) => {
    const dev = a[0] ?? 'tcp::1234';
    if (dev === 'none') { void stopGdbServer(mon.m); mon.println('Disabled gdbserver'); return; }
    // QEMU accepts a bare port number too.
    const spec = /^\d+$/.test(dev) ? `tcp::${dev}` : dev;
    startGdbServer(mon.m, mon.loop, spec).then(
      () => {},
      (e: Error) => mon.println(`Could not open gdbserver on device '${dev}': ${e.message}`),
    );
    mon.println(`Waiting for gdb connection on device '${spec}'`);
  } },
  screendump: { args: 'filename', help: 'save the text console of serial0 as a PNG image', run: (mon, a) => {
    if (a.length !== 1) throw new Error('usage: screendump FILE.png');
    screendumpCommand(mon.m, a[0]);
  } },
  quit: { args: '', help: 'quit the emulator', run: (mon) => mon.loop.quit(0) },
};
