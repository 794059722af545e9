/**
 * The command line, QEMU's way: `tsemu [MACHINE.yaml] [options]`, so a QEMU
 * command line works with the binary name swapped. `parseArgs` only reads
 * argv (no file system); `buildConfig` loads the machine and applies the
 * overrides, checking the files the options name.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type MachineConfig } from '../machines/config.js';
import { DEFAULT_MACHINE, MACHINE_ALIASES, listMachines, machineFile } from '../machines/index.js';
import { formatSize, parseSize } from '../machines/sizes.js';
import { findOverlap } from '../machines/layout.js';
import { compiledMachine } from '../machines/compiled.js';
import { formatImageRef, isRemote, parseImageRef } from '../machines/image-ref.js';
import { applyDriveOptions } from './drive-options.js';
import { parseModules } from '../machines/multiboot.js';

/** `-d` items, as QEMU names them. */
export const LOG_ITEMS = ['in_asm', 'op', 'op_opt', 'out_asm', 'exec', 'int', 'unimp', 'guest_errors', 'mmu', 'nochain', 'cpu'] as const;
export type LogItem = (typeof LOG_ITEMS)[number];

export interface CliOptions {
  machineFile?: string;            // positional MACHINE.yaml
  machine?: string;                // -M / -machine NAME
  machineProps: Record<string, string>;  // -machine NAME,key=value,... (kept for the builder)
  memory?: number;                 // -m, bytes
  smp?: number;                    // -smp, CPU count
  cpu?: string;                    // -cpu MODEL
  bios?: string;
  kernel?: string;
  initrd?: string;
  append?: string;
  dtb?: string;
  nographic: boolean;
  serial: string[];                // -serial, in order: serial0, serial1, ...
  monitor?: string;
  qmp: string[];
  noReboot: boolean;
  noShutdown: boolean;
  log: LogItem[];                  // -d
  logFile?: string;                // -D
  dfilter: { start: number; end: number }[];   // inclusive guest address ranges
  accel: { backend?: 'interp' | 'wasm'; thread?: 'single' | 'multi'; tbSize?: number; maxTbs?: number };
  icount?: { shift: number | 'auto'; sleep: boolean; align: boolean };
  gdb?: string;                    // -gdb SPEC; -s gives tcp::1234
  stopped: boolean;                // -S
  display?: 'none' | 'tui' | 'curses';
  vga?: string;
  nic: string[];
  net: string[];
  snapshot: boolean;
  drives: string[];
  devices: string[];
  /** QEMU options accepted so pasted command lines run, but not modelled; the caller may warn. */
  ignored: { option: string; value?: string }[];
  version: boolean;
  /** -debugcon DEV (x86). */
  debugcon?: string;
  /** -rtc base=...: epoch seconds the guest's RTC starts from (undefined: now, UTC). */
  rtcBase?: number;
  /** -profile: statistics on stderr at exit. */
  profile: boolean;
  help?: 'usage' | 'machines' | 'cpus' | 'log' | 'devices';
}

export function defaultOptions(): CliOptions {
  return {
    machineProps: {}, nographic: false, serial: [], qmp: [], noReboot: false, noShutdown: false,
    log: [], dfilter: [], accel: {}, stopped: false, nic: [], net: [], snapshot: false,
    drives: [], devices: [], ignored: [], version: false, profile: false,
  };
}

function fail(opt: string, msg: string): never {
  throw new ConfigError(`tsemu: -${opt}: ${msg}`);
}
function expected(opt: string, what: string, got: string): never {
  return fail(opt, `expected ${what}, got '${got}'`);
}

/**
 * QEMU's `key=value,...` syntax: the first item may omit its key (`-m 256`
 * means size=256), a bare later key means key=on, and `,,` is a literal comma.
 */
