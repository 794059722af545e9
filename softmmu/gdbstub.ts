/**
 * A GDB remote serial protocol stub (QEMU's gdbstub): `-s`, `-gdb tcp::PORT`,
 * the monitor's `gdbserver`. All-stop mode: while gdb has the machine
 * stopped, the main loop is paused (the monitor shows `paused`); `c`, `s`
 * and `vCont` resume it. Every CPU is a gdb thread (id = index + 1).
 * Breakpoints (Z0 and Z1 alike) are per-CPU pc sets the translator honours
 * (TBs end before a breakpoint; a TB starting at one raises a debug exit),
 * and a single step runs one uncached one-instruction TB with interrupts
 * masked. Watchpoints (Z2/Z3/Z4) live in the CPUs' softmmu TLBs: watched
 * pages take the slow path, which stops before an access that touches one
 * (ARM gdb expects that: it steps over the access itself).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Machine, MachineCPU } from './machine.js';
import type { MainLoop } from './vl.js';
import { PAGE_BITS, type Watchpoint } from './cputlb.js';
import type { ExecCPU } from '../tcg/cpu-exec.js';
import { writeHost } from './memory.js';

/** What the stub needs to know about a CPU architecture. */
export interface GdbArch {
  targetXml: string;
  /** Register numbers in `g` packet order. */
  gRegs: number[];
  /** The pc's register number (`c ADDR`, `s ADDR`). */
  pcReg: number;
  /** A 32-bit register, or undefined when the number is unknown. */
  readReg(cpu: MachineCPU, n: number): number | undefined;
  writeReg(cpu: MachineCPU, n: number, v: number): boolean;
}

const PACKET_SIZE = 0x1000;
const SIGINT = 2, SIGTRAP = 5;

/** Parse `-gdb` / `gdbserver` specs: `tcp::PORT`, `tcp:HOST:PORT`, `:PORT`, `PORT`. */
export function parseGdbSpec(spec: string): { host: string; port: number } {
  let s = spec.trim();
  if (s.startsWith('tcp:')) s = s.slice(4);
  let host = '127.0.0.1', portStr = s;
  const i = s.lastIndexOf(':');
  if (i >= 0) { if (i > 0) host = s.slice(0, i); portStr = s.slice(i + 1); }
  const port = /^\d+$/.test(portStr) ? parseInt(portStr, 10) : NaN;
  if (!(port >= 0 && port < 65536)) throw new Error(`gdbstub: unsupported spec '${spec}' (use tcp::PORT or tcp:HOST:PORT)`);
  if (host === '0.0.0.0' || host === '') host = '127.0.0.1';
  return { host, port };
}

const hex8 = (v: number): string => (v & 0xff).toString(16).padStart(2, '0');
/** A 32-bit little-endian register as gdb's hex. */
const regHex = (v: number): string => hex8(v) + hex8(v >>> 8) + hex8(v >>> 16) + hex8(v >>> 24);
const parseRegHex = (s: string): number => (parseInt(s.slice(0, 2), 16) | (parseInt(s.slice(2, 4), 16) << 8) |
  (parseInt(s.slice(4, 6), 16) << 16) | (parseInt(s.slice(6, 8), 16) << 24)) >>> 0;
const toHex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

export class GdbStub {
  private server: Server | null = null;
  private sock: Socket | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private noAck = false;
  /** gdb resumed the machine and waits for a stop reply. */
  private running = false;
  private gCpu = 0;           // Hg: registers and memory
  private cCpu = -1;          // Hc: step/continue (-1: all)
  private lastStop = `T05thread:01;`;
  /** Address -> kinds (Z type numbers) of gdb's breakpoints there. */
  private bps = new Map<number, Set<number>>();
  private swbreakOk = false;
  private hwbreakOk = false;
  port = 0;
  private closed = false;
  private readonly onDebugHook = (cpu: ExecCPU, reason: 'breakpoint' | 'step' | 'watch') => this.debugStop(cpu, reason);
  /** gdb's watchpoints (Z2 write, Z3 read, Z4 access), installed in every CPU's TLB. */
  private wps: Watchpoint[] = [];
  /** Set when `k` asks the emulator to quit. */
  onKill: () => void;

