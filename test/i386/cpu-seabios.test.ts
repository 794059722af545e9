/**
 * SeaBIOS (Debian's qemu build) on the bare CPU harness: reset vector, real
 * mode, the switch to 32-bit, relocation, table building and device probing
 * (against empty ports) up to the boot-menu prompt, where it waits in HLT
 * for a timer the harness does not have. Interp and wasm must print the
 * same debug output (port 0x402).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { TestPC, BACKENDS } from './cpu-harness.js';
import * as S from '../../target/i386/cpu-state.js';

const BIOS = '/usr/share/seabios/bios.bin';

function boot(backend: 'interp' | 'wasm'): string {
  const bios = readFileSync(BIOS);
  const pc = new TestPC(backend, 64 << 20);
  let out = '';
  pc.io.add('debugcon-402', 0x402, 1, { type: 'debugcon', reset() {}, read: () => 0xe9, write: (_o, v) => { out += String.fromCharCode(v); } });
  pc.load(0x100000 - bios.length, bios);
  pc.load(0xffff0000, bios.subarray(bios.length - 0x10000));
  pc.cpu.reset();
  pc.run(50_000_000);
  assert.ok(pc.cpu.halted && (pc.cpu.getEflags() & S.IF) !== 0, `expected a HLT waiting for interrupts\n${pc.cpu.dumpRegisters()}\n${out}`);
  return out;
}

test('SeaBIOS runs to its boot menu prompt; interp and wasm agree', { skip: !existsSync(BIOS) && 'seabios not installed' }, () => {
  const [a, b] = BACKENDS.map(boot);
  assert.match(a, /SeaBIOS \(version/);
  assert.match(a, /Relocating init from/);
  assert.match(a, /Press ESC for boot menu/);
  const strip = (s: string) => s.replace(/CPU Mhz=\d+/, 'CPU Mhz=');
  assert.equal(strip(b), strip(a));
});
