/** Every remote image in a validated configuration becomes a cached local path; local ones are untouched. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMachine } from '../../machines/schema.js';
import { resolveRemoteImages } from '../../softmmu/config-images.js';
import { cacheName } from '../../softmmu/remote-image.js';
import { ImageServer } from '../helpers/image-server.js';
import { fw } from '../helpers/firmware.js';

const data = readFileSync(fw('hello.bin'));
const SHA = createHash('sha256').update(data).digest('hex');
const server = new ImageServer('hello.bin', data);
const dir = mkdtempSync(join(tmpdir(), 'tsemu-cfgimg-'));
before(() => server.start());
after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

test('boot files, device files and drive files are fetched; local paths stay', async () => {
  const cache = join(dir, 'cache');
  const yaml = join(dir, 'm.yaml');
  writeFileSync(join(dir, 'local.dtb'), 'dtb');
  writeFileSync(yaml, `name: t
arch: arm
cpu: { model: cortex-a15 }
memory: { size: 256M, base: 0x40000000 }
devices:
  - { type: cfi-flash, name: flash0, base: 0x00000000, size: 64M, bank-width: 4, file: "${server.url()}" }
  - { type: virtio-blk, name: vda, base: 0x0a000000, irq: 48, drive: { file: { url: "${server.url('chunked')}", sha256: ${SHA} } } }
boot:
  kernel: "${server.url()}#sha256=${SHA}"
  dtb: local.dtb
`);
  const cfg = loadMachine(yaml);
  await resolveRemoteImages(cfg, { cacheDir: cache, progress: { write() {} } });
  assert.equal(cfg.boot.kernel, join(cache, cacheName(server.url(), SHA)));
  assert.equal(cfg.boot.dtb, join(dir, 'local.dtb'));
  assert.equal(cfg.devices[0].props.file, join(cache, cacheName(server.url())));
  const drive = cfg.devices[1].props.drive as { file: string; snapshot: boolean };
  assert.equal(drive.file, join(cache, cacheName(server.url('chunked'), SHA)));
  assert.equal(drive.snapshot, true);
  for (const f of [cfg.boot.kernel, cfg.devices[0].props.file as string, drive.file]) assert.deepEqual(readFileSync(f), data);
});
