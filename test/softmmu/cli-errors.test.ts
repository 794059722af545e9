/** Bad input gets one clear line and exit 1, never a stack trace (issue 2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, TSEMU, runTsemu } from '../helpers/guest.js';

function oneLine(r: { code: number; out: string; err: string }, pattern: RegExp): void {
  assert.equal(r.code, 1);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${r.err}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.err, /^\s+at /m);
}

test('missing kernel', async () => {
  oneLine(await runTsemu(['-M', 'virt', '-nographic', '-kernel', '/nonexistent/zImage']), /kernel.*\/nonexistent\/zImage/);
});

test('unknown option', async () => {
  oneLine(await runTsemu(['-M', 'virt', '-frobnicate']), /frobnicate/);
});

test('bad -m value', async () => {
  oneLine(await runTsemu(['-M', 'virt', '-m', 'lots']), /-m/);
});

test('unknown machine', async () => {
  oneLine(await runTsemu(['-M', 'no-such-board']), /no-such-board/);
});

test('malformed YAML names the file and line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-'));
  const f = join(dir, 'bad.yaml');
  writeFileSync(f, 'name: bad\narch: arm\ncpu: { model: cortex-a15, count: 1\nmemory: 16M\n');
  oneLine(await runTsemu([f, '-nographic']), /bad\.yaml:\d+/);
});

test('unknown device type names file, line and key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-'));
  const f = join(dir, 'm.yaml');
  writeFileSync(f, 'name: m\narch: arm\ncpu: { model: cortex-a15, count: 1 }\nmemory: { size: 16M, base: 0x40000000 }\ndevices:\n  - { type: warp-drive, name: w, base: 0x1000 }\n');
  oneLine(await runTsemu([f, '-nographic']), /m\.yaml:6.*warp-drive/);
});

test('a reader that closes stdout early (tsemu ... | head -1) ends nothing but the output', async () => {
  // bench-hash-small prints a line, computes for a while, then prints more and powers off.
  const p = spawn(process.execPath, [TSEMU, '-M', 'virt', '-nographic', '-bios', join(ROOT, 'firmware/arm/bench-hash-small.bin')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  p.stdout.once('data', () => p.stdout.destroy());
  const code = await new Promise<number | null>((res) => p.on('close', res));
  assert.equal(code, 0, err);
  assert.doesNotMatch(err, /EPIPE|Unhandled/);
});
