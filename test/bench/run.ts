/**
 * Benchmark runner (`npm run bench`): our ARM workloads and U-Boot on
 * tsemu (interp and wasm backends) and, when it is installed, qemu-system-arm.
 *
 * Workloads (firmware/arm, `make -C firmware/arm bench`): bench-hash (SHA-256),
 * bench-mix (lists, matrix, tokenizer, hash table, function pointers) and
 * bench-mmu (MMU on, 4 KiB pages, TLB maintenance, 1 ms timer IRQ). Each is
 * built twice: the full size (~2-4 s under QEMU) and `-small` (1/20th the
 * work). The interpreter runs only the small ones; wasm and QEMU run both.
 *
 * Runs are interleaved round by round (the order alternates between rounds)
 * and timed wall-clock from spawn to exit. Each run's guest output must equal
 * the reference: QEMU's output when QEMU is available, else the interpreter's
 * (for full-size runs without QEMU, the first wasm run's, marked unverified).
 *
 * U-Boot (/usr/lib/u-boot/qemu_arm/u-boot.bin): time from spawn to the `=>`
 * prompt, pressing a key at "Hit any key to stop autoboot"; then `reset` with
 * -no-reboot so the emulator exits.
 *
 * Environment: BENCH_ROUNDS=N (default 5), BENCH_ONLY=hash,mix,mmu,uboot
 * (default all), BENCH_TIMEOUT=seconds per run (default 120), QEMU=path to
 * qemu-system-arm. Flag --quick: 1 round. Always exits 0; problems are shown
 * in the table (MISMATCH, timeout, exit N).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import os from 'node:os';
import { type RunResult, type Size, type BenchCell, cellStats, runTimed, which, firstDifference, median, fmtS, fmtX, table, summarize, runVersion, runBenchmark, ROOT, TSEMU } from './common.js';

const FW = resolve(ROOT, 'firmware/arm');
const UBOOT = '/usr/lib/u-boot/qemu_arm/u-boot.bin';

type RunnerName = 'interp' | 'wasm' | 'qemu';


type Cell = BenchCell<RunnerName>;


const QEMU = which(process.env.QEMU ?? 'qemu-system-arm');

function command(runner: RunnerName, bin: string, extra: string[] = []): [string, string[]] {
  if (runner === 'qemu') return [QEMU!, ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '256', '-nographic', '-bios', bin, '-nic', 'none', ...extra]];
  return [process.execPath, [TSEMU, '-M', 'virt', '-nographic', '-bios', bin, '-accel', `tcg,backend=${runner}`, ...extra]];
}

/** One timed run; exit status 0 is success. */
function runOnce(runner: RunnerName, bin: string, timeoutS: number): Promise<RunResult> {
  const [cmd, args] = command(runner, bin);
  return runTimed(cmd, args, ROOT, timeoutS, 0);
}

interface UbootResult { status: 'ok' | 'timeout' | 'error'; seconds: number; note: string }

/** Time from spawn to U-Boot's `=>` prompt (after pressing a key), then `reset`. */
function ubootOnce(runner: 'wasm' | 'qemu', timeoutS: number): Promise<UbootResult> {
  const [cmd, args] = runner === 'qemu'
    ? [QEMU!, ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '256', '-nographic', '-bios', UBOOT, '-nic', 'none', '-no-reboot']]
    : [process.execPath, [TSEMU, '-M', 'virt', '-m', '256', '-nographic', '-bios', UBOOT, '-accel', 'tcg,backend=wasm', '-no-reboot']];
  return new Promise((res) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '', phase: 'autoboot' | 'prompt' | 'reset' = 'autoboot', keyAt = 0, prompt = -1, timedOut = false;
    p.stdin.on('error', () => { /* the emulator may exit before reading */ });
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (phase === 'autoboot') {
        const i = out.indexOf('Hit any key to stop autoboot');
        if (i >= 0) { p.stdin.write(' '); phase = 'prompt'; keyAt = i; }
      }
      if (phase === 'prompt' && out.indexOf('=>', keyAt) >= 0) {
        prompt = (performance.now() - t0) / 1000;
        phase = 'reset';
        p.stdin.write('reset\r');
      }
    });
    p.stderr.on('data', (d: Buffer) => { err += d.toString('latin1'); });
    const timer = setTimeout(() => { timedOut = true; p.kill('SIGKILL'); }, timeoutS * 1000);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (prompt >= 0) res({ status: 'ok', seconds: prompt, note: code === 0 ? '' : `exit ${code} after reset` });
      else if (timedOut) res({ status: 'timeout', seconds: NaN, note: `no prompt in ${timeoutS} s` });
      else res({ status: 'error', seconds: NaN, note: `exit ${code} before the prompt: ${(err || out).trim().split('\n').slice(-1)[0] ?? ''}` });
    });
  });
}

