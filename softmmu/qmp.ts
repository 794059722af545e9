/**
 * QMP, QEMU's JSON control protocol, on a stream chardev (`-qmp
 * tcp:127.0.0.1:4444,server,wait=off`, `-qmp unix:PATH,server,wait=off`).
 *
 * A connection gets the greeting, must send `qmp_capabilities` first, then
 * may run: query-status, stop, cont, system_reset, system_powerdown, quit,
 * human-monitor-command, query-version, query-commands, query-name. Events
 * (STOP, RESUME, RESET, SHUTDOWN, POWERDOWN) go to every negotiated
 * connection. Bad input gets an error object and the connection stays open.
 * Output is QEMU's: `{"return": {}}` with ": " and ", " separators, one
 * message per line ending in CR LF.
 */
import type { Machine, ShutdownCause } from './machine.js';
import type { MainLoop } from './vl.js';
import { Monitor, screendumpCommand } from './monitor.js';
import type { ByteStream } from '../ui/chardev-stream.js';

const VERSION = '0.1.0';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** QEMU's compact JSON spelling: `{"a": 1, "b": [1, 2]}`. */
export function qmpJson(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(qmpJson).join(', ') + ']';
  return '{' + Object.entries(v).map(([k, x]) => JSON.stringify(k) + ': ' + qmpJson(x)).join(', ') + '}';
}

function timestamp(): Json {
  const us = BigInt(Date.now()) * 1000n + (process.hrtime.bigint() / 1000n) % 1000n;
  return { seconds: Number(us / 1_000_000n), microseconds: Number(us % 1_000_000n) };
}

class QmpError extends Error {
  constructor(readonly cls: 'GenericError' | 'CommandNotFound', desc: string) { super(desc); }
}

/**
 * Machine state changes as QMP events. Installed once per run: wraps the main
 * loop's stop/cont notification, quit and requestReset, and the machine's
 * shutdown requests, so events arrive whoever caused them (QMP, HMP, guest).
 */
export class QmpEvents {
  private listeners = new Set<(ev: string, data?: Json) => void>();
  /** Why the next quit happens (QEMU's ShutdownCause names). */
  quitReason = 'host-qmp-quit';
  private shutdownSent = false;
  /** Once `cont` has run: before that a -S machine is in `prelaunch`. */
  started = false;

  constructor(readonly m: Machine, readonly loop: MainLoop) {
    const start = loop.start.bind(loop);
    loop.start = (paused = false) => { this.started = !paused; start(paused); };
    const onState = loop.onStateChange;
    loop.onStateChange = (running) => {
      onState(running);
      if (running) this.started = true;
      this.emit(running ? 'RESUME' : 'STOP');
    };
    const onShutdown = m.onShutdown;
    m.onShutdown = (cause: ShutdownCause) => {
      if (cause === 'reset' && !loop.opts.noReboot) this.emit('RESET', { guest: true, reason: 'guest-reset' });
      else this.shutdown(true, cause === 'reset' ? 'guest-reset' : cause === 'poweroff' ? 'guest-shutdown' : cause === 'error' ? 'guest-panic' : 'host-qmp-quit');
      onShutdown(cause);
    };
    const quit = loop.quit.bind(loop);
    loop.quit = (code = 0) => { this.shutdown(false, this.quitReason); quit(code); };
    const reset = loop.requestReset.bind(loop);
    loop.requestReset = () => {
      if (loop.opts.noReboot) this.quitReason = 'host-qmp-system-reset';
      else this.emit('RESET', { guest: false, reason: 'host-qmp-system-reset' });
      reset();
    };
  }

  private shutdown(guest: boolean, reason: string): void {
    if (this.shutdownSent) return;
    this.emit('SHUTDOWN', { guest, reason });
    // -no-shutdown keeps the machine after a guest power-off: a later quit is a second shutdown.
    this.shutdownSent = !(guest && reason === 'guest-shutdown' && this.loop.opts.noShutdown);
  }