  constructor(readonly m: Machine, readonly loop: MainLoop, readonly arch: GdbArch, private readonly log: (s: string) => void = () => {}) {
    this.onKill = () => loop.quit(0);
    m.exec.onDebug = this.onDebugHook;
    const prev = loop.onStateChange;
    loop.onStateChange = (run) => { prev(run); if (!run && !this.closed) this.paused(); };
  }

  /** Listen; resolves with the port once bound. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const srv = createServer((s) => this.accept(s));
      srv.once('error', reject);
      srv.listen(port, host, () => {
        srv.off('error', reject);
        const a = srv.address();
        this.port = typeof a === 'object' && a ? a.port : port;
        this.server = srv;
        resolve(this.port);
      });
    });
  }

  get listening(): boolean { return this.server !== null; }

  /** The emulator is exiting: tell gdb (W status) and close. */
  async close(code = 0): Promise<void> {
    const s = this.sock;
    this.closed = true;
    if (this.m.exec.onDebug === this.onDebugHook) this.m.exec.onDebug = () => {};
    this.clearBreakpoints();
    this.server?.close();
    this.server = null;
    if (s && !s.destroyed) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, 500);
        s.end(this.frame(`W${hex8(code)}`), () => { clearTimeout(t); r(); });
      });
      s.destroy();
    }
    this.sock = null;
  }

  private accept(s: Socket): void {
    if (this.sock) { s.destroy(); return; } // one debugger at a time, as QEMU
    this.sock = s;
    s.setNoDelay(true);
    this.noAck = false;
    this.buf = Buffer.alloc(0);
    this.gCpu = this.firstCpu();
    this.cCpu = -1;
    this.running = false;
    // Attaching stops the machine (QEMU: vm_stop on connect).
    this.lastStop = this.stopReply(SIGTRAP, this.gCpu);
    this.loop.stop();
    s.on('data', (d: Buffer) => this.onData(d));
    s.on('close', () => { if (this.sock === s) this.disconnect(); });
    s.on('error', () => {});
  }

  /** The connection closed without `D`: like QEMU, the machine stays as it is (paused when gdb had it stopped). */
  private disconnect(): void {
    this.sock = null;
    this.clearBreakpoints();
    this.running = false;
    this.m.exec.singlestepCpu = -1;
  }

  private firstCpu(): number {
    const i = this.m.cpus.findIndex((c) => !c.off);
    return i < 0 ? 0 : i;
  }

  // ---- framing ----

  private frame(payload: string): string {
    let sum = 0;
    for (let i = 0; i < payload.length; i++) sum = (sum + payload.charCodeAt(i)) & 0xff;
    return `$${payload}#${hex8(sum)}`;
  }

  private send(payload: string): void {
    if (!this.sock || this.sock.destroyed) return;
    this.log(`gdb <- ${payload.slice(0, 200)}\n`);
    this.sock.write(Buffer.from(this.frame(payload), 'latin1'));
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const b = this.buf;
      if (b.length === 0) return;
      const c = b[0];
      if (c === 0x03) { this.buf = b.subarray(1); this.interrupt(); continue; }
      if (c !== 0x24) { this.buf = b.subarray(1); continue; } // '+', '-' and noise
      const hash = b.indexOf(0x23, 1);
      if (hash < 0 || b.length < hash + 3) return; // incomplete
      const raw = b.subarray(1, hash);
      const sum = parseInt(b.subarray(hash + 1, hash + 3).toString('latin1'), 16);
      this.buf = b.subarray(hash + 3);
      let s = 0;
      for (const x of raw) s = (s + x) & 0xff;
      if (!this.noAck) {
        if (s !== sum) { this.sock?.write('-'); continue; }
        this.sock?.write('+');
      }
      // Binary data (X packets) escapes '}' '#' '$' '*' as 0x7d, c ^ 0x20.
      const bytes: number[] = [];
      for (let i = 0; i < raw.length; i++) bytes.push(raw[i] === 0x7d && i + 1 < raw.length ? raw[++i] ^ 0x20 : raw[i]);
      const pkt = Buffer.from(bytes).toString('latin1');
      this.log(`gdb -> ${pkt.slice(0, 200)}\n`);
      let reply: string | null;
      try {
        reply = this.handle(pkt);
      } catch (e) {
        this.log(`gdb: ${(e as Error).message}\n`);
        reply = 'E22';
      }
      if (reply !== null) this.send(reply);
    }
  }

  // ---- stops ----

  private stopReply(sig: number, cpu: number, extra = ''): string {
    return `T${hex8(sig)}thread:${hex8(cpu + 1)};${extra}`;
  }

  /** Ctrl-C from gdb. */
  private interrupt(): void {
    const wasRunning = this.running;
    this.running = false;
    this.lastStop = this.stopReply(SIGINT, this.gCpu);
    this.loop.stop();
    if (wasRunning) this.send(this.lastStop);
  }

  /** A breakpoint or single step finished on `cpu`, inside a slice. */
  private debugStop(cpu: ExecCPU, reason: 'breakpoint' | 'step' | 'watch'): void {
    let extra = '';
    const hit = cpu.tlb.watchHit;
    cpu.tlb.watchHit = null;
    if (reason === 'watch' && hit) extra = `${['watch', 'rwatch', 'awatch'][hit.wp.type - 2]}:${(hit.addr >>> 0).toString(16)};`;
    if (reason === 'breakpoint') {
      const kinds = this.bps.get(cpu.getPC() >>> 0);
      if (kinds?.has(1) && this.hwbreakOk) extra = 'hwbreak:;';
      else if (this.swbreakOk) extra = 'swbreak:;';
    }
    this.gCpu = cpu.index;
    this.lastStop = this.stopReply(SIGTRAP, cpu.index, extra);
    const was = this.running;
    this.running = false;
    this.loop.stop();
    if (was) this.send(this.lastStop);
  }

  /** The machine paused for another reason (monitor `stop`, -no-shutdown power-off) while gdb waited. */
  private paused(): void {
    if (!this.running) return;
    this.running = false;
    this.lastStop = this.stopReply(SIGINT, this.gCpu);
    this.send(this.lastStop);
  }

  private resume(step: number): void {
    this.running = true;
    this.m.exec.singlestepCpu = step;
    if (this.m.paused) this.loop.cont();
    else this.loop.kick();
  }

  // ---- breakpoints ----

  private setBreakpoint(addr: number, kind: number, on: boolean): void {
    let k = this.bps.get(addr);
    if (on) {
      if (!k) this.bps.set(addr, (k = new Set()));
      if (k.has(kind)) return;
      k.add(kind);
    } else if (k) {
      k.delete(kind);
      if (k.size === 0) this.bps.delete(addr);
    } else {
      return;
    }
    this.syncBreakpoints([addr]);
  }

  private setWatchpoint(addr: number, len: number, type: number, on: boolean): void {
    const i = this.wps.findIndex((w) => w.addr === addr && w.len === len && w.type === type);
    if (on && i < 0) this.wps.push({ addr, len, type, kind: type === 2 ? 2 : type === 3 ? 1 : 3 });
    else if (!on && i >= 0) this.wps.splice(i, 1);
    else return;
    this.syncWatchpoints();
  }

  private syncWatchpoints(): void {
    for (const c of this.m.cpus) {
      c.tlb.watchpoints = this.wps.length ? this.wps.slice() : null;
      c.tlb.flush(); // the watched pages' entries must take the slow path (or stop taking it)
    }
  }

  private clearBreakpoints(): void {
    if (this.wps.length) { this.wps = []; this.syncWatchpoints(); }
    if (this.bps.size === 0) return;
    const addrs = [...this.bps.keys()];
    this.bps.clear();
    this.syncBreakpoints(addrs);
  }

  /** Breakpoints at `changed` appeared or went: update the CPUs' sets and retranslate the code there. */
  private syncBreakpoints(changed: number[]): void {
    for (const c of this.m.cpus) {
      const set = (c as { breakpoints?: Set<number> }).breakpoints;
      if (!set) continue;
      set.clear();
      for (const a of this.bps.keys()) set.add(a | 0);
    }
    // Translated code has breakpoints baked in (or not). Like QEMU's breakpoint_invalidate, flush
    // everything: TBs for this virtual pc may exist for any physical page it was ever mapped to.
    if (changed.length) this.m.exec.cache.flush();
  }

  // ---- memory ----

  private cpu(i = this.gCpu): MachineCPU { return this.m.cpus[i] ?? this.m.cpus[0]; }

  private readMem(addr: number, len: number): number[] | null {
    const out: number[] = [];
    const cpu = this.cpu();
    for (let i = 0; i < len;) {
      const va = (addr + i) >>> 0;
      const pa = cpu.debugTranslate(va);
      if (pa === undefined) return out.length ? out : null;
      const n = Math.min(len - i, 0x1000 - (va & 0xfff));
      for (let k = 0; k < n; k++) {
        const v = this.m.as.read((pa + k) >>> 0, 1);
        if (v === undefined) return out.length ? out : null;
        out.push(v);
      }
      i += n;
    }
    return out;
  }

  private writeMem(addr: number, data: number[]): boolean {
    const cpu = this.cpu();
    const as = this.m.as;
    for (let i = 0; i < data.length;) {
      const va = (addr + i) >>> 0;
      const pa = cpu.debugTranslate(va);
      if (pa === undefined) return false;
      const n = Math.min(data.length - i, 0x1000 - (va & 0xfff));
      for (let k = 0; k < n; k++) {
        const p = (pa + k) >>> 0;
        const r = as.find(p);
        if (!r) return false;
        // Like cpu_memory_rw_debug: RAM, ROM and flash contents are written directly, MMIO goes to the device.
        if (r.hostOffset >= 0) writeHost(this.m.host, r.hostOffset + (p - r.base), data[i + k], 1);
        else if (!as.write(p, data[i + k], 1)) return false;
      }
      // The bytes may be code: drop its translations.
      this.m.exec.cache.invalidatePage(pa >>> PAGE_BITS);
      if (((pa + n - 1) >>> PAGE_BITS) !== (pa >>> PAGE_BITS)) this.m.exec.cache.invalidatePage((pa + n - 1) >>> PAGE_BITS);
      i += n;
    }
    return true;
  }

  // ---- packets ----

  private threadCpu(id: string): number | undefined {
    // -1: all threads, 0: any thread.
    if (id === '-1') return -1;
    const n = parseInt(id, 16);
    if (Number.isNaN(n)) return undefined;
    if (n === 0) return this.firstCpu();
    return n >= 1 && n <= this.m.cpus.length ? n - 1 : undefined;
  }

  private handle(p: string): string | null {
    const cmd = p[0];
    switch (cmd) {
      case '?':
        return this.lastStop;
      case 'g': {
        const cpu = this.cpu();
        return this.arch.gRegs.map((n) => regHex(this.arch.readReg(cpu, n) ?? 0)).join('');
      }
      case 'G': {
        const cpu = this.cpu();
        const hex = p.slice(1);
        this.arch.gRegs.forEach((n, i) => {
          if (hex.length >= (i + 1) * 8) this.arch.writeReg(cpu, n, parseRegHex(hex.slice(i * 8, i * 8 + 8)));
        });
        return 'OK';
      }
      case 'p': {
        const v = this.arch.readReg(this.cpu(), parseInt(p.slice(1), 16));
        return v === undefined ? 'E14' : regHex(v);
      }
      case 'P': {
        const [n, v] = p.slice(1).split('=');
        return this.arch.writeReg(this.cpu(), parseInt(n, 16), parseRegHex(v)) ? 'OK' : 'E14';
      }
      case 'm': {
        const [a, l] = p.slice(1).split(',').map((x) => parseInt(x, 16));
        const data = this.readMem(a >>> 0, Math.min(l, PACKET_SIZE / 2));
        return data === null ? 'E14' : Buffer.from(data).toString('hex');
      }
      case 'M': {
        const colon = p.indexOf(':');
        const [a, l] = p.slice(1, colon).split(',').map((x) => parseInt(x, 16));
        const bytes = Array.from(Buffer.from(p.slice(colon + 1), 'hex')).slice(0, l);
        return this.writeMem(a >>> 0, bytes) ? 'OK' : 'E14';
      }
      case 'X': {
        const colon = p.indexOf(':');
        const [a, l] = p.slice(1, colon).split(',').map((x) => parseInt(x, 16));
        if (l === 0) return 'OK';
        const bytes = Array.from(Buffer.from(p.slice(colon + 1), 'latin1')).slice(0, l);
        return this.writeMem(a >>> 0, bytes) ? 'OK' : 'E14';
      }
      case 'c': case 'C':
        if (cmd === 'c' && p.length > 1) this.arch.writeReg(this.cpu(), this.arch.pcReg, parseInt(p.slice(1), 16));
        this.resume(-1);
        return null;
      case 's': case 'S': {
        if (cmd === 's' && p.length > 1) this.arch.writeReg(this.cpu(), this.arch.pcReg, parseInt(p.slice(1), 16));
        this.resume(this.cCpu >= 0 ? this.cCpu : this.gCpu);
        return null;
      }
      case 'H': {
        const t = this.threadCpu(p.slice(2));
        if (t === undefined) return 'E22';
        if (p[1] === 'g') this.gCpu = t < 0 ? this.firstCpu() : t;
        else if (p[1] === 'c') this.cCpu = t;
        else return 'E22';
        return 'OK';
      }
      case 'T': {
        const t = this.threadCpu(p.slice(1));
        return t !== undefined && t >= 0 ? 'OK' : 'E22';
      }
      case 'Z': case 'z': {
        const [type, addr] = p.slice(1).split(',').map((x) => parseInt(x, 16));
        if (type === 0 || type === 1) { this.setBreakpoint(addr >>> 0, type, cmd === 'Z'); return 'OK'; }
        if (type >= 2 && type <= 4) {
          const len = parseInt(p.split(',')[2] ?? '4', 16) || 1;
          this.setWatchpoint(addr >>> 0, len, type, cmd === 'Z');
          return 'OK';
        }
        return '';
      }
      case 'D':
        this.clearBreakpoints();
        this.running = false;
        this.m.exec.singlestepCpu = -1;
        this.send('OK');
        this.loop.cont();
        return null;
      case 'k':
        this.onKill();
        return null;
      case 'q': case 'Q':
        return this.query(p);
      case 'v':
        return this.vPacket(p);
      default:
        return '';
    }
  }

  private query(p: string): string | null {
    if (p.startsWith('qSupported')) {
      const feats = p.slice(11).split(';');
      this.swbreakOk = feats.includes('swbreak+');
      this.hwbreakOk = feats.includes('hwbreak+');
      return `PacketSize=${PACKET_SIZE.toString(16)};qXfer:features:read+;QStartNoAckMode+;vContSupported+` +
        (this.swbreakOk ? ';swbreak+' : '') + (this.hwbreakOk ? ';hwbreak+' : '');
    }
    if (p === 'QStartNoAckMode') { this.send('OK'); this.noAck = true; return null; }
    if (p.startsWith('qXfer:features:read:')) {
      const [annex, range] = p.slice(20).split(':');
      if (annex !== 'target.xml') return 'E00';
      const [off, len] = range.split(',').map((x) => parseInt(x, 16));
      const xml = this.arch.targetXml;
      const chunk = xml.slice(off, off + len);
      return (off + len >= xml.length ? 'l' : 'm') + chunk.replace(/[#$}*]/g, (c) => '}' + String.fromCharCode(c.charCodeAt(0) ^ 0x20));
    }
    if (p === 'qC') return `QC${hex8(this.gCpu + 1)}`;
    if (p === 'qfThreadInfo') return 'm' + this.m.cpus.map((c) => hex8(c.index + 1)).join(',');
    if (p === 'qsThreadInfo') return 'l';
    if (p.startsWith('qThreadExtraInfo,')) {
      const t = this.threadCpu(p.slice(17));
      if (t === undefined || t < 0) return 'E22';
      const c = this.m.cpus[t];
      return toHex(`CPU#${t} [${c.off ? 'off' : c.halted ? 'halted ' : 'running'}]`);
    }
    if (p === 'qAttached') return '1';
    if (p.startsWith('qRcmd,')) {
      // gdb's `monitor CMD`: run it in a human monitor of our own, output as O packets.
      const line = Buffer.from(p.slice(6), 'hex').toString('latin1');
      void import('./monitor.js').then(({ Monitor }) => {
        let text = '';
        const mon = new Monitor(this.m, this.loop, (t) => { text += t; });
        mon.echo = false;
        mon.execute(line);
        text = text.replace(/\r\n/g, '\n');
        for (let i = 0; i < text.length; i += 1024) this.send('O' + toHex(text.slice(i, i + 1024)));
        this.send('OK');
      });
      return null;
    }
    return '';
  }

  private vPacket(p: string): string | null {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) {
      // Actions apply to the first thread they match; all-stop: one `s` steps that CPU, the rest stay stopped.
      let step = -1, cont = false;
      for (const a of p.slice(6).split(';')) {
        const [act, tid] = a.split(':');
        const t = tid === undefined ? -1 : this.threadCpu(tid);
        if (t === undefined) return 'E22';
        if (act[0] === 's' || act[0] === 'S') { if (step < 0) step = t < 0 ? this.gCpu : t; }
        else if (act[0] === 'c' || act[0] === 'C') cont = true;
      }
      if (step >= 0) this.gCpu = step;
      if (step < 0 && !cont) return 'E22';
      this.resume(step);
      return null;
    }
    if (p === 'vMustReplyEmpty') return '';
    return '';
  }
}

