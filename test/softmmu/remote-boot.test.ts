/**
 * tsemu with http(s) images, end to end: the firmware is served by a local
 * server, the cache lives in a temporary XDG_CACHE_HOME, and every failed
 * download exits 1 before the machine starts, leaving nothing in the cache.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Guest, ROOT, sleep } from '../helpers/guest.js';
import { fw } from '../helpers/firmware.js';
import { ImageServer } from '../helpers/image-server.js';

const data = readFileSync(fw('hello.bin'));
const SHA = createHash('sha256').update(data).digest('hex');
const WRONG = SHA.replace(/^./, (c) => (c === '0' ? '1' : '0'));
const HELLO = /Hello from tsemu firmware!/;
const server = new ImageServer('hello.bin', data);
const temps: string[] = [];
before(() => server.start());
after(async () => { await server.stop(); temps.forEach((d) => rmSync(d, { recursive: true, force: true })); });

/** A fresh XDG_CACHE_HOME; tsemu's cache is its `tsemu` folder. */
function cacheHome(): { env: Record<string, string>; dir: string; files: () => string[] } {
  const home = mkdtempSync(join(tmpdir(), 'tsemu-xdg-'));
  temps.push(home);
  const dir = join(home, 'tsemu');
  return { env: { XDG_CACHE_HOME: home, TSEMU_CACHE_DIR: '' }, dir, files: () => (existsSync(dir) ? readdirSync(dir) : []) };
}

async function run(args: string[], env: Record<string, string>, whileRunning?: (g: Guest) => Promise<void>): Promise<{ code: number; out: string; err: string }> {
  const g = new Guest(args, { env });
  g.proc.stdin!.end();
  const t = setTimeout(() => g.kill(), 60_000);
  try {
    if (whileRunning) await whileRunning(g);
    return { code: await g.exit, out: g.out, err: g.err };
  } finally {
    clearTimeout(t);
    g.kill();
  }
}

const bios = (url: string) => ['-M', 'virt', '-nographic', '-bios', url];

test('-bios URL#sha256 boots the downloaded firmware and keeps it in the cache', async () => {
  const c = cacheHome();
  const r = await run(bios(`${server.url()}#sha256=${SHA}`), c.env);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, HELLO);
  // stderr is a pipe here: one plain line, no progress bar.
  assert.equal(r.err, `tsemu: downloading ${server.url()}\n`);
  const files = c.files();
  assert.equal(files.length, 1);
  assert.match(files[0], /-hello\.bin$/);
  assert.deepEqual(readFileSync(join(c.dir, files[0])), data);
});

test('a wrong sha256 exits 1 naming both hashes, and caches nothing', async () => {
  const c = cacheHome();
  const r = await run(bios(`${server.url()}#sha256=${WRONG}`), c.env);
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`bios ${server.url()}: sha256 mismatch: expected ${WRONG}, got ${SHA}`));
  assert.doesNotMatch(r.out, HELLO);
  assert.deepEqual(c.files(), []);
});

test('a 404 exits 1 with the status, and caches nothing', async () => {
  const c = cacheHome();
  const r = await run(bios(server.url('missing')), c.env);
  assert.equal(r.code, 1);
  assert.match(r.err, /bios http:\/\/127\.0\.0\.1:\d+\/missing\/hello\.bin: download failed: HTTP 404/);
  assert.deepEqual(c.files(), []);
});

test('a connection closed after half the announced length exits 1, and caches nothing', async () => {
  const c = cacheHome();
  const r = await run(bios(server.url('truncated')), c.env);
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`truncated/hello\\.bin: (connection lost after \\d+ of ${data.length} bytes|incomplete download)`));
  assert.deepEqual(c.files(), []);
});

test('a second run uses the cached file when the server is gone', async () => {
  const c = cacheHome();
  const own = await new ImageServer('hello.bin', data).start();
  const url = `${own.url()}#sha256=${SHA}`;
  try {
    assert.equal((await run(bios(url), c.env)).code, 0);
  } finally {
    await own.stop();
  }
  const r = await run(bios(url), c.env);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, HELLO);
  assert.equal(r.err, '', 'no download this time');
});

test('Ctrl-C during a download exits 1 and leaves no partial file', async () => {
  const c = cacheHome();
  const r = await run(bios(server.url('stall')), c.env, async (g) => {
    // The server sent half and waits; interrupt once the body is streaming into the cache folder.
    for (let i = 0; i < 6000 && !c.files().some((f) => f.endsWith('.part')); i++) await sleep(10);
    assert.ok(c.files().some((f) => f.endsWith('.part')), `the download never started: ${g.err}`);
    g.proc.kill('SIGINT');
  });
  assert.equal(r.code, 1);
  assert.match(r.err, /stall\/hello\.bin: download interrupted/);
  assert.deepEqual(c.files(), []);
});

function machineWithBoot(boot: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-yaml-'));
  temps.push(dir);
  const yaml = readFileSync(join(ROOT, 'machines/arm-virt.yaml'), 'utf8').replace(/^boot:[\s\S]*$/m, boot);
  const file = join(dir, 'remote.yaml');
  writeFileSync(file, yaml);
  return file;
}

test('YAML: boot.bios as { url, sha256 } boots the downloaded firmware', async () => {
  const c = cacheHome();
  const file = machineWithBoot(`boot:\n  bios:\n    url: ${server.url()}\n    sha256: ${SHA}\n  dtb: auto\n`);
  const r = await run([file, '-nographic'], c.env);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, HELLO);
  assert.equal(c.files().length, 1);
});

test('YAML: a malformed sha256 is refused with file and line before anything is fetched', async () => {
  const c = cacheHome();
  const file = machineWithBoot(`boot:\n  bios: { url: "${server.url()}", sha256: 1234 }\n  dtb: auto\n`);
  const before = server.requests.length;
  const r = await run([file, '-nographic'], c.env);
  assert.equal(r.code, 1);
  assert.match(r.err.trim(), /^.*remote\.yaml:\d+: boot\.bios\.sha256: expected a sha256 of 64 hex digits, got '1234'$/);
  assert.equal(server.requests.length, before);
});

test('a malformed hash on the command line is one line, before anything is fetched', async () => {
  const c = cacheHome();
  const before = server.requests.length;
  const r = await run(bios(`${server.url()}#md5=00`), c.env);
  assert.equal(r.code, 1);
  assert.equal(r.err, "tsemu: -bios: unknown URL fragment '#md5=00' (expected #sha256=HEX)\n");
  assert.equal(server.requests.length, before);
});
