/**
 * The TUI's serial pane: draws a SerialTerminal's cells straight into
 * blessed's screen buffer (as blessed's own terminal widget does), colours
 * and attributes included, with the cursor as an inverse cell while the pane
 * has the focus and shows the live screen (not scrollback).
 */
import blessed from 'blessed';
import type { Cell, CellColor, SerialTerminal } from './serial-term.js';

/** blessed's cell attribute: flags << 18 | fg << 9 | bg, 0x1ff meaning the default colour. */
const BOLD = 1, UNDERLINE = 2, INVERSE = 8;
const DEFAULT_COLOR = 0x1ff;

function colorIndex(c: CellColor): number {
  if (c.kind === 'default') return DEFAULT_COLOR;
  if (c.kind === 'palette') return c.index;
  // blessed's types say string, its code takes (r, g, b) and returns a palette index.
  const match = blessed.colors.match as unknown as (r: number, g: number, b: number) => number;
  return match((c.rgb >> 16) & 0xff, (c.rgb >> 8) & 0xff, c.rgb & 0xff);
}

export function cellAttr(c: Cell): number {
  const flags = (c.bold ? BOLD : 0) | (c.underline ? UNDERLINE : 0) | (c.inverse ? INVERSE : 0);
  return (flags << 18) | (colorIndex(c.fg) << 9) | colorIndex(c.bg);
}

interface RenderCoords { xi: number; xl: number; yi: number; yl: number }
type ScreenLine = [number, string][] & { dirty?: boolean };

export class SerialPane {
  readonly box: blessed.Widgets.BoxElement;
  focused = false;

  constructor(screen: blessed.Widgets.Screen, public term: SerialTerminal) {
    this.box = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: 1 });
    const box = this.box as unknown as { _render(): RenderCoords | undefined; render(): unknown; screen: { lines: ScreenLine[] } };
    box.render = () => {
      const ret = box._render();
      if (ret) this.draw(box.screen.lines, ret);
      return ret;
    };
  }

  private draw(lines: ScreenLine[], r: RenderCoords): void {
    const t = this.term;
    t.flush();
    const cur = this.focused && t.atBottom && !t.cursorHidden ? t.cursor : undefined;
    for (let y = r.yi; y < r.yl && y - r.yi < t.rows; y++) {
      const line = lines[y];
      if (!line) break;
      const cells = t.row(y - r.yi, 'view');
      for (let x = r.xi; x < r.xl && x - r.xi < cells.length; x++) {
        if (!line[x]) break;
        const c = cells[x - r.xi];
        let attr = cellAttr(c);
        if (cur && cur.y === y - r.yi && cur.x === x - r.xi) attr ^= INVERSE << 18;
        line[x][0] = attr;
        line[x][1] = c.ch;
      }
      line.dirty = true;
    }
  }
}
