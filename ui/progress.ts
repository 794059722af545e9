/**
 * Progress of a long transfer on stderr: a "downloading URL" line, and on a
 * terminal a line under it that redraws itself (bar, percentage, bytes,
 * rate). Anywhere else (a log, a test, CI) the first line is all that
 * appears, since carriage-return redraws turn a captured log into noise.
 */

export interface ProgressOut {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

const BAR = 24;
/** Redraws per second on a terminal: enough to look alive, few enough to cost nothing. */
const REDRAW_MS = 100;

/** 1536 → '1.5 KiB'. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}

/**
 * One progress line: `[#####-----]  45%  1.2 MiB / 2.7 MiB  3.4 MiB/s`.
 * Without a total (no Content-Length) only bytes and rate are known.
 */
export function formatProgress(done: number, total: number | undefined, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? `${formatBytes(Math.round(done * 1000 / elapsedMs))}/s` : '';
  if (!total) return `${formatBytes(done)}  ${rate}`.trimEnd();
  const frac = Math.min(1, done / total);
  const filled = Math.round(frac * BAR);
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${pct}  ${formatBytes(done)} / ${formatBytes(total)}  ${rate}`.trimEnd();
}

export class Progress {
  private done = 0;
  private readonly t0 = Date.now();
  private lastDraw = 0;
  private readonly tty: boolean;

  /** Bytes expected, once the server has said (Content-Length); unknown until then or without it. */
  total?: number;

  constructor(private readonly out: ProgressOut, label: string) {
    this.tty = !!out.isTTY;
    // The label gets a line of its own, so a long URL never squeezes the bar on a narrow terminal.
    out.write(`tsemu: ${label}\n`);
    if (this.tty) this.draw();
  }

  update(bytes: number): void {
    this.done = bytes;
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw >= REDRAW_MS) this.draw();
  }

  /** Leaves the final line on a terminal; `ok = false` wipes it so the error that follows stands alone. */
  finish(ok: boolean): void {
    if (!this.tty) return;
    if (ok) { this.draw(); this.out.write('\n'); } else this.out.write('\r\x1b[K');
  }

  private draw(): void {
    this.lastDraw = Date.now();
    const stats = `  ${formatProgress(this.done, this.total, this.lastDraw - this.t0)}`;
    // Shorter than the terminal, or every redraw scrolls; a pty without a size reports 0 columns.
    const width = Math.max(20, (this.out.columns || 80) - 1);
    this.out.write(`\r\x1b[K${stats.slice(0, width)}`);
  }
}
