/**
 * What the benchmark runners (run.ts for ARM, x86.ts) share: finding tools,
 * comparing guest output, medians and the plain-text tables they print.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository, and the binary users run (`npm run build` bundles it; scripts/bundle.mjs). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TSEMU = resolve(ROOT, 'dist/bin/tsemu.js');

export interface RunResult {
  status: 'ok' | 'timeout' | 'error';
  seconds: number;
  code: number | null;
  out: string;
  err: string;
}

/** Spawn, collect stdout/stderr, kill after `timeoutS`. Time is spawn to exit; exit status `okCode` is success. */
export function runTimed(cmd: string, args: string[], cwd: string, timeoutS: number, okCode: number): Promise<RunResult> {
  return new Promise((res) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', timedOut = false;
    p.stdout.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString('latin1'); });
    const timer = setTimeout(() => { timedOut = true; p.kill('SIGKILL'); }, timeoutS * 1000);
    p.on('error', (e) => { err += String(e); });
    p.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      clearTimeout(timer);
      res({ status: timedOut ? 'timeout' : code === okCode ? 'ok' : 'error', seconds, code, out, err });
    });
  });
}

export function which(cmd: string): string | null {
  if (cmd.includes('/')) return existsSync(cmd) ? cmd : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

export function firstDifference(ref: string[], got: string[]): string {
  for (let i = 0; i < Math.max(ref.length, got.length); i++) {
    if (ref[i] !== got[i]) return `line ${i + 1}: expected "${ref[i] ?? '<end>'}", got "${got[i] ?? '<end>'}"`;
  }
  return 'identical';
}

export type Size = 'full' | 'small';

/** One workload build under one runner, over all rounds. */
export interface BenchCell<R extends string> {
  workload: string;
  size: Size;
  runner: R;
  bin: string;
  times: number[];            // seconds of runs whose output checked out
  byRound: number[];          // the same per round, NaN where the run failed (for paired ratios)
  problems: string[];         // one note per failed run
  outputs: RunResult[];       // kept until checked against the reference
}

/** Median time of a cell, and the paired ratio of two runners' cells. */
export function cellStats<R extends string>(cells: BenchCell<R>[]) {
  const cell = (w: string, size: Size, rn: R) => cells.find((c) => c.workload === w && c.size === size && c.runner === rn);
  return {
    med: (w: string, size: Size, rn: R) => median(cell(w, size, rn)?.times ?? []),
    paired: (w: string, size: Size, a: R, b: R) => pairedRatio(cell(w, size, a)?.byRound ?? [], cell(w, size, b)?.byRound ?? []),
  };
}

/**
 * Median of the per-round ratios a[i] / b[i]. Each round runs both back to
 * back, so a slow spell on a shared host slows both: the paired ratio moves
 * less than the ratio of the medians when the host's speed drifts.
 */
export function pairedRatio(a: number[], b: number[]): number {
  const r: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) r.push(a[i] / b[i]);
  return median(r);
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length & 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const fmtS = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} s` : '-');
export const fmtX = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-');

export function table(head: string[], rows: string[][], right: boolean[]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (right[i] ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ').trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

/** Identical problem notes folded into "Nx note". */
export function summarize(problems: string[]): string {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts].map(([p, n]) => (n > 1 ? `${n}x ${p}` : p)).join('; ');
}

/** `qemu --version`'s first line with the binary's name in front. */
export function runVersion(qemu: string, name: string): Promise<string> {
  return new Promise((res) => {
    const p = spawn(qemu, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('error', () => res(`${name} (version unknown)`));
    p.on('close', () => res((out.split('\n')[0] ?? '').replace(/^QEMU emulator version/, name) || name));
  });
}

/**
 * Run a benchmark's main, always exiting 0 (problems show in its table).
 * `npm test` runs every .js file under dist/test, benchmarks included: there
 * it only says how to run it.
 */
export function runBenchmark(file: string, npmScript: string, main: () => Promise<void>): void {
  if (process.env.NODE_TEST_CONTEXT) {
    console.log(`bench/${file}: benchmark, skipped under node --test (use npm run ${npmScript})`);
    return;
  }
  main().then(() => process.exit(0), (e) => { console.error(e); process.exit(0); });
}
