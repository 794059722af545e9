/**
 * `screendump FILE.png`: the text console drawn as an image, one fixed-size
 * cell per character (QEMU renders its text consoles the same way). Glyphs
 * come from a monospace TrueType font when the host has one (DejaVu Sans Mono,
 * Debian's fonts-dejavu-core), else from our own 5x7 bitmap font, so a fresh
 * machine still gets a readable image.
 */
import { createRequire } from 'node:module';
import { existsSync, writeFileSync } from 'node:fs';
import type { Cell, CellColor, TextScreen } from './serial-term.js';
import { GLYPH_H, GLYPH_W, glyph } from './bitmap-font.js';

export const CELL_W = 8;
export const CELL_H = 16;
const FONT_PX = 13;
const BASELINE = 12;

type Canvas = typeof import('@napi-rs/canvas');
// Loaded on first use: the native module costs start-up time most runs never need.
let canvasMod: Canvas | undefined;
function canvas(): Canvas {
  canvasMod ??= createRequire(import.meta.url)('@napi-rs/canvas') as Canvas;
  return canvasMod;
}

const FONT_FILES = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf'],
  ['/usr/share/fonts/TTF/DejaVuSansMono.ttf', '/usr/share/fonts/TTF/DejaVuSansMono-Bold.ttf'],
  ['/usr/share/fonts/dejavu/DejaVuSansMono.ttf', '/usr/share/fonts/dejavu/DejaVuSansMono-Bold.ttf'],
  ['/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf'],
];
const FAMILY = 'tsemu-mono';
let fontState: 'unknown' | 'ttf' | 'bitmap' = 'unknown';

/**
 * Which glyphs to draw with. TSEMU_SCREENDUMP_FONT=builtin forces the bitmap
 * font (tests of the fallback); a path names a TTF to use.
 */
function fontKind(): 'ttf' | 'bitmap' {
  if (fontState !== 'unknown') return fontState;
  const env = process.env.TSEMU_SCREENDUMP_FONT;
  const candidates = env === 'builtin' ? [] : env ? [[env]] : FONT_FILES;
  fontState = 'bitmap';
  const { GlobalFonts } = canvas();
  for (const [regular, bold] of candidates) {
    if (!existsSync(regular)) continue;
    if (!GlobalFonts.registerFromPath(regular, FAMILY)) continue;
    if (bold && existsSync(bold)) GlobalFonts.registerFromPath(bold, FAMILY);
    fontState = 'ttf';
    break;
  }
  return fontState;
}

/** The VGA text-mode colours for 0-15 (what QEMU's consoles show), then xterm's 6x6x6 cube and grey ramp. */
const BASE16 = [0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa, 0x00aaaa, 0xaaaaaa,
  0x555555, 0xff5555, 0x55ff55, 0xffff55, 0x5555ff, 0xff55ff, 0x55ffff, 0xffffff];
function palette(i: number): number {
  if (i < 16) return BASE16[i];
  if (i < 232) {
    const v = (n: number) => (n === 0 ? 0 : 55 + n * 40);
    const j = i - 16;
    return (v(Math.floor(j / 36)) << 16) | (v(Math.floor(j / 6) % 6) << 8) | v(j % 6);
  }
  const g = 8 + (i - 232) * 10;
  return (g << 16) | (g << 8) | g;
}
const DEFAULT_FG = 0xaaaaaa;
const DEFAULT_BG = 0x000000;

function rgb(c: CellColor, dflt: number, bold = false): number {
  if (c.kind === 'default') return bold && dflt === DEFAULT_FG ? 0xffffff : dflt;
  if (c.kind === 'rgb') return c.rgb;
  // Bold brightens the 8 basic colours, as on the VGA console.
  return palette(bold && c.index < 8 ? c.index + 8 : c.index);
}
const css = (v: number) => '#' + v.toString(16).padStart(6, '0');

function colors(cell: Cell): [fg: number, bg: number] {
  const fg = rgb(cell.fg, DEFAULT_FG, cell.bold), bg = rgb(cell.bg, DEFAULT_BG);
  return cell.inverse ? [bg, fg] : [fg, bg];
}

/** The screen as a PNG image of cols*CELL_W by rows*CELL_H pixels; `font: 'builtin'` skips TrueType fonts. */
export function renderPng(screen: TextScreen, opts: { font?: 'auto' | 'builtin' } = {}): Buffer {
  const { createCanvas } = canvas();
  const kind = opts.font === 'builtin' ? 'bitmap' : fontKind();
  const cv = createCanvas(screen.cols * CELL_W, screen.rows * CELL_H);
  const ctx = cv.getContext('2d');
  ctx.fillStyle = css(DEFAULT_BG);
  ctx.fillRect(0, 0, cv.width, cv.height);
  ctx.textBaseline = 'alphabetic';
  for (let y = 0; y < screen.rows; y++) {
    const row = screen.row(y);
    for (let x = 0; x < row.length; x++) {
      const cell = row[x];
      const [fg, bg] = colors(cell);
      const px = x * CELL_W, py = y * CELL_H;
      if (bg !== DEFAULT_BG) { ctx.fillStyle = css(bg); ctx.fillRect(px, py, CELL_W, CELL_H); }
      ctx.fillStyle = css(fg);
      if (cell.underline) ctx.fillRect(px, py + CELL_H - 2, CELL_W, 1);
      if (cell.ch === ' ' || cell.ch === '') continue;
      if (kind === 'ttf') {
        ctx.font = `${cell.bold ? 'bold ' : ''}${FONT_PX}px ${FAMILY}`;
        ctx.fillText(cell.ch, px, py + BASELINE);
      } else {
        // 5x7 glyph, rows doubled: 5x14 pixels in the 8x16 cell.
        const g = glyph(cell.ch);
        for (let gy = 0; gy < GLYPH_H; gy++) for (let gx = 0; gx < GLYPH_W; gx++) {
          if (g[gy][gx]) ctx.fillRect(px + 1 + gx, py + 1 + gy * 2, cell.bold ? 2 : 1, 2);
        }
      }
    }
  }
  return cv.encodeSync('png');
}

/** True when glyphs come from a TrueType font on this host (tests say which they checked). */
export function hasTrueTypeFont(): boolean { return fontKind() === 'ttf'; }

/** Write the PNG; errors (no such directory, permissions) are thrown with a message for the monitor. */
export function screendump(screen: TextScreen, path: string): void {
  const png = renderPng(screen);
  try {
    writeFileSync(path, png);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(`could not write '${path}': ${err.code === 'ENOENT' ? 'no such directory' : err.code === 'EACCES' ? 'permission denied' : err.message}`);
  }
}