export function parseKeyValues(opt: string, text: string, implied: string, keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const items = text.replace(/,,/g, '\0').split(',').map((s) => s.replace(/\0/g, ','));
  items.forEach((item, i) => {
    const eq = item.indexOf('=');
    const [k, v] = eq >= 0 ? [item.slice(0, eq), item.slice(eq + 1)] : i === 0 ? [implied, item] : [item, 'on'];
    if (!keys.includes(k)) fail(opt, `unknown parameter '${k}' (expected ${keys.join(', ')})`);
    out.set(k, v);
  });
  return out;
}

function onOff(opt: string, key: string, v: string): boolean {
  if (v === 'on' || v === 'true' || v === 'yes') return true;
  if (v === 'off' || v === 'false' || v === 'no') return false;
  return expected(opt, `${key}=on or ${key}=off`, v);
}

function int(opt: string, v: string, what: string, min: number, max: number): number {
  const n = /^(0x[0-9a-f]+|[0-9]+)$/i.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : expected(opt, what, v);
}

/**
 * A boot image option: a path, or an http(s) URL (optionally `URL#sha256=HEX`)
 * whose syntax is checked now; main.ts downloads it once the whole
 * configuration is known to be good.
 */
function image(opt: string, v: string): string {
  if (!isRemote(v)) return v;
  try { return formatImageRef(parseImageRef(v)); } catch (e) { return fail(opt, (e as Error).message); }
}

interface OptionSpec {
  names: string[];
  arg?: string;          // what the argument is, for help and "missing argument"
  doc: string;
  apply(o: CliOptions, v: string): void;
}

const keep = (field: 'serial' | 'qmp' | 'nic' | 'net' | 'drives' | 'devices') =>
  (o: CliOptions, v: string) => { o[field].push(v); };
const ignore = (name: string) => (o: CliOptions, v: string) => { o.ignored.push({ option: name, value: v }); };

