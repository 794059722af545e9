/**
 * The full-screen TUI (`-display tui`, the default on a terminal): the first
 * serial port's screen on top, the HMP monitor (output above an input line)
 * below, a status line at the bottom. Keys are the plain console's: Ctrl-A c
 * moves the focus between serial and monitor, Ctrl-A x quits, Ctrl-A h
 * helps, Ctrl-A Ctrl-A sends Ctrl-A; Shift-PgUp/PgDn (or Ctrl-A PgUp/PgDn)
 * scroll the serial pane back. Guest keys reach the UART as xterm sequences.
 */
import blessed from 'blessed';
import type { Machine } from '../softmmu/machine.js';
import type { MainLoop } from '../softmmu/vl.js';
import { Monitor, commandNames, infoNames } from '../softmmu/monitor.js';
import type { SerialFrontend } from './char-mux.js';
import type { SerialTerminal } from './serial-term.js';
import { SerialPane } from './tui-console.js';
import { LineEditor, hmpCompleter } from './line-editor.js';
import { StatusSampler } from './tui-status.js';
import { keyBytes, type KeyEvent } from './tui-keys.js';

export interface TuiSerial { name: string; term: SerialTerminal; frontend: SerialFrontend }

const PROMPT = '(qemu) ';
const HELP = [
  'C-a h          print this help',
  'C-a x          exit emulator',
  'C-a c          switch between console and monitor',
  'C-a C-a        sends C-a',
  'C-a n          next serial port',
  'S-PgUp/S-PgDn  scroll the serial console (also C-a PgUp/PgDn)',
];

export class Tui {
  private screen!: blessed.Widgets.Screen;
  private pane!: SerialPane;
  private title!: blessed.Widgets.BoxElement;
  private log!: blessed.Widgets.Log;
  private input!: blessed.Widgets.BoxElement;
  private status!: blessed.Widgets.BoxElement;
  private focus: 'serial' | 'monitor' = 'serial';
  private current = 0;
  private escape = false;
  private renderTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private sampler: StatusSampler;
  private editor: LineEditor;
  private monitor: Monitor | null = null;
  private pendingLog: string[] = [];
  private partial = '';
  private destroyed = false;
  /** Ctrl-A x. */
  onQuit: () => void = () => {};
  /** Input went to a UART: wake the main loop. */
  onInput: () => void = () => {};

  constructor(private m: Machine, private loop: MainLoop, private serials: TuiSerial[], withMonitor: boolean) {
    this.sampler = new StatusSampler(m, loop);
    this.editor = new LineEditor(hmpCompleter(commandNames(), infoNames()));
    if (withMonitor) {
      this.monitor = new Monitor(m, loop, (s) => this.monitorOut(s));
      this.monitor.echo = false;
    }
    for (const s of serials) {
      s.term.live = true;
      s.term.onChange = () => { if (s === this.serials[this.current]) this.requestRender(); };
      // A real terminal answers the guest's queries (cursor position, attributes): so does this one.
      s.term.onReply((r) => { s.frontend.input(Buffer.from(r, 'utf8')); this.onInput(); });
    }
    const onState = loop.onStateChange;
    loop.onStateChange = (running) => { onState(running); this.updateStatus(); };
  }

  start(): void {
    this.screen = blessed.screen({ smartCSR: true, title: 'tsemu', warnings: false, fullUnicode: true, dockBorders: false });
    const sc = this.screen;
    const s0 = this.serials[0];
    this.pane = new SerialPane(sc, s0.term);
    this.title = blessed.box({ parent: sc, left: 0, width: '100%', height: 1, style: { inverse: true } });
    this.log = blessed.log({ parent: sc, left: 0, width: '100%', height: 1, scrollback: 1000, scrollable: true });
    this.input = blessed.box({ parent: sc, left: 0, width: '100%', height: 1, tags: true });
    this.status = blessed.box({ parent: sc, left: 0, width: '100%', height: 1, style: { inverse: true } });
    if (this.monitor) this.monitorOut(Monitor.greeting + '\n');
    for (const l of this.pendingLog.splice(0)) this.log.add(l);
    sc.on('keypress', (ch: string | undefined, key: KeyEvent | undefined) => this.key(ch, key));
    sc.on('resize', () => { this.layout(); this.render(); });
    this.layout();
    this.statusTimer = setInterval(() => { this.sampler.sample(); this.updateStatus(); }, 1000);
    this.statusTimer.unref();
    this.updateStatus();
    this.render();
  }

  /** Leave the terminal as we found it: normal screen, cursor, cooked mode. */
  destroy(): void {
    if (this.destroyed || !this.screen) return;
    this.destroyed = true;
    if (this.renderTimer) clearTimeout(this.renderTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.screen.destroy();
    if (process.stdin.isTTY) { try { process.stdin.setRawMode(false); } catch { /* closed */ } }
    process.stdin.pause();
  }

  private layout(): void {
    const rows = this.screen.height as number, cols = this.screen.width as number;
    const mon = this.monitor ? Math.max(2, Math.min(10, Math.floor(rows * 0.25))) : 0;
    const serialRows = Math.max(1, rows - 1 - 1 - (this.monitor ? mon + 1 : 0));
    this.pane.box.top = 0;
    this.pane.box.height = serialRows;
    this.title.top = serialRows;
    this.log.top = serialRows + 1;
    this.log.height = Math.max(1, mon);
    this.input.top = serialRows + 1 + mon;
    if (this.monitor) { this.log.show(); this.input.show(); } else { this.log.hide(); this.input.hide(); }
    this.status.top = rows - 1;
    // The guest's idea of the size does not change; the screen it draws on follows the pane.
    for (const s of this.serials) s.term.resize(cols, serialRows);
    this.updateTitle();
  }

  private monitorOut(s: string): void {
    const text = this.partial + s.replace(/\r/g, '');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const l of lines) {
      if (this.log) this.log.add(l); else this.pendingLog.push(l);
    }
    this.requestRender();
  }

