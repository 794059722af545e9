/**
 * The gdb stub (issue 6 item 5): the remote protocol by hand (acks, no-ack
 * mode, target description, registers, memory, threads, steps, breakpoints,
 * Ctrl-C and the monitor's view), the monitor's `gdbserver`, and a real
 * gdb-multiarch batch session against a firmware built with symbols.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync, spawn } from 'node:child_process';
import { Guest, ROOT, TSEMU, sleep } from '../helpers/guest.js';

const DEMO = resolve(ROOT, 'firmware/arm/demo.bin');
const randomPort = () => 20000 + Math.floor(Math.random() * 40000);
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** A minimal RSP client: sends packets, collects replies (acks counted apart). */
class Rsp {
  private buf = '';
  acks = 0;
  noAck = false;
  private waiters: (() => void)[] = [];
  closed = false;
  private constructor(readonly sock: Socket) {
    sock.on('data', (d) => { this.buf += d.toString('latin1'); for (const w of this.waiters.splice(0)) w(); });
    sock.on('close', () => { this.closed = true; for (const w of this.waiters.splice(0)) w(); });
    sock.on('error', () => {});
  }

  static async open(port: number, timeoutMs = 10_000): Promise<Rsp> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const s = await new Promise<Socket>((res, rej) => { const s = connect(port, '127.0.0.1', () => res(s)); s.once('error', rej); });
        return new Rsp(s);
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(100);
      }
    }
  }

  static frame(p: string): string {
    let sum = 0;
    for (const c of Buffer.from(p, 'latin1')) sum = (sum + c) & 0xff;
    return `$${p}#${sum.toString(16).padStart(2, '0')}`;
  }

  write(raw: string): void { this.sock.write(Buffer.from(raw, 'latin1')); }

  /** The next packet's payload (acks before it are counted). */
  async reply(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.buf[0] === '+' || this.buf[0] === '-') { if (this.buf[0] === '+') this.acks++; this.buf = this.buf.slice(1); }
      const m = /^\$([^#]*)#([0-9a-f]{2})/.exec(this.buf);
      if (m) {
        this.buf = this.buf.slice(m[0].length);
        assert.equal(Rsp.frame(m[1]), m[0], 'bad checksum from the stub');
        if (!this.noAck) this.write('+');
        return m[1];
      }
      if (this.closed) throw new Error(`connection closed (buffer ${JSON.stringify(this.buf)})`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply (buffer ${JSON.stringify(this.buf)})`);
      await new Promise<void>((r) => { const t = setTimeout(r, Math.min(left, 200)); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
  }

  async cmd(p: string): Promise<string> { this.write(Rsp.frame(p)); return this.reply(); }

  async waitClosed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise<void>((r) => { const t = setTimeout(r, 200); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
  }
}

const le32 = (hex: string, i: number) => Buffer.from(hex.slice(i * 8, i * 8 + 8), 'hex').readUInt32LE(0);

test('gdb remote protocol: acks, target.xml, registers, memory, threads, step, breakpoints, Ctrl-C', async () => {
  const port = randomPort();
  const g = new Guest(['-M', 'virt', '-nographic', '-bios', DEMO, '-no-reboot', '-S', '-gdb', `tcp::${port}`]);
  let r: Rsp | null = null;
  try {
    r = await Rsp.open(port);
    // Acks, then no-ack mode.
    const sup = await r.cmd('qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;xmlRegisters=i386');
    assert.ok(r.acks >= 1, 'the stub acks packets');
    assert.match(sup, /PacketSize=[0-9a-f]+/);
    assert.match(sup, /qXfer:features:read\+/);
    assert.match(sup, /swbreak\+/);
    // A corrupted packet is nacked.
    r.write('$qC#00');
    await sleep(200);
    assert.equal(await r.cmd('QStartNoAckMode'), 'OK');
    r.noAck = true;
    // The target description, read in pieces.
    let xml = '';
    for (let off = 0; ; off += 0x40) {
      const p = await r.cmd(`qXfer:features:read:target.xml:${off.toString(16)},40`);
      xml += p.slice(1);
      if (p[0] === 'l') break;
      assert.equal(p[0], 'm');
    }
    assert.match(xml, /<feature name="org.gnu.gdb.arm.core">/);
    for (const reg of ['r0', 'r12', 'sp', 'lr', 'pc']) assert.match(xml, new RegExp(`<reg name="${reg}" bitsize="32"`));
    assert.match(xml, /<reg name="cpsr" bitsize="32" regnum="25"\/>/);

    // Stopped at reset (-S): pc 0, SVC mode with interrupts masked.
    assert.equal(await r.cmd('?'), 'T05thread:01;');
    const regs = await r.cmd('g');
    assert.equal(regs.length, 17 * 8, 'g: r0-r15 and cpsr');
    assert.equal(le32(regs, 15), 0);
    assert.equal(le32(regs, 16) & 0x1f, 0x13);
    assert.equal(await r.cmd('p19'), regs.slice(16 * 8));
    assert.equal(await r.cmd('pf'), '00000000');
    assert.equal(await r.cmd('P3=78563412'), 'OK');
    assert.equal(await r.cmd('p3'), '78563412');

    // Threads: one CPU, thread 1.
    assert.equal(await r.cmd('qfThreadInfo'), 'm01');
    assert.equal(await r.cmd('qsThreadInfo'), 'l');
    assert.equal(await r.cmd('qC'), 'QC01');
    assert.equal(await r.cmd('Hg1'), 'OK');
    assert.equal(await r.cmd('Hc-1'), 'OK');
    assert.equal(await r.cmd('T1'), 'OK');
    assert.equal(await r.cmd('T2'), 'E22');
    assert.match(Buffer.from(await r.cmd('qThreadExtraInfo,1'), 'hex').toString(), /^CPU#0 /);

    // gdb's `monitor CMD`: output in O packets, then OK.
    const o = await r.cmd(`qRcmd,${Buffer.from('info status').toString('hex')}`);
    assert.equal(Buffer.from(o.slice(1), 'hex').toString(), 'VM status: paused\n');
    assert.equal(await r.reply(), 'OK');

    // Memory: RAM writes read back (M and binary X), unmapped addresses are E14.
    assert.equal(await r.cmd('M40200000,4:efbeadde'), 'OK');
    assert.equal(await r.cmd('m40200000,4'), 'efbeadde');
    assert.equal(await r.cmd('X40200004,4:\x01}\x03\x03\x04'), 'OK'); // bytes 01 23 03 04: '#' (0x23) escaped as } 0x03
    assert.equal(await r.cmd('m40200004,4'), '01230304');
    assert.equal(await r.cmd('m20000000,4'), 'E14');
    assert.equal(await r.cmd('M20000000,1:00'), 'E14');
    const insn0 = await r.cmd('m0,4');
    assert.equal(insn0.length, 8, 'flash (the -bios image) reads');

    // Single steps: vCont and s, one instruction each.
    assert.equal(await r.cmd('vCont?'), 'vCont;c;C;s;S');
    assert.equal(await r.cmd('vCont;s:1;c'), 'T05thread:01;');
    const pc1 = le32(await r.cmd('pf'), 0);
    assert.notEqual(pc1, 0, 'the reset vector jumped');
    assert.equal(await r.cmd('s'), 'T05thread:01;');
    assert.equal(le32(await r.cmd('pf'), 0), pc1 + 4);
    // A breakpoint two instructions on stops exactly there, inside what would be one TB.
    const bp = pc1 + 12;
    assert.equal(await r.cmd(`Z0,${bp.toString(16)},4`), 'OK');
    assert.equal(await r.cmd('c'), 'T05thread:01;swbreak:;');
    assert.equal(le32(await r.cmd('pf'), 0), bp);
    assert.equal(await r.cmd(`z0,${bp.toString(16)},4`), 'OK');
    // A hardware breakpoint is reported as such.
    assert.equal(await r.cmd(`Z1,${(bp + 8).toString(16)},4`), 'OK');
    assert.equal(await r.cmd('vCont;c'), 'T05thread:01;hwbreak:;');
    assert.equal(le32(await r.cmd('pf'), 0), bp + 8);
    assert.equal(await r.cmd(`z1,${(bp + 8).toString(16)},4`), 'OK');
    // Watchpoints on RAM the demo does not touch, set and cleared; other Z types are not supported.
    assert.equal(await r.cmd('Z2,40200000,4'), 'OK');
    assert.equal(await r.cmd('Z4,40200010,8'), 'OK');
    assert.equal(await r.cmd('z2,40200000,4'), 'OK');
    assert.equal(await r.cmd('z4,40200010,8'), 'OK');
    assert.equal(await r.cmd('Z5,40200000,4'), '');

    // Run: the demo prompts and waits for input; Ctrl-C stops it with SIGINT, and the monitor says paused.
    r.write(Rsp.frame('c'));
    let at = await g.waitFor('demo> ');
    r.write('\x03');
    assert.equal(await r.reply(), 'T02thread:01;');
    g.send('\x01c');
    g.send('info status\r');
    at = await g.waitFor('VM status: paused', 30_000, at);
    // The monitor's stop while gdb waits is a stop reply too.
    r.write(Rsp.frame('c'));
    await sleep(300);
    g.send('info status\r');
    at = await g.waitFor('VM status: running', 30_000, at);
    g.send('stop\r');
    assert.equal(await r.reply(), 'T02thread:01;');
    // Detach resumes the machine.
    assert.equal(await r.cmd('D'), 'OK');
    r.sock.end();
    await sleep(300);
    g.send('info status\r');
    at = await g.waitFor('VM status: running', 30_000, at);
    g.send('quit\r');
    assert.equal(await g.exit, 0);
  } finally {
    r?.sock.destroy();
    g.kill();
  }
});

test('monitor gdbserver starts the stub; k quits the emulator', async () => {
  const port = randomPort();
  const g = new Guest(['-M', 'virt', '-nographic', '-bios', DEMO, '-no-reboot']);
  let r: Rsp | null = null;
  try {
    let at = await g.waitFor('demo> ');
    g.send('\x01c');
    g.send(`gdbserver ${port}\r`);
    at = await g.waitFor(`Waiting for gdb connection on device 'tcp::${port}'`, 30_000, at);
    r = await Rsp.open(port);
    // Attaching stops the machine.
    assert.equal(await r.cmd('?'), 'T05thread:01;');
    g.send('info status\r');
    await g.waitFor('VM status: paused', 30_000, at);
    r.write(Rsp.frame('k'));
    assert.equal(await g.exit, 0);
  } finally {
    r?.sock.destroy();
    g.kill();
  }
});

const GDBTEST_C = `#include "types.h"
#include "uart.h"
#include "exc.h"

volatile u32 counter;
u32 result = 7;

__attribute__((noinline)) u32 add_up(u32 n)
{
    u32 s = 0;
    for (u32 i = 1; i <= n; i++) s += i;
    counter++;
    return s;
}

int main(void)
{
    result = add_up(10);
    uart_puts("result=");
    uart_dec(result);
    uart_puts("\\n");
    psci_system_off();
}
`;

const haveTools = has('gdb-multiarch') && has('arm-none-eabi-gcc');

test('gdb-multiarch session: break, step, print, set var, continue to power-off', { skip: !haveTools && 'gdb-multiarch or arm-none-eabi-gcc missing' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-gdb-'));
  try {
    const fw = resolve(ROOT, 'firmware/arm');
    writeFileSync(join(dir, 'gdbtest.c'), GDBTEST_C);
    // The firmware's own flags (firmware/arm/Makefile), built here so the test leaves the tree alone.
    const cc = spawnSync('arm-none-eabi-gcc', ['-marm', '-mcpu=cortex-a15', '-mfloat-abi=soft', '-ffreestanding', '-nostdlib', '-O1', '-g',
      '-fno-builtin', '-mno-unaligned-access', '-fno-common', '-fno-pic', `-I${fw}`, '-nostartfiles', '-T', join(fw, 'link.ld'),
      '-Wl,--build-id=none', '-Wl,--no-warn-rwx-segments', '-o', join(dir, 'gdbtest.elf'),
      join(fw, 'start.S'), join(fw, 'uart.c'), join(fw, 'lib.c'), join(dir, 'gdbtest.c')], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const oc = spawnSync('arm-none-eabi-objcopy', ['-O', 'binary', join(dir, 'gdbtest.elf'), join(dir, 'gdbtest.bin')], { encoding: 'utf8' });
    assert.equal(oc.status, 0, oc.stderr);

    const port = randomPort();
    const g = new Guest(['-M', 'virt', '-nographic', '-bios', join(dir, 'gdbtest.bin'), '-no-reboot', '-s', '-S', '-gdb', `tcp:127.0.0.1:${port}`]);
    try {
      await Rsp.open(port).then((r) => r.sock.destroy()); // the stub listens (a probe connection is dropped)
      const gdb = spawn('gdb-multiarch', ['-batch', '-nx',
        '-ex', `file ${join(dir, 'gdbtest.elf')}`,
        '-ex', `target remote :${port}`,
        '-ex', 'break add_up',
        '-ex', 'continue',
        '-ex', 'print n',
        '-ex', 'stepi',
        '-ex', 'info registers pc',
        '-ex', 'next',
        '-ex', 'print result',
        '-ex', 'set var result = 99',
        '-ex', 'print result',
        '-ex', 'watch counter',
        '-ex', 'continue',
        '-ex', 'set *(int*)&counter = 41',
        '-ex', 'print counter',
        '-ex', 'finish',
        '-ex', 'print $r0',
        '-ex', 'info registers',
        '-ex', 'x/2x 0x20000000',
        '-ex', 'delete',
        '-ex', 'continue',
      ], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      gdb.stdout.on('data', (d) => { out += d; });
      gdb.stderr.on('data', (d) => { out += d; });
      const timer = setTimeout(() => gdb.kill('SIGKILL'), 90_000);
      const code = await new Promise<number | null>((res) => gdb.on('close', res));
      clearTimeout(timer);
      assert.equal(code, 0, out);
      assert.match(out, /Breakpoint 1, add_up \(n=n@entry=10\) at .*gdbtest\.c:11/, out);
      assert.match(out, /\$1 = 10\n/, out);
      assert.match(out, /pc +0x668 +0x668 <add_up\+4>|pc +0x[0-9a-f]+ +0x[0-9a-f]+ <add_up\+4>/, out);
      assert.match(out, /\$2 = 7\n/, out);
      assert.match(out, /\$3 = 99\n/, out);
      assert.match(out, /Hardware watchpoint 2: counter\n+Old value = 0\nNew value = 1\n/, out);
      assert.match(out, /\$4 = 41\n/, out);
      assert.match(out, /Value returned is \$5 = 55/, out);
      assert.match(out, /\$6 = 55\n/, out);
      assert.match(out, /cpsr +0x[0-9a-f]*1d3 /, out);
      assert.match(out, /Cannot access memory at address 0x20000000/, out);
      assert.match(out, /\[Inferior 1 \(Remote target\) exited normally\]/, out);
      assert.equal(await g.exit, 0);
      // main() printed what add_up returned, and the guest powered off.
      assert.match(g.out, /result=55/);
    } finally {
      g.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void TSEMU;
void existsSync;
