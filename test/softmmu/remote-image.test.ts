/**
 * resolveImage against a local HTTP server: what lands in the cache, what
 * never does (partial or wrong files), and what the errors say.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../machines/config.js';
import { cacheDir, cacheName, resolveImage } from '../../softmmu/remote-image.js';
import { ImageServer } from '../helpers/image-server.js';
import { fw } from '../helpers/firmware.js';
import { sleep } from '../helpers/guest.js';

const data = readFileSync(fw('hello.bin'));
const SHA = createHash('sha256').update(data).digest('hex');
const WRONG = SHA.replace(/^./, (c) => (c === '0' ? '1' : '0'));
const server = new ImageServer('hello.bin', data);
const temps: string[] = [];
before(() => server.start());
after(async () => { await server.stop(); temps.forEach((d) => rmSync(d, { recursive: true, force: true })); });

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tsemu-cache-'));
  temps.push(d);
  return d;
}

/** A non-terminal stderr stand-in that keeps what was written. */
function sink(): { isTTY: false; text: string; write(s: string): void } {
  return { isTTY: false, text: '', write(s) { this.text += s; } };
}

async function rejectsWith(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ConfigError, `not a ConfigError: ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('a URL with its sha256 is downloaded once into the cache, then reused', async () => {
  const dir = tempDir();
  const out = sink();
  const path = await resolveImage(`${server.url()}#sha256=${SHA}`, undefined, { cacheDir: dir, progress: out });
  assert.equal(path, join(dir, cacheName(server.url(), SHA)));
  assert.deepEqual(readFileSync(path), data);
  assert.deepEqual(readdirSync(dir), [cacheName(server.url(), SHA)]);
  assert.equal(out.text, `tsemu: downloading ${server.url()}\n`);

  const before = server.requests.length;
  const again = sink();
  assert.equal(await resolveImage(server.url(), SHA, { cacheDir: dir, progress: again }), path);
  assert.equal(server.requests.length, before, 'the cached copy was used');
  assert.equal(again.text, '');
});

test('without a sha256 the cached copy is trusted as it is', async () => {
  const dir = tempDir();
  const path = await resolveImage(server.url(), undefined, { cacheDir: dir, progress: sink() });
  assert.deepEqual(readFileSync(path), data);
  writeFileSync(path, 'edited by hand');
  const before = server.requests.length;
  assert.equal(await resolveImage(server.url(), undefined, { cacheDir: dir, progress: sink() }), path);
  assert.equal(server.requests.length, before);
  assert.equal(readFileSync(path, 'utf8'), 'edited by hand');
});

test('a damaged cached copy with a known sha256 is fetched again', async () => {
  const dir = tempDir();
  const path = await resolveImage(server.url(), SHA, { cacheDir: dir, progress: sink() });
  writeFileSync(path, 'bit rot');
  const out = sink();
  assert.equal(await resolveImage(server.url(), SHA, { cacheDir: dir, progress: out }), path);
  assert.deepEqual(readFileSync(path), data);
  assert.match(out.text, /cached copy of .*hello\.bin is damaged/);
});

test('a sha256 mismatch names both hashes and caches nothing', async () => {
  const dir = tempDir();
  await rejectsWith(resolveImage(server.url(), WRONG, { cacheDir: dir, what: 'kernel', progress: sink() }),
    new RegExp(`^tsemu: kernel ${server.url()}: sha256 mismatch: expected ${WRONG}, got ${SHA}$`));
  assert.deepEqual(readdirSync(dir), []);
});

test('HTTP errors, cut connections and refused connections cache nothing', async () => {
  const dir = tempDir();
  const opts = { cacheDir: dir, progress: sink() };
  await rejectsWith(resolveImage(server.url('missing'), undefined, opts), /missing\/hello\.bin: download failed: HTTP 404 Not Found$/);
  await rejectsWith(resolveImage(server.url('truncated'), SHA, opts),
    // How much of the half arrives before the reset is noticed depends on the socket; the total is known.
    new RegExp(`truncated/hello\\.bin: (connection lost after \\d+ of ${data.length} bytes|incomplete download: got \\d+ bytes, the server announced ${data.length})`));
  await rejectsWith(resolveImage(server.url('truncated'), undefined, opts), /truncated\/hello\.bin: (connection lost|incomplete download)/);
  const idle = await new ImageServer('x.bin', data).start();
  await idle.stop();   // a port nobody listens on any more
  await rejectsWith(resolveImage(idle.url(), undefined, opts), /x\.bin: cannot connect: .*ECONNREFUSED/);
  assert.deepEqual(readdirSync(dir), []);
});

