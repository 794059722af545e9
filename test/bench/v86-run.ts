/**
 * Boot a multiboot kernel headless in v86 (the `v86` npm package: an x86 PC
 * emulator with an x86→wasm JIT), the way qemu-system-i386 -kernel does it:
 * Debian's SeaBIOS (bios.bin + vgabios), 128 MiB, COM1 on stdout.
 *
 *   node dist/test/bench/v86-run.js KERNEL.elf [--timeout S] [--done TEXT]
 *
 * The run ends like QEMU's with isa-debug-exit: when the guest writes V to
 * port 0xf4 the process exits with status (V << 1) | 1. v86 has no
 * isa-debug-exit device, so the port is hooked through v86's I/O bus when
 * that internal is reachable; otherwise (and always as a backstop) the line
 * containing TEXT (default " done", the benchmark kernels' last line) ends
 * the run with status 1, as a write of 0 would. Status 2: error; 3: timeout.
 * On stderr: `v86: ready X s, guest Y s` (emulator set-up, then emulator
 * start to the end of the run).
 *
 * Used by test/bench/x86.ts (`npm run bench:x86`); v86 is a devDependency
 * and never loaded by tsemu itself.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const BIOS_DIR = '/usr/share/seabios';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

async function main(): Promise<void> {
  const kernel = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !(i > 0 && all[i - 1].startsWith('--')));
  if (!kernel) {
    console.error('usage: v86-run.js KERNEL.elf [--timeout S] [--done TEXT]');
    process.exit(2);
  }
  const timeoutS = parseFloat(arg('--timeout') ?? '300') || 300;
  const doneText = arg('--done') ?? ' done';
  const vgaBios = ['vgabios-stdvga.bin', 'vgabios.bin'].map((n) => join(BIOS_DIR, n)).find((p) => existsSync(p));
  const bios = join(BIOS_DIR, 'bios.bin');
  if (!existsSync(bios)) {
    console.error(`v86-run: ${bios} missing (Debian package seabios)`);
    process.exit(2);
  }

  const t0 = performance.now();
  const require = createRequire(import.meta.url);
  const v86Dir = dirname(require.resolve('v86/package.json'));
  const { V86 } = await import('v86');
  let started = 0;
  let line = '';
  let finished = false;
  let hooked = false;

  const finish = (status: number, why: string): void => {
    if (finished) return;
    finished = true;
    const t = performance.now();
    const ready = started ? ((started - t0) / 1000).toFixed(3) : '-';
    const guest = started ? ((t - started) / 1000).toFixed(3) : '-';
    process.stderr.write(`v86: ready ${ready} s, guest ${guest} s (${why})\n`);
    // stop() and exit: the emulator's timers would keep the process alive.
    process.stdout.write('', () => process.exit(status));
  };

  const emulator = new V86({
    wasm_path: join(v86Dir, 'build/v86.wasm'),
    bios: { buffer: toArrayBuffer(readFileSync(bios)) },
    vga_bios: vgaBios ? { buffer: toArrayBuffer(readFileSync(vgaBios)) } : undefined,
    multiboot: { buffer: toArrayBuffer(readFileSync(kernel)) },
    memory_size: 128 * 1024 * 1024,
    autostart: true,
    disable_keyboard: true,
    disable_mouse: true,
    disable_speaker: true,
  });

  emulator.add_listener('emulator-started', () => { if (!started) started = performance.now(); });
  emulator.add_listener('emulator-ready', () => {
    if (!started) started = performance.now();
    // isa-debug-exit on port 0xf4, through v86's I/O port table (not public API).
    const io = (emulator as unknown as { v86?: { cpu?: { io?: { register_write?: (...a: unknown[]) => void } } } }).v86?.cpu?.io;
    if (io?.register_write) {
      const exit = (v: number): void => { finish(((v & 0xff) << 1) | 1, `isa-debug-exit ${v & 0xff}`); };
      io.register_write(0xf4, {}, exit, (v: number) => exit(v & 0xff), (v: number) => exit(v & 0xff));
      hooked = true;
    }
  });
  emulator.add_listener('serial0-output-byte', (byte: number) => {
    const c = String.fromCharCode(byte);
    process.stdout.write(Buffer.from([byte]));
    if (c === '\n') {
      // With the port hooked, the guest's own exit follows at once; give it a moment.
      if (line.includes(doneText)) {
        if (hooked) setTimeout(() => finish(1, 'done line, no port 0xf4 write'), 500);
        else finish(1, 'done line');
      }
      line = '';
    } else {
      line += c;
    }
  });
  setTimeout(() => finish(3, `timeout after ${timeoutS} s`), timeoutS * 1000).unref();
  // Keep the process alive until finish() (v86's timers may be unref'd).
  setInterval(() => { /* keep-alive */ }, 1 << 30);
}

// `npm test` runs `node --test dist/test/`, which executes every .js file under test/: do nothing there.
if (process.env.NODE_TEST_CONTEXT) {
  console.log('bench/v86-run.js: v86 launcher for the x86 benchmark, skipped under node --test');
} else {
  main().catch((e) => { console.error(e); process.exit(2); });
}