const OPTIONS: OptionSpec[] = [
  { names: ['M', 'machine'], arg: 'NAME[,prop=value]', doc: 'machine from machines/ (arm-virt; QEMU aliases virt, pc); help lists them',
    apply(o, v) {
      if (v === 'help' || v === '?') { o.help = 'machines'; return; }
      const kv = parseKeyValues('M', v, 'type', ['type', 'accel', 'gic-version', 'highmem', 'secure', 'virtualization',
        'its', 'iommu', 'ras', 'mte', 'dump-guest-core', 'mem-merge', 'usb', 'graphics', 'kernel-irqchip']);
      for (const [k, val] of kv) if (k === 'type') o.machine = val; else o.machineProps[k] = val;
    } },
  { names: ['m'], arg: 'SIZE', doc: 'RAM size: a number is MiB (256), or 256M, 1G',
    apply(o, v) {
      const text = parseKeyValues('m', v, 'size', ['size', 'slots', 'maxmem']).get('size') ?? '';
      const n = parseSize(text, 1 << 20);
      if (n === undefined || n === 0) expected('m', 'a size like 256M', v);
      if (n % 4096) fail('m', `${text} is not a whole number of 4K pages`);
      o.memory = n;
    } },
  { names: ['smp'], arg: 'N[,cores=N,...]', doc: 'number of CPUs',
    apply(o, v) {
      const kv = parseKeyValues('smp', v, 'cpus', ['cpus', 'sockets', 'dies', 'clusters', 'cores', 'threads', 'maxcpus']);
      const num = (k: string) => int('smp', kv.get(k) ?? '1', `${k} as a number from 1 to 255`, 1, 255);
      o.smp = kv.has('cpus') ? num('cpus') : ['sockets', 'dies', 'clusters', 'cores', 'threads'].reduce((p, k) => p * num(k), 1);
      if (o.smp > 255) fail('smp', `${o.smp} CPUs is more than 255`);
    } },
  { names: ['cpu'], arg: 'MODEL', doc: 'CPU model (cortex-a15, ...); help lists them',
    apply(o, v) { if (v === 'help' || v === '?') o.help = 'cpus'; else o.cpu = v.split(',')[0]; } },
  { names: ['bios'], arg: 'FILE', doc: 'firmware image, loaded into flash at 0; or an http(s) URL[#sha256=HEX]', apply(o, v) { o.bios = image('bios', v); } },
  { names: ['kernel'], arg: 'FILE', doc: 'Linux kernel image (zImage, bzImage) or ELF; or an http(s) URL[#sha256=HEX]',
    apply(o, v) { o.kernel = image('kernel', v); } },
  { names: ['initrd'], arg: 'FILE', doc: 'initial ramdisk; or an http(s) URL[#sha256=HEX]', apply(o, v) { o.initrd = image('initrd', v); } },
  { names: ['append'], arg: 'CMDLINE', doc: 'kernel command line', apply(o, v) { o.append = v; } },
  { names: ['dtb'], arg: 'FILE', doc: 'device tree blob to use instead of the generated one; or a URL', apply(o, v) { o.dtb = image('dtb', v); } },
  { names: ['nographic'], doc: 'no display; serial and monitor on stdio (Ctrl-A c switches, Ctrl-A x quits)',
    apply(o) { o.nographic = true; } },
  { names: ['serial'], arg: 'DEV', doc: 'stdio, mon:stdio, null, file:PATH, tcp:[HOST]:PORT[,server][,wait=off], telnet:..., unix:PATH[,server], /dev/DEVICE (repeat for serial1...)',
    apply: keep('serial') },
  { names: ['monitor'], arg: 'DEV', doc: 'where the HMP monitor goes (stdio, tcp:..., none)', apply(o, v) { o.monitor = v; } },
  { names: ['qmp'], arg: 'DEV', doc: 'JSON control socket (unix:PATH,server or tcp:...)', apply: keep('qmp') },
  { names: ['no-reboot'], doc: 'exit instead of rebooting', apply(o) { o.noReboot = true; } },
  { names: ['no-shutdown'], doc: 'stop instead of exiting on guest power-off', apply(o) { o.noShutdown = true; } },
  { names: ['d'], arg: 'ITEM,...', doc: `log items: ${LOG_ITEMS.join(', ')}; help lists them`,
    apply(o, v) {
      for (const item of v.split(',')) {
        if (item === 'help' || item === '?') { o.help = 'log'; continue; }
        if (!(LOG_ITEMS as readonly string[]).includes(item)) fail('d', `unknown log item '${item}' (expected ${LOG_ITEMS.join(', ')})`);
        if (!o.log.includes(item as LogItem)) o.log.push(item as LogItem);
      }
    } },
  { names: ['D'], arg: 'FILE', doc: 'write the -d log to FILE instead of stderr', apply(o, v) { o.logFile = v; } },
  { names: ['dfilter'], arg: 'RANGE,...', doc: 'log only guest addresses in START..END, START+LEN or END-LEN',
    apply(o, v) { o.dfilter.push(...v.split(',').map(parseRange)); } },
  { names: ['accel'], arg: 'tcg[,backend=interp|wasm][,tb-size=MiB][,max-tbs=N]', doc: 'translator backend (wasm JIT or reference interpreter)',
    apply(o, v) {
      const kv = parseKeyValues('accel', v, 'accel', ['accel', 'backend', 'thread', 'tb-size', 'max-tbs']);
      const accel = kv.get('accel') ?? 'tcg';
      if (accel !== 'tcg') fail('accel', `only tcg is available, got '${accel}'`);
      const backend = kv.get('backend');
      if (backend !== undefined) o.accel.backend = backend === 'interp' || backend === 'wasm' ? backend : expected('accel', 'backend=interp or backend=wasm', backend);
      const thread = kv.get('thread');
      if (thread !== undefined) o.accel.thread = thread === 'single' || thread === 'multi' ? thread : expected('accel', 'thread=single or thread=multi', thread);
      const tb = kv.get('tb-size');
      if (tb !== undefined) o.accel.tbSize = int('accel', tb, 'tb-size in MiB', 1, 4096);
      const maxTbs = kv.get('max-tbs');
      if (maxTbs !== undefined) o.accel.maxTbs = int('accel', maxTbs, 'max-tbs (translated blocks kept before a full flush)', 1, 1 << 24);
    } },
  { names: ['enable-kvm'], doc: 'not available: tsemu translates (TCG) only',
    apply() { fail('enable-kvm', 'KVM is not available; tsemu runs guests with its own translator (tcg)'); } },
  { names: ['icount'], arg: 'shift=N|auto[,sleep=on|off]', doc: 'virtual time = instructions << N (deterministic runs)',
    apply(o, v) {
      const kv = parseKeyValues('icount', v, 'shift', ['shift', 'sleep', 'align']);
      const s = kv.get('shift') ?? 'auto';
      o.icount = {
        shift: s === 'auto' ? 'auto' : int('icount', s, 'shift=N with N from 0 to 10, or auto', 0, 10),
        sleep: onOff('icount', 'sleep', kv.get('sleep') ?? 'on'),
        align: onOff('icount', 'align', kv.get('align') ?? 'off'),
      };
    } },
  { names: ['s'], doc: 'shorthand for -gdb tcp::1234', apply(o) { o.gdb = 'tcp::1234'; } },
  { names: ['S'], doc: 'do not start the CPUs (continue from the monitor or gdb)', apply(o) { o.stopped = true; } },
  { names: ['gdb'], arg: 'DEV', doc: 'gdb server (tcp::1234)', apply(o, v) { o.gdb = v; } },
  { names: ['display'], arg: 'none|tui|curses', doc: 'display front end',
    apply(o, v) {
      const type = v.split(',')[0];
      o.display = type === 'none' || type === 'tui' || type === 'curses' ? type : expected('display', 'none, tui or curses', type);
    } },
  { names: ['vga'], arg: 'TYPE', doc: 'x86 display adapter (none, std)', apply(o, v) { o.vga = v; } },
  { names: ['nic'], arg: 'none', doc: 'network card (none)', apply: keep('nic') },
  { names: ['net'], arg: 'none', doc: 'network (none)', apply: keep('net') },
  { names: ['snapshot'], doc: 'write disk changes to memory, never to the image files', apply(o) { o.snapshot = true; } },
  { names: ['drive'], arg: 'file=PATH[,format=raw][,if=virtio|none][,readonly=on][,snapshot=on][,id=ID]', doc: 'raw disk image on a virtio-mmio transport',
    apply: keep('drives') },
  { names: ['device'], arg: 'TYPE[,...]', doc: 'add a device; help lists them',
    apply(o, v) { if (v === 'help' || v === '?') o.help = 'devices'; else o.devices.push(v); } },
  { names: ['rtc'], arg: 'base=utc|localtime|DATE[,clock=...]', doc: 'what the guest\'s real-time clock starts at (DATE: 2006-06-17T16:01:21 or 2006-06-17)',
    apply(o, v) {
      const kv = parseKeyValues('rtc', v, 'base', ['base', 'clock', 'driftfix']);
      const base = kv.get('base');
      if (base === undefined || base === 'utc') return;
      const now = Math.floor(Date.now() / 1000);
      if (base === 'localtime') { o.rtcBase = now - new Date().getTimezoneOffset() * 60; return; }
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?$/.exec(base);
      const t = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) : NaN;
      if (!Number.isFinite(t)) expected('rtc', 'base=utc, base=localtime or base=2006-06-17T16:01:21', base);
      o.rtcBase = t / 1000;
    } },
  { names: ['debugcon'], arg: 'file:PATH|stdio|null', doc: 'x86: the isa-debugcon port (0xE9; -global isa-debugcon.iobase=0x402 for SeaBIOS) to a file or stderr',
    apply(o, v) {
      if (v !== 'stdio' && v !== 'null' && v !== 'none' && !/^file:.+/.test(v)) expected('debugcon', 'file:PATH, stdio or null', v);
      o.debugcon = v;
    } },
  { names: ['profile'], doc: 'print execution and translation statistics at exit', apply(o) { o.profile = true; } },
  { names: ['version'], doc: 'print the version and exit', apply(o) { o.version = true; } },
  { names: ['h', 'help'], doc: 'print this help and exit', apply(o) { o.help = 'usage'; } },
  // Accepted so pasted QEMU command lines run; tsemu has nothing to do with them.
  ...['name', 'boot', 'L', 'k', 'parallel', 'chardev', 'object', 'global', 'msg', 'audiodev', 'uuid']
    .map((n): OptionSpec => ({ names: [n], arg: 'ARG', doc: '(accepted for QEMU compatibility, ignored)', apply: ignore(n) })),
  ...['usb', 'no-acpi', 'no-hpet', 'nodefaults', 'no-user-config']
    .map((n): OptionSpec => ({ names: [n], doc: '(accepted for QEMU compatibility, ignored)', apply: ignore(n) })),
];

