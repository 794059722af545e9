/**
 * The TUI in a real terminal: tsemu runs in a detached tmux session of fixed
 * size; the test reads the screen with `capture-pane` and types with
 * `send-keys`. Serial pane, monitor pane, status line, scrollback, resize,
 * Ctrl-A keys, and a terminal left as it was found after Ctrl-A x.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ROOT, TSEMU } from '../helpers/guest.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `tsemu-tui-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}
const screen = (s: string) => tmux('capture-pane', '-p', '-t', s);

/** Poll the pane until `pred` holds (tmux has no change notification); the deadline bounds it. */
async function waitScreen(s: string, pred: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen(s);
    if (pred(text)) return text;
    if (Date.now() > deadline) throw new Error(`timeout waiting for ${what}; screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const has = (re: RegExp | string) => (t: string) => (typeof re === 'string' ? t.includes(re) : re.test(t));

let socketPath = '';
function start(name: string, args: string[], cols = 100, rows = 30): void {
  const cmd = [process.execPath, TSEMU, ...args].map((a) => `'${a}'`).join(' ');
  tmux('new-session', '-d', '-x', String(cols), '-y', String(rows), '-s', name, '-c', ROOT,
    `${cmd}; echo TSEMU-EXIT=$?; sleep 600`);
  socketPath ||= tmux('display', '-p', '-t', name, '#{socket_path}').trim();
}

after(() => {
  if (!hasTmux) return;
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  // tmux leaves its socket file behind.
  if (socketPath) rmSync(socketPath, { force: true });
});

test('TUI: guest banner, typing, monitor with completion, scrollback, resize, Ctrl-A x restores the terminal', { skip: !hasTmux && 'tmux not installed' }, async () => {
  const s = 'tui';
  start(s, ['-M', 'virt', '-bios', 'firmware/arm/demo.bin', '-display', 'tui']);
  let t = await waitScreen(s, has(/type 'help' for commands\s*\ndemo>/), 'the demo prompt');
  const lines = t.split('\n');
  assert.match(lines[1], /^tsemu ARM demo/, 'the serial pane starts at the top');
  await waitScreen(s, has(/running\s+vtime \d+\.\d{3} s\s+\d+\.\d MIPS\s+TBs \d+/), 'the status line');
  assert.equal(tmux('display', '-p', '-t', s, '#{alternate_on}').trim(), '1', 'the TUI uses the alternate screen');

  // Keys reach the guest, which echoes them and answers.
  tmux('send-keys', '-t', s, '-l', 'echo tui-works');
  tmux('send-keys', '-t', s, 'Enter');
  await waitScreen(s, has(/demo> echo tui-works\s*\ntui-works\s*\ndemo>/), 'the echo command output');
  // An arrow key is an xterm sequence, ESC [ A: the demo drops ESC and echoes "[A".
  tmux('send-keys', '-t', s, 'Up');
  await waitScreen(s, has(/demo> \[A/), 'the arrow key sequence');
  tmux('send-keys', '-t', s, 'C-u');

  // Ctrl-A c: the monitor; tab completes "info reg" to "info registers".
  tmux('send-keys', '-t', s, 'C-a', 'c');
  await waitScreen(s, has('[monitor]'), 'the monitor focus');
  tmux('send-keys', '-t', s, '-l', 'info reg');
  tmux('send-keys', '-t', s, 'Tab', 'Enter');
  t = await waitScreen(s, has(/R00=[0-9a-f]{8} R01=/), 'info registers output');
  assert.match(t, /\(qemu\) info registers\s*\n/);
  assert.match(t, /PSR=[0-9a-f]{8} [-NZCV]{4} . svc32/);
  assert.doesNotMatch(t.split('\n').slice(0, 10).join('\n'), /R00=/, 'monitor output stays out of the serial pane');
  // History: Up recalls the last line.
  tmux('send-keys', '-t', s, '-l', 'info status');
  tmux('send-keys', '-t', s, 'Enter', 'Up', 'Enter');
  await waitScreen(s, (x) => (x.match(/VM status: running/g) ?? []).length === 2, 'the recalled command');

  // The status line follows the run state.
  tmux('send-keys', '-t', s, '-l', 'stop');
  tmux('send-keys', '-t', s, 'Enter');
  await waitScreen(s, has(/\n paused\s+vtime/), 'paused in the status line');
  tmux('send-keys', '-t', s, '-l', 'cont');
  tmux('send-keys', '-t', s, 'Enter');
  await waitScreen(s, has(/\n running\s+vtime/), 'running in the status line');

  // Ctrl-A c again: typing goes to the guest.
  tmux('send-keys', '-t', s, 'C-a', 'c');
  tmux('send-keys', '-t', s, '-l', 'help');
  tmux('send-keys', '-t', s, 'Enter');
  await waitScreen(s, has('poweroff        PSCI SYSTEM_OFF'), 'the demo help');
  for (let i = 0; i < 3; i++) { tmux('send-keys', '-t', s, '-l', 'help'); tmux('send-keys', '-t', s, 'Enter'); }
  await waitScreen(s, (x) => /demo> help/.test(x) && !x.includes('tsemu ARM demo'), 'the banner scrolled away');
  // Shift-PgUp shows scrollback (the banner again), typing returns to the live screen.
  tmux('send-keys', '-t', s, 'S-PPage', 'S-PPage', 'S-PPage', 'S-PPage', 'S-PPage');
  await waitScreen(s, has('tsemu ARM demo'), 'scrollback');
  tmux('send-keys', '-t', s, 'S-NPage', 'S-NPage', 'S-NPage', 'S-NPage', 'S-NPage', 'S-NPage');
  await waitScreen(s, (x) => !x.includes('tsemu ARM demo'), 'back at the live screen');

  // Resize: the panes follow the terminal, the status line stays at the bottom.
  tmux('resize-window', '-t', s, '-x', '120', '-y', '40');
  await waitScreen(s, (x) => x.split('\n').length >= 40 && /MIPS/.test(x.split('\n')[39]), 'the status line on row 40');

  // Ctrl-A h lists the keys in the monitor pane.
  tmux('send-keys', '-t', s, 'C-a', 'h');
  await waitScreen(s, has('C-a x          exit emulator'), 'the help');

  tmux('send-keys', '-t', s, 'C-a', 'x');
  await waitScreen(s, has('TSEMU-EXIT=0'), 'tsemu to exit');
  assert.equal(tmux('display', '-p', '-t', s, '#{alternate_on}').trim(), '0', 'the normal screen is back');
  assert.equal(tmux('display', '-p', '-t', s, '#{cursor_flag}').trim(), '1', 'the cursor is visible again');
});

test('TUI is the default on a terminal; -nographic keeps the plain console', { skip: !hasTmux && 'tmux not installed' }, async () => {
  start('dflt', ['-M', 'virt', '-bios', 'firmware/arm/demo.bin'], 80, 24);
  await waitScreen('dflt', has(/\[serial0\]/), 'the TUI title bar');
  await waitScreen('dflt', has('demo>'), 'the demo prompt');
  tmux('send-keys', '-t', 'dflt', 'C-a', 'x');
  await waitScreen('dflt', has('TSEMU-EXIT=0'), 'tsemu to exit');

  start('plain', ['-M', 'virt', '-bios', 'firmware/arm/demo.bin', '-nographic'], 80, 24);
  await waitScreen('plain', has('demo>'), 'the demo prompt');
  assert.equal(tmux('display', '-p', '-t', 'plain', '#{alternate_on}').trim(), '0');
  assert.doesNotMatch(screen('plain'), /\[serial0\]/);
  tmux('send-keys', '-t', 'plain', 'C-a', 'x');
  await waitScreen('plain', has('TSEMU-EXIT=0'), 'tsemu to exit');
});

test('TUI with two UARTs: Ctrl-A n shows the next serial port', { skip: !hasTmux && 'tmux not installed' }, async () => {
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const yaml = join(mkdtempSync(join(tmpdir(), 'tsemu-tui-')), 'two-uart.yaml');
  const base = readFileSync(join(ROOT, 'machines/arm-virt.yaml'), 'utf8');
  const uart1 = '  - { type: pl011, name: uart1, base: 0x09040000, irq: spi 8, chardev: serial1 }\n';
  writeFileSync(yaml, base.replace(/^(.*name: uart0.*\n)/m, `$1${uart1}`));
  start('two', [yaml, '-bios', 'firmware/arm/demo.bin', '-serial', 'vc', '-serial', 'vc', '-display', 'tui'], 80, 24);
  await waitScreen('two', has('demo>'), 'the demo prompt on serial0');
  tmux('send-keys', '-t', 'two', 'C-a', 'n');
  await waitScreen('two', (x) => x.includes('[serial1]') && !x.includes('demo>'), 'serial1, which the demo leaves empty');
  tmux('send-keys', '-t', 'two', 'C-a', 'n');
  await waitScreen('two', (x) => x.includes('[serial0]') && x.includes('demo>'), 'serial0 again');
  tmux('send-keys', '-t', 'two', 'C-a', 'x');
  await waitScreen('two', has('TSEMU-EXIT=0'), 'tsemu to exit');
});