  emit(event: string, data?: Json): void { for (const l of this.listeners) l(event, data); }
  listen(f: (ev: string, data?: Json) => void): void { this.listeners.add(f); }
}

interface Ctx { args: Record<string, Json> }
interface Command { run: (q: QmpServer, c: Ctx) => Json; args?: Record<string, 'str' | 'int' | 'bool' | 'any'>; required?: string[] }

const COMMANDS: Record<string, Command> = {
  'qmp_capabilities': { args: { enable: 'any' }, run: (_q, c) => {
    const en = c.args.enable;
    if (Array.isArray(en) && en.length) throw new QmpError('GenericError', `Capability '${String(en[0])}' not available`);
    return {};
  } },
  'query-status': { run: (q) => {
    const running = q.loop.running;
    const status = running ? 'running' : q.events.started ? 'paused' : 'prelaunch';
    return { status, singlestep: false, running };
  } },
  'stop': { run: (q) => { q.loop.stop(); return {}; } },
  'cont': { run: (q) => { q.loop.cont(); return {}; } },
  'system_reset': { run: (q) => { q.loop.requestReset(); return {}; } },
  // The virt board has no ACPI: QEMU presses a GPIO power button the guest may ignore. Only the event here.
  'system_powerdown': { run: (q) => { q.events.emit('POWERDOWN'); return {}; } },
  'quit': { run: (q) => {
    q.events.quitReason = 'host-qmp-quit';
    setImmediate(() => q.loop.quit(0)); // the reply goes out first
    return {};
  } },
  'human-monitor-command': { args: { 'command-line': 'str', 'cpu-index': 'int' }, required: ['command-line'], run: (q, c) => {
    let out = '';
    const mon = new Monitor(q.m, q.loop, (s) => { out += s; });
    if (c.args['cpu-index'] !== undefined) {
      const i = c.args['cpu-index'] as number;
      if (!(i >= 0 && i < q.m.cpus.length)) throw new QmpError('GenericError', `Parameter 'cpu-index' expects a valid CPU index`);
      mon.cpuIndex = i;
    }
    mon.execute(c.args['command-line'] as string);
    return out;
  } },
  // QEMU's arguments: filename, device, head, format; only the first console and PNG here.
  'screendump': { args: { filename: 'str', device: 'str', head: 'int', format: 'str' }, required: ['filename'], run: (q, c) => {
    if (c.args.format !== undefined && c.args.format !== 'png') throw new QmpError('GenericError', `Unsupported image format '${String(c.args.format)}' (only png)`);
    if ((c.args.head ?? 0) !== 0) throw new QmpError('GenericError', 'head must be 0');
    screendumpCommand(q.m, c.args.filename as string);
    return {};
  } },
  'query-version': { run: () => ({ qemu: { micro: 0, minor: 2, major: 7 }, package: `tsemu ${VERSION}` }) },
  'query-commands': { run: () => Object.keys(COMMANDS).map((name) => ({ name })) },
  'query-name': { run: () => ({}) },
};

/** One QMP monitor on a stream (one client at a time). */
export class QmpServer {
  private negotiated = false;
  private buf = '';
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(readonly m: Machine, readonly loop: MainLoop, readonly events: QmpEvents, private stream: ByteStream) {
    stream.onConnect = () => this.greet();
    stream.onData = (b) => this.feed(Buffer.from(b).toString('utf8'));
    events.listen((event, data) => {
      if (!this.negotiated || !stream.connected) return;
      const msg: { [k: string]: Json } = { timestamp: timestamp(), event };
      if (data !== undefined) msg.data = data;
      this.send(msg);
    });
    if (stream.connected) this.greet();
  }

  private greet(): void {
    this.negotiated = false;
    this.buf = ''; this.depth = 0; this.inString = false; this.escaped = false;
    this.send({ QMP: { version: { qemu: { micro: 0, minor: 2, major: 7 }, package: `tsemu ${VERSION}` }, capabilities: [] } });
  }

