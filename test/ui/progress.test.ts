/** The download progress line: its text, and what reaches a terminal versus a pipe. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Progress, formatBytes, formatProgress } from '../../ui/progress.js';

test('byte counts read as a person would say them', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(5 * 1024 * 1024), '5.0 MiB');
  assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
});

test('the line: bar, percentage, bytes of total, rate', () => {
  const MiB = 1024 * 1024;
  assert.equal(formatProgress(MiB, 4 * MiB, 500), '[######------------------]  25%  1.0 MiB / 4.0 MiB  2.0 MiB/s');
  assert.equal(formatProgress(4 * MiB, 4 * MiB, 1000), '[########################] 100%  4.0 MiB / 4.0 MiB  4.0 MiB/s');
  assert.equal(formatProgress(0, 4 * MiB, 0), '[------------------------]   0%  0 B / 4.0 MiB');
  // No Content-Length: only what is known.
  assert.equal(formatProgress(2048, undefined, 1000), '2.0 KiB  2.0 KiB/s');
});

test('a pipe gets one plain line; a terminal gets redraws and a final line', () => {
  const pipe = { isTTY: false, text: '', write(s: string) { this.text += s; } };
  const p = new Progress(pipe, 'downloading http://h/zImage');
  p.total = 100;
  p.update(50);
  p.update(100);
  p.finish(true);
  assert.equal(pipe.text, 'tsemu: downloading http://h/zImage\n');

  const tty = { isTTY: true, columns: 100, text: '', write(s: string) { this.text += s; } };
  const q = new Progress(tty, 'downloading http://h/zImage');
  q.total = 100;
  q.update(100);
  q.finish(true);
  assert.match(tty.text, /^tsemu: downloading http:\/\/h\/zImage\n\r\x1b\[K {2}0 B/);
  assert.match(tty.text, /\r\x1b\[K {2}\[#{24}\] 100% {2}100 B \/ 100 B.*\n$/);

  const narrow = { isTTY: true, columns: 40, text: '', write(s: string) { this.text += s; } };
  const f = new Progress(narrow, `downloading http://example.org/${'x'.repeat(60)}`);
  f.total = 1 << 30;
  f.update(1 << 29);
  f.finish(false);
  for (const line of narrow.text.split('\n')[1].split('\r')) assert.ok(line.replace('\x1b[K', '').length < 40, `too wide: ${line}`);
  assert.ok(narrow.text.endsWith('\r\x1b[K'), 'a failed download wipes its line for the error');
});
