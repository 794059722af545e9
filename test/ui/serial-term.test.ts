/** serial0's screen: guest bytes through a real xterm parser (cursor motion, colours, scrollback). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialTerminal, tapOutput } from '../../ui/serial-term.js';
import { BufferChar } from '../../ui/chardev.js';

test('escape sequences place text and colours as a terminal would', () => {
  const t = new SerialTerminal(40, 10);
  t.feed(Buffer.from('junk\x1b[2J\x1b[3;5HX\x1b[1;31mR\x1b[0m\x1b[10;1Hbottom'));
  assert.deepEqual(t.text().split('\n')[2], '    XR');
  assert.equal(t.text().split('\n')[9], 'bottom');
  assert.equal(t.text().split('\n')[0], '', 'ED 2 cleared the screen');
  const r = t.row(2)[5];
  assert.equal(r.ch, 'R');
  assert.deepEqual(r.fg, { kind: 'palette', index: 1 });
  assert.equal(r.bold, true);
  assert.deepEqual(t.row(2)[4].fg, { kind: 'default' });
  assert.deepEqual(t.cursor, { x: 6, y: 9 });
  assert.equal(t.cursorHidden, false);
  t.feed(Buffer.from('\x1b[?25l'));
  t.flush();
  assert.equal(t.cursorHidden, true, 'DECTCEM off hides the cursor');
});

test('flush parses queued bytes synchronously; scrollback and resize', () => {
  const t = new SerialTerminal(20, 4);
  for (let i = 0; i < 10; i++) t.feed(Buffer.from(`line ${i}\r\n`));
  t.flush();
  assert.equal(t.row(0).map((c) => c.ch).join('').trimEnd(), 'line 7');
  t.scroll(-3);
  assert.equal(t.atBottom, false);
  assert.equal(t.row(0, 'view').map((c) => c.ch).join('').trimEnd(), 'line 4');
  t.scroll('bottom');
  assert.equal(t.atBottom, true);
  t.resize(30, 6);
  assert.equal(t.cols, 30);
  assert.equal(t.rows, 6);
  assert.match(t.text(), /line 9/);
});

test('the terminal answers a cursor position query (the TUI sends it to the guest)', async () => {
  const t = new SerialTerminal(80, 24);
  const replies: string[] = [];
  t.onReply((s) => replies.push(s));
  t.feed(Buffer.from('\x1b[5;7H\x1b[6n'));
  t.flush();
  assert.deepEqual(replies, ['\x1b[5;7R']);
});

test('tapOutput: output goes to both, input to the inner backend', () => {
  const inner = new BufferChar();
  const t = new SerialTerminal(20, 3);
  const b = tapOutput(inner, t);
  b.write(Buffer.from('hi'));
  assert.equal(inner.text, 'hi');
  assert.equal(t.text().split('\n')[0], 'hi');
});