  private send(v: Json): void { this.stream.write(qmpJson(v) + '\r\n'); }

  /** Split the input into JSON values (QEMU's streamer: braces and brackets balance, strings respected). */
  feed(text: string): void {
    for (const ch of text) {
      if (this.depth === 0 && !this.inString) {
        if (ch === '{' || ch === '[') {
          if (this.buf.trim()) this.handle(this.buf);
          this.buf = ch; this.depth = 1;
          continue;
        }
        if (ch === '\n' || ch === '\r') { if (this.buf.trim()) this.handle(this.buf); this.buf = ''; continue; }
        this.buf += ch;
        continue;
      }
      this.buf += ch;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '{' || ch === '[') this.depth++;
      else if (ch === '}' || ch === ']') {
        if (--this.depth === 0) { const t = this.buf; this.buf = ''; this.handle(t); }
      }
      if (this.buf.length > 1 << 20) { this.buf = ''; this.depth = 0; this.inString = false; this.error(undefined, 'GenericError', 'JSON parse error, input too large'); }
    }
  }

  private error(id: Json | undefined, cls: string, desc: string): void {
    const msg: { [k: string]: Json } = { error: { class: cls, desc } };
    if (id !== undefined) msg.id = id;
    this.send(msg);
  }

  private handle(text: string): void {
    let req: Json;
    try {
      req = JSON.parse(text) as Json;
    } catch (e) {
      this.error(undefined, 'GenericError', `JSON parse error, ${(e as Error).message}`);
      return;
    }
    if (req === null || typeof req !== 'object' || Array.isArray(req)) { this.error(undefined, 'GenericError', 'QMP input must be a JSON object'); return; }
    const id = req.id;
    try {
      for (const k of Object.keys(req)) {
        if (k !== 'execute' && k !== 'arguments' && k !== 'id' && k !== 'exec-oob') throw new QmpError('GenericError', `QMP input member '${k}' is unexpected`);
      }
      if (req['exec-oob'] !== undefined) throw new QmpError('GenericError', `QMP input member 'exec-oob' is unexpected`);
      const name = req.execute;
      if (name === undefined) throw new QmpError('GenericError', "QMP input lacks member 'execute'");
      if (typeof name !== 'string') throw new QmpError('GenericError', "QMP input member 'execute' must be a string");
      const args = req.arguments ?? {};
      if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new QmpError('GenericError', "QMP input member 'arguments' must be an object");
      if (!this.negotiated && name !== 'qmp_capabilities') throw new QmpError('CommandNotFound', "Expecting capabilities negotiation with 'qmp_capabilities'");
      if (this.negotiated && name === 'qmp_capabilities') throw new QmpError('CommandNotFound', 'Capabilities negotiation is already complete, command ignored');
      const cmd = COMMANDS[name];
      if (!cmd) throw new QmpError('CommandNotFound', `The command ${name} has not been found`);
      for (const [k, v] of Object.entries(args)) {
        const t = cmd.args?.[k];
        if (!t) throw new QmpError('GenericError', `Parameter '${k}' is unexpected`);
        const ok = t === 'any' || (t === 'str' && typeof v === 'string') || (t === 'bool' && typeof v === 'boolean') || (t === 'int' && Number.isInteger(v));
        if (!ok) throw new QmpError('GenericError', `Invalid parameter type for '${k}', expected: ${t === 'str' ? 'string' : t === 'int' ? 'integer' : 'boolean'}`);
      }
      for (const k of cmd.required ?? []) if (args[k] === undefined) throw new QmpError('GenericError', `Parameter '${k}' is missing`);
      const ret = cmd.run(this, { args });
      if (name === 'qmp_capabilities') this.negotiated = true;
      const msg: { [k: string]: Json } = { return: ret };
      if (id !== undefined) msg.id = id;
      this.send(msg);
    } catch (e) {
      if (e instanceof QmpError) this.error(id, e.cls, e.message);
      else this.error(id, 'GenericError', (e as Error).message);
    }
  }
}
