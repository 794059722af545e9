/**
 * screendump: the text console of serial0 as a PNG with fixed-size cells.
 * Rows with text have foreground pixels, empty rows none; both the TrueType
 * path (when the host has DejaVu) and our bitmap font give distinct glyphs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { SerialTerminal } from '../../ui/serial-term.js';
import { CELL_H, CELL_W, renderPng, hasTrueTypeFont } from '../../ui/screendump.js';
import { Guest } from '../helpers/guest.js';

const { loadImage, createCanvas } = createRequire(import.meta.url)('@napi-rs/canvas') as typeof import('@napi-rs/canvas');

/** The decoded image as RGBA, with helpers to ask about one text cell or row. */
async function decode(png: Buffer | string) {
  const img = await loadImage(png);
  const cv = createCanvas(img.width, img.height);
  const ctx = cv.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  const lit = (x: number, y: number) => data[(y * img.width + x) * 4] + data[(y * img.width + x) * 4 + 1] + data[(y * img.width + x) * 4 + 2] > 150;
  const cellPixels = (col: number, row: number) => {
    const out: boolean[] = [];
    for (let y = row * CELL_H; y < (row + 1) * CELL_H; y++) for (let x = col * CELL_W; x < (col + 1) * CELL_W; x++) out.push(lit(x, y));
    return out;
  };
  const rowLit = (row: number) => {
    let n = 0;
    for (let y = row * CELL_H; y < (row + 1) * CELL_H; y++) for (let x = 0; x < img.width; x++) if (lit(x, y)) n++;
    return n;
  };
  return { width: img.width, height: img.height, cellPixels, rowLit };
}

for (const font of ['auto', 'builtin'] as const) {
  test(`renderPng (${font === 'auto' ? (hasTrueTypeFont() ? 'TrueType font' : 'no TrueType font: bitmap') : 'built-in bitmap font'}): size, text rows, distinct glyphs`, async () => {
    const t = new SerialTerminal(20, 5);
    t.feed(Buffer.from('AB\r\n\r\nx=1 \x1b[7mINV\x1b[0m'));
    t.flush();
    const img = await decode(renderPng(t, { font }));
    assert.equal(img.width, 20 * CELL_W);
    assert.equal(img.height, 5 * CELL_H);
    assert.ok(img.rowLit(0) > 10, 'row 0 has text');
    assert.equal(img.rowLit(1), 0, 'row 1 is empty');
    assert.ok(img.rowLit(2) > 10, 'row 2 has text');
    assert.equal(img.rowLit(3), 0);
    assert.equal(img.rowLit(4), 0);
    const a = img.cellPixels(0, 0), b = img.cellPixels(1, 0), space = img.cellPixels(5, 0);
    assert.ok(a.some(Boolean) && b.some(Boolean));
    assert.notDeepEqual(a, b, "'A' and 'B' look different");
    assert.ok(!space.some(Boolean));
    // Inverse video: the cell is mostly lit, the glyph dark.
    const inv = img.cellPixels(5, 2);
    assert.ok(inv.filter(Boolean).length > inv.length / 2, 'inverse cell is filled');
  });
}

test('screendump in the monitor writes serial0\'s screen under -nographic; a bad path is an error line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-sd-'));
  const file = join(dir, 'screen.png');
  const g = new Guest(['-M', 'virt', '-nographic', '-bios', 'firmware/arm/demo.bin', '-no-reboot']);
  try {
    let at = await g.waitFor('demo> ');
    g.send('echo screendump works\r');
    at = await g.waitFor('demo> ', 30_000, await g.waitFor('screendump works\r\n', 30_000, at));
    g.send('\x01c');
    g.send(`screendump ${file}\r`);
    g.send(`screendump ${join(dir, 'no/such/dir.png')}\r`);
    at = await g.waitFor(/Error: could not write .*no such directory/, 30_000, at);
    g.send('quit\r');
    assert.equal(await g.exit, 0);
    assert.ok(existsSync(file));
    const img = await decode(file);
    assert.equal(img.width, 80 * CELL_W);
    assert.equal(img.height, 24 * CELL_H);
    // The demo prints "\ntsemu ARM demo\ntype 'help' for commands\ndemo> " and then echoes our line.
    const expected = ['', 'tsemu ARM demo', "type 'help' for commands", 'demo> echo screendump works', 'screendump works', 'demo>'];
    for (let row = 0; row < 24; row++) {
      const text = expected[row] ?? '';
      if (text) assert.ok(img.rowLit(row) > 0, `row ${row} ('${text}') has pixels`);
      else assert.equal(img.rowLit(row), 0, `row ${row} is empty`);
    }
  } finally {
    g.kill();
  }
});

test('QMP screendump under -display none: serial0 still has a screen; nothing on stdout', async () => {
  const { SockClient, boundPort } = await import('../helpers/socket-client.js');
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-sd-'));
  const file = join(dir, 'qmp.png');
  const g = new Guest(['-M', 'virt', '-display', 'none', '-bios', 'firmware/arm/demo.bin', '-qmp', 'tcp:127.0.0.1:0,server,wait=off']);
  try {
    const c = await SockClient.connect(await boundPort(g, '-qmp'));
    let at = await c.waitFor('"capabilities"');
    c.send('{"execute": "qmp_capabilities"}\n');
    at = await c.waitFor('{"return": {}}', 30_000, at);
    // The banner comes within the first instructions; a screen still empty would fail the row check below.
    for (let i = 0; ; i++) {
      c.send(`{"execute": "screendump", "arguments": {"filename": "${file}"}, "id": ${i}}\n`);
      at = await c.waitFor(`"id": ${i}}`, 30_000, at);
      if (existsSync(file) && (await decode(file)).rowLit(1) > 0) break;
      assert.ok(i < 50, 'the demo banner never appeared');
    }
    c.send('{"execute": "screendump", "arguments": {"filename": "/x.png", "format": "ppm"}, "id": "bad"}\n');
    await c.waitFor(/"error": \{"class": "GenericError", "desc": "Unsupported image format 'ppm'/, 30_000, at);
    c.send('{"execute": "quit"}\n');
    assert.equal(await g.exit, 0);
    assert.equal(g.out, '', '-display none writes nothing to stdout');
    const img = await decode(file);
    assert.equal(img.width, 80 * CELL_W);
    assert.ok(img.rowLit(2) > 0 && img.rowLit(3) > 0);
    assert.equal(img.rowLit(10), 0);
  } finally {
    g.kill();
  }
});
