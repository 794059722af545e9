/** machines/linux-x86.ts: where the 32-bit boot protocol puts things, and its refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIXTURES } from '../helpers/guest.js';
import { ConfigError } from '../../machines/config.js';
import { isBzImage, planLinuxX86, KERNEL_BASE } from '../../machines/linux-x86.js';

const BZ = resolve(FIXTURES, 'bzImage-x86-i386');

test('bzImage plan: header copied, loader fields, command line, initrd high and aligned, e820', { skip: !existsSync(BZ) && 'fixture missing' }, () => {
  const bz = readFileSync(BZ);
  assert.ok(isBzImage(bz));
  const initrd = new Uint8Array(5000).fill(7);
  const ram = 128 << 20;
  const p = planLinuxX86(bz, BZ, initrd, 'console=ttyS0', ram);
  assert.equal(p.entry, KERNEL_BASE);
  const bp = p.chunks.find((c) => c.what === 'boot_params')!.data;
  const v = new DataView(bp.buffer, bp.byteOffset);
  assert.equal(Buffer.from(bp.subarray(0x202, 0x206)).toString('latin1'), 'HdrS');
  assert.equal(bp[0x210], 0xff);
  assert.ok(bp[0x211] & 0x80);
  const cmdAddr = v.getUint32(0x228, true);
  const cmd = p.chunks.find((c) => c.addr === cmdAddr)!.data;
  assert.equal(Buffer.from(cmd).toString('latin1'), 'console=ttyS0\0');
  const rdAddr = v.getUint32(0x218, true);
  assert.equal(v.getUint32(0x21c, true), 5000);
  assert.equal(rdAddr % 4096, 0);
  assert.ok(rdAddr + 5000 <= ram && rdAddr > KERNEL_BASE);
  assert.equal(bp[0x1e8], 4);
  assert.equal(v.getUint32(0x2d0 + 3 * 20, true), KERNEL_BASE);
  assert.equal(v.getUint32(0x2d0 + 3 * 20 + 8, true), ram - KERNEL_BASE);
  const kernel = p.chunks.find((c) => c.what === 'kernel')!;
  assert.equal(kernel.data.length, bz.length - ((bz[0x1f1] || 4) + 1) * 512);
});

test('bzImage plan refuses: not enough RAM, an over-long command line', { skip: !existsSync(BZ) && 'fixture missing' }, () => {
  const bz = readFileSync(BZ);
  assert.throws(() => planLinuxX86(bz, BZ, undefined, '', 2 << 20), (e: unknown) => e instanceof ConfigError && /needs \d+ MiB of RAM/.test((e as Error).message));
  assert.throws(() => planLinuxX86(bz, BZ, undefined, 'x'.repeat(5000), 128 << 20), (e: unknown) => e instanceof ConfigError && /command line is 5000 bytes/.test((e as Error).message));
  assert.equal(isBzImage(new Uint8Array(4096)), false);
});
