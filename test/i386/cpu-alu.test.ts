/**
 * General-purpose integer instructions (alu.S) and the x87 through the
 * CPU's decoder (fpu.S) against this x86 host: each program runs
 * natively (cpu-asm/build.sh recorded its snapshots in NAME.expected.bin) and
 * in tsemu on both backends; every snapshot (registers + the defined
 * arithmetic flags) must match.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TestPC, BACKENDS, ASM_DIR } from './cpu-harness.js';

const NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esi', 'edi', 'eflags', 'mask'];

function syms(name: string): Record<string, number> {
  const r: Record<string, number> = {};
  for (const l of readFileSync(resolve(ASM_DIR, `${name}.syms`), 'utf8').trim().split('\n')) {
    const [k, v] = l.split(' ');
    r[k] = parseInt(v, 16);
  }
  return r;
}

function runSnapshots(backend: 'interp' | 'wasm', name: string): Uint32Array {
  const pc = new TestPC(backend);
  pc.loadFile(0x100000, `${name}.bin`);
  pc.cpu.enterMultiboot(0x100000, 0x2badb002, 0);
  pc.run();
  assert.notEqual(pc.exitValue, null, `${backend}: the program did not reach its exit (EIP=${(pc.cpu.eip >>> 0).toString(16)})\n${pc.cpu.dumpRegisters()}`);
  const s = syms(name);
  const end = pc.exitValue! >>> 0;
  const out = new Uint32Array((end - s.snap_buf) / 4);
  for (let i = 0; i < out.length; i++) out[i] = pc.read32(s.snap_buf + i * 4) >>> 0;
  return out;
}

function compare(got: Uint32Array, want: Uint32Array, what: string): void {
  for (let i = 0; i < Math.min(got.length, want.length); i++) {
    if (got[i] !== want[i]) {
      const snap = Math.floor(i / 8);
      const row = (a: Uint32Array) => NAMES.map((n, k) => `${n}=${(a[snap * 8 + k] >>> 0).toString(16)}`).join(' ');
      assert.fail(`${what}: snapshot ${snap} differs at ${NAMES[i % 8]}\n got:  ${row(got)}\n want: ${row(want)}`);
    }
  }
  assert.equal(got.length, want.length, `${what}: snapshot count`);
}

for (const name of ['alu', 'fpu']) {
  test(`${name}.S: interp and wasm match the host CPU`, () => {
    const buf = readFileSync(resolve(ASM_DIR, `${name}.expected.bin`));
    const want = new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4);
    const results = BACKENDS.map((be) => runSnapshots(be, name));
    compare(results[0], want, 'interp vs host');
    compare(results[1], results[0], 'wasm vs interp');
  });
}
