/**
 * `-drive` and `-device virtio-blk-device,drive=ID`, read as QEMU reads them
 * (blockdev.c drive_new), then attached to the machine's virtio-mmio
 * transports. `-drive if=virtio` (the default interface on virt) makes a
 * virtio-blk at once; `if=none` only names an image for a `-device`. QEMU
 * creates the command line's `-device`s before the devices `-drive if=virtio`
 * implies, so they get the higher transports.
 *
 * One difference: QEMU's `-drive if=virtio` on ARM means virtio-blk-pci;
 * this board has no PCI, so it means virtio-blk-device here.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type DriveConfig, type MachineConfig } from '../machines/config.js';
import { attachDrive, machineDrives } from '../machines/drives.js';
import { parseKeyValues } from './options.js';

const DRIVE_KEYS = ['file', 'format', 'if', 'readonly', 'snapshot', 'id', 'media', 'serial', 'cache', 'aio', 'discard', 'werror', 'rerror', 'detect-zeroes'] as const;
const DEVICE_KEYS = ['driver', 'drive', 'serial', 'id', 'bus'] as const;
const QCOW_MAGIC = 0x514649fb;   // "QFI\xfb"

function fail(opt: string, msg: string): never {
  throw new ConfigError(`tsemu: ${opt}: ${msg}`);
}

function onOff(opt: string, key: string, v: string): boolean {
  if (v === 'on' || v === 'true' || v === 'yes') return true;
  if (v === 'off' || v === 'false' || v === 'no') return false;
  return fail(opt, `expected ${key}=on or ${key}=off, got '${v}'`);
}

interface ParsedDrive { drive: DriveConfig; iface: 'virtio' | 'none'; used: boolean; text: string }

/** One `-drive` argument, with its file checked now so a typo fails before anything starts. */
export function parseDrive(text: string, cwd: string): ParsedDrive {
  const opt = `-drive ${text}`;
  const kv = parseKeyValues('drive', text, 'file', DRIVE_KEYS);
  const file = kv.get('file');
  if (!file) fail(opt, 'file=PATH is required (a raw disk image)');
  const iface = kv.get('if') ?? 'virtio';
  if (iface !== 'virtio' && iface !== 'none') {
    fail(opt, `if=${iface} is not available on this machine (use if=virtio, or if=none with -device virtio-blk-device,drive=ID)`);
  }
  const media = kv.get('media') ?? 'disk';
  if (media !== 'disk') fail(opt, `media=${media} is not supported (only disk)`);
  const path = resolve(cwd, file);
  let isFile = false;
  try { isFile = statSync(path).isFile(); } catch (e) {
    fail(opt, `could not open '${file}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
  }
  if (!isFile) fail(opt, `'${file}' is not a regular file`);
  const format = kv.get('format');
  if (format !== undefined && format !== 'raw') {
    fail(opt, `format '${format}' is not supported; only raw images are (convert with: qemu-img convert -O raw ${file} ${file.replace(/\.[^./]*$/, '')}.img)`);
  }
  // Without format=, QEMU probes; writing raw over a qcow2 header would corrupt it, so refuse.
  if (format === undefined && startsWithQcowMagic(path)) fail(opt, `'${file}' is a qcow2 image; only raw images are supported`);
  const id = kv.get('id');
  if (id !== undefined && !/^[A-Za-z][A-Za-z0-9._-]*$/.test(id)) fail(opt, `id '${id}' must start with a letter and hold only letters, digits, . _ -`);
  const serial = kv.get('serial');
  if (serial !== undefined && serial.length > 20) fail(opt, `serial '${serial}' is longer than 20 characters`);
  const drive: DriveConfig = {
    file: path, format: 'raw',
    readonly: onOff(opt, 'readonly', kv.get('readonly') ?? 'off'),
    snapshot: onOff(opt, 'snapshot', kv.get('snapshot') ?? 'off'),
    ...(id !== undefined ? { id } : {}),
    ...(serial !== undefined ? { serial } : {}),
  };
  return { drive, iface, used: false, text };
}

function startsWithQcowMagic(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const b = Buffer.alloc(4);
    return readSync(fd, b, 0, 4, 0) === 4 && b.readUInt32BE(0) === QCOW_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Attach every `-drive` and `-device virtio-blk-device` to `cfg`; `-snapshot`
 * turns on snapshot for every drive, those from the YAML included.
 * Returns the `-device` arguments that are not block devices, untouched.
 */
export function applyDriveOptions(cfg: MachineConfig, drives: string[], devices: string[], snapshot: boolean, cwd: string): string[] {
  const parsed = drives.map((t) => parseDrive(t, cwd));
  const byId = new Map<string, ParsedDrive>();
  for (const p of parsed) {
    if (p.drive.id === undefined) continue;
    if (byId.has(p.drive.id)) fail(`-drive ${p.text}`, `duplicate id '${p.drive.id}'`);
    byId.set(p.drive.id, p);
  }
  const noTransport = (opt: string) => fail(opt, 'no free virtio-mmio transport left on this machine');
  const others: string[] = [];
  for (const text of devices) {
    const driver = text.split(',')[0];
    if (driver === 'virtio-blk' || driver === 'virtio-blk-pci') fail(`-device ${text}`, `${driver} needs PCI, which this machine does not have; use virtio-blk-device`);
    if (driver !== 'virtio-blk-device') { others.push(text); continue; }
    const opt = `-device ${text}`;
    const kv = parseKeyValues('device', text, 'driver', DEVICE_KEYS);
    const id = kv.get('drive') ?? fail(opt, 'drive=ID is required (the id of an -drive if=none,...)');
    const p = byId.get(id) ?? fail(opt, `no -drive with id=${id}`);
    if (p.iface !== 'none') fail(opt, `drive '${id}' is if=${p.iface} and already has its own device (use if=none)`);
    if (p.used) fail(opt, `drive '${id}' is already in use by another device`);
    p.used = true;
    const serial = kv.get('serial');
    if (serial !== undefined && serial.length > 20) fail(opt, `serial '${serial}' is longer than 20 characters`);
    const busName = kv.get('bus');
    const m = busName === undefined ? null : /^virtio-mmio-bus\.([0-9]+)$/.exec(busName);
    if (busName !== undefined && !m) fail(opt, `bus '${busName}' is not a virtio-mmio bus (virtio-mmio-bus.N, N from 0 for the lowest transport)`);
    const bus = m ? Number(m[1]) : undefined;
    if (!attachDrive(cfg, { ...p.drive, ...(serial !== undefined ? { serial } : {}) }, bus)) {
      if (bus === undefined) noTransport(opt);
      fail(opt, `virtio-mmio-bus.${bus} does not exist or is already in use`);
    }
  }
  for (const p of parsed) if (p.iface === 'virtio' && !attachDrive(cfg, p.drive)) noTransport(`-drive ${p.text}`);
  if (snapshot) for (const d of cfg.devices) if (d.type === 'virtio-blk' && d.props.drive) (d.props.drive as DriveConfig).snapshot = true;
  // Two devices writing one file would corrupt it; QEMU refuses through its image locks.
  const seen = new Map<string, DriveConfig>();
  for (const { drive } of machineDrives(cfg)) {
    const other = seen.get(drive.file);
    const writes = (d: DriveConfig) => !d.readonly && !d.snapshot;
    if (other && (writes(drive) || writes(other))) {
      throw new ConfigError(`tsemu: -drive: '${drive.file}' is used by two drives and one of them writes it (use readonly=on or snapshot=on)`);
    }
    seen.set(drive.file, drive);
  }
  return others;
}
