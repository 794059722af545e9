/**
 * The PC board: machines/x86-pc.yaml and -M pc, -device isa-debug-exit, the
 * multiboot loader's placement and information block, and a tiny multiboot
 * kernel run end to end (serial output and exit status).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, buildConfig } from '../../softmmu/options.js';
import { ConfigError } from '../../machines/config.js';
import { planMultiboot, parseModules, MULTIBOOT_HEADER_MAGIC, MBI_MEMORY, MBI_CMDLINE, MBI_MODS, MBI_MMAP, MBI_BOOT_LOADER_NAME, MBI_BOOT_DEVICE } from '../../machines/multiboot.js';
import { IsaDebugExit } from '../../hw/misc/isa-debug-exit.js';
import { runTsemu } from '../helpers/guest.js';

const tmp = mkdtempSync(join(tmpdir(), 'tsemu-x86-'));
const MiB = 1 << 20;

/** A multiboot header with the a.out kludge addresses, then code. */
function aoutKernel(code: number[], opts: { load?: number; bssEnd?: number; flags?: number } = {}): Uint8Array {
  const load = opts.load ?? 0x100000;
  const flags = opts.flags ?? 0x10000;
  const img = new Uint8Array(32 + code.length);
  const dv = new DataView(img.buffer);
  const words = [MULTIBOOT_HEADER_MAGIC, flags, (-(MULTIBOOT_HEADER_MAGIC + flags)) >>> 0, load, load, 0, opts.bssEnd ?? 0, load + 32];
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  img.set(code, 32);
  return img;
}

/** An ELF32 i386 executable with one PT_LOAD segment and a multiboot header (no address fields). */
function elfKernel(paddr: number, memsz: number, opts: { phnum?: number; truncate?: number; vaddr?: number } = {}): Uint8Array {
  const img = new Uint8Array(0x200);
  const dv = new DataView(img.buffer);
  img.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  dv.setUint16(16, 2, true); dv.setUint16(18, 3, true); dv.setUint32(20, 1, true);
  dv.setUint32(24, (opts.vaddr ?? paddr) + 0x10, true);   // entry
  dv.setUint32(28, 52, true);             // phoff
  dv.setUint16(40, 52, true); dv.setUint16(42, 32, true); dv.setUint16(44, opts.phnum ?? 1, true);
  dv.setUint32(52, 1, true); dv.setUint32(56, 0x100, true); dv.setUint32(60, opts.vaddr ?? paddr, true); dv.setUint32(64, paddr, true);
  dv.setUint32(68, 0x100, true); dv.setUint32(72, memsz, true); dv.setUint32(76, 7, true);
  dv.setUint32(0x100, MULTIBOOT_HEADER_MAGIC, true); dv.setUint32(0x104, 3, true); dv.setUint32(0x108, (-(MULTIBOOT_HEADER_MAGIC + 3)) >>> 0, true);
  return opts.truncate ? img.subarray(0, opts.truncate) : img;
}

const u32 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(o, true);
const cstr = (b: Uint8Array, o: number) => { let e = o; while (b[e]) e++; return Buffer.from(b.subarray(o, e)).toString('latin1'); };

