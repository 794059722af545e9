/**
 * Remote images in the configuration: the `URL#sha256=HEX` syntax, the YAML
 * forms (a URL string, or { url, sha256 }) with file:line errors, and the
 * command-line options. Nothing here touches the network.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../machines/config.js';
import { formatImageRef, isRemote, parseImageRef } from '../../machines/image-ref.js';
import { loadMachine } from '../../machines/schema.js';
import { buildConfig, parseArgs } from '../../softmmu/options.js';
import { tempFiles } from '../helpers/temp-files.js';

const SHA = 'ab'.repeat(32);
const { write } = tempFiles('tsemu-imgref-');

/** Lines 1-7; a case's own keys start at line 8. */
const HEAD = `name: t
arch: arm
cpu: { model: cortex-a15 }
memory: { size: 256M, base: 0x40000000 }
devices:
  - { type: pl011, name: uart0, base: 0x09000000, irq: 33 }
  - { type: cfi-flash, name: flash0, base: 0x00000000, size: 64M, bank-width: 4, bios: true }
`;

function rejects(text: string, expected: RegExp): void {
  const file = write(text);
  assert.throws(() => loadMachine(file), (e: unknown) => {
    assert.ok(e instanceof ConfigError, `not a ConfigError: ${String(e)}`);
    assert.match(e.message, expected);
    assert.ok(e.message.startsWith(`${file}:`), `message does not start with the file: ${e.message}`);
    return true;
  });
}

test('URL#sha256=HEX: parsed, normalised, refused when malformed', () => {
  assert.equal(isRemote('https://h/x'), true);
  assert.equal(isRemote('HTTP://h/x'), true);
  assert.equal(isRemote('/boot/zImage'), false);
  assert.equal(isRemote('C:zImage'), false);
  assert.deepEqual(parseImageRef('https://h/zImage'), { url: 'https://h/zImage' });
  assert.deepEqual(parseImageRef(`https://h/zImage#sha256=${SHA.toUpperCase()}`), { url: 'https://h/zImage', sha256: SHA });
  assert.equal(formatImageRef({ url: 'http://h/a', sha256: SHA }), `http://h/a#sha256=${SHA}`);
  assert.throws(() => parseImageRef('ftp://h/x'), /only http:\/\/ and https:\/\/ URLs/);
  assert.throws(() => parseImageRef('https://h/x#sha256=12'), /64 hex digits, got '12'/);
  assert.throws(() => parseImageRef('https://h/x#top'), /unknown URL fragment '#top'/);
  assert.throws(() => parseImageRef('http://'), /not a valid URL/);
});

test('YAML: a URL string or { url, sha256 } stays a URL in the config', () => {
  const cfg = loadMachine(write(HEAD + `boot:\n  kernel: https://example.org/zImage\n  initrd:\n    url: https://example.org/initrd.gz\n    sha256: ${SHA.toUpperCase()}\n  dtb: { url: "http://example.org/virt.dtb" }\n`));
  assert.equal(cfg.boot.kernel, 'https://example.org/zImage');
  assert.equal(cfg.boot.initrd, `https://example.org/initrd.gz#sha256=${SHA}`);
  assert.equal(cfg.boot.dtb, 'http://example.org/virt.dtb');
  const fragment = loadMachine(write(HEAD + `boot:\n  bios: "https://example.org/u-boot.bin#sha256=${SHA}"\n`));
  assert.equal(fragment.boot.bios, `https://example.org/u-boot.bin#sha256=${SHA}`);
  const flash = loadMachine(write(HEAD.replace('bios: true', 'file: https://example.org/vars.fd')));
  assert.equal(flash.devices[1].props.file, 'https://example.org/vars.fd');
});

test('YAML: bad remote images name file, line and key', () => {
  rejects(HEAD + 'boot:\n  kernel: { url: https://h/z, sha256: nope }\n', /:9: boot\.kernel\.sha256: expected a sha256 of 64 hex digits, got 'nope'/);
  rejects(HEAD + 'boot:\n  kernel: { sha256: ' + SHA + ' }\n', /:9: boot\.kernel\.url: required key is missing/);
  rejects(HEAD + 'boot:\n  kernel:\n    url: https://h/z\n    md5: 00\n', /:11: boot\.kernel\.md5: unknown key \(expected one of: url, sha256\)/);
  rejects(HEAD + 'boot:\n  kernel: { url: ftp://h/z }\n', /:9: boot\.kernel\.url: expected an http:\/\/ or https:\/\/ URL/);
  rejects(HEAD + 'boot:\n  kernel: "https://h/z#sha1=00"\n', /:9: boot\.kernel: unknown URL fragment '#sha1=00'/);
  rejects(HEAD + 'boot:\n  kernel: ftp://h/z\n', /:9: boot\.kernel: only http:\/\/ and https:\/\/ URLs/);
});

test('YAML: a downloaded disk is never written (snapshot implied)', () => {
  const blk = (drive: string) => HEAD + `  - { type: virtio-blk, base: 0x0a000000, irq: 48, drive: ${drive} }\n`;
  const cfg = loadMachine(write(blk('{ file: https://h/disk.img }')));
  assert.deepEqual(cfg.devices[2].props.drive, { file: 'https://h/disk.img', snapshot: true, readonly: false, format: 'raw' });
  const ro = loadMachine(write(blk(`{ file: { url: https://h/disk.img, sha256: ${SHA} }, readonly: true }`)));
  assert.deepEqual(ro.devices[2].props.drive, { file: `https://h/disk.img#sha256=${SHA}`, snapshot: false, readonly: true, format: 'raw' });
  rejects(blk('{ file: https://h/disk.img, snapshot: false }'), /:8: devices\[2\]\.drive\.snapshot: a downloaded disk image is never written/);
});

test('command line: -kernel/-initrd/-bios/-dtb take URLs, checked but not fetched', async () => {
  const o = parseArgs(['-M', 'virt', '-kernel', `https://h/zImage#sha256=${SHA.toUpperCase()}`, '-initrd', 'http://h/initrd.gz', '-dtb', 'http://h/virt.dtb']);
  assert.equal(o.kernel, `https://h/zImage#sha256=${SHA}`);
  const cfg = (await buildConfig(o));
  assert.equal(cfg.boot.kernel, `https://h/zImage#sha256=${SHA}`);
  assert.equal(cfg.boot.initrd, 'http://h/initrd.gz');
  assert.equal(cfg.boot.dtb, 'http://h/virt.dtb');
  assert.equal((await buildConfig(parseArgs(['-M', 'virt', '-bios', 'https://h/u-boot.bin']))).boot.bios, 'https://h/u-boot.bin');
  assert.throws(() => parseArgs(['-kernel', 'https://h/z#sha256=xyz']), /^ConfigError: tsemu: -kernel: expected a sha256 of 64 hex digits, got 'xyz'$/);
  assert.throws(() => parseArgs(['-initrd', 'gopher://h/z']), /tsemu: -initrd: only http:\/\/ and https:\/\/ URLs/);
});
