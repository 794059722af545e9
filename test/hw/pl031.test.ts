import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PL031, RTCDR, RTCMR, RTCLR, RTCCR, RTCIMSC, RTCRIS, RTCMIS, RTCICR } from '../../hw/rtc/pl031.js';
import { VirtualClock } from '../../softmmu/clock.js';
import type { DeviceLog } from '../../hw/device.js';

const START = 1_700_000_000; // 2023-11-14T22:13:20Z
const SEC = 1_000_000_000;

function setup() {
  const errors: string[] = [];
  const log: DeviceLog = { unimp: (m) => errors.push(m), guestError: (m) => errors.push(m) };
  const clock = new VirtualClock();
  clock.icountShift = 0; // 1 ns of virtual time per instruction: time moves only when the test says
  const rtc = new PL031(clock, START, log);
  const rd = (off: number) => rtc.read(off, 4, 0);
  const wr = (off: number, v: number) => rtc.write(off, v, 4, 0);
  const advance = (ns: number) => { clock.icount += ns; clock.runTimers(); };
  return { rtc, clock, rd, wr, advance, errors };
}

test('RTCDR counts seconds of virtual time from the start epoch', () => {
  const { rd, advance } = setup();
  assert.equal(rd(RTCDR), START);
  advance(SEC - 1);
  assert.equal(rd(RTCDR), START);
  advance(1);
  assert.equal(rd(RTCDR), START + 1);
  advance(10 * SEC);
  assert.equal(rd(RTCDR), START + 11);
  assert.equal(rd(RTCCR), 1);
});

test('RTCLR loads the counter, which keeps counting from there', () => {
  const { rd, wr, advance } = setup();
  advance(SEC / 2);
  wr(RTCLR, 1000);
  assert.equal(rd(RTCLR), 1000);
  assert.equal(rd(RTCDR), 1000);
  advance(SEC / 2);
  assert.equal(rd(RTCDR), 1001);
});

test('match interrupt fires when the counter reaches RTCMR, gated by RTCIMSC, cleared by RTCICR', () => {
  const { rtc, rd, wr, advance, clock } = setup();
  wr(RTCMR, START + 5);
  assert.equal(rd(RTCMR), START + 5);
  assert.equal(clock.deadline(), 5 * SEC);
  advance(4 * SEC);
  assert.equal(rd(RTCRIS), 0);
  advance(SEC);
  assert.equal(rd(RTCRIS), 1);
  assert.equal(rd(RTCMIS), 0);
  assert.equal(rtc.irq.level, false);
  wr(RTCIMSC, 1);
  assert.equal(rd(RTCMIS), 1);
  assert.equal(rtc.irq.level, true);
  wr(RTCICR, 1);
  assert.equal(rtc.irq.level, false);
  assert.equal(rd(RTCRIS), 0);
});

test('a match equal to the current count fires at once', () => {
  const { rtc, rd, wr } = setup();
  wr(RTCIMSC, 1);
  wr(RTCMR, rd(RTCDR));
  assert.equal(rtc.irq.level, true);
});

test('ID registers, and bad accesses are logged not thrown', () => {
  const { rd, wr, errors } = setup();
  const ids = [0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map(rd);
  assert.deepEqual(ids, [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
  wr(RTCDR, 5);
  rd(0x40);
  assert.equal(errors.length, 2);
  assert.equal(rd(RTCDR), START);
});

test('reset clears the interrupt logic but keeps the time', () => {
  const { rtc, rd, wr, advance } = setup();
  wr(RTCIMSC, 1);
  wr(RTCMR, START + 2);
  advance(3 * SEC);
  assert.equal(rtc.irq.level, true);
  rtc.reset();
  assert.equal(rtc.irq.level, false);
  assert.equal(rd(RTCIMSC), 0);
  assert.equal(rd(RTCDR), START + 3);
});
