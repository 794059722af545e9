/**
 * x86 benchmark runner (`npm run bench:x86`): the ARM benchmark workloads
 * built as i386 multiboot kernels (firmware/x86, `make -C firmware/x86 bench`:
 * bench-hash = SHA-256, bench-mix = lists, matrix, tokenizer, hash table,
 * function pointers; same sources and checksums as firmware/arm) on
 *   tsemu-interp  tsemu -M pc, interpreter (small variants only)
 *   tsemu-wasm    tsemu -M pc, WebAssembly JIT
 *   qemu          qemu-system-i386 -M pc (TCG), when installed
 *   v86           the `v86` npm package (x86→wasm JIT) in Node, through
 *                 test/bench/v86-run.ts, when installed with SeaBIOS
 * all booting the same kernel with -kernel / multiboot, 128 MiB, COM1 on
 * stdout, ending through isa-debug-exit (exit status 1 for value 0). QEMU and
 * v86 boot Debian's SeaBIOS first (its banner is cut from the output); tsemu
 * loads the kernel directly.
 *
 * As in run.ts: runs are interleaved round by round (order alternating),
 * timed wall-clock from spawn to exit; each run's guest output must equal the
 * reference (the first of QEMU's, the interpreter's, tsemu-wasm's, v86's
 * runs that exited cleanly with a checksum line; the last two are marked
 * unverified); medians of the runs that checked out; then a ratios table.
 *
 * Environment: BENCH_ROUNDS=N (default 3), BENCH_ONLY=hash,mix (default
 * both), BENCH_SIZES=small,full (default both), BENCH_TIMEOUT=seconds per
 * run (default 400), QEMU_I386=path to qemu-system-i386. Flag --quick: 1
 * round, small only. Always exits 0; problems are shown in the table
 * (MISMATCH, timeout, exit N).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { type RunResult, type Size, type BenchCell, cellStats, runTimed, which, firstDifference, median, fmtS, fmtX, table, summarize, runVersion, runBenchmark, ROOT, TSEMU } from './common.js';

const here = dirname(fileURLToPath(import.meta.url));
const V86RUN = resolve(here, 'v86-run.js');
const FW = resolve(ROOT, 'firmware/x86');
const SEABIOS = '/usr/share/seabios/bios.bin';

type RunnerName = 'interp' | 'wasm' | 'qemu' | 'v86';
const WORKLOADS = ['hash', 'mix'];


type Cell = BenchCell<RunnerName>;


const QEMU = which(process.env.QEMU_I386 ?? 'qemu-system-i386');
const PC_ARGS = ['-M', 'pc', '-m', '128', '-nographic', '-no-reboot', '-nic', 'none', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'];

function v86Installed(): boolean {
  try {
    createRequire(import.meta.url).resolve('v86/package.json');
    return existsSync(SEABIOS) && existsSync(V86RUN);
  } catch {
    return false;
  }
}

function command(runner: RunnerName, bin: string, timeoutS: number): [string, string[]] {
  switch (runner) {
    case 'qemu': return [QEMU!, [...PC_ARGS, '-kernel', bin]];
    case 'v86': return [process.execPath, [V86RUN, bin, '--timeout', String(timeoutS + 5)]];
    default: return [process.execPath, [TSEMU, ...PC_ARGS, '-accel', `tcg,backend=${runner}`, '-kernel', bin]];
  }
}

/** One timed run; exit status 1 is success (isa-debug-exit 0). */
function runOnce(runner: RunnerName, bin: string, timeoutS: number): Promise<RunResult> {
  const [cmd, args] = command(runner, bin, timeoutS);
  return runTimed(cmd, args, ROOT, timeoutS, 1);
}

/** The guest's lines: from the workload's first line on (drops SeaBIOS's banner), CRs and trailing blanks removed. */
function guestLines(s: string): string[] {
  const i = s.indexOf('bench-');
  return (i >= 0 ? s.slice(i) : s).replace(/\r/g, '').split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
}






