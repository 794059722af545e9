import { test } from 'node:test';
import assert from 'node:assert/strict';
import { I8254, PIT_FREQ } from '../../hw/timer/i8254.js';
import { VirtualClock } from '../../softmmu/clock.js';
import { nullLog } from '../../hw/device.js';

/** A PIT on an icount clock (1 ns per "instruction"), so time is advanced by hand. */
function setup() {
  const clock = new VirtualClock();
  clock.icountShift = 0;
  clock.start();
  const pit = new I8254(clock, nullLog);
  const edges: number[] = [];
  pit.irq.connect((l) => { if (l) edges.push(clock.now()); });
  const outb = (port: number, v: number) => (port === 0x61 ? pit.port61 : pit.ports).write(port & 3, v, 1, 0);
  const inb = (port: number) => (port === 0x61 ? pit.port61 : pit.ports).read(port & 3, 1, 0);
  /** Advance virtual time, firing timers on the way. */
  const run = (ns: number) => {
    const end = clock.now() + ns;
    for (;;) {
      const dl = clock.deadline();
      if (dl === Infinity || dl > end) break;
      clock.icount += Math.max(0, dl - clock.now());
      clock.runTimers();
    }
    clock.icount += end - clock.now();
    clock.runTimers();
  };
  return { clock, pit, edges, outb, inb, run };
}
const ticks = (n: number) => Math.ceil((n * 1e9) / PIT_FREQ);

test('channel 0 in mode 2 at 1 kHz raises IRQ 0 once per period', () => {
  const { edges, outb, run } = setup();
  outb(0x43, 0x34);   // channel 0, LSB then MSB, mode 2
  outb(0x40, 1193 & 0xff); outb(0x40, 1193 >> 8);
  edges.length = 0;
  run(10_500_000);    // 10.5 ms
  assert.equal(edges.length, 10);
  const periods = edges.slice(1).map((t, i) => t - edges[i]);
  for (const p of periods) assert.ok(Math.abs(p - 1e6 * 1193 / 1193.182) < 2, `period ${p} ns`);
});

test('after reset channel 0 runs mode 3 with count 65536 (18.2 Hz), as a PC BIOS leaves it', () => {
  const { edges, run } = setup();
  run(1e9);
  assert.ok(edges.length === 18 || edges.length === 19, `${edges.length} edges in a second`);
});

test('counter latch and read-back: count, status, LSB/MSB order', () => {
  const { outb, inb, run } = setup();
  outb(0x43, 0xb0);   // channel 2, word, mode 0
  outb(0x42, 0x00); outb(0x42, 0x10);   // 0x1000
  run(ticks(0x100));
  outb(0x43, 0x80);   // latch channel 2
  run(ticks(0x100));  // the latch holds
  const lo = inb(0x42), hi = inb(0x42);
  const c = (hi << 8) | lo;
  assert.ok(c <= 0x1000 - 0x100 && c >= 0x1000 - 0x101, `latched ${c.toString(16)}`);
  outb(0x43, 0xe8);   // read-back: status only (count bit set = don't latch), channel 2
  const st = inb(0x42);
  assert.equal(st & 0x3f, 0x30, 'rw mode 3 (word), mode 0, binary');
  assert.equal(st & 0x80, 0, 'output low before terminal count');
  run(ticks(0x1000));
  outb(0x43, 0xe8);
  assert.equal(inb(0x42) & 0x80, 0x80, 'output high after terminal count');
  assert.equal(inb(0x43), 0, 'the command port reads 0');
});

test('port 0x61: channel 2 gate, its output in bit 5, refresh toggle in bit 4', () => {
  const { outb, inb, run } = setup();
  assert.equal(inb(0x61) & 1, 0, 'gate off after reset');
  // Linux's PIT calibration: gate on, channel 2 in mode 0, wait for bit 5
  outb(0x61, 0x01);
  outb(0x43, 0xb0);
  outb(0x42, 100); outb(0x42, 0);
  assert.equal(inb(0x61) & 0x21, 0x01, 'mode 0 output low while counting');
  run(ticks(101));
  assert.equal(inb(0x61) & 0x20, 0x20, 'output high at terminal count');
  const seen = new Set<number>();
  for (let i = 0; i < 8; i++) { seen.add(inb(0x61) & 0x10); run(7000); }
  assert.equal(seen.size, 2, 'refresh bit toggles');
});
