import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../machines/config.js';
import { machineFile } from '../../machines/index.js';
import { DEVICE_TYPES, loadMachine, parseSize } from '../../machines/schema.js';
import { tempFiles } from '../helpers/temp-files.js';

const { dir, write } = tempFiles('tsemu-schema-');

/** A valid machine; line 6 is the uart, later lines are whatever a case appends. */
const HEAD = `name: t
arch: arm
cpu: { model: cortex-a15 }
memory: { size: 256M, base: 0x40000000 }
devices:
  - { type: pl011, name: uart0, base: 0x09000000, irq: 33 }
`;

function rejects(text: string, expected: RegExp): void {
  const file = write(text);
  assert.throws(() => loadMachine(file), (e: unknown) => {
    assert.ok(e instanceof ConfigError, `not a ConfigError: ${String(e)}`);
    assert.match(e.message, expected);
    assert.ok(e.message.startsWith(`${file}:`), `message does not start with the file: ${e.message}`);
    return true;
  });
}

test('arm-virt.yaml loads with QEMU virt layout', () => {
  const file = machineFile('virt');
  assert.ok(file, 'arm-virt.yaml not found via alias virt');
  const cfg = loadMachine(file);
  assert.equal(cfg.name, 'arm-virt');
  assert.equal(cfg.arch, 'arm');
  assert.deepEqual(cfg.cpu, { model: 'cortex-a15', count: 1 });
  assert.deepEqual(cfg.memory, { size: 256 << 20, base: 0x40000000 });
  const by = (name: string) => cfg.devices.find((d) => d.name === name)!;
  assert.equal(by('flash0').base, 0);
  assert.equal(by('flash0').size, 64 << 20);
  assert.equal(by('flash0').props.bios, true);
  assert.equal(by('flash1').base, 0x04000000);
  assert.equal(by('gic').base, 0x08000000);
  assert.equal(by('gic').props['cpu-base'], 0x08010000);
  assert.equal(by('uart0').irq, 33);
  assert.equal(by('uart0').chardev, 'serial0');
  assert.equal(by('rtc').irq, 34);
  assert.deepEqual(by('timer').irq, [29, 30, 27, 26]);
  assert.equal(by('psci').props.method, 'hvc');
  assert.equal(cfg.boot.dtb, 'auto');
});

test('sizes: suffixes, hex, MiB default for -m style', () => {
  assert.equal(parseSize('256M'), 256 << 20);
  assert.equal(parseSize('1G'), 1 << 30);
  assert.equal(parseSize('0x1000'), 0x1000);
  assert.equal(parseSize('0x0900_0000'), 0x09000000);
  assert.equal(parseSize('64K'), 65536);
  assert.equal(parseSize('1.5G'), 1.5 * 2 ** 30);
  assert.equal(parseSize('256', 1 << 20), 256 << 20);
  assert.equal(parseSize(4096), 4096);
  assert.equal(parseSize('12Q'), undefined);
  assert.equal(parseSize('abc'), undefined);
  assert.equal(parseSize('1.1K'), undefined);
});

test('a minimal machine fills defaults', () => {
  const cfg = loadMachine(write(HEAD + '  - { type: pl031, base: 0x09010000, irq: spi 2 }\n'));
  assert.equal(cfg.devices[1].name, 'pl031-0');
  assert.equal(cfg.devices[1].size, 0x1000);
  assert.equal(cfg.devices[1].irq, 34);
  assert.deepEqual(cfg.boot, {});
});

test('malformed YAML names file and line', () => {
  rejects('name: t\narch: arm\ncpu: { model: [x }\n', /:3: YAML syntax: /);
  rejects('name: t\nname: u\n', /:2: YAML syntax: Map keys must be unique/);
});

