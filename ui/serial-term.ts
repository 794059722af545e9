/**
 * A serial port's screen: guest output parsed by a real terminal emulator
 * (xterm.js, headless), so the TUI pane and `screendump` show what a terminal
 * would, escape sequences, colours and all.
 *
 * Guest bytes arrive one UART write at a time; parsing each alone would be
 * slow, so they are queued and parsed in batches: soon after they arrive when
 * somebody watches (`live`, the TUI), else only once much has queued up, and
 * always synchronously on `flush()`, so a screendump sees every byte written
 * before it. A screen nobody watches loads xterm.js (about 50 ms) only when it
 * first parses: short runs under -nographic never pay for it.
 */
import { createRequire } from 'node:module';
import type { Terminal as XTerm, IBufferCell } from '@xterm/headless';

type XtermModule = typeof import('@xterm/headless');
let xtermMod: XtermModule | undefined;
const loadXterm = (): XtermModule => (xtermMod ??= createRequire(import.meta.url)('@xterm/headless') as XtermModule);

/** Queued output parsed anyway by a screen nobody watches, so the queue stays bounded. */
const MAX_QUEUED = 256 * 1024;

/** A colour as xterm keeps it: the default, an index into the 256-colour palette, or 0xRRGGBB. */
export type CellColor = { kind: 'default' } | { kind: 'palette'; index: number } | { kind: 'rgb'; rgb: number };

export interface Cell {
  ch: string;       // '' or ' ' for an empty cell
  fg: CellColor;
  bg: CellColor;
  bold: boolean;
  underline: boolean;
  inverse: boolean;
}

/** What a renderer needs: a grid of cells. */
export interface TextScreen {
  readonly cols: number;
  readonly rows: number;
  /** Row `y` of the visible screen (0 = top), `cols` cells. */
  row(y: number): Cell[];
}

const DEFAULT: CellColor = { kind: 'default' };

function color(mode: 'fg' | 'bg', c: IBufferCell): CellColor {
  if (mode === 'fg' ? c.isFgDefault() : c.isBgDefault()) return DEFAULT;
  const v = mode === 'fg' ? c.getFgColor() : c.getBgColor();
  return (mode === 'fg' ? c.isFgRGB() : c.isBgRGB()) ? { kind: 'rgb', rgb: v } : { kind: 'palette', index: v };
}

/** xterm's internal synchronous write (public `write` parses on a later tick). */
interface CoreWithSync { _core?: { _writeBuffer?: { writeSync(d: string | Uint8Array): void }; coreService?: { isCursorHidden?: boolean } } }

export class SerialTerminal implements TextScreen {
  private xterm: XTerm | undefined;
  private pending: Uint8Array[] = [];
  private queued = 0;
  private scheduled = false;
  private size: { cols: number; rows: number };
  /** Parse soon after output arrives (a TUI shows it) rather than on demand. */
  live = false;
  /** Called after new output has been parsed (the TUI redraws). */
  onChange: () => void = () => {};

  constructor(cols = 80, rows = 24, private scrollback = 2000) {
    this.size = { cols, rows };
  }

  /** The xterm, made on first use. */
  get term(): XTerm {
    this.xterm ??= new (loadXterm().Terminal)({ ...this.size, scrollback: this.scrollback, allowProposedApi: true, logLevel: 'off' });
    return this.xterm;
  }

  get cols(): number { return this.size.cols; }
  get rows(): number { return this.size.rows; }

  /** Guest output. Copied: the UART may reuse its buffer. */
  feed(bytes: Uint8Array): void {
    this.pending.push(Uint8Array.from(bytes));
    this.queued += bytes.length;
    if (!this.live) { if (this.queued > MAX_QUEUED) this.flush(); return; }
    if (this.scheduled) return;
    this.scheduled = true;
    // unref: a queued parse must not keep a finished run alive.
    setTimeout(() => this.flush(), 5).unref();
  }

  /** Parse everything queued, now. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.queued = 0;
    const wb = (this.term as unknown as CoreWithSync)._core?._writeBuffer;
    if (wb) wb.writeSync(data);
    else this.term.write(data); // a future xterm without it: parsed a tick later
    this.onChange();
  }

  /** Answers the terminal gives to the guest's queries (cursor position, device attributes). */
  onReply(f: (s: string) => void): void { this.term.onData(f); }

  resize(cols: number, rows: number): void {
    this.flush();
    cols = Math.max(2, cols); rows = Math.max(1, rows);
    if (cols === this.size.cols && rows === this.size.rows) return;
    this.size = { cols, rows };
    this.term.resize(cols, rows);
  }

  /** Scrollback: lines up (negative) or down; `bottom` returns to the live screen. */
  scroll(lines: number | 'bottom'): void {
    if (lines === 'bottom') this.term.scrollToBottom(); else this.term.scrollLines(lines);
  }

  /** True when the view shows the live screen, not scrollback. */
  get atBottom(): boolean { const b = this.term.buffer.active; return b.viewportY >= b.baseY; }

  get cursor(): { x: number; y: number } { const b = this.term.buffer.active; return { x: b.cursorX, y: b.cursorY }; }

  /** The guest hid the cursor (DECTCEM off, as full-screen programs do while drawing). Not public API: false if unknown. */
  get cursorHidden(): boolean { return !!(this.term as unknown as CoreWithSync)._core?.coreService?.isCursorHidden; }

  get applicationCursorKeys(): boolean { return this.term.modes.applicationCursorKeysMode; }

  /** Row `y` of what the view shows (the live screen, or scrollback while scrolled up). */
  row(y: number, from: 'view' | 'screen' = 'screen'): Cell[] {
    const b = this.term.buffer.active;
    const line = b.getLine((from === 'view' ? b.viewportY : b.baseY) + y);
    const out: Cell[] = [];
    const cell = b.getNullCell();
    for (let x = 0; x < this.term.cols; x++) {
      const c = line?.getCell(x, cell);
      if (!c) { out.push({ ch: ' ', fg: DEFAULT, bg: DEFAULT, bold: false, underline: false, inverse: false }); continue; }
      out.push({
        ch: c.getChars() || ' ', fg: color('fg', c), bg: color('bg', c),
        bold: !!c.isBold(), underline: !!c.isUnderline(), inverse: !!c.isInverse(),
      });
    }
    return out;
  }

  /** The screen as plain text (tests, debugging). */
  text(): string {
    this.flush();
    const lines: string[] = [];
    for (let y = 0; y < this.rows; y++) lines.push(this.row(y).map((c) => c.ch).join('').trimEnd());
    return lines.join('\n');
  }
}

/** A UART backend whose output also goes to a screen (serial0's screen when it is on stdio, a socket, a file). */
export function tapOutput(inner: import('./chardev.js').CharBackend, screen: SerialTerminal): import('./chardev.js').CharBackend {
  return {
    write(bytes) { inner.write(bytes); screen.feed(bytes); },
    setReceiver(r) { inner.setReceiver(r); },
  };
}