const BY_NAME = new Map(OPTIONS.flatMap((s) => s.names.map((n) => [n, s] as const)));

/** `a..b` (inclusive), `a+len`, `a-len` (len bytes ending at a), as QEMU's -dfilter reads them. */
function parseRange(text: string): { start: number; end: number } {
  const m = /^(0x[0-9a-f]+|[0-9]+)(\.\.|\+|-)(0x[0-9a-f]+|[0-9]+)$/i.exec(text);
  if (!m) return expected('dfilter', 'a range like 0x1000..0x1fff, 0x1000+0x100 or 0x1fff-0x100', text);
  const [a, b] = [Number(m[1]), Number(m[3])];
  const range = m[2] === '..' ? { start: a, end: b } : m[2] === '+' ? { start: a, end: a + b - 1 } : { start: a - b + 1, end: a };
  if (range.end < range.start || range.start < 0 || (m[2] !== '..' && b === 0)) expected('dfilter', 'a non-empty range', text);
  return range;
}

/** argv without node and script: `process.argv.slice(2)`. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const o = defaultOptions();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      if (o.machineFile) throw new ConfigError(`tsemu: '${arg}': only one machine file may be given (already have '${o.machineFile}')`);
      if (!/\.ya?ml$/i.test(arg)) throw new ConfigError(`tsemu: '${arg}': expected a machine .yaml file or an option (a disk goes in -drive file=${arg})`);
      o.machineFile = arg;
      continue;
    }
    const name = arg.replace(/^--?/, '');
    const spec = BY_NAME.get(name) ?? fail(name, 'unknown option (tsemu -h lists them)');
    let value = '';
    if (spec.arg) {
      if (i + 1 >= argv.length) fail(name, `missing argument (expected ${spec.arg})`);
      value = argv[++i];
    }
    spec.apply(o, value);
  }
  return o;
}

export function usage(): string {
  const lines = OPTIONS.filter((s) => !s.doc.startsWith('(')).map((s) => {
    const flag = s.names.map((n) => `-${n}`).join(', ') + (s.arg ? ` ${s.arg}` : '');
    return `  ${flag.padEnd(36)} ${s.doc}`;
  });
  return ['usage: tsemu [MACHINE.yaml] [options]', '', ...lines, ''].join('\n');
}

/** Text for `-M help`, `-d help`: what the main program prints before exiting. */
export function helpText(topic: NonNullable<CliOptions['help']>): string {
  switch (topic) {
    case 'machines':
      return ['Supported machines are:', ...listMachines().map((m) =>
        `  ${m.name.padEnd(16)}${m.aliases.length ? `(alias ${m.aliases.join(', ')})` : ''}${m.name === DEFAULT_MACHINE ? ' (default)' : ''}`)].join('\n') + '\n';
    case 'log':
      return ['Log items (comma separated):', ...LOG_ITEMS.map((i) => `  ${i}`)].join('\n') + '\n';
    case 'cpus':
      return 'The CPU model comes from the machine file (cpu.model); -cpu MODEL overrides it.\n';
    case 'devices':
      return 'Devices are listed in the machine file; see machines/device-types.ts for the known types.\n';
    default:
      return usage();
  }
}

