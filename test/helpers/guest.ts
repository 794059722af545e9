/**
 * Runs tsemu as a child process the way a person would at a terminal (stdin
 * piped), collects its output, and lets a test wait for text and type.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (tests run from dist/test/...). */
export const ROOT = resolve(here, '../../..');
/** The binary users run: `npm run build` bundles dist/softmmu/main.js into it (scripts/bundle.mjs). */
export const TSEMU = resolve(ROOT, 'dist/bin/tsemu.js');
export const FIXTURES = resolve(ROOT, '../shared/fixtures');
export const UBOOT_ARM = '/usr/lib/u-boot/qemu_arm/u-boot.bin';

export class Guest {
  readonly proc: ChildProcess;
  out = '';
  err = '';
  private waiters: (() => void)[] = [];
  readonly exit: Promise<number>;

  constructor(args: string[], opts: { env?: Record<string, string> } = {}) {
    this.proc = spawn(process.execPath, [TSEMU, ...args], { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => { this.out += d.toString('latin1'); this.notify(); });
    this.proc.stderr!.on('data', (d: Buffer) => { this.err += d.toString('latin1'); this.notify(); });
    this.exit = new Promise((res) => this.proc.on('exit', (code, sig) => { this.notify(); res(code ?? (sig ? 128 : -1)); }));
  }

  private notify(): void { for (const w of this.waiters.splice(0)) w(); }

  /** Wait until stdout (from `from` on) matches; returns the index after the match. */
  async waitFor(pattern: RegExp | string, timeoutMs = 60_000, from = 0): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hay = this.out.slice(from);
      const i = typeof pattern === 'string' ? hay.indexOf(pattern) : hay.search(pattern);
      if (i >= 0) {
        const len = typeof pattern === 'string' ? pattern.length : (hay.match(pattern)![0].length);
        return from + i + len;
      }
      if (this.proc.exitCode !== null) throw new Error(`tsemu exited (${this.proc.exitCode}) before ${pattern}\n--- stdout ---\n${this.out.slice(-2000)}\n--- stderr ---\n${this.err.slice(-2000)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${pattern}\n--- stdout ---\n${this.out.slice(-2000)}\n--- stderr ---\n${this.err.slice(-2000)}`);
      await new Promise<void>((r) => { const t = setTimeout(r, Math.min(left, 500)); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
  }

  send(s: string): void { this.proc.stdin!.write(s); }

  kill(): void { if (this.proc.exitCode === null) this.proc.kill('SIGKILL'); }
}

/** Stop U-Boot's autoboot with a key and wait for its `=>` prompt; returns the output position after it. */
export async function ubootPrompt(g: Guest): Promise<number> {
  await g.waitFor('Hit any key to stop autoboot');
  g.send(' ');
  return g.waitFor('=> ');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run tsemu to completion with the given stdin; returns exit code and output. */
export async function runTsemu(args: string[], input = '', timeoutMs = 120_000): Promise<{ code: number; out: string; err: string }> {
  const g = new Guest(args);
  if (input) g.send(input);
  g.proc.stdin!.end();
  const t = setTimeout(() => g.kill(), timeoutMs);
  const code = await g.exit;
  clearTimeout(t);
  return { code, out: g.out, err: g.err };
}
