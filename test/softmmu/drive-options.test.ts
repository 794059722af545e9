/**
 * -drive / -device virtio-blk-device / -snapshot and the YAML `drives:` key:
 * which transport each disk lands on (QEMU's order: from the top), and one
 * clear line for every mistake.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type DriveConfig, type MachineConfig } from '../../machines/config.js';
import { machineDrives } from '../../machines/drives.js';
import { parseMachine } from '../../machines/schema.js';
import { buildConfig, parseArgs } from '../../softmmu/options.js';
import { Guest, runTsemu } from '../helpers/guest.js';

const dir = mkdtempSync(join(tmpdir(), 'tsemu-drive-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const disk = (name: string, bytes: Uint8Array = new Uint8Array(4096)) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };
const a = disk('a.img'), b = disk('b.img'), c = disk('c.img');
const qcow = disk('q.qcow2', Uint8Array.of(0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3));

const config = (argv: string[]) => buildConfig(parseArgs(['-M', 'virt', ...argv]), dir);
const placed = (cfg: MachineConfig) => machineDrives(cfg).map(({ device, drive }) => [device.base!.toString(16), drive.file]);

async function rejects(argv: string[], message: RegExp): Promise<void> {
  await assert.rejects(async () => config(argv), (e: unknown) => {
    assert.ok(e instanceof ConfigError, `not a ConfigError: ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

test('virt has 32 empty transports; -drive takes them from the top, -device first', async () => {
  const none = (await config([]));
  const transports = none.devices.filter((d) => d.type === 'virtio-mmio');
  assert.equal(transports.length, 32);
  assert.deepEqual([transports[0].base, transports[0].irq, transports[31].base, transports[31].irq], [0x0a000000, 48, 0x0a003e00, 79]);

  assert.deepEqual(placed((await config(['-drive', `file=${a},format=raw,if=virtio`, '-drive', `file=${b}`]))), [['a003e00', a], ['a003c00', b]]);
  // QEMU creates the command line's -device before the devices -drive if=virtio implies.
  const cfg = (await config(['-drive', `file=${a},if=virtio`, '-drive', `if=none,id=hd1,file=${b}`, '-device', 'virtio-blk-device,drive=hd1,serial=S1']));
  assert.deepEqual(placed(cfg), [['a003e00', b], ['a003c00', a]]);
  assert.equal(machineDrives(cfg)[0].drive.serial, 'S1');
  // bus= picks a transport, counting from the lowest address.
  assert.deepEqual(placed((await config(['-drive', `if=none,id=d,file=${c}`, '-device', 'virtio-blk-device,drive=d,bus=virtio-mmio-bus.2', '-drive', `file=${a}`]))),
    [['a003e00', a], ['a000400', c]]);
  // A drive named but never used by a device takes no transport.
  assert.deepEqual(placed((await config(['-drive', `if=none,id=x,file=${c}`]))), []);
});

test('readonly, snapshot per drive and -snapshot for all', async () => {
  const d = (cfg: MachineConfig) => machineDrives(cfg).map(({ drive }) => [drive.readonly, drive.snapshot]);
  assert.deepEqual(d((await config(['-drive', `file=${a},readonly=on`, '-drive', `file=${b},snapshot=on`, '-drive', `file=${c}`]))),
    [[true, false], [false, true], [false, false]]);
  assert.deepEqual(d((await config(['-snapshot', '-drive', `file=${a}`, '-drive', `file=${b},readonly=on`]))), [[false, true], [true, true]]);
});

test('drive mistakes: one clear line', async () => {
  await rejects(['-drive', 'file=nope.img,format=raw,if=virtio'], /^tsemu: -drive file=nope\.img,format=raw,if=virtio: could not open 'nope\.img': No such file or directory$/);
  await rejects(['-drive', `file=${a},format=qcow2`], /format 'qcow2' is not supported; only raw images are/);
  await rejects(['-drive', `file=${qcow}`], /is a qcow2 image; only raw images are supported/);
  await rejects(['-drive', `file=${a},bogus=1`], /^tsemu: -drive: unknown parameter 'bogus'/);
  await rejects(['-drive', `file=${a},if=ide`], /if=ide is not available on this machine/);
  await rejects(['-drive', `file=${a},readonly=maybe`], /readonly=on or readonly=off/);
  await rejects(['-drive', 'format=raw'], /file=PATH is required/);
  await rejects(['-drive', `file=${dir}`], /is not a regular file/);
  await rejects(['-device', 'virtio-blk-device,drive=hd9'], /no -drive with id=hd9/);
  await rejects(['-device', 'virtio-blk-device'], /drive=ID is required/);
  await rejects(['-drive', `file=${a},id=d0`, '-device', 'virtio-blk-device,drive=d0'], /already has its own device/);
  await rejects(['-drive', `if=none,id=d0,file=${a}`, '-device', 'virtio-blk-device,drive=d0', '-device', 'virtio-blk-device,drive=d0'], /already in use/);
  await rejects(['-device', 'virtio-blk-pci,drive=d0'], /needs PCI/);
  await rejects(['-drive', `if=none,id=d,file=${a}`, '-device', 'virtio-blk-device,drive=d,bus=virtio-mmio-bus.32'], /virtio-mmio-bus\.32 does not exist or is already in use/);
  await rejects(['-drive', `if=none,id=d,file=${a}`, '-device', 'virtio-blk-device,drive=d,bus=pci.0'], /bus 'pci\.0' is not a virtio-mmio bus/);
  await rejects(['-drive', `file=${a}`, '-drive', `file=${a},readonly=on`], /used by two drives and one of them writes it/);
  assert.equal(machineDrives((await config(['-drive', `file=${a},readonly=on`, '-drive', `file=${a},snapshot=on`]))).length, 2);
  await rejects(Array.from({ length: 33 }, () => ['-drive', `file=${a}`]).flat(), /no free virtio-mmio transport/);
});

const YAML = (drives: string) => `name: m
arch: arm
cpu: { model: cortex-a15, count: 1 }
memory: { size: 16M, base: 0x40000000 }
devices:
  - { type: gic-v2, name: gic, base: 0x08000000, cpu-base: 0x08010000 }
  - { type: virtio-mmio, name: vio, base: 0x0a000000, irq: spi 16, count: 2 }
${drives}`;

test('YAML: a transport bank and drives: taking it from the top', () => {
  const cfg = parseMachine(YAML(`drives:\n  - { file: a.img, snapshot: true, serial: yaml-disk }\n`), join(dir, 'm.yaml'));
  assert.deepEqual(cfg.devices.filter((d) => d.type.startsWith('virtio')).map((d) => [d.name, d.type, d.base, d.irq]),
    [['vio.0', 'virtio-mmio', 0x0a000000, 48], ['vio.1', 'virtio-blk', 0x0a000200, 49]]);
  const drive = cfg.devices[2].props.drive as DriveConfig;
  assert.deepEqual([drive.file, drive.snapshot, drive.readonly, drive.serial], [a, true, false, 'yaml-disk']);
  assert.throws(() => parseMachine(YAML('drives:\n  - { file: a.img }\n  - { file: b.img }\n  - { file: c.img }\n'), join(dir, 'm.yaml')),
    /m\.yaml:11: drives\[2\]: no free virtio-mmio transport/);
  assert.throws(() => parseMachine(YAML('drives:\n  - { file: missing.img }\n'), join(dir, 'm.yaml')), /m\.yaml:9: drives\[0\]\.file: no such file/);
  // A virtio-blk of its own, outside the bank.
  const own = parseMachine(YAML('  - { type: virtio-blk, name: disk, base: 0x0a100000, irq: spi 60, drive: { file: b.img, readonly: true } }\n'), join(dir, 'm.yaml'));
  assert.deepEqual(machineDrives(own).map(({ device, drive }) => [device.name, device.irq, drive.file, drive.readonly]), [['disk', 92, b, true]]);
  assert.throws(() => parseMachine(YAML('drives:\n  - { file: a.img, format: qcow2 }\n'), join(dir, 'm.yaml')), /drives\[0\]\.format: expected one of raw/);
});

test('the real command line: a missing image is one line and exit 1', async () => {
  const r = await runTsemu(['-M', 'virt', '-nographic', '-drive', 'file=/nonexistent/disk.img,format=raw,if=virtio']);
  assert.equal(r.code, 1);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, /-drive file=\/nonexistent\/disk\.img.*No such file or directory/);
  const q = await runTsemu(['-M', 'virt', '-nographic', '-drive', `file=${a},format=qcow2,if=virtio`]);
  assert.equal(q.code, 1);
  assert.match(q.err, /^tsemu: -drive .*format 'qcow2' is not supported/);
});

test('monitor: info block lists each drive with its file, flags and transport', async () => {
  const g = new Guest(['-M', 'virt', '-nographic', '-S', '-drive', `file=${a},id=disk0,readonly=on`, '-drive', `file=${b},snapshot=on`]);
  try {
    g.send('\x01c');
    g.send('info block\r');
    await g.waitFor(`disk0: ${a} (raw, read-only)`);
    await g.waitFor('Attached to:      virtio.31 (virtio-mmio@0x0a003e00)');
    await g.waitFor(`virtio1: ${b} (raw, snapshot)`);
    await g.waitFor('Attached to:      virtio.30 (virtio-mmio@0x0a003c00)');
    g.send('quit\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});
