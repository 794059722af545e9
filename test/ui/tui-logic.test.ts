/** The TUI's pieces that need no terminal: display choice, key bytes, the monitor's line editor. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseDisplay, isDisplayConsole } from '../../ui/display.js';
import { keyBytes } from '../../ui/tui-keys.js';
import { LineEditor, hmpCompleter } from '../../ui/line-editor.js';
import { commandNames, infoNames } from '../../softmmu/monitor.js';

test('display: -nographic, -display, and the terminal decide', () => {
  const tty = { stdin: true, stdout: true }, pipe = { stdin: false, stdout: false };
  assert.equal(chooseDisplay({ nographic: false }, tty), 'tui');
  assert.equal(chooseDisplay({ nographic: false }, pipe), 'stdio');
  assert.equal(chooseDisplay({ nographic: false }, { stdin: false, stdout: true }), 'stdio');
  assert.equal(chooseDisplay({ nographic: true }, tty), 'nographic');
  assert.equal(chooseDisplay({ nographic: false, display: 'none' }, tty), 'none');
  assert.equal(chooseDisplay({ nographic: false, display: 'tui' }, pipe), 'tui');
  assert.equal(chooseDisplay({ nographic: false, display: 'curses' }, pipe), 'tui');
  assert.equal(isDisplayConsole('vc', 'tui'), true);
  assert.equal(isDisplayConsole('mon:stdio', 'tui'), true);
  assert.equal(isDisplayConsole('mon:stdio', 'stdio'), false);
  assert.equal(isDisplayConsole('vc', 'none'), true);
  assert.equal(isDisplayConsole('tcp::4444,server', 'tui'), false);
});

test('keys: cursor keys follow the guest\'s DECCKM mode; others pass through', () => {
  const s = (b: Uint8Array) => Buffer.from(b).toString('latin1');
  assert.equal(s(keyBytes(undefined, { name: 'up', sequence: '\x1bOA' }, false)), '\x1b[A');
  assert.equal(s(keyBytes(undefined, { name: 'up', sequence: '\x1b[A' }, true)), '\x1bOA');
  assert.equal(s(keyBytes(undefined, { name: 'left', sequence: '\x1b[D' }, false)), '\x1b[D');
  assert.equal(s(keyBytes('a', { name: 'a', sequence: 'a' }, false)), 'a');
  assert.equal(s(keyBytes('\r', { name: 'return', sequence: '\r' }, false)), '\r');
  assert.equal(s(keyBytes(undefined, { name: 'c', ctrl: true, sequence: '\x03' }, false)), '\x03');
  assert.equal(s(keyBytes(undefined, { name: 'f1', sequence: '\x1bOP' }, false)), '\x1bOP');
  assert.deepEqual([...keyBytes('é', { sequence: 'é' }, false)], [0xc3, 0xa9]);
});

test('monitor line: history with up/down, the draft survives', () => {
  const e = new LineEditor(() => []);
  e.insert('stop'); assert.equal(e.take(), 'stop');
  e.insert('info cpus'); e.take();
  e.insert('draft');
  e.up(); assert.equal(e.text, 'info cpus');
  e.up(); assert.equal(e.text, 'stop');
  e.up(); assert.equal(e.text, 'stop');
  e.down(); assert.equal(e.text, 'info cpus');
  e.down(); assert.equal(e.text, 'draft');
  e.home(); e.insert('x'); assert.equal(e.text, 'xdraft');
  e.end(); e.backspace(); e.left(); e.del(); assert.equal(e.text, 'xdra');
});

test('monitor line: tab completes command names and info subcommands from the monitor', () => {
  const e = new LineEditor(hmpCompleter(commandNames(), infoNames()));
  e.insert('scr'); assert.deepEqual(e.tab(), []); assert.equal(e.text, 'screendump ');
  e.clear(); e.insert('info reg'); e.tab(); assert.equal(e.text, 'info registers ');
  e.clear(); e.insert('s');
  const many = e.tab();
  assert.ok(many.includes('stop') && many.includes('system_reset'), many.join(' '));
  e.clear(); e.insert('info q'); e.tab(); assert.equal(e.text, 'info qtree ');
});
