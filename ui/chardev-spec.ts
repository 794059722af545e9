/**
 * QEMU's legacy chardev specs, as `-serial`, `-monitor` and `-qmp` take them
 * (qemu_chr_parse_compat): `stdio`, `mon:stdio`, `null`, `none`, `file:PATH`,
 * `pty`, `tcp:[HOST]:PORT[,server[=on|off]][,wait=on|off][,nowait][,telnet]`,
 * `telnet:HOST:PORT[,...]`, `unix:PATH[,server][,wait=...]` and a host
 * serial device path (`/dev/ttyS0`, `/dev/pts/3`). A `mon:` prefix muxes the
 * HMP monitor onto the same backend (Ctrl-A c switches).
 */
import { ConfigError } from '../machines/config.js';

export type ChardevSpec =
  | { kind: 'stdio'; mux: boolean }
  | { kind: 'null'; mux: boolean }
  | { kind: 'none'; mux: boolean }
  | { kind: 'file'; mux: boolean; path: string }
  | { kind: 'pty'; mux: boolean }
  | { kind: 'serial'; mux: boolean; path: string }
  | SocketSpec;

export interface SocketSpec {
  kind: 'socket';
  mux: boolean;
  /** `tcp`/`telnet`: host and port; `unix`: path. */
  transport: 'tcp' | 'unix';
  host: string;
  port: number;
  path: string;
  server: boolean;
  /** Server only: block the start of the machine until the first client connects (QEMU's default). */
  wait: boolean;
  telnet: boolean;
  nodelay: boolean;
}

/** The QEMU spelling of a socket spec, for messages (`disconnected:tcp:127.0.0.1:4444,server=on`). */
export function describeSocket(s: SocketSpec, port = s.port): string {
  const where = s.transport === 'unix' ? `unix:${s.path}` : `${s.telnet ? 'telnet' : 'tcp'}:${s.host.includes(':') ? `[${s.host}]` : s.host}:${port}`;
  return where + (s.server ? ',server=on' : '');
}

function bool(opt: string, v: string | undefined, what: string): boolean {
  if (v === undefined) return true;
  switch (v) {
    case 'on': case 'yes': case 'true': return true;
    case 'off': case 'no': case 'false': return false;
  }
  throw new ConfigError(`tsemu: ${what}: Parameter '${opt}' expects 'on' or 'off'`);
}

/**
 * Parse one spec. `what` names the option for messages (`-serial tcp::4444`).
 * An empty host means 127.0.0.1, QEMU's spelling `tcp::4444` included.
 */
export function parseChardevSpec(spec: string, what = spec): ChardevSpec {
  let s = spec;
  let mux = false;
  if (s.startsWith('mon:')) { mux = true; s = s.slice(4); }
  const bad = (msg: string): never => { throw new ConfigError(`tsemu: ${what}: ${msg}`); };
  if (s === 'stdio') return { kind: 'stdio', mux };
  if (s === 'null') return { kind: 'null', mux };
  if (s === 'none') return { kind: 'none', mux };
  if (s === 'pty') return { kind: 'pty', mux };
  if (s.startsWith('file:')) {
    const path = s.slice(5);
    if (!path) bad('file: needs a path');
    return { kind: 'file', mux, path };
  }
  if (s.startsWith('/dev/')) return { kind: 'serial', mux, path: s };
  const m = /^(tcp|telnet|unix):(.*)$/.exec(s);
  if (!m) return bad(`'${s}' is not a valid char driver name`);
  const [addr, ...opts] = m[2].split(',');
  const sock: SocketSpec = {
    kind: 'socket', mux, transport: m[1] === 'unix' ? 'unix' : 'tcp', host: '', port: 0, path: '',
    server: false, wait: true, telnet: m[1] === 'telnet', nodelay: false,
  };
  if (sock.transport === 'unix') {
    if (!addr) bad('unix: needs a path');
    sock.path = addr;
  } else {
    const hp = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(addr);
    if (!hp) return bad(`host and port must be given as HOST:PORT ('${addr}')`);
    sock.host = hp[1] ?? hp[2] ?? '';
    if (sock.host === '') sock.host = '127.0.0.1';
    sock.port = parseInt(hp[3], 10);
    if (sock.port > 65535) bad(`port ${sock.port} out of range`);
  }
  let waitGiven = false;
  for (const o of opts) {
    if (o === '') continue;
    const eq = o.indexOf('=');
    const k = eq < 0 ? o : o.slice(0, eq);
    const v = eq < 0 ? undefined : o.slice(eq + 1);
    switch (k) {
      case 'server': sock.server = bool(k, v, what); break;
      case 'wait': sock.wait = bool(k, v, what); waitGiven = true; break;
      case 'nowait': sock.wait = false; waitGiven = true; break;
      case 'telnet': sock.telnet = bool(k, v, what); break;
      case 'nodelay': sock.nodelay = bool(k, v, what); break;
      // accepted and ignored: address family hints, ranges, reconnect delays
      case 'ipv4': case 'ipv6': case 'to': case 'reconnect': case 'keep-alive': case 'mux': break;
      default: bad(`Invalid parameter '${k}'`);
    }
  }
  if (!sock.server) {
    if (waitGiven && sock.wait === false) { /* QEMU warns and ignores wait for clients */ }
    sock.wait = false;
  }
  return sock;
}