/** Which file a boot option names, checked now so a typo fails before anything starts. */
function existing(opt: string, path: string, cwd: string): string {
  if (isRemote(path)) return path;    // downloaded later, by main.ts
  const abs = resolve(cwd, path);
  let ok = false;
  try { ok = statSync(abs).isFile(); } catch { /* reported below */ }
  if (!ok) fail(opt, `cannot open '${path}': no such file`);
  return abs;
}

/**
 * With neither a machine file nor -M, QEMU's binary name told the machine;
 * ours is always `tsemu`, so recognise an x86 guest by its images: a bzImage
 * ("HdrS" at 0x202), an i386 ELF kernel, or a BIOS ROM with a jump at the
 * reset vector. URLs are not fetched just to guess (downloads wait until the
 * configuration is valid): a remote x86 image needs -M pc.
 */
function guessMachine(o: CliOptions, cwd: string): string {
  const head = (path: string | undefined, at: (size: number) => number, len: number): Buffer | undefined => {
    if (!path) return undefined;
    try {
      const fd = openSync(resolve(cwd, path), 'r');
      try {
        const size = statSync(resolve(cwd, path)).size;
        const buf = Buffer.alloc(len);
        return readSync(fd, buf, 0, len, at(size)) === len ? buf : undefined;
      } finally { closeSync(fd); }
    } catch { return undefined; }
  };
  const elf = head(o.kernel, () => 0, 20);
  const x86 = head(o.kernel, () => 0x202, 4)?.toString('latin1') === 'HdrS'
    || (elf !== undefined && elf.readUInt32BE(0) === 0x7f454c46 && elf.readUInt16LE(18) === 3)   // an i386 ELF (multiboot kernels)
    || (o.bios !== undefined && statSize(resolve(cwd, o.bios)) % 0x10000 === 0
      && [0xe9, 0xea].includes(head(o.bios, (size) => size - 16, 1)?.[0] ?? 0));
  return x86 && machineFile('x86-pc') ? 'x86-pc' : DEFAULT_MACHINE;
}