test('a download without Content-Length is still hashed and kept', async () => {
  const dir = tempDir();
  const path = await resolveImage(server.url('chunked'), SHA, { cacheDir: dir, progress: sink() });
  assert.deepEqual(readFileSync(path), data);
});

test('aborting mid-download removes the temporary file', async () => {
  const dir = tempDir();
  const ac = new AbortController();
  const p = resolveImage(server.url('stall'), SHA, { cacheDir: dir, progress: sink(), signal: ac.signal });
  // Wait until the body is streaming into the temporary file, then interrupt.
  for (let i = 0; i < 2000 && !readdirSync(dir).some((f) => f.endsWith('.part')); i++) await sleep(5);
  assert.ok(readdirSync(dir).some((f) => f.endsWith('.part')), 'the download never started');
  ac.abort();
  await rejectsWith(p, /stall\/hello\.bin: download interrupted/);
  assert.deepEqual(readdirSync(dir), []);
});

test('local paths pass through, checked when a sha256 is given', async () => {
  const file = fw('hello.bin');
  assert.equal(await resolveImage(file), file);
  assert.equal(await resolveImage(file, SHA.toUpperCase()), file);
  await rejectsWith(resolveImage(file, WRONG, { what: 'bios' }), new RegExp(`^tsemu: bios '.*hello\\.bin': sha256 mismatch: expected ${WRONG}, got ${SHA}$`));
  await rejectsWith(resolveImage(file, 'abc'), /expected a sha256 of 64 hex digits, got 'abc'/);
});

test('two different hashes for one URL are refused', async () => {
  await rejectsWith(resolveImage(`${server.url()}#sha256=${SHA}`, WRONG, { cacheDir: tempDir() }), /two different sha256 values/);
});

test('the cache folder: TSEMU_CACHE_DIR, then XDG_CACHE_HOME/tsemu, then ~/.cache/tsemu', () => {
  assert.equal(cacheDir({ TSEMU_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' }), '/c');
  assert.equal(cacheDir({ XDG_CACHE_HOME: '/x' }), '/x/tsemu');
  assert.match(cacheDir({ XDG_CACHE_HOME: 'relative' }), /\/\.cache\/tsemu$/);
  assert.match(cacheDir({}), /\/\.cache\/tsemu$/);
});

test('cache names: keyed by URL and hash, readable, safe', () => {
  const a = cacheName('http://h/zImage');
  assert.match(a, /^[0-9a-f]{16}-zImage$/);
  assert.notEqual(cacheName('http://h/zImage', SHA), a);
  assert.notEqual(cacheName('http://other/zImage'), a);
  assert.match(cacheName('http://h/dir/'), /^[0-9a-f]{16}-image$/);
  assert.match(cacheName('http://h/..%2f..%2fetc'), /^[0-9a-f]{16}-_.._etc$/);
});

test('temporary files of dead processes are swept; a live download\'s file is left alone', async () => {
  const dir = tempDir();
  const name = cacheName(server.url(), SHA);
  const dead = `.${name}.999999999.deadbeef.part`;     // above Linux's pid_max: no such process
  const live = `.${name}.${process.pid}.0badf00d.part`;
  const other = `.${cacheName(server.url('chunked'))}.999999999.deadbeef.part`;   // another image's: not ours to judge now
  for (const f of [dead, live, other]) writeFileSync(join(dir, f), 'partial');
  await resolveImage(server.url(), SHA, { cacheDir: dir, progress: sink() });
  assert.deepEqual(readdirSync(dir).sort(), [live, other, name].sort());
});