const stubs = new WeakMap<Machine, GdbStub>();

/** The stub for this machine's CPU architecture. */
async function archFor(m: Machine): Promise<GdbArch> {
  if (m.config.arch === 'i386') return (await import('../target/i386/gdb-regs.js')).i386Gdb;
  return (await import('../target/arm/gdb-regs.js')).armGdb;
}

/** Start (or move) the machine's gdb server: `-gdb SPEC`, `-s`, the monitor's `gdbserver`. Resolves with the port. */
export async function startGdbServer(m: Machine, loop: MainLoop, spec: string, log?: (s: string) => void): Promise<number> {
  const { host, port } = parseGdbSpec(spec);
  const old = stubs.get(m);
  if (old) { stubs.delete(m); await old.close(0); }
  const stub = new GdbStub(m, loop, await archFor(m), log ?? (process.env.TSEMU_GDB_DEBUG ? (s) => process.stderr.write(s) : undefined));
  const p = await stub.listen(host, port);
  stubs.set(m, stub);
  return p;
}

/** Stop the gdb server (tsemu exits, or `gdbserver none`), telling a connected gdb the exit status. */
export async function stopGdbServer(m: Machine, code = 0): Promise<void> {
  const s = stubs.get(m);
  if (!s) return;
  stubs.delete(m);
  await s.close(code);
}