function statSize(path: string): number {
  try { return statSync(path).size; } catch { return -1; }
}

/**
 * `-device TYPE,key=value,...` for the devices a machine can take from the
 * command line; other types are left to the board (accepted, as before).
 */
function addCommandLineDevice(cfg: MachineConfig, spec: string): void {
  const type = spec.replace(/,,/g, '\0').split(',')[0];
  if (type !== 'isa-debug-exit') return;
  if (cfg.arch !== 'i386') fail('device', `isa-debug-exit needs an ISA bus (an x86 machine such as -M pc), not ${cfg.name}`);
  const kv = parseKeyValues('device', spec, 'driver', ['driver', 'iobase', 'iosize', 'id']);
  const iobase = int('device', kv.get('iobase') ?? '0x501', 'iobase as an I/O port number (0-0xffff)', 0, 0xffff);
  const iosize = int('device', kv.get('iosize') ?? '2', 'iosize as a port count (1-0x10000)', 1, 0x10000);
  if (iobase + iosize > 0x10000) fail('device', `isa-debug-exit ports 0x${iobase.toString(16)}+${iosize} run past 0xffff`);
  const name = kv.get('id') ?? `isa-debug-exit-${cfg.devices.filter((d) => d.type === type).length}`;
  if (cfg.devices.some((d) => d.name === name)) fail('device', `duplicate device id '${name}'`);
  cfg.devices.push({ type, name, props: { iobase, iosize } });
}

/**
 * The machine to run: YAML (positional path, -M name, or the default) with
 * command-line overrides applied. The YAML library loads only for files the
 * build did not validate already (machines/compiled.ts).
 */