test('unknown and missing top-level keys', () => {
  rejects(HEAD.replace('devices:', 'colour: red\ndevices:'), /:5: colour: unknown key \(expected one of: name, description, arch/);
  rejects(HEAD.replace('arch: arm\n', ''), /:1: arch: required key is missing/);
  rejects(HEAD.replace('arch: arm', 'arch: mips'), /:2: arch: expected one of arm, i386, got 'mips'/);
});

test('bad sizes and numbers', () => {
  rejects(HEAD.replace('{ size: 256M, base: 0x40000000 }', '12Q'), /:4: memory: expected a size like 256M or 1G, got '12Q'/);
  rejects(HEAD.replace('size: 256M', 'size: 4G'), /:4: memory: 4G at 0x40000000 ends past 4 GiB/);
  rejects(HEAD + '  - { type: pl031, base: 0x9000zz, irq: 34 }\n', /:7: devices\[1\]\.base: expected an address like 0x09000000, got '0x9000zz'/);
  rejects(HEAD + '  - { type: pl031, base: 0x09010000, size: 0, irq: 34 }\n', /:7: devices\[1\]\.size: expected a size/);
  rejects(HEAD.replace('{ model: cortex-a15 }', '{ model: cortex-a15, count: two }'), /:3: cpu\.count: expected a whole number from 1 to 255, got 'two'/);
  rejects(HEAD + '  - { type: pl031, base: 0x09010000, irq: [34, 35] }\n', /:7: devices\[1\]\.irq: expected 1 interrupt number, got 2/);
  rejects(HEAD + '  - { type: pl031, base: 0x09010000, irq: 2000 }\n', /:7: devices\[1\]\.irq: expected an interrupt number/);
});

test('device type and key checks', () => {
  rejects(HEAD + '  - { type: pl999, base: 0x1000 }\n', /:7: devices\[1\]\.type: unknown device type 'pl999' \(known: cfi-flash, gic-v2, pl011/);
  rejects(HEAD + '  - { type: pl031, irq: 34 }\n', /:7: devices\[1\]\.base: required for pl031/);
  rejects(HEAD + '  - { type: pl031, base: 0x09010000 }\n', /:7: devices\[1\]\.irq: required for pl031/);
  rejects(HEAD + '  - { type: pl031, base: 0x09010000, irq: 34, colour: 1 }\n', /:7: devices\[1\]\.colour: unknown key/);
  rejects(HEAD + '  - { type: psci, base: 0x1000 }\n', /:7: devices\[1\]\.base: psci is not memory-mapped/);
  rejects(HEAD + '  - { type: pl031, base: 0x09010000, irq: 34, chardev: serial1 }\n', /:7: devices\[1\]\.chardev: pl031 is not a serial port/);
  rejects(HEAD + '  - { type: gic-v2, base: 0x08000000 }\n', /:7: devices\[1\]\.cpu-base: required for gic-v2/);
  rejects(HEAD + '  - { type: cfi-flash, base: 0, bank-width: 3 }\n', /:7: devices\[1\]\.bank-width: expected one of 1, 2, 4, got '3'/);
  rejects(HEAD + '  -\n    type: psci\n    method: svc\n', /:9: devices\[1\]\.method: expected one of hvc, smc, got 'svc'/);
});

test('duplicate names and overlapping regions name both', () => {
  rejects(HEAD + '  - { type: pl031, name: uart0, base: 0x09010000, irq: 34 }\n', /:7: devices\[1\]\.name: duplicate device name 'uart0'/);
  rejects(HEAD + '  - { type: pl031, name: rtc, base: 0x09000800, irq: 34 }\n',
    /:7: devices\[1\]\.base: rtc \[0x09000800-0x090017ff\] overlaps uart0 \[0x09000000-0x09000fff\] \(line 6\)/);
  rejects(HEAD + '  - { type: gic-v2, name: gic, base: 0x08ff0000, cpu-base: 0x09000000 }\n', /:7: devices\[1\]\.base: gic CPU interface \[0x09000000-0x0900ffff\] overlaps uart0/);
  rejects(HEAD.replace('base: 0x40000000', 'base: 0x08000000'), /:6: devices\[0\]\.base: uart0 .* overlaps memory \[0x08000000-0x17ffffff\]/);
});

test('boot paths resolve against the YAML file; missing files name the key', () => {
  writeFileSync(join(dir, 'zImage'), 'x');
  const cfg = loadMachine(write(HEAD + 'boot: { kernel: zImage, append: "console=ttyAMA0", dtb: auto }\n'));
  assert.equal(cfg.boot.kernel, join(dir, 'zImage'));
  assert.equal(cfg.boot.append, 'console=ttyAMA0');
  assert.equal(cfg.boot.dtb, 'auto');
  rejects(HEAD + 'boot:\n  kernel: zImage\n  initrd: nope.cpio.gz\n', /:9: boot\.initrd: no such file: .*nope\.cpio\.gz/);
  rejects(HEAD + 'boot: { kernal: zImage }\n', /:7: boot\.kernal: unknown key/);
});

test('the builder can add device types', () => {
  DEVICE_TYPES.push({ type: 'test-dev', description: 'test', mmioSize: 0x100, irqs: 0, props: { speed: { kind: 'uint', default: 7 } } });
  try {
    const cfg = loadMachine(write(HEAD + '  - { type: test-dev, base: 0x0a000000 }\n'));
    assert.deepEqual(cfg.devices[1].props, { speed: 7 });
    assert.equal(cfg.devices[1].size, 0x100);
  } finally {
    DEVICE_TYPES.pop();
  }
});

test('an unreadable machine file is a ConfigError', () => {
  assert.throws(() => loadMachine(join(dir, 'absent.yaml')), /absent\.yaml: cannot read machine file: ENOENT/);
});

test('overlap in block style points at the base: line', () => {
  rejects(HEAD + '  - type: pl031\n    name: rtc\n    irq: 34\n    base: 0x09000000\n',
    /:10: devices\[1\]\.base: rtc \[0x09000000-0x09000fff\] overlaps uart0 \[0x09000000-0x09000fff\] \(line 6\)/);
});