const runnerLabel = (r: RunnerName) => (r === 'interp' || r === 'wasm' ? `tsemu-${r}` : r === 'qemu' ? 'qemu-system-i386' : 'v86');

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rounds = quick ? 1 : Math.max(1, parseInt(process.env.BENCH_ROUNDS ?? '3', 10) || 3);
  const timeoutS = Math.max(1, parseFloat(process.env.BENCH_TIMEOUT ?? '400') || 400);
  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const only = list(process.env.BENCH_ONLY);
  for (const o of only) if (!WORKLOADS.includes(o)) console.log(`BENCH_ONLY: unknown name '${o}' (known: ${WORKLOADS.join(', ')})`);
  const sizes = (quick ? ['small'] : list(process.env.BENCH_SIZES).length ? list(process.env.BENCH_SIZES) : ['small', 'full']) as Size[];
  const workloads = WORKLOADS.filter((w) => only.length === 0 || only.includes(w));

  if (!existsSync(TSEMU)) {
    console.log(`tsemu not built (${TSEMU} missing): run npm run build`);
    return;
  }
  const haveV86 = v86Installed();
  const qemuVersion = QEMU ? await runVersion(QEMU, 'qemu-system-i386') : 'qemu-system-i386 not found';
  const v86Version = haveV86 ? (createRequire(import.meta.url)('v86/package.json') as { version: string }).version : '';
  console.log(`tsemu x86 benchmarks: ${rounds} round${rounds > 1 ? 's' : ''}, node ${process.version}, ${qemuVersion}, ${haveV86 ? `v86 ${v86Version} (SeaBIOS ${SEABIOS})` : 'v86 not installed (npm i -D v86, seabios)'}`);
  console.log(`host: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} CPUs, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  const cells: Cell[] = [];
  for (const w of workloads) {
    for (const size of ['small', 'full'] as Size[]) {
      if (!sizes.includes(size)) continue;
      const bin = join(FW, `bench-${w}${size === 'small' ? '-small' : ''}.elf`);
      if (!existsSync(bin)) {
        console.log(`${bin} missing: run make -C firmware/x86 bench`);
        continue;
      }
      const runners: RunnerName[] = size === 'small' ? ['interp', 'wasm'] : ['wasm'];
      if (QEMU) runners.push('qemu');
      if (haveV86) runners.push('v86');
      for (const runner of runners) cells.push({ workload: w, size, runner, bin, times: [], byRound: [], problems: [], outputs: [] });
    }
  }

  console.log('');
  const label = (c: Cell) => `${c.runner}${c.size === 'small' ? '(small)' : ''}`;
  for (let r = 0; r < rounds; r++) {
    for (const w of workloads) {
      let jobs = cells.filter((c) => c.workload === w);
      if (jobs.length === 0) continue;
      if (r & 1) jobs = [...jobs].reverse();
      const parts: string[] = [];
      for (const c of jobs) {
        const res = await runOnce(c.runner, c.bin, timeoutS);
        c.outputs.push(res);
        parts.push(`${label(c)} ${res.status === 'ok' ? res.seconds.toFixed(2) : res.status === 'error' ? `exit ${res.code}` : res.status}`);
      }
      console.log(`round ${r + 1}/${rounds} ${w.padEnd(5)} ${parts.join('  ')}`);
    }
  }

  // Check every output against the reference for its kernel.
  const refNotes: string[] = [];
  for (const bin of new Set(cells.map((c) => c.bin))) {
    const mine = cells.filter((c) => c.bin === bin);
    // A reference run exited through isa-debug-exit 0 and printed a checksum.
    const okOut = (rn: RunnerName) => mine.find((c) => c.runner === rn)?.outputs
      .find((o) => o.status === 'ok' && guestLines(o.out).some((l) => l.startsWith('checksum:')));
    const refBy: RunnerName | undefined = (['qemu', 'interp', 'wasm', 'v86'] as RunnerName[]).find((rn) => okOut(rn));
    const name = bin.slice(FW.length + 1);
    if (!refBy) { refNotes.push(`${name}: no successful run to take a reference from`); }
    const ref = refBy ? guestLines(okOut(refBy)!.out) : [];
    if (refBy) {
      const checksum = ref.find((l) => l.startsWith('checksum:')) ?? '(no checksum line!)';
      refNotes.push(`${name}: ${checksum}  (reference: ${runnerLabel(refBy)}${refBy === 'wasm' || refBy === 'v86' ? ', unverified' : ''})`);
    }
    for (const c of mine) {
      c.byRound = c.outputs.map(() => NaN);
      for (const [i, o] of c.outputs.entries()) {
        if (o.status === 'timeout') { c.problems.push('timeout'); continue; }
        const got = guestLines(o.out);
        if (o.status === 'error') {
          const why = (o.err.trim() || got.join('\n')).split('\n').slice(-1)[0] ?? '';
          c.problems.push(`exit ${o.code}${why ? `: ${why.slice(0, 100)}` : ''}`);
          continue;
        }
        if (!refBy || got.join('\n') !== ref.join('\n') || !got.some((l) => l.startsWith('checksum:'))) {
          c.problems.push(`MISMATCH vs ${refBy ? runnerLabel(refBy) : 'nothing'}: ${firstDifference(ref, got)}`);
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
    rows.push([`${c.workload}${c.size === 'small' ? '-small' : ''}`, runnerLabel(c.runner),
      fmtS(median(c.times)), fmtS(c.times.length ? Math.min(...c.times) : NaN), fmtS(c.times.length ? Math.max(...c.times) : NaN),
      `${c.times.length}/${c.times.length + bad}`, bad ? summarize(c.problems) : 'ok']);
  }
  console.log(table(['workload', 'runner', 'median', 'min', 'max', 'ok', 'check'], rows, [false, false, true, true, true, true, false]));

  const { med, paired } = cellStats(cells);
  const ratioRows: string[][] = [];
  for (const w of workloads) {
    for (const size of ['full', 'small'] as Size[]) {
      if (!cells.some((c) => c.workload === w && c.size === size)) continue;
      ratioRows.push([`${w}${size === 'small' ? '-small' : ''}`,
        fmtX(med(w, size, 'wasm') / med(w, size, 'qemu')),
        fmtX(paired(w, size, 'wasm', 'qemu')),
        fmtX(med(w, size, 'v86') / med(w, size, 'qemu')),
        fmtX(med(w, size, 'wasm') / med(w, size, 'v86')),
        size === 'small' ? fmtX(med(w, size, 'interp') / med(w, size, 'wasm')) : '-']);
    }
  }
  if (ratioRows.length) {
    console.log('\nRatios of medians (time / time: above 1x means the first is slower)\n');
    console.log(table(['workload', 'tsemu-wasm/qemu', 'paired', 'v86/qemu', 'tsemu-wasm/v86', 'interp/wasm'], ratioRows, [false, true, true, true, true, true]));
    console.log('paired: the median of the per-round ratios (both run back to back each round), steadier on a shared host.');
    console.log('\nTimes include process start-up (node + tsemu or v86 set-up, QEMU\'s) and, for QEMU and v86, SeaBIOS;');
    console.log('this weighs most on the small runs.');
  }
  if (refNotes.length) console.log(`\nGuest results:\n  ${refNotes.join('\n  ')}`);
}

runBenchmark('x86.js', 'bench:x86', main);
