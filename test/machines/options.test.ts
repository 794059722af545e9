import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../machines/config.js';
import { buildConfig, helpText, parseArgs, usage } from '../../softmmu/options.js';

const MiB = 1 << 20;
/** shared/fixtures sits beside the repository (CI) or at /work/shared (development). */
const FIXTURES = [fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url)), '/work/shared/fixtures']
  .find((d) => existsSync(join(d, 'README.md')));

/** Temporary folders, removed when the file's tests end. */
const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tsemu-opts-'));
  temps.push(d);
  return d;
}

const args = (line: string) => line.trim().split(/\s+/).slice(1);   // drop "tsemu"
const QEMU_TAIL = '-nographic -no-reboot -nic none';

async function rejects(argv: string[], message: string | RegExp, cwd?: string): Promise<void> {
  await assert.rejects(async () => buildConfig(parseArgs(argv), cwd), (e: unknown) => {
    assert.ok(e instanceof ConfigError, `not a ConfigError: ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test('the fixture README command lines parse', () => {
  const lines = [
    `tsemu -M virt -m 256 -kernel zImage-arm-virt -initrd initramfs-armel.cpio.gz -append console=ttyAMA0 ${QEMU_TAIL}`,
    `tsemu -m 128 -kernel bzImage-x86-i386 -initrd initramfs-i386.cpio.gz -append console=ttyS0 ${QEMU_TAIL}`,
    `tsemu -M versatilepb -m 128 -kernel zImage-arm-versatilepb -dtb versatile-pb.dtb -initrd initramfs-armel.cpio.gz -append console=ttyAMA0 ${QEMU_TAIL}`,
    `tsemu -M virt -m 256 -bios /usr/lib/u-boot/qemu_arm/u-boot.bin ${QEMU_TAIL}`,
    `tsemu -m 256 -vga none -bios /usr/lib/u-boot/qemu-x86/u-boot.rom ${QEMU_TAIL}`,
  ];
  for (const line of lines) {
    const o = parseArgs(args(line));
    assert.equal(o.nographic, true);
    assert.equal(o.noReboot, true);
    assert.deepEqual(o.nic, ['none']);
  }
  const o = parseArgs(args(lines[0]));
  assert.equal(o.machine, 'virt');
  assert.equal(o.memory, 256 * MiB);
  assert.equal(o.kernel, 'zImage-arm-virt');
  assert.equal(o.initrd, 'initramfs-armel.cpio.gz');
  assert.equal(o.append, 'console=ttyAMA0');
  assert.equal(parseArgs(args(lines[2])).dtb, 'versatile-pb.dtb');
  assert.equal(parseArgs(args(lines[4])).vga, 'none');
});

test('buildConfig: the arm virt fixture line gives virt with its boot files', { skip: !FIXTURES && 'shared/fixtures not found' }, async () => {
  const line = `tsemu -M virt -m 256 -kernel zImage-arm-virt -initrd initramfs-armel.cpio.gz -append console=ttyAMA0 ${QEMU_TAIL}`;
  const cfg = (await buildConfig(parseArgs(args(line)), FIXTURES));
  assert.equal(cfg.name, 'arm-virt');
  assert.deepEqual(cfg.memory, { size: 256 * MiB, base: 0x40000000 });
  assert.equal(cfg.boot.kernel, join(FIXTURES!, 'zImage-arm-virt'));
  assert.equal(cfg.boot.initrd, join(FIXTURES!, 'initramfs-armel.cpio.gz'));
  assert.equal(cfg.boot.append, 'console=ttyAMA0');
  assert.equal(cfg.boot.dtb, 'auto');
});

test('default machine is arm-virt; overrides apply', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'k'), 'kernel');
  const cfg = (await buildConfig(parseArgs(['-m', '1G', '-smp', '2', '-cpu', 'cortex-a7', '-kernel', 'k']), dir));
  assert.equal(cfg.name, 'arm-virt');
  assert.equal(cfg.memory.size, 1 << 30);
  assert.equal(cfg.memory.base, 0x40000000);
  assert.deepEqual(cfg.cpu, { model: 'cortex-a7', count: 2 });
  assert.equal(cfg.boot.kernel, join(dir, 'k'));
});

test('a machine file given as the first argument', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'tiny.yaml'), 'name: tiny\narch: arm\ncpu: { model: cortex-a15 }\nmemory: 16M\n');
  const cfg = (await buildConfig(parseArgs(['tiny.yaml', '-m', '32']), dir));
  assert.equal(cfg.name, 'tiny');
  assert.equal(cfg.memory.size, 32 * MiB);
  await rejects(['tiny.yaml', '-M', 'virt'], /^tsemu: -M: a machine file \('tiny\.yaml'\) was also given/, dir);
});

test('-m follows QEMU: plain numbers are MiB', async () => {
  assert.equal(parseArgs(['-m', '256']).memory, 256 * MiB);
  assert.equal(parseArgs(['-m', '256M']).memory, 256 * MiB);
  assert.equal(parseArgs(['-m', '1G']).memory, 1 << 30);
  assert.equal(parseArgs(['-m', 'size=128M,slots=2,maxmem=1G']).memory, 128 * MiB);
  await rejects(['-m', 'abc'], "tsemu: -m: expected a size like 256M, got 'abc'");
  await rejects(['-m', '0'], "tsemu: -m: expected a size like 256M, got '0'");
  await rejects(['-m', '4G'], 'tsemu: -m: 4G of RAM at 0x40000000 ends past 4 GiB (32-bit physical address space)');
});

test('-smp, -icount, -accel, -d, -dfilter, -display', async () => {
  assert.equal(parseArgs(['-smp', '4']).smp, 4);
  assert.equal(parseArgs(['-smp', 'cpus=2']).smp, 2);
  assert.equal(parseArgs(['-smp', 'sockets=1,cores=2,threads=2']).smp, 4);
  assert.deepEqual(parseArgs(['-icount', 'shift=3,sleep=off']).icount, { shift: 3, sleep: false, align: false });
  assert.deepEqual(parseArgs(['-icount', '5']).icount, { shift: 5, sleep: true, align: false });
  assert.equal(parseArgs(['-icount', 'auto']).icount?.shift, 'auto');
  assert.deepEqual(parseArgs(['-accel', 'tcg,backend=interp']).accel, { backend: 'interp' });
  assert.deepEqual(parseArgs(['-d', 'in_asm,op', '-d', 'int,in_asm']).log, ['in_asm', 'op', 'int']);
  assert.deepEqual(parseArgs(['-dfilter', '0x1000..0x1fff,0x2000+0x10,0x3fff-0x100']).dfilter,
    [{ start: 0x1000, end: 0x1fff }, { start: 0x2000, end: 0x200f }, { start: 0x3f00, end: 0x3fff }]);
  assert.equal(parseArgs(['-display', 'none']).display, 'none');
  await rejects(['-smp', '9'], 'tsemu: -smp: gic-v2 supports at most 8 CPUs, got 9');
  await rejects(['-smp', 'x'], "tsemu: -smp: expected cpus as a number from 1 to 255, got 'x'");
  await rejects(['-icount', 'shift=11'], "tsemu: -icount: expected shift=N with N from 0 to 10, or auto, got '11'");
  await rejects(['-icount', 'rr=record'], /^tsemu: -icount: unknown parameter 'rr'/);
  await rejects(['-accel', 'kvm'], "tsemu: -accel: only tcg is available, got 'kvm'");
  await rejects(['-accel', 'tcg,backend=llvm'], "tsemu: -accel: expected backend=interp or backend=wasm, got 'llvm'");
  await rejects(['-d', 'in_asm,bogus'], /^tsemu: -d: unknown log item 'bogus' \(expected in_asm, op, /);
  await rejects(['-dfilter', '0x10..'], /^tsemu: -dfilter: expected a range like/);
  await rejects(['-display', 'gtk'], "tsemu: -display: expected none, tui or curses, got 'gtk'");
  await rejects(['-enable-kvm'], /^tsemu: -enable-kvm: KVM is not available/);
});

test('strings kept as given: serial, monitor, drive, device, gdb, qmp', () => {
  const o = parseArgs(['-serial', 'mon:stdio', '-serial', 'tcp::4444,server,nowait', '-monitor', 'none',
    '-drive', 'file=disk.img,format=raw,if=none', '-device', 'virtio-blk-device,drive=hd0', '-gdb', 'tcp::9000',
    '-qmp', 'unix:/tmp/q.sock,server', '-s', '-S', '-snapshot', '-D', 'log.txt', '-net', 'none',
    '-machine', 'virt,gic-version=2', '--nographic', '-name', 'guest']);
  assert.deepEqual(o.serial, ['mon:stdio', 'tcp::4444,server,nowait']);
  assert.equal(o.monitor, 'none');
  assert.deepEqual(o.drives, ['file=disk.img,format=raw,if=none']);
  assert.deepEqual(o.devices, ['virtio-blk-device,drive=hd0']);
  assert.equal(o.gdb, 'tcp::1234');   // -s came later and wins, as in QEMU
  assert.deepEqual(o.qmp, ['unix:/tmp/q.sock,server']);
  assert.equal(o.stopped, true);
  assert.equal(o.snapshot, true);
  assert.equal(o.logFile, 'log.txt');
  assert.equal(o.machine, 'virt');
  assert.deepEqual(o.machineProps, { 'gic-version': '2' });
  assert.equal(o.nographic, true);
  assert.deepEqual(o.ignored, [{ option: 'name', value: 'guest' }]);
  assert.equal(parseArgs(['-append', '-v root=/dev/vda']).append, '-v root=/dev/vda');
});

test('unknown options, missing arguments, missing files: one clear line', async () => {
  await rejects(['-foo'], 'tsemu: -foo: unknown option (tsemu -h lists them)');
  await rejects(['-kernel'], 'tsemu: -kernel: missing argument (expected FILE)');
  await rejects(['-kernel', 'no-such-zImage'], "tsemu: -kernel: cannot open 'no-such-zImage': no such file");
  await rejects(['-bios', 'no-such.bin'], "tsemu: -bios: cannot open 'no-such.bin': no such file");
  await rejects(['-dtb', 'x.dtb'], "tsemu: -dtb: cannot open 'x.dtb': no such file");
  await rejects(['-append', 'console=ttyAMA0'], 'tsemu: -append: only allowed with -kernel');
  await rejects(['-M', 'sun4m'], /^tsemu: -M: unknown machine 'sun4m'; available: arm-virt \(alias virt\)/);
  await rejects(['disk.img'], /^tsemu: 'disk\.img': expected a machine \.yaml file/);
  await rejects(['a.yaml', 'b.yaml'], /^tsemu: 'b\.yaml': only one machine file may be given/);
});

test('help topics', () => {
  assert.equal(parseArgs(['-h']).help, 'usage');
  assert.equal(parseArgs(['--help']).help, 'usage');
  assert.equal(parseArgs(['-M', 'help']).help, 'machines');
  assert.equal(parseArgs(['-d', 'help']).help, 'log');
  assert.equal(parseArgs(['-version']).version, true);
  assert.match(usage(), /^usage: tsemu \[MACHINE\.yaml\] \[options\]/);
  assert.match(usage(), /-kernel FILE/);
  assert.match(helpText('machines'), /arm-virt +\(alias virt\) \(default\)/);
});