const norm = (s: string) => s.replace(/\r/g, '').split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');





async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rounds = quick ? 1 : Math.max(1, parseInt(process.env.BENCH_ROUNDS ?? '5', 10) || 5);
  const timeoutS = Math.max(1, parseFloat(process.env.BENCH_TIMEOUT ?? '120') || 120);
  const all = ['hash', 'mix', 'mmu', 'uboot'];
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const o of only) if (!all.includes(o)) console.log(`BENCH_ONLY: unknown name '${o}' (known: ${all.join(', ')})`);
  const want = (n: string) => only.length === 0 || only.includes(n);

  if (!existsSync(TSEMU)) {
    console.log(`tsemu not built (${TSEMU} missing): run npm run build`);
    return;
  }
  const qemuVersion = QEMU ? await runVersion(QEMU, 'qemu-system-arm') : '';
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`tsemu benchmarks: ${rounds} round${rounds > 1 ? 's' : ''}, node ${process.version}, ${QEMU ? qemuVersion : 'qemu-system-arm not found (tsemu only)'}`);
  console.log(`host: ${cpu}, ${os.cpus().length} CPUs, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  const cells: Cell[] = [];
  for (const w of ['hash', 'mix', 'mmu']) {
    if (!want(w)) continue;
    for (const size of ['small', 'full'] as Size[]) {
      const bin = join(FW, `bench-${w}${size === 'small' ? '-small' : ''}.bin`);
      if (!existsSync(bin)) {
        console.log(`${bin} missing: run make -C firmware/arm bench`);
        continue;
      }
      const runners: RunnerName[] = size === 'small' ? ['interp', 'wasm'] : ['wasm'];
      if (QEMU) runners.push('qemu');
      for (const runner of runners) cells.push({ workload: w, size, runner, bin, times: [], byRound: [], problems: [], outputs: [] });
    }
  }
  const doUboot = want('uboot') && existsSync(UBOOT);
  if (want('uboot') && !doUboot) console.log(`U-Boot: ${UBOOT} not installed, skipped`);
  const uboot = { wasm: [] as number[], qemu: [] as number[], problems: { wasm: [] as string[], qemu: [] as string[] } };
  const ubootRunners: ('wasm' | 'qemu')[] = QEMU ? ['wasm', 'qemu'] : ['wasm'];

  console.log('');
  const label = (c: Cell) => `${c.runner}${c.size === 'small' ? '(small)' : ''}`;
  for (let r = 0; r < rounds; r++) {
    for (const w of ['hash', 'mix', 'mmu']) {
      let jobs = cells.filter((c) => c.workload === w);
      if (jobs.length === 0) continue;
      if (r & 1) jobs = [...jobs].reverse();
      const parts: string[] = [];
      for (const c of jobs) {
        const res = await runOnce(c.runner, c.bin, timeoutS);
        c.outputs.push(res);
        parts.push(`${label(c)} ${res.status === 'ok' ? res.seconds.toFixed(2) : res.status}`);
      }
      console.log(`round ${r + 1}/${rounds} ${w.padEnd(5)} ${parts.join('  ')}`);
    }
    if (doUboot) {
      const order = r & 1 ? [...ubootRunners].reverse() : ubootRunners;
      const parts: string[] = [];
      for (const runner of order) {
        const u = await ubootOnce(runner, timeoutS);
        if (u.status === 'ok') uboot[runner].push(u.seconds);
        if (u.status !== 'ok' || u.note) uboot.problems[runner].push(u.status === 'ok' ? u.note : `${u.status}: ${u.note}`);
        parts.push(`${runner} ${u.status === 'ok' ? u.seconds.toFixed(2) : u.status}`);
      }
      console.log(`round ${r + 1}/${rounds} uboot ${parts.join('  ')}`);
    }
  }

  // Check every output against the reference for its binary.
  const refNotes: string[] = [];
  for (const bin of new Set(cells.map((c) => c.bin))) {
    const mine = cells.filter((c) => c.bin === bin);
    const okOut = (rn: RunnerName) => mine.find((c) => c.runner === rn)?.outputs.find((o) => o.status === 'ok');
    const refRun = okOut('qemu') ?? okOut('interp') ?? okOut('wasm');
    const refBy = okOut('qemu') ? 'qemu' : okOut('interp') ? 'interp' : 'wasm';
    const name = bin.slice(FW.length + 1);
    if (!refRun) { refNotes.push(`${name}: no successful run to take a reference from`); continue; }
    const ref = norm(refRun.out);
    const checksum = ref.find((l) => l.startsWith('checksum:')) ?? '(no checksum line!)';
    refNotes.push(`${name}: ${checksum}${ref.includes('ticks>0: yes') ? ', ticks>0: yes' : ''}  (reference: ${refBy}${refBy === 'wasm' ? ', unverified' : ''})`);
    for (const c of mine) {
      c.byRound = c.outputs.map(() => NaN);
      for (const [i, o] of c.outputs.entries()) {
        if (o.status === 'timeout') { c.problems.push('timeout'); continue; }
        if (o.status === 'error') { c.problems.push(`exit ${o.code}: ${o.err.trim().split('\n').slice(-1)[0] ?? ''}`); continue; }
        const got = norm(o.out);
        if (got.join('\n') !== ref.join('\n') || !got.some((l) => l.startsWith('checksum:'))) {
          c.problems.push(`MISMATCH vs ${refBy}: ${firstDifference(ref, got)}`);
          continue;
        }
        c.times.push(o.seconds);
        c.byRound[i] = o.seconds;
      }
      c.outputs = [];
    }
  }

  console.log('\nResults (wall clock from spawn to exit, median of the runs whose output matched)\n');
  const rows: string[][] = [];
  for (const c of cells) {
    const bad = c.problems.length;
    rows.push([`${c.workload}${c.size === 'small' ? '-small' : ''}`, c.runner === 'qemu' ? 'qemu' : `tsemu-${c.runner}`,
      fmtS(median(c.times)), fmtS(c.times.length ? Math.min(...c.times) : NaN), fmtS(c.times.length ? Math.max(...c.times) : NaN),
      `${c.times.length}/${c.times.length + bad}`, bad ? summarize(c.problems) : 'ok']);
  }
  if (doUboot) {
    for (const rn of ubootRunners) {
      const t = uboot[rn], p = uboot.problems[rn];
      rows.push(['uboot (to =>)', rn === 'qemu' ? 'qemu' : 'tsemu-wasm', fmtS(median(t)), fmtS(t.length ? Math.min(...t) : NaN),
        fmtS(t.length ? Math.max(...t) : NaN), `${t.length}/${rounds}`, p.length ? summarize(p) : 'ok']);
    }
  }
  console.log(table(['workload', 'runner', 'median', 'min', 'max', 'ok', 'check'], rows, [false, false, true, true, true, true, false]));

  const { med, paired } = cellStats(cells);
  const ratioRows: string[][] = [];
  for (const w of ['hash', 'mix', 'mmu']) {
    if (!cells.some((c) => c.workload === w)) continue;
    ratioRows.push([w,
      fmtX(med(w, 'small', 'interp') / med(w, 'small', 'wasm')),
      fmtX(med(w, 'full', 'wasm') / med(w, 'full', 'qemu')),
      fmtX(paired(w, 'full', 'wasm', 'qemu')),
      fmtX(med(w, 'small', 'wasm') / med(w, 'small', 'qemu')),
      fmtX(med(w, 'small', 'interp') / med(w, 'small', 'qemu'))]);
  }
  if (doUboot) ratioRows.push(['uboot', '-', fmtX(median(uboot.wasm) / median(uboot.qemu)), '-', '-', '-']);
  if (ratioRows.length) {
    console.log('\nRatios of medians (time / time; wasm speedup = interp time / wasm time)\n');
    console.log(table(['workload', 'wasm speedup over interp (small)', 'wasm/qemu (full)', 'paired', 'wasm/qemu (small)', 'interp/qemu (small)'],
      ratioRows, [false, true, true, true, true, true]));
    console.log('\nSmall runs include process start-up (node + tsemu set-up, or QEMU\'s), which narrows their ratios.');
    console.log('paired: the median of the per-round ratios (both run back to back each round), steadier on a shared host.');
  }
  if (refNotes.length) console.log(`\nGuest results:\n  ${refNotes.join('\n  ')}`);
}

runBenchmark('run.js', 'bench', main);
