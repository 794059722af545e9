/**
 * Serial ports and the monitor on sockets, files and host serial devices,
 * driven against the demo firmware (`demo> `, `add 2 3`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Guest, runTsemu } from '../helpers/guest.js';
import { SockClient, boundPort, waitStderr } from '../helpers/socket-client.js';

const DEMO = ['-M', 'virt', '-nographic', '-bios', 'firmware/arm/demo.bin'];

test('serial console on a TCP server (wait=off), driven by a client', async () => {
  const g = new Guest([...DEMO, '-serial', 'tcp:127.0.0.1:0,server,wait=off', '-monitor', 'none']);
  try {
    const port = await boundPort(g, '-serial');
    const c = await SockClient.connect(port);
    c.send('\r'); // the banner went out before we were there: ask for a fresh prompt
    let at = await c.waitFor('demo> ');
    c.send('add 2 3\r');
    at = await c.waitFor(/= 5\b/, 30_000, at);
    await c.waitFor('demo> ', 30_000, at);
    c.close();
    g.proc.kill('SIGTERM');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});

test('server with wait=on: the guest starts only when the client connects, so it sees the banner', async () => {
  const g = new Guest([...DEMO, '-serial', 'tcp:127.0.0.1:0,server', '-monitor', 'none']);
  try {
    const m = await waitStderr(g, /QEMU waiting for connection on: disconnected:tcp:127\.0\.0\.1:(\d+),server=on/);
    const c = await SockClient.connect(parseInt(m[1], 10));
    const at = await c.waitFor("tsemu ARM demo\r\ntype 'help' for commands\r\ndemo> ");
    c.send('add 40 2\r');
    await c.waitFor(/= 42\b/, 30_000, at);
    c.close();
    g.proc.kill('SIGTERM');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});

test('telnet server: negotiation, then the console', async () => {
  const g = new Guest([...DEMO, '-serial', 'telnet:127.0.0.1:0,server', '-monitor', 'none']);
  try {
    const m = await waitStderr(g, /waiting for connection on: disconnected:telnet:127\.0\.0\.1:(\d+),server=on/);
    const c = await SockClient.connect(parseInt(m[1], 10));
    await c.waitFor('\xff\xfb\x01\xff\xfb\x03'); // IAC WILL ECHO, IAC WILL SUPPRESS-GO-AHEAD
    const at = await c.waitFor('demo> ');
    // what a telnet client sends: option replies, then a line ending in CR NUL
    c.send(Buffer.from([0xff, 0xfd, 0x01, 0xff, 0xfd, 0x03, 0xff, 0xfb, 0x1f]));
    c.send('add 2 3\r\0');
    await c.waitFor(/= 5\b/, 30_000, at);
    c.close();
    g.proc.kill('SIGTERM');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});

test('mon:telnet: serial and monitor share the socket, Ctrl-A c switches', async () => {
  const g = new Guest([...DEMO, '-serial', 'mon:telnet:127.0.0.1:0,server,wait=off', '-monitor', 'none']);
  try {
    const port = await boundPort(g, '-serial');
    const c = await SockClient.connect(port);
    c.send('\r');
    let at = await c.waitFor('demo> ');
    c.send('\x01c');
    at = await c.waitFor('(qemu) ', 30_000, at);
    c.send('info status\r');
    at = await c.waitFor('VM status: running', 30_000, at);
    c.send('\x01c');
    c.send('add 1 1\r');
    at = await c.waitFor(/= 2\b/, 30_000, at);
    c.send('\x01x');
    assert.equal(await g.exit, 0);
    c.close();
  } finally {
    g.kill();
  }
});

test('-monitor tcp: the HMP monitor on a socket answers info status, stop, cont', async () => {
  const g = new Guest([...DEMO, '-serial', 'null', '-monitor', 'tcp:127.0.0.1:0,server,wait=off']);
  try {
    const port = await boundPort(g, '-monitor');
    const c = await SockClient.connect(port);
    let at = await c.waitFor(/monitor.* - type 'help' for more information\r\n\(qemu\) /);
    c.send('info status\r\n');
    at = await c.waitFor('VM status: running', 30_000, at);
    c.send('stop\r\ninfo status\r\n');
    at = await c.waitFor('VM status: paused', 30_000, at);
    c.send('cont\r\ninfo status\r\n');
    at = await c.waitFor('VM status: running', 30_000, at);
    c.send('quit\r\n');
    assert.equal(await g.exit, 0);
    c.close();
  } finally {
    g.kill();
  }
});

test('serial on a unix socket server', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-unix-'));
  const path = join(dir, 'serial.sock');
  const g = new Guest([...DEMO, '-serial', `unix:${path},server`, '-monitor', 'none']);
  try {
    await waitStderr(g, /QEMU waiting for connection on: disconnected:unix:.*serial\.sock,server=on/);
    const c = await SockClient.connect(path);
    const at = await c.waitFor('demo> ');
    c.send('add 0x10 1\r');
    await c.waitFor(/= 17\b/, 30_000, at);
    c.close();
    g.proc.kill('SIGTERM');
    assert.equal(await g.exit, 0);
    assert.ok(!existsSync(path), 'socket file removed at exit');
  } finally {
    g.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('client mode: tsemu connects to our server', async () => {
  const srv = net.createServer();
  const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  const g = new Guest([...DEMO, '-serial', `tcp:127.0.0.1:${port}`, '-monitor', 'none']);
  try {
    const c = SockClient.of(await accepted);
    const at = await c.waitFor('demo> ');
    c.send('add 2 3\r');
    await c.waitFor(/= 5\b/, 30_000, at);
    g.proc.kill('SIGTERM');
    assert.equal(await g.exit, 0);
    c.close();
  } finally {
    g.kill();
    srv.close();
  }
});

test('client mode to nobody: exit 1 with one line', async () => {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  const r = await runTsemu([...DEMO, '-serial', `tcp:127.0.0.1:${port}`]);
  assert.equal(r.code, 1);
  assert.equal(r.err, `tsemu: -serial tcp:127.0.0.1:${port}: Failed to connect to '127.0.0.1:${port}': Connection refused\n`);
});

test('a busy port: exit 1 naming the option', async () => {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  try {
    const r = await runTsemu([...DEMO, '-serial', `tcp::${port},server,nowait`]);
    assert.equal(r.code, 1);
    assert.equal(r.err, `tsemu: -serial tcp::${port},server,nowait: Failed to bind socket: Address already in use\n`);
  } finally {
    srv.close();
  }
});

test('file: output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-file-'));
  try {
    const out = join(dir, 'serial.log');
    const r = await runTsemu(['-M', 'virt', '-nographic', '-bios', 'firmware/arm/hello.bin', '-serial', `file:${out}`, '-monitor', 'none']);
    assert.equal(r.code, 0);
    assert.match(readFileSync(out, 'latin1'), /^Hello from tsemu firmware!\r?\nMIDR=[0-9a-fA-F]{8}/);
    assert.equal(r.out, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A pty pair from socat: tsemu opens one end with `serialport`, the test the other. */
