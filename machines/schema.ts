/**
 * Machine YAML → MachineConfig. Every key is checked and every error names
 * FILE:LINE: key: and what was expected, and nothing starts: a machine that
 * half-starts on a typo costs more than one that refuses to.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { ConfigError, type BootConfig, type DeviceConfig, type DriveConfig, type MachineConfig } from './config.js';
import { attachDrive } from './drives.js';
import { DEVICE_TYPES, deviceType, type DeviceType, type PropSpec } from './device-types.js';
import { YamlReader, type Entry } from './yaml-reader.js';
import { formatSize, hex } from './sizes.js';
import { formatImageRef, isRemote, parseImageRef, type ImageRef } from './image-ref.js';

export { formatSize, parseSize } from './sizes.js';
import { findOverlap } from './layout.js';
export { DEVICE_TYPES } from './device-types.js';

const MiB = 1 << 20;
const TOP_KEYS = ['name', 'description', 'arch', 'cpu', 'memory', 'devices', 'drives', 'boot'] as const;
const DEVICE_KEYS = ['type', 'name', 'base', 'size', 'irq', 'chardev'];
const BOOT_FILES = ['bios', 'kernel', 'initrd', 'dtb'] as const;
/** GICv2 routes to at most 8 CPUs (ITARGETSR has one bit per CPU). */
const GICV2_MAX_CPUS = 8;

/** Read and validate a machine file; ConfigError (with file and line) on any problem. */
export function loadMachine(file: string): MachineConfig {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read machine file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseMachine(source, file);
}