export async function buildConfig(o: CliOptions, cwd = process.cwd()): Promise<MachineConfig> {
  if (o.machineFile && o.machine) fail('M', `a machine file ('${o.machineFile}') was also given; use one or the other`);
  let file: string;
  if (o.machineFile) {
    file = resolve(cwd, o.machineFile);
  } else {
    const name = o.machine ?? guessMachine(o, cwd);
    const found = machineFile(name);
    if (!found) {
      const known = listMachines().map((m) => m.aliases.length ? `${m.name} (alias ${m.aliases.join(', ')})` : m.name);
      fail('M', `unknown machine '${name}'${MACHINE_ALIASES[name] ? ` (${MACHINE_ALIASES[name]}.yaml is missing)` : ''}; available: ${known.join(', ')}`);
    }
    file = found;
  }
  const cfg = compiledMachine(file) ?? (await import('../machines/schema.js')).loadMachine(file);

  if (o.memory !== undefined) {
    cfg.memory.size = o.memory;
    if (cfg.memory.base + o.memory > 2 ** 32) {
      fail('m', `${formatSize(o.memory)} of RAM at 0x${cfg.memory.base.toString(16)} ends past 4 GiB (32-bit physical address space)`);
    }
    const clash = findOverlap(cfg);
    if (clash) fail('m', `${clash[0].label} overlaps ${clash[1].label}`);
  }
  if (o.smp !== undefined) {
    if (o.smp > 8 && cfg.devices.some((d) => d.type === 'gic-v2')) fail('smp', `gic-v2 supports at most 8 CPUs, got ${o.smp}`);
    cfg.cpu.count = o.smp;
  }
  if (o.cpu !== undefined) cfg.cpu.model = o.cpu;
  for (const k of ['bios', 'kernel', 'initrd', 'dtb'] as const) {
    const path = o[k];
    if (path === undefined) continue;
    if (k === 'initrd' && cfg.arch === 'i386') {
      // Multiboot modules, QEMU's syntax: "file args,file args" (",," is a comma). Each file must exist;
      // the text stays as given, since it is also each module's command line (the loader reads the files
      // relative to the working directory, as QEMU does).
      for (const m of parseModules(path)) existing(k, m.file, cwd);
      cfg.boot.initrd = path;
      continue;
    }
    cfg.boot[k] = existing(k, path, cwd);
  }
  if (o.append !== undefined) cfg.boot.append = o.append;
  // Block devices (virtio-blk-device) go with their drives; the rest are board devices.
  for (const spec of applyDriveOptions(cfg, o.drives, o.devices, o.snapshot, cwd)) addCommandLineDevice(cfg, spec);
  if (o.debugcon !== undefined && o.debugcon !== 'null' && o.debugcon !== 'none') {
    if (cfg.arch !== 'i386') fail('debugcon', `needs an ISA bus (an x86 machine such as -M pc), not ${cfg.name}`);
    // -global isa-debugcon.iobase=N moves it (QEMU's way of putting it on SeaBIOS's 0x402).
    const g = o.ignored.filter((i) => i.option === 'global' && i.value?.startsWith('isa-debugcon.iobase=')).pop();
    const iobase = g ? int('global', g.value!.slice('isa-debugcon.iobase='.length), 'an I/O port number', 0, 0xffff) : 0xe9;
    cfg.devices.push({ type: 'isa-debugcon', name: 'debugcon', props: { iobase, target: o.debugcon.startsWith('file:') ? resolve(cwd, o.debugcon.slice(5)) : 'stdio' } });
  }
  // QEMU refuses these without a kernel rather than silently ignoring them.
  if (!cfg.boot.kernel) {
    for (const k of ['initrd', 'append'] as const) {
      if (cfg.boot[k] === undefined) continue;
      if (o[k] !== undefined) fail(k, 'only allowed with -kernel');
      throw new ConfigError(`${cfg.file}: boot.${k}: only allowed with boot.kernel (or -kernel)`);
    }
  }
  return cfg;
}