async function ptyPair(): Promise<{ a: string; b: string; stop: () => void } | null> {
  let p;
  try { p = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] }); } catch { return null; }
  let err = '';
  const names = await new Promise<string[] | null>((res) => {
    const t = setTimeout(() => res(null), 5000);
    p.on('error', () => { clearTimeout(t); res(null); });
    p.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = [...err.matchAll(/PTY is (\S+)/g)].map((x) => x[1]);
      if (m.length >= 2 && /starting data transfer/.test(err)) { clearTimeout(t); res(m); }
    });
  });
  if (!names) { p.kill(); return null; }
  return { a: names[0], b: names[1], stop: () => p.kill() };
}

let hasSerialport = true;
try { await import('serialport'); } catch { hasSerialport = false; }
let hasSocat = true;
try { hasSocat = existsSync('/usr/bin/socat') || existsSync('/bin/socat'); } catch { hasSocat = false; }

test('host serial device through serialport (socat pty pair)', { skip: (!hasSerialport && 'serialport not installed') || (!hasSocat && 'socat not installed') }, async () => {
  const pair = await ptyPair();
  assert.ok(pair, 'socat made a pty pair');
  const g = new Guest([...DEMO, '-serial', pair.a, '-monitor', 'none']);
  const { SerialPort } = await import('serialport');
  let port: InstanceType<typeof SerialPort> | null = null;
  try {
    let data = '';
    port = new SerialPort({ path: pair.b, baudRate: 115200 });
    port.on('data', (d: Buffer) => { data += d.toString('latin1'); });
    await new Promise<void>((res, rej) => { port!.once('open', () => res()); port!.once('error', rej); });
    const until = async (re: RegExp, from = 0) => {
      const deadline = Date.now() + 30_000;
      while (!re.test(data.slice(from))) {
        if (Date.now() > deadline) throw new Error(`timeout waiting for ${re}; got ${JSON.stringify(data)}; stderr ${g.err}`);
        if (g.proc.exitCode !== null) throw new Error(`tsemu exited: ${g.err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // tsemu may have opened its end after the banner went out: ask for a prompt until one comes
    for (let i = 0; i < 50 && !/demo> /.test(data); i++) { port.write('\r'); await new Promise((r) => setTimeout(r, 200)); }
    await until(/demo> /);
    const at = data.length;
    port.write('add 2 3\r');
    await until(/= 5\b/, at);
    g.proc.kill('SIGTERM');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
    if (port?.isOpen) await new Promise((r) => port!.close(r));
    pair.stop();
  }
});

test('-serial pty: QEMU\'s "char device redirected to /dev/pts/N" and a terminal program on that pty talks to the guest', { skip: (!hasSerialport && 'serialport not installed') || (!hasSocat && 'socat not installed') }, async () => {
  const g = new Guest([...DEMO, '-serial', 'pty', '-monitor', 'none']);
  const { SerialPort } = await import('serialport');
  let port: InstanceType<typeof SerialPort> | null = null;
  try {
    const deadline = Date.now() + 30_000;
    let m: RegExpMatchArray | null = null;
    while (!(m = /char device redirected to (\/dev\/pts\/\d+) \(label serial0\)/.exec(g.err))) {
      if (Date.now() > deadline || g.proc.exitCode !== null) throw new Error(`no pty reported: ${g.err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    let data = '';
    port = new SerialPort({ path: m[1], baudRate: 115200 });
    port.on('data', (d: Buffer) => { data += d.toString('latin1'); });
    await new Promise<void>((res, rej) => { port!.once('open', () => res()); port!.once('error', rej); });
    for (let i = 0; i < 50 && !/demo> /.test(data); i++) { port.write('\r'); await new Promise((r) => setTimeout(r, 200)); }
    assert.match(data, /demo> /);
    const at = data.length;
    port.write('add 20 22\r');
    for (let i = 0; i < 150 && !/= 42\b/.test(data.slice(at)); i++) await new Promise((r) => setTimeout(r, 200));
    assert.match(data.slice(at), /= 42\b/);
    g.proc.kill('SIGTERM');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
    if (port?.isOpen) await new Promise((r) => port!.close(r));
  }
});

test('-nographic with the serial port elsewhere and no -monitor: the monitor is on stdio, as in QEMU', async () => {
  const g = new Guest([...DEMO, '-serial', 'null']);
  try {
    let at = await g.waitFor(/type 'help' for more information\r\n\(qemu\) /);
    g.send('info status\r');
    at = await g.waitFor('VM status: running', 30_000, at);
    g.send('quit\r');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});
