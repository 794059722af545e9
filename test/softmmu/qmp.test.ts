/** QMP on a socket: negotiation, commands, events, errors, quit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Guest } from '../helpers/guest.js';
import { SockClient, boundPort, waitStderr } from '../helpers/socket-client.js';
import { qmpJson } from '../../softmmu/qmp.js';

const DEMO = ['-M', 'virt', '-nographic', '-bios', 'firmware/arm/demo.bin', '-serial', 'null', '-monitor', 'none'];

/** A QMP client: sends commands, reads the messages line by line. */
class Qmp {
  private next = 0;
  constructor(readonly c: SockClient) {}
  /** Every message received so far, parsed. */
  get messages(): Record<string, unknown>[] {
    return this.c.data.split('\r\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  /** Wait for the first message from index `from` on that satisfies `pred`; returns [message, its index]. */
  async wait(pred: (m: Record<string, unknown>) => boolean, from = 0, timeoutMs = 30_000): Promise<[Record<string, unknown>, number]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ms = this.c.data.endsWith('\r\n') ? this.messages : this.messages.slice(0, -1);
      for (let i = from; i < ms.length; i++) if (pred(ms[i])) return [ms[i], i];
      if (Date.now() > deadline) throw new Error(`timeout; got ${this.c.data}`);
      if (this.c.closed) throw new Error(`closed; got ${this.c.data}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  /** Execute with a fresh id; resolves to the reply (return or error). */
  async exec(cmd: string, args?: Record<string, unknown>): Promise<[Record<string, unknown>, number]> {
    const id = `t${this.next++}`;
    this.c.send(JSON.stringify(args ? { execute: cmd, arguments: args, id } : { execute: cmd, id }) + '\n');
    return this.wait((m) => m.id === id);
  }
}

test('QMP conversation over TCP', async () => {
  const g = new Guest([...DEMO, '-qmp', 'tcp:127.0.0.1:0,server,wait=off']);
  try {
    const port = await boundPort(g, '-qmp');
    const q = new Qmp(await SockClient.connect(port));
    const [greet] = await q.wait((m) => 'QMP' in m);
    assert.deepEqual((greet.QMP as { capabilities: unknown }).capabilities, []);
    assert.equal(((greet.QMP as { version: { qemu: { major: number } } }).version.qemu.major), 7);
    assert.match(q.c.data, /^\{"QMP": \{"version": /, 'QEMU spacing');

    // commands before negotiation are refused, as QEMU does
    let [r] = await q.exec('query-status');
    assert.deepEqual(r.error, { class: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" });
    [r] = await q.exec('qmp_capabilities');
    assert.deepEqual(r.return, {});
    [r] = await q.exec('qmp_capabilities');
    assert.equal((r.error as { class: string }).class, 'CommandNotFound');

    [r] = await q.exec('query-status');
    assert.deepEqual(r.return, { status: 'running', singlestep: false, running: true });

    let at: number;
    [r, at] = await q.exec('stop');
    assert.deepEqual(r.return, {});
    const [stopEv] = await q.wait((m) => m.event === 'STOP');
    const ts = stopEv.timestamp as { seconds: number; microseconds: number };
    assert.ok(Math.abs(ts.seconds - Date.now() / 1000) < 60 && ts.microseconds >= 0 && ts.microseconds < 1e6);
    [r] = await q.exec('query-status');
    assert.deepEqual(r.return, { status: 'paused', singlestep: false, running: false });

    [r, at] = await q.exec('cont');
    assert.deepEqual(r.return, {});
    await q.wait((m) => m.event === 'RESUME', at - 1);
    [r] = await q.exec('query-status');
    assert.equal((r.return as { status: string }).status, 'running');

    [r] = await q.exec('human-monitor-command', { 'command-line': 'info registers' });
    assert.equal(typeof r.return, 'string');
    assert.match(r.return as string, /R00=[0-9a-f]{8} R01=[0-9a-f]{8}/);
    assert.match(r.return as string, /R15=[0-9a-f]{8}/);
    [r] = await q.exec('human-monitor-command', { 'command-line': 'info status' });
    assert.equal(r.return, 'VM status: running\r\n');
    [r] = await q.exec('human-monitor-command', {});
    assert.equal((r.error as { class: string }).class, 'GenericError');

    // malformed input gets an error object and the connection survives
    let n = q.messages.length;
    q.c.send('{"execute": "stop"\n,,,}\n');
    let [e] = await q.wait((m) => 'error' in m, n);
    assert.equal((e.error as { class: string }).class, 'GenericError');
    assert.match((e.error as { desc: string }).desc, /JSON parse error/);
    n = q.messages.length;
    q.c.send('[1, 2]\n');
    [e] = await q.wait((m) => 'error' in m, n);
    assert.deepEqual(e.error, { class: 'GenericError', desc: 'QMP input must be a JSON object' });
    [r] = await q.exec('no-such-command');
    assert.deepEqual(r.error, { class: 'CommandNotFound', desc: 'The command no-such-command has not been found' });
    [r] = await q.exec('stop', { bogus: 1 });
    assert.deepEqual(r.error, { class: 'GenericError', desc: "Parameter 'bogus' is unexpected" });
    [r] = await q.exec('query-status');
    assert.equal((r.return as { status: string }).status, 'running', 'still talking after the errors');

    // system_reset: a RESET event; system_powerdown: POWERDOWN
    [r, at] = await q.exec('system_reset');
    assert.deepEqual(r.return, {});
    const [reset] = await q.wait((m) => m.event === 'RESET');
    assert.deepEqual(reset.data, { guest: false, reason: 'host-qmp-system-reset' });
    [r] = await q.exec('system_powerdown');
    assert.deepEqual(r.return, {});
    await q.wait((m) => m.event === 'POWERDOWN');

    // two commands in one packet, no newline between them
    n = q.messages.length;
    q.c.send('{"execute":"query-name","id":"a"}{"execute":"query-version","id":"b"}');
    await q.wait((m) => m.id === 'b', n);

    [r, at] = await q.exec('quit');
    assert.deepEqual(r.return, {});
    const [sd] = await q.wait((m) => m.event === 'SHUTDOWN', at);
    assert.deepEqual(sd.data, { guest: false, reason: 'host-qmp-quit' });
    assert.equal(await g.exit, 0);
    await q.c.waitClosed();
  } finally {
    g.kill();
  }
});

test('QMP on a unix socket; -S reports prelaunch; a guest power-off is a SHUTDOWN event', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsemu-qmp-'));
  const path = join(dir, 'qmp.sock');
  const g = new Guest(['-M', 'virt', '-nographic', '-bios', 'firmware/arm/hello.bin', '-serial', 'null', '-monitor', 'none', '-S', '-qmp', `unix:${path},server,wait=off`]);
  try {
    const deadline = Date.now() + 30_000;
    let c: SockClient | null = null;
    while (!c) {
      try { c = await SockClient.connect(path); } catch (e) { if (Date.now() > deadline || g.proc.exitCode !== null) throw e; await new Promise((r) => setTimeout(r, 100)); }
    }
    const q = new Qmp(c);
    await q.wait((m) => 'QMP' in m);
    await q.exec('qmp_capabilities');
    let [r] = await q.exec('query-status');
    assert.deepEqual(r.return, { status: 'prelaunch', singlestep: false, running: false });
    let at: number;
    [r, at] = await q.exec('cont');
    const [sd] = await q.wait((m) => m.event === 'SHUTDOWN', at);
    assert.deepEqual(sd.data, { guest: true, reason: 'guest-shutdown' });
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('QMP server with wait=on holds the machine until a client connects', async () => {
  const g = new Guest(['-M', 'virt', '-nographic', '-bios', 'firmware/arm/hello.bin', '-serial', 'stdio', '-monitor', 'none', '-qmp', 'tcp:127.0.0.1:0,server']);
  try {
    const m = await waitStderr(g, /QEMU waiting for connection on: disconnected:tcp:127\.0\.0\.1:(\d+),server=on/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(g.out, '', 'the guest has not run yet');
    const q = new Qmp(await SockClient.connect(parseInt(m[1], 10)));
    await q.wait((x) => 'QMP' in x);
    await g.waitFor('Hello from tsemu firmware!');
    assert.equal(await g.exit, 0);
  } finally {
    g.kill();
  }
});

test('qmpJson spells JSON as QEMU does', () => {
  assert.equal(qmpJson({ return: {} }), '{"return": {}}');
  assert.equal(qmpJson({ a: [1, 'x', null, true], b: { c: 'd"e' } }), '{"a": [1, "x", null, true], "b": {"c": "d\\"e"}}');
});