  private key(ch: string | undefined, key: KeyEvent | undefined): void {
    const name = key?.name ?? '';
    const seq = key?.sequence ?? ch ?? '';
    // blessed reports CR twice, as 'enter' and as 'return': keep one.
    if (name === 'enter' && seq === '\r') return;
    if (this.escape) {
      this.escape = false;
      if (seq === 'x' || seq === 'X') { this.onQuit(); return; }
      if (seq === 'c' || seq === 'C') { this.switchFocus(); return; }
      if (seq === 'h' || seq === 'H' || seq === '?') { this.help(); return; }
      if (seq === 'n' || seq === 'N') { this.nextSerial(); return; }
      if (seq === '\x01') { if (this.focus === 'serial') this.toGuest(Uint8Array.of(1)); return; }
      if (name === 'pageup') { this.scrollSerial(-1); return; }
      if (name === 'pagedown') { this.scrollSerial(1); return; }
      return; // unknown escapes are swallowed, as in QEMU
    }
    if (seq === '\x01') { this.escape = true; return; }
    if ((name === 'pageup' || name === 'pagedown') && key?.shift) { this.scrollSerial(name === 'pageup' ? -1 : 1); return; }
    if (this.focus === 'serial') {
      const s = this.serials[this.current];
      s.term.scroll('bottom');
      this.toGuest(keyBytes(ch, key, s.term.applicationCursorKeys));
      this.requestRender();
    } else {
      this.monitorKey(ch, key);
    }
  }

  private toGuest(b: Uint8Array): void {
    if (b.length === 0) return;
    this.serials[this.current].frontend.input(b);
    this.onInput();
  }

  private monitorKey(ch: string | undefined, key: KeyEvent | undefined): void {
    const e = this.editor;
    switch (key?.name) {
      case 'return': case 'linefeed': {
        const line = e.take();
        this.monitorOut(PROMPT + line + '\n');
        this.monitor?.execute(line);
        break;
      }
      case 'backspace': e.backspace(); break;
      case 'delete': e.del(); break;
      case 'left': e.left(); break;
      case 'right': e.right(); break;
      case 'home': e.home(); break;
      case 'end': e.end(); break;
      case 'up': e.up(); break;
      case 'down': e.down(); break;
      case 'pageup': this.log.scroll(-Math.max(1, (this.log.height as number) - 1)); break;
      case 'pagedown': this.log.scroll(Math.max(1, (this.log.height as number) - 1)); break;
      case 'tab': {
        const list = e.tab();
        if (list.length) this.monitorOut(list.join('  ') + '\n');
        break;
      }
      default:
        if (key?.ctrl && key.name === 'u') e.clear();
        else if (key?.ctrl && key.name === 'a') e.home();
        else if (key?.ctrl && key.name === 'e') e.end();
        else if (ch && !key?.ctrl && !key?.meta && ch >= ' ' && ch !== '\x7f') e.insert(ch);
    }
    this.requestRender();
  }

  private switchFocus(): void {
    if (!this.monitor) return;
    this.focus = this.focus === 'serial' ? 'monitor' : 'serial';
    this.requestRender();
  }

  private nextSerial(): void {
    if (this.serials.length < 2) return;
    this.current = (this.current + 1) % this.serials.length;
    this.pane.term = this.serials[this.current].term;
    this.requestRender();
  }

  private scrollSerial(dir: number): void {
    const t = this.serials[this.current].term;
    t.scroll(dir * Math.max(1, Math.floor(t.rows / 2)));
    this.requestRender();
  }

  private help(): void {
    // QEMU prints the mux help on the console; the monitor pane is where text goes here.
    if (this.monitor) { for (const l of HELP) this.monitorOut(l + '\n'); return; }
    this.status.setContent(' ' + HELP.slice(0, 3).join(' | '));
    this.screen.render();
  }

  private updateTitle(): void {
    const s = this.serials[this.current];
    const mark = (on: boolean, label: string) => (on ? `[${label}]` : ` ${label} `);
    const scrolled = s.term.atBottom ? '' : '  (scrollback: S-PgDn)';
    this.title.setContent(`${mark(this.focus === 'serial', s.name)} ${this.monitor ? mark(this.focus === 'monitor', 'monitor') : ''}${scrolled}   C-a c switch  C-a x quit  C-a h help`);
  }

  private updateStatus(): void {
    if (!this.status || this.destroyed) return;
    this.status.setContent(' ' + this.sampler.text());
    this.requestRender();
  }

  private requestRender(): void {
    if (this.renderTimer || this.destroyed || !this.screen) return;
    // Output arrives byte by byte; one frame per ~30 ms is plenty.
    this.renderTimer = setTimeout(() => { this.renderTimer = null; this.render(); }, 30);
  }

  private render(): void {
    if (this.destroyed) return;
    this.pane.focused = this.focus === 'serial';
    this.updateTitle();
    const e = this.editor;
    const at = e.text[e.cursor] ?? ' ';
    const cursor = this.focus === 'monitor' ? `{inverse}${blessed.escape(at)}{/inverse}` : blessed.escape(at);
    if (this.monitor) this.input.setContent(blessed.escape(PROMPT + e.text.slice(0, e.cursor)) + cursor + blessed.escape(e.text.slice(e.cursor + 1)));
    this.screen.render();
  }
}