/** Validate YAML text; `file` names it in errors and anchors relative paths. */
export function parseMachine(source: string, file: string): MachineConfig {
  const r = new YamlReader(file, source);
  const root = r.root;
  const top = new Map(r.entries(root, '', TOP_KEYS).map((e) => [e.key, e]));
  const need = (k: string): Entry => top.get(k) ?? r.fail(root, k, 'required key is missing');

  const arch = r.oneOf(need('arch'), ['arm', 'i386'] as const);
  const { cpu, countAt } = readCpu(r, need('cpu'));
  const cfg: MachineConfig = {
    file,
    name: r.string(need('name'), /^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a machine name (letters, digits, . _ -)'),
    arch,
    cpu,
    memory: readMemory(r, need('memory')),
    devices: [],
    boot: {},
  };
  const description = top.get('description');
  if (description) r.string(description);
  const lines = new Map<DeviceConfig, Node>();
  const devices = top.get('devices');
  if (devices) {
    r.items(devices).forEach((node, i) => {
      const d = readDevice(r, node, `devices[${i}]`, cfg.devices);
      for (const one of expandBank(r, node, `devices[${i}]`, d, cfg.devices)) {
        cfg.devices.push(one);
        lines.set(one, r.find(node, '', 'base')?.node ?? node);   // overlaps are reported at `base:`
      }
    });
  }
  // Disks take transports from the top, as -drive does (machines/drives.ts).
  const drives = top.get('drives');
  if (drives) {
    r.items(drives).forEach((node, i) => {
      const key = `drives[${i}]`;
      const drive = readDrive(r, { key, keyNode: drives.keyNode, node }) as unknown as DriveConfig;
      if (!attachDrive(cfg, drive)) r.fail(node, key, 'no free virtio-mmio transport left for this disk (add one under devices:)');
    });
  }
  const boot = top.get('boot');
  if (boot) cfg.boot = readBoot(r, boot);

  if (cfg.devices.some((d) => d.type === 'gic-v2') && cpu.count > GICV2_MAX_CPUS) {
    r.fail(countAt, 'cpu.count', `gic-v2 supports at most ${GICV2_MAX_CPUS} CPUs, got ${cpu.count}`);
  }
  const clash = findOverlap(cfg);
  if (clash) {
    const [a, b] = clash;
    const at = b.device ? lines.get(b.device) : need('memory').node;
    const key = b.device ? `devices[${cfg.devices.indexOf(b.device)}].base` : 'memory';
    const where = a.device ? ` (line ${r.line(lines.get(a.device))})` : '';
    r.fail(at, key, `${b.label} overlaps ${a.label}${where}`);
  }
  return cfg;
}

function readCpu(r: YamlReader, e: Entry): { cpu: MachineConfig['cpu']; countAt: Node | null } {
  const cpu = { model: '', count: 1 };
  let countAt = e.node;
  for (const f of r.entries(e.node, e.key, ['model', 'count'], e.keyNode)) {
    if (f.key === 'cpu.model') cpu.model = r.string(f, /^[A-Za-z0-9._-]+$/, 'a CPU model like cortex-a15');
    else [cpu.count, countAt] = [r.uint(f, 1, 255), f.node];
  }
  if (!cpu.model) r.fail(e.node, 'cpu.model', 'required key is missing');
  return { cpu, countAt };
}

/** `memory: 256M`, or `memory: { size: 256M, base: 0x40000000 }`; a bare number is MiB, as with -m. */
function readMemory(r: YamlReader, e: Entry): MachineConfig['memory'] {
  const mem = { size: 0, base: 0 };
  if (isMap(e.node)) {
    for (const f of r.entries(e.node, e.key, ['size', 'base'])) {
      if (f.key === 'memory.size') mem.size = r.size(f, MiB, '256M or 1G');
      else mem.base = r.address(f);
    }
    if (!mem.size) r.fail(e.node, 'memory.size', 'required key is missing');
  } else {
    mem.size = r.size(e, MiB, '256M or 1G');
  }
  if (mem.base + mem.size > 2 ** 32) {
    r.fail(e.node, e.key, `${formatSize(mem.size)} at ${hex(mem.base)} ends past 4 GiB (32-bit physical address space)`);
  }
  return mem;
}

function readDevice(r: YamlReader, node: Node, path: string, earlier: DeviceConfig[]): DeviceConfig {
  const typeEntry = r.find(node, path, 'type') ?? r.fail(node, `${path}.type`, 'required key is missing');
  const type = r.string(typeEntry, undefined, 'a device type');
  const spec = deviceType(type);
  if (!spec) r.fail(typeEntry.node, typeEntry.key, `unknown device type '${type}' (known: ${DEVICE_TYPES.map((t) => t.type).join(', ')})`);

  const specProps = spec.props ?? {};
  const d: DeviceConfig = { type, name: '', props: {} };
  for (const e of r.entries(node, path, [...DEVICE_KEYS, ...Object.keys(specProps)])) {
    const key = e.key.slice(path.length + 1);
    const refusal = refused(key, spec);
    if (refusal) r.fail(e.keyNode, e.key, refusal);
    switch (key) {
      case 'type': break;
      case 'name': d.name = r.string(e, /^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a device name (letters, digits, . _ -)'); break;
      case 'base': d.base = r.address(e); break;
      case 'size': d.size = r.size(e); break;
      case 'irq': d.irq = readIrq(r, e, spec.irqs); break;
      case 'chardev': d.chardev = r.string(e, /^serial[0-9]+$/, 'serial0, serial1, ...'); break;
      default: d.props[key] = readProp(r, e, specProps[key]);
    }
  }
  if (!d.name) d.name = `${type}-${earlier.filter((x) => x.type === type).length}`;
  const twin = earlier.find((x) => x.name === d.name);
  if (twin) r.fail(node, `${path}.name`, `duplicate device name '${d.name}' (also device ${earlier.indexOf(twin)})`);
  if (spec.mmioSize !== undefined) {
    if (d.base === undefined) r.fail(node, `${path}.base`, `required for ${type} (its MMIO base address)`);
    d.size ??= spec.mmioSize;
    if (d.base + d.size > 2 ** 32) r.fail(node, `${path}.size`, `${d.name} ends past 4 GiB`);
  }
  if (spec.irqs > 0 && d.irq === undefined) {
    r.fail(node, `${path}.irq`, `required for ${type} (${spec.irqs === 1 ? 'an interrupt number' : `${spec.irqs} interrupt numbers`})`);
  }
  for (const [k, p] of Object.entries(specProps)) {
    if (k in d.props) continue;
    if (p.required) r.fail(node, `${path}.${k}`, `required for ${type}${p.doc ? ` (${p.doc})` : ''}`);
    if (p.default !== undefined) d.props[k] = p.default;
  }
  return d;
}

/** Why a common key makes no sense for this type (a timer has no base), or undefined when it does. */
function refused(key: string, spec: DeviceType): string | undefined {
  if ((key === 'base' || key === 'size') && spec.mmioSize === undefined) return `${spec.type} is not memory-mapped`;
  if (key === 'irq' && spec.irqs === 0) return `${spec.type} raises no interrupt`;
  if (key === 'chardev' && !spec.chardev) return `${spec.type} is not a serial port`;
  return undefined;
}

/** GIC interrupt IDs as numbers, or `spi N` / `ppi N` as the DT and QEMU's sources spell them. */
function readIrq(r: YamlReader, e: Entry, count: number): number | number[] {
  const one = (n: Node | null, key: string): number => {
    const v = isScalar(n) ? n.value : undefined;
    const m = typeof v === 'string' ? /^(spi|ppi)\s*([0-9]+)$/i.exec(v.trim()) : null;
    const id = m ? Number(m[2]) + (m[1].toLowerCase() === 'spi' ? 32 : 16) : typeof v === 'number' ? v : NaN;
    if (!Number.isInteger(id) || id < 0 || id > 1019 || (m && m[1].toLowerCase() === 'ppi' && id > 31)) {
      r.fail(n ?? e.keyNode, key, `expected an interrupt number (0-1019) or 'spi N' / 'ppi N', got ${r.describe(n)}`);
    }
    return id;
  };
  const list = isSeq(e.node) ? r.items(e).map((n, i) => one(n, `${e.key}[${i}]`)) : [one(e.node, e.key)];
  if (list.length !== count) r.fail(e.node, e.key, `expected ${count} interrupt number${count > 1 ? 's' : ''}, got ${list.length}`);
  return count === 1 ? list[0] : list;
}

function readProp(r: YamlReader, e: Entry, spec: PropSpec | undefined): unknown {
  if (!spec) r.fail(e.keyNode, e.key, 'not a key of this device type');
  const k = spec.kind;
  if (typeof k === 'object') return r.oneOf(e, k.oneOf);
  switch (k) {
    case 'address': return r.address(e);
    case 'size': return r.size(e);
    case 'uint': return r.uint(e);
    case 'bool': return r.bool(e);
    case 'string': return r.string(e);
    case 'path': return existingFile(r, e);
    case 'drive': return readDrive(r, e);
  }
}

/**
 * `count: N` on a virtio-mmio transport stands for a bank of N of them, as
 * QEMU's virt has 32: each one `size` bytes above the last, on the next
 * interrupt, named NAME.0 ... NAME.(N-1).
 */
function expandBank(r: YamlReader, node: Node, path: string, d: DeviceConfig, earlier: DeviceConfig[]): DeviceConfig[] {
  const count = d.props.count as number | undefined;
  if (d.type !== 'virtio-mmio' || count === undefined) return [d];
  if (count === 0) r.fail(node, `${path}.count`, 'expected at least 1 transport');
  const { count: _, ...props } = d.props;
  const bank = Array.from({ length: count }, (_x, i): DeviceConfig => ({
    ...d, name: `${d.name}.${i}`, base: d.base! + i * d.size!, irq: (d.irq as number) + i, props: { ...props },
  }));
  const clash = bank.find((b) => earlier.some((x) => x.name === b.name));
  if (clash) r.fail(node, `${path}.name`, `duplicate device name '${clash.name}'`);
  if (bank[count - 1].base! + d.size! > 2 ** 32) r.fail(node, `${path}.count`, `${count} transports end past 4 GiB`);
  return bank;
}

function readDrive(r: YamlReader, e: Entry): Record<string, unknown> {
  const drive: Record<string, unknown> = { snapshot: false, readonly: false, format: 'raw' };
  let snapshotAt: Entry | undefined;
  for (const f of r.entries(e.node, e.key, ['file', 'snapshot', 'readonly', 'format', 'id', 'serial'], e.keyNode)) {
    const k = f.key.slice(e.key.length + 1);
    drive[k] = k === 'file' ? existingFile(r, f) : k === 'format' ? r.oneOf(f, ['raw'])
      : k === 'id' ? r.string(f, /^[A-Za-z][A-Za-z0-9._-]*$/, 'an id (a letter, then letters, digits, . _ -)')
      : k === 'serial' ? r.string(f, /^[\x20-\x7e]{1,20}$/, 'up to 20 printable characters') : r.bool(f);
    if (k === 'snapshot') snapshotAt = f;
  }
  if (drive.file === undefined) r.fail(e.node, `${e.key}.file`, 'required key is missing (the disk image)');
  // A downloaded disk lives in the shared cache: writing to it would change what the URL
  // (and its sha256) stand for. Like QEMU's curl driver it is never written: snapshot is implied.
  if (isRemote(drive.file as string) && !drive.readonly) {
    if (snapshotAt && drive.snapshot === false) r.fail(snapshotAt.node, snapshotAt.key, 'a downloaded disk image is never written; use snapshot: true or readonly: true');
    drive.snapshot = true;
  }
  return drive;
}

function readBoot(r: YamlReader, e: Entry): BootConfig {
  const boot: BootConfig = {};
  for (const f of r.entries(e.node, e.key, [...BOOT_FILES, 'append'], e.keyNode)) {
    const k = f.key.slice('boot.'.length) as keyof BootConfig;
    if (k === 'append') boot.append = r.string(f);
    else if (k === 'dtb' && isScalar(f.node) && f.node.value === 'auto') boot.dtb = 'auto';
    else boot[k] = existingFile(r, f);
  }
  return boot;
}

/**
 * A file the machine loads: a local path, an http(s) URL, or a mapping
 * `{ url: URL, sha256: HEX }` (sha256 optional). Remote images stay URLs here,
 * in the one-string form `URL#sha256=HEX` (machines/image-ref.ts), until
 * main.ts downloads them; nothing is fetched while validating.
 * Paths in a machine file are relative to that file, so a machine folder can move as a whole.
 */
function existingFile(r: YamlReader, e: Entry): string {
  if (isMap(e.node)) {
    const ref: ImageRef = { url: '' };
    for (const f of r.entries(e.node, e.key, ['url', 'sha256'])) {
      if (f.key.endsWith('.url')) ref.url = r.string(f, /^https?:\/\/[^#]+$/i, 'an http:// or https:// URL (without #)');
      else ref.sha256 = r.string(f, /^[0-9a-f]{64}$/i, 'a sha256 of 64 hex digits').toLowerCase();
    }
    if (!ref.url) r.fail(e.node, `${e.key}.url`, 'required key is missing (where to download the image)');
    return checkedRef(r, e, formatImageRef(ref));
  }
  const text = r.string(e, undefined, 'a file path, an http(s) URL or { url: URL, sha256: HEX }');
  if (isRemote(text)) return checkedRef(r, e, text);
  const path = resolve(dirname(r.file), text);
  let ok = false;
  try { ok = statSync(path).isFile(); } catch { /* reported below */ }
  if (!ok) r.fail(e.node, e.key, `no such file: ${path}`);
  return path;
}

/** A URL string as the schema keeps it, refused with file and line when it cannot be downloaded. */
function checkedRef(r: YamlReader, e: Entry, text: string): string {
  try {
    return formatImageRef(parseImageRef(text));
  } catch (err) {
    return r.fail(e.node, e.key, (err as Error).message);
  }
}