test('-M pc loads x86-pc.yaml: i386, RAM at 0, COM1 at 0x3f8; -device isa-debug-exit adds the exit port', async () => {
  const cfg = (await buildConfig(parseArgs(['-M', 'pc', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'])));
  assert.equal(cfg.name, 'x86-pc');
  assert.equal(cfg.arch, 'i386');
  assert.deepEqual(cfg.memory, { size: 128 * MiB, base: 0 });
  const com1 = cfg.devices.find((d) => d.type === 'serial16550');
  assert.equal(com1?.props['iobase'], 0x3f8);
  assert.equal(com1?.chardev, 'serial0');
  const exit = cfg.devices.find((d) => d.type === 'isa-debug-exit');
  assert.deepEqual(exit?.props, { iobase: 0xf4, iosize: 4 });
  assert.deepEqual((await buildConfig(parseArgs(['-M', 'pc', '-device', 'isa-debug-exit']))).devices.find((d) => d.type === 'isa-debug-exit')?.props, { iobase: 0x501, iosize: 2 });
  await assert.rejects(async () => buildConfig(parseArgs(['-M', 'pc', '-device', 'isa-debug-exit,iobase=0x10000'])), /iobase/);
  await assert.rejects(async () => buildConfig(parseArgs(['-M', 'pc', '-device', 'isa-debug-exit,speed=9'])), /unknown parameter 'speed'/);
  await assert.rejects(async () => buildConfig(parseArgs(['-M', 'virt', '-device', 'isa-debug-exit'])), /needs an ISA bus/);
});

test('isa-debug-exit: a write of v exits with (v << 1) | 1', () => {
  const codes: number[] = [];
  const d = new IsaDebugExit((c) => codes.push(c));
  d.write(0, 0, 1); d.write(0, 0x2a, 1); d.write(2, 0x7f, 1);
  assert.deepEqual(codes, [1, 0x55, 0xff]);
  assert.equal(d.read(), 0);
});

test('multiboot a.out kludge: image at load_addr, BSS zeroed, entry from the header, mbi after the kernel', () => {
  const k = aoutKernel([0x90, 0xf4], { bssEnd: 0x100000 + 0x3000 });
  const plan = planMultiboot({ kernelPath: '/k.elf', kernel: k, append: 'console=ttyS0 x=1' }, { ramSize: 128 * MiB });
  assert.equal(plan.entry, 0x100020);
  assert.equal(plan.chunks[0].addr, 0x100000);
  assert.equal(plan.chunks[0].data.length, k.length);
  assert.equal(plan.chunks[1].addr, 0x100000 + k.length);
  assert.equal(plan.chunks[1].data.length, 0x3000 - k.length);
  assert.ok(plan.chunks[1].data.every((b) => b === 0));
  assert.equal(plan.mbi, 0x103000);
  const mbi = plan.chunks.at(-1)!;
  assert.equal(mbi.addr, plan.mbi);
  const flags = u32(mbi.data, 0);
  assert.equal(flags, MBI_MEMORY | MBI_BOOT_DEVICE | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_BOOT_LOADER_NAME);
  assert.equal(u32(mbi.data, 4), 639);
  assert.equal(u32(mbi.data, 8), 128 * 1024 - 1024 - 128);
  assert.equal(cstr(mbi.data, u32(mbi.data, 16) - plan.mbi), '/k.elf console=ttyS0 x=1');
  assert.equal(cstr(mbi.data, u32(mbi.data, 64) - plan.mbi), 'tsemu');
  assert.equal(u32(mbi.data, 20), 0);
  // The memory map: 24-byte entries (size field 20), RAM from 1 MiB.
  const mmap = u32(mbi.data, 48) - plan.mbi, len = u32(mbi.data, 44);
  const entries: number[][] = [];
  for (let o = mmap; o < mmap + len; o += 24) entries.push([u32(mbi.data, o), u32(mbi.data, o + 4), u32(mbi.data, o + 12), u32(mbi.data, o + 20)]);
  assert.deepEqual(entries[0], [20, 0, 0x9fc00, 1]);
  assert.deepEqual(entries[3], [20, 0x100000, 128 * MiB - 0x100000 - 0x20000, 1]);
});

test('multiboot modules: QEMU -initrd syntax "file args,file args", page-aligned, with their command lines', () => {
  assert.deepEqual(parseModules('a.bin arg1 arg2,b.bin,c,,d.bin x'), [
    { file: 'a.bin', cmdline: 'a.bin arg1 arg2' }, { file: 'b.bin', cmdline: 'b.bin' }, { file: 'c,d.bin', cmdline: 'c,d.bin x' }]);
  const files: Record<string, Uint8Array> = { 'a.bin': new Uint8Array(5000).fill(0xaa), 'b.bin': Uint8Array.of(1, 2, 3) };
  const plan = planMultiboot({ kernelPath: 'k', kernel: elfKernel(0x200000, 0x1800), initrd: 'a.bin one two,b.bin', readFile: (p) => files[p] },
    { ramSize: 64 * MiB });
  assert.equal(plan.entry, 0x200010);
  const mods = plan.chunks.filter((c) => c.what.startsWith('module'));
  assert.deepEqual(mods.map((m) => [m.addr, m.data.length]), [[0x202000, 5000], [0x204000, 3]]);
  const mbi = plan.chunks.at(-1)!.data;
  assert.equal(u32(mbi, 20), 2);
  const list = u32(mbi, 24) - plan.mbi;
  assert.deepEqual([u32(mbi, list), u32(mbi, list + 4)], [0x202000, 0x202000 + 5000]);
  assert.equal(cstr(mbi, u32(mbi, list + 8) - plan.mbi), 'a.bin one two');
  assert.equal(cstr(mbi, u32(mbi, list + 24) - plan.mbi), 'b.bin');
  assert.equal(cstr(mbi, u32(mbi, 16) - plan.mbi), 'k');
});

test('multiboot ELF: a higher-half kernel (virtual entry, physical load addresses) is entered at the physical entry', () => {
  const plan = planMultiboot({ kernelPath: 'k', kernel: elfKernel(0x100000, 0x1000, { vaddr: 0xc0100000 }) }, { ramSize: 16 * MiB });
  assert.equal(plan.entry, 0x100010);
  assert.equal(plan.chunks[0].addr, 0x100000);
});

test('without -M, an i386 ELF -kernel selects the PC (QEMU chose by binary name)', async () => {
  const path = join(tmp, 'guess.elf');
  writeFileSync(path, elfKernel(0x100000, 0x1000));
  assert.equal((await buildConfig(parseArgs(['-kernel', path]))).name, 'x86-pc');
});

test('multiboot errors: no header, corrupt ELF, segments outside RAM, unsupported required flags', () => {
  const plan = (kernel: Uint8Array, ramSize = 16 * MiB) => planMultiboot({ kernelPath: 'k', kernel }, { ramSize });
  assert.throws(() => plan(new Uint8Array(9000)), (e: Error) => e instanceof ConfigError && /no multiboot header/.test(e.message));
  const late = new Uint8Array(9000); new DataView(late.buffer).setUint32(8192, MULTIBOOT_HEADER_MAGIC, true);
  assert.throws(() => plan(late), /no multiboot header/);
  assert.throws(() => plan(elfKernel(0x100000, 0x100, { phnum: 40 })), /corrupt ELF: program headers run past/);
  assert.throws(() => plan(elfKernel(0x100000, 0x10, {})), /memsz < filesz/);
  assert.throws(() => plan(elfKernel(0x1000000, 0x1000)), /outside RAM/);
  assert.throws(() => plan(elfKernel(0x9f000, 0x2000)), /outside RAM/);
  assert.throws(() => plan(aoutKernel([0x90], { load: 0xfff000, bssEnd: 0x1001000 })), /outside RAM/);
  assert.throws(() => plan(aoutKernel([0x90], { flags: 0x10008 })), /unsupported features \(flags 0x8\)/);
  const notElf = aoutKernel([0x90], { flags: 0 });
  assert.throws(() => plan(notElf), /not an ELF file/);
});

const tiny = aoutKernel([
  0x66, 0xba, 0xf8, 0x03,             // mov $0x3f8, %dx
  0x3d, 0x02, 0xb0, 0xad, 0x2b,       // cmp $0x2badb002, %eax
  0x75, 0x03,                         // jne 1f
  0xb0, 0x4d,                         // mov $'M', %al
  0xee,                               // out %al, (%dx)
  0x8a, 0x03,                         // 1: mov (%ebx), %al   (mbi flags: 0x4f = 'O')
  0xee,                               // out %al, (%dx)
  0x8a, 0x43, 0x14,                   // mov 20(%ebx), %al    (mods_count)
  0x04, 0x30,                         // add $'0', %al
  0xee,                               // out %al, (%dx)
  0x8b, 0x43, 0x18,                   // mov 24(%ebx), %eax   (mods_addr)
  0x8b, 0x00,                         // mov (%eax), %eax     (first module's start)
  0x8a, 0x00,                         // mov (%eax), %al      (its first byte)
  0xee,                               // out %al, (%dx)
  0x66, 0xba, 0xf4, 0x00,             // mov $0xf4, %dx
  0xb0, 0x2a,                         // mov $0x2a, %al
  0xee,                               // out %al, (%dx)   -> exit status 0x55
  0xf4, 0xeb, 0xfd,                   // hlt; jmp .-1
]);

test('a tiny multiboot kernel runs: EAX magic, EBX -> mbi, modules from -initrd, COM1 output, isa-debug-exit status', async () => {
  const path = join(tmp, 'tiny.elf');
  writeFileSync(path, tiny);
  writeFileSync(join(tmp, 'mod1.bin'), 'Z');
  writeFileSync(join(tmp, 'mod,2.bin'), 'Y');
  for (const backend of ['interp', 'wasm']) {
    // -initrd as QEMU takes it for multiboot: "file args,file args", ",," for a comma in a name
    const r = await runTsemu(['-M', 'pc', '-nographic', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-accel', `tcg,backend=${backend}`,
      '-kernel', path, '-initrd', `${join(tmp, 'mod1.bin')} one two,${join(tmp, 'mod,,2.bin')}`]);
    assert.equal(r.out, 'MO2Z', `${backend}: ${r.err}`);
    assert.equal(r.code, 0x55, `${backend}: ${r.err}`);
  }
  const missing = await runTsemu(['-M', 'pc', '-nographic', '-kernel', path, '-initrd', `${join(tmp, 'mod1.bin')} x,${join(tmp, 'nope.bin')}`]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /-initrd: cannot open '.*nope\.bin'/);
});

test('-bios: the ROM ends at 4 GiB (reset vector) and its last 128 KiB also appear at 0xE0000-0xFFFFF', async () => {
  const rom = new Uint8Array(64 << 10).fill(0xf4);
  // at 0xF0000 (the isa-bios alias): print 'B' on COM1, exit with 0x21
  rom.set([0xba, 0xf8, 0x03, 0xb0, 0x42, 0xee, 0xba, 0xf4, 0x00, 0xb0, 0x21, 0xee, 0xf4], 0);
  rom.set([0xea, 0x00, 0x00, 0x00, 0xf0], 0xfff0);   // reset vector: jmp far f000:0000
  const path = join(tmp, 'bios.bin');
  writeFileSync(path, rom);
  for (const backend of ['interp', 'wasm']) {
    const r = await runTsemu(['-M', 'pc', '-nographic', '-bios', path, '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-accel', `tcg,backend=${backend}`]);
    assert.equal(r.out, 'B', `${backend}: ${r.err}`);
    assert.equal(r.code, 0x43, `${backend}: ${r.err}`);
  }
  // A QEMU-style command line without -M: the ROM's far jump at the reset vector selects the PC.
  const r = await runTsemu(['-nographic', '-bios', path, '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']);
  assert.equal(r.out, 'B', r.err);
  const bad = join(tmp, 'odd.bin');
  writeFileSync(bad, new Uint8Array(1000));
  const e = await runTsemu(['-M', 'pc', '-nographic', '-bios', bad]);
  assert.equal(e.code, 1);
  assert.match(e.err, /not a multiple of 64 KiB/);
});

test('the keyboard controller resets the PC (0xFE to port 0x64); with -no-reboot tsemu exits 0', async () => {
  const k = aoutKernel([
    0x66, 0xba, 0xf8, 0x03, 0xb0, 0x52, 0xee,   // print 'R'
    0xb0, 0xfe, 0xe6, 0x64,                     // out 0xfe -> port 0x64
    0xf4, 0xeb, 0xfd,
  ]);
  const path = join(tmp, 'reset.elf');
  writeFileSync(path, k);
  const r = await runTsemu(['-M', 'pc', '-nographic', '-no-reboot', '-kernel', path]);
  assert.equal(r.out, 'R', r.err);
  assert.equal(r.code, 0, r.err);
});

test('-rtc base=DATE sets the CMOS clock (read by a tiny kernel in BCD)', async () => {
  const code: number[] = [0x66, 0xba, 0xf8, 0x03];   // mov $0x3f8, %dx
  for (const reg of [0x32, 9, 8, 7, 4, 2]) code.push(0xb0, reg, 0xe6, 0x70, 0xe4, 0x71, 0xee);   // out reg -> 0x70; in 0x71; out -> COM1
  code.push(0xb0, 0x00, 0xe6, 0xf4, 0xf4);           // isa-debug-exit 0
  const path = join(tmp, 'rtc.elf');
  writeFileSync(path, aoutKernel(code));
  const r = await runTsemu(['-M', 'pc', '-nographic', '-rtc', 'base=2006-06-17T16:01:21', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-kernel', path]);
  assert.equal(r.code, 1, r.err);
  assert.deepEqual([...Buffer.from(r.out, 'latin1')], [0x20, 0x06, 0x06, 0x17, 0x16, 0x01]);
  assert.equal(parseArgs(['-rtc', 'base=2006-06-17']).rtcBase, Date.UTC(2006, 5, 17) / 1000);
  assert.equal(parseArgs(['-rtc', 'base=utc,clock=host']).rtcBase, undefined);
  assert.throws(() => parseArgs(['-rtc', 'base=yesterday']), /-rtc: expected base=utc/);
});

test('info mtree shows the I/O port space with the PC devices', async () => {
  const r = await runTsemu(['-M', 'pc', '-nographic', '-S', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'], '\x01cinfo mtree\nq\n');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /address-space: I\/O\r?\n {2}0000000000000000-000000000000ffff \(prio 0, i\/o\): io\r?\n/);
  for (const line of ['0000000000000020-0000000000000021 (prio 0, i/o): pic-master', '0000000000000040-0000000000000043 (prio 0, i/o): pit',
    '0000000000000070-0000000000000071 (prio 0, i/o): rtc', '00000000000000f4-00000000000000f7 (prio 0, i/o): isa-debug-exit-0',
    '00000000000003f8-00000000000003ff (prio 0, i/o): com1']) assert.ok(r.out.includes(line), line);
});

test('-debugcon file:PATH logs port 0xE9 (or the -global isa-debugcon.iobase port); reads return 0xE9', async () => {
  const code = [
    0xe4, 0xe9, 0xe6, 0xe9,             // in $0xe9 -> out $0xe9 (0xE9 itself)
    0xb0, 0x6f, 0xe6, 0xe9,             // 'o'
    0xb0, 0x6b, 0xe6, 0xe9,             // 'k'
    0x66, 0xba, 0x02, 0x04, 0xb0, 0x21, 0xee,   // '!' to 0x402
    0xb0, 0x00, 0xe6, 0xf4, 0xf4,
  ];
  const path = join(tmp, 'dbg.elf'), log = join(tmp, 'dbg.log'), log2 = join(tmp, 'dbg2.log');
  writeFileSync(path, aoutKernel(code));
  const r = await runTsemu(['-M', 'pc', '-nographic', '-debugcon', `file:${log}`, '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-kernel', path]);
  assert.equal(r.code, 1, r.err);
  assert.deepEqual([...readFileSync(log)], [0xe9, 0x6f, 0x6b]);
  const r2 = await runTsemu(['-M', 'pc', '-nographic', '-debugcon', `file:${log2}`, '-global', 'isa-debugcon.iobase=0x402', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-kernel', path]);
  assert.equal(r2.code, 1, r2.err);
  assert.equal(readFileSync(log2, 'latin1'), '!');
  await assert.rejects(async () => buildConfig(parseArgs(['-M', 'virt', '-debugcon', 'stdio'])), /needs an ISA bus/);
});

const SEABIOS = '/usr/share/seabios/bios.bin';
test('SeaBIOS boots on -M pc: CMOS RAM size, PIT/PIC, keyboard, boot attempts, then a keyboard-controller reboot (-no-reboot exits)',
  { skip: existsSync(SEABIOS) ? false : 'seabios not installed (scripts/setup-test-deps.sh)' }, async () => {
    const log = join(tmp, 'seabios.log');
    // -icount: SeaBIOS's boot-menu and retry delays pass in virtual time at once while it halts
    const r = await runTsemu(['-M', 'pc', '-nographic', '-no-reboot', '-icount', 'shift=4', '-bios', SEABIOS,
      '-debugcon', `file:${log}`, '-global', 'isa-debugcon.iobase=0x402'], '', 120_000);
    assert.equal(r.code, 0, r.err);
    const text = readFileSync(log, 'latin1');
    for (const line of ['RamSize: 0x08000000 [cmos]', 'Found 1 serial ports', 'PS2 keyboard initialized', 'Press ESC for boot menu.',
      '  3: 0000000000100000 - 0000000008000000 = 1 RAM', 'Booting from Hard Disk...', 'No bootable device.', 'Attempting a hard reboot']) {
      assert.ok(text.includes(line), `SeaBIOS log lacks '${line}':\n${text.slice(-1500)}`);
    }
  });

test('-kernel without a multiboot header is refused with one clear line', async () => {
  const path = join(tmp, 'plain.bin');
  writeFileSync(path, new Uint8Array(4096));
  const r = await runTsemu(['-M', 'pc', '-nographic', '-kernel', path]);
  assert.equal(r.code, 1);
  assert.match(r.err, /no multiboot header/);
});
