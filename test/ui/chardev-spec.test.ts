/** QEMU's chardev spec spellings, and the telnet/mux plumbing without a guest. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { parseChardevSpec, describeSocket, type SocketSpec } from '../../ui/chardev-spec.js';
import { SocketStream } from '../../ui/chardev-socket.js';
import { StreamMux, StreamSerial } from '../../ui/chardev-stream.js';
import { ConfigError } from '../../machines/config.js';
import { SockClient } from '../helpers/socket-client.js';

test('simple specs', () => {
  assert.deepEqual(parseChardevSpec('stdio'), { kind: 'stdio', mux: false });
  assert.deepEqual(parseChardevSpec('mon:stdio'), { kind: 'stdio', mux: true });
  assert.deepEqual(parseChardevSpec('null'), { kind: 'null', mux: false });
  assert.deepEqual(parseChardevSpec('file:/tmp/x.log'), { kind: 'file', mux: false, path: '/tmp/x.log' });
  assert.deepEqual(parseChardevSpec('/dev/pts/3'), { kind: 'serial', mux: false, path: '/dev/pts/3' });
  assert.deepEqual(parseChardevSpec('pty'), { kind: 'pty', mux: false });
});

test('socket specs: server, wait, nowait, telnet, empty host, unix, mon:', () => {
  const a = parseChardevSpec('tcp::4444,server') as SocketSpec;
  assert.equal(a.kind, 'socket');
  assert.equal(a.host, '127.0.0.1');
  assert.equal(a.port, 4444);
  assert.equal(a.server, true);
  assert.equal(a.wait, true, 'QEMU waits by default');
  assert.equal(a.telnet, false);
  assert.equal(describeSocket(a), 'tcp:127.0.0.1:4444,server=on');
  const b = parseChardevSpec('tcp:0.0.0.0:5555,server=on,wait=off') as SocketSpec;
  assert.equal(b.host, '0.0.0.0');
  assert.equal(b.wait, false);
  assert.equal((parseChardevSpec('tcp::1,server,nowait') as SocketSpec).wait, false);
  const t = parseChardevSpec('telnet:localhost:23,server,wait=off') as SocketSpec;
  assert.equal(t.telnet, true);
  assert.equal(t.host, 'localhost');
  assert.equal((parseChardevSpec('tcp::23,server,telnet=on') as SocketSpec).telnet, true);
  const c = parseChardevSpec('tcp:10.0.0.1:80') as SocketSpec;
  assert.equal(c.server, false);
  assert.equal(c.wait, false, 'clients never wait');
  const u = parseChardevSpec('unix:/tmp/s.sock,server,wait=off') as SocketSpec;
  assert.equal(u.transport, 'unix');
  assert.equal(u.path, '/tmp/s.sock');
  assert.equal(describeSocket(u), 'unix:/tmp/s.sock,server=on');
  const m = parseChardevSpec('mon:telnet::4444,server,nowait') as SocketSpec;
  assert.equal(m.mux, true);
  assert.equal((parseChardevSpec('tcp:[::1]:99') as SocketSpec).host, '::1');
});

test('bad specs are configuration errors naming the option', () => {
  assert.throws(() => parseChardevSpec('bogus', '-serial bogus'), (e) => e instanceof ConfigError && /-serial bogus: 'bogus' is not a valid char driver name/.test(e.message));
  assert.throws(() => parseChardevSpec('tcp:4444', '-serial tcp:4444'), ConfigError);
  assert.throws(() => parseChardevSpec('tcp::4444,server,frob', '-serial x'), /Invalid parameter 'frob'/);
  assert.throws(() => parseChardevSpec('tcp::4444,wait=maybe', '-serial x'), /expects 'on' or 'off'/);
});

test('telnet server: negotiation sent, IAC sequences and CR NUL stripped, 0xff doubled', async () => {
  const s = new SocketStream(parseChardevSpec('telnet:127.0.0.1:0,server,wait=off') as SocketSpec, 'test');
  await s.open();
  const got: number[] = [];
  s.onData = (b) => got.push(...b);
  try {
    const c = await SockClient.connect(s.port);
    await c.waitFor('\xff\xfb\x01\xff\xfb\x03');
    // IAC DO ECHO, IAC SB NAWS 0 80 0 24 IAC SE, IAC IAC (a data 0xff), CR NUL
    c.send(Buffer.from([0x61, 0xff, 0xfd, 0x01, 0x62, 0xff, 0xfa, 0x1f, 0, 80, 0, 24, 0xff, 0xf0, 0x63, 0xff, 0xff, 0x0d, 0x00, 0x64]));
    for (let i = 0; i < 100 && got.length < 6; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(got, [0x61, 0x62, 0x63, 0xff, 0x0d, 0x64]);
    const at = c.data.length;
    s.write(Uint8Array.of(0x41, 0xff, 0x42));
    await c.waitFor('A\xff\xffB', 5000, at);
    c.close();
  } finally {
    await s.close();
  }
});

test('second client is turned away while one is connected; output without a client is dropped', async () => {
  const s = new SocketStream(parseChardevSpec('tcp:127.0.0.1:0,server,wait=off') as SocketSpec, 'test');
  await s.open();
  try {
    s.write('lost');
    const a = await SockClient.connect(s.port);
    await new Promise((r) => setTimeout(r, 50));
    const b = await SockClient.connect(s.port);
    await b.waitClosed();
    s.write('hello');
    await a.waitFor('hello');
    assert.ok(!a.data.includes('lost'));
    a.close();
    // after the first goes away a new client is served
    for (let i = 0; i < 100 && s.connected; i++) await new Promise((r) => setTimeout(r, 20));
    const c = await SockClient.connect(s.port);
    await new Promise((r) => setTimeout(r, 50));
    s.write('again');
    await c.waitFor('again');
    c.close();
  } finally {
    await s.close();
  }
});

test('client mode to a closed port fails with QEMU\'s message', async () => {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  const s = new SocketStream(parseChardevSpec(`tcp:127.0.0.1:${port}`) as SocketSpec, `-serial tcp:127.0.0.1:${port}`);
  await assert.rejects(s.open(), (e) => e instanceof ConfigError && e.message.includes(`Failed to connect to '127.0.0.1:${port}': Connection refused`));
});

test('stream mux: Ctrl-A c moves input to the second front end, Ctrl-A Ctrl-A is a literal', () => {
  const written: string[] = [];
  const fake = { write: (b: Uint8Array | string) => { written.push(typeof b === 'string' ? b : Buffer.from(b).toString('latin1')); },
    onData: () => {}, onConnect: () => {}, onDisconnect: () => {}, connected: true, pause: () => {}, resume: () => {}, close: async () => {} };
  const mux = new StreamMux(fake);
  const serialIn: number[] = [];
  const ser = new StreamSerial(() => {});
  ser.setReceiver({ canReceive: () => 100, receive: (b) => serialIn.push(...b) });
  const monIn: number[] = [];
  let focused = 0;
  mux.add(ser);
  mux.add({ input: (b) => monIn.push(...b), focus: () => { focused++; } });
  mux.feed(Buffer.from('ab\x01\x01c\x01cxy'));
  assert.deepEqual(Buffer.from(serialIn).toString('latin1'), 'ab\x01c');
  assert.deepEqual(Buffer.from(monIn).toString('latin1'), 'xy');
  assert.equal(focused, 1);
  let quit = false;
  mux.onQuit = () => { quit = true; };
  mux.feed(Buffer.from('\x01x'));
  assert.ok(quit);
  assert.ok(written.join('').includes('QEMU: Terminated'));
});

test('stream serial back-pressure: the stream pauses above the high-water mark and resumes as the guest reads', () => {
  let paused = 0, resumed = 0;
  const ser = new StreamSerial(() => {}, { pause: () => { paused++; }, resume: () => { resumed++; } });
  let room = 0;
  const got: number[] = [];
  ser.setReceiver({ canReceive: () => room, receive: (b) => { got.push(...b); room -= b.length; } });
  ser.input(new Uint8Array(5000));
  assert.equal(paused, 1);
  room = 32;
  ser.pump();
  assert.equal(got.length, 32);
  assert.equal(resumed, 0);
  for (let i = 0; i < 100; i++) { room = 32; ser.pump(); }
  assert.equal(resumed, 1);
  assert.equal(got.length, 3232);
});
