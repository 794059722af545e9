/**
 * Linux benchmark (`npm run bench:linux`): time from spawn to the busybox
 * shell prompt for the fixtures' tiny kernel (armel and armhf user space)
 * and Debian's armmp kernel (when scripts/fetch-debian-kernel.sh has run),
 * then the host CPU the emulator burns while the guest sits idle at its
 * shell (utime+stime of the whole process over BENCH_IDLE_S seconds, from
 * /proc). qemu-system-arm runs the same command lines when installed.
 *
 * Environment: BENCH_ROUNDS=N (default 3), BENCH_IDLE_S (default 10),
 * QEMU=path. Always exits 0; problems are shown in the table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import os from 'node:os';
import { median, runBenchmark, ROOT, TSEMU } from './common.js';

const FIX = resolve(ROOT, '../shared/fixtures');
const DEBIAN = resolve(ROOT, '.cache/debian-armmp/vmlinuz');
const QEMU = process.env.QEMU ?? (existsSync('/usr/bin/qemu-system-arm') ? '/usr/bin/qemu-system-arm' : null);
const ROUNDS = Math.max(1, parseInt(process.env.BENCH_ROUNDS ?? '3', 10) || 3);
const IDLE_S = Math.max(1, parseFloat(process.env.BENCH_IDLE_S ?? '10') || 10);
const TICK = 100; // USER_HZ: /proc/PID/stat counts in 1/100 s

interface Case { name: string; kernel: string; initrd: string; extra: string[] }

const cases: Case[] = [
  { name: 'tiny armel', kernel: resolve(FIX, 'zImage-arm-virt'), initrd: resolve(FIX, 'initramfs-armel.cpio.gz'), extra: [] },
  { name: 'tiny armhf', kernel: resolve(FIX, 'zImage-arm-virt'), initrd: resolve(FIX, 'initramfs-armhf.cpio.gz'), extra: [] },
  { name: 'debian armmp', kernel: DEBIAN, initrd: resolve(FIX, 'initramfs-armhf.cpio.gz'), extra: [] },
  { name: 'debian -smp 2', kernel: DEBIAN, initrd: resolve(FIX, 'initramfs-armhf.cpio.gz'), extra: ['-smp', '2'] },
];

function cpuTicks(pid: number): number {
  // Fields after the parenthesised command name: utime is the 12th, stime the 13th.
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

async function once(runner: 'tsemu' | 'qemu', c: Case): Promise<{ shell: number; idle: number } | string> {
  const args = ['-M', 'virt', '-m', '256', '-kernel', c.kernel, '-initrd', c.initrd, '-append', 'console=ttyAMA0',
    '-nographic', '-no-reboot', '-nic', 'none', ...c.extra];
  const p: ChildProcess = runner === 'tsemu'
    ? spawn(process.execPath, [TSEMU, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(QEMU!, ['-cpu', 'cortex-a15', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const t0 = performance.now();
  let out = '';
  try {
    const shell = await new Promise<number>((res, rej) => {
      const t = setTimeout(() => rej(new Error('timeout')), 180_000);
      p.stdout!.on('data', (d: Buffer) => {
        out += d.toString('latin1');
        if (out.includes('/ # ')) { clearTimeout(t); res((performance.now() - t0) / 1000); }
      });
      p.on('exit', (code) => { clearTimeout(t); rej(new Error(`exit ${code}`)); });
    });
    await new Promise((r) => setTimeout(r, 2000)); // let the shell settle
    const a = cpuTicks(p.pid!);
    await new Promise((r) => setTimeout(r, IDLE_S * 1000));
    const b = cpuTicks(p.pid!);
    return { shell, idle: ((b - a) / TICK / IDLE_S) * 100 };
  } catch (e) {
    return (e as Error).message;
  } finally {
    p.kill('SIGKILL');
  }
}

async function main(): Promise<void> {
  if (!existsSync(TSEMU)) { console.log(`tsemu not built: run npm run build`); return; }
  console.log(`Linux to shell and idle CPU: ${ROUNDS} rounds, idle window ${IDLE_S} s, node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const rows: string[][] = [];
  for (const c of cases) {
    if (!existsSync(c.kernel) || !existsSync(c.initrd)) { console.log(`${c.name}: ${c.kernel} missing, skipped`); continue; }
    for (const runner of (QEMU ? ['tsemu', 'qemu'] : ['tsemu']) as ('tsemu' | 'qemu')[]) {
      const shell: number[] = [], idle: number[] = [], bad: string[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const res = await once(runner, c);
        if (typeof res === 'string') bad.push(res); else { shell.push(res.shell); idle.push(res.idle); }
        console.log(`${c.name} ${runner} round ${r + 1}: ${typeof res === 'string' ? res : `shell ${res.shell.toFixed(2)} s, idle ${res.idle.toFixed(1)} %`}`);
      }
      rows.push([c.name, runner, median(shell).toFixed(2) + ' s', median(idle).toFixed(1) + ' %', bad.length ? bad.join(', ') : 'ok']);
    }
  }
  console.log('\n' + ['guest', 'runner', 'to shell', 'idle CPU', 'notes'].join('\t'));
  for (const r of rows) console.log(r.join('\t'));
}

runBenchmark('linux.js', 'bench:linux', main);
