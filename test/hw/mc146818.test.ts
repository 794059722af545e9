import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MC146818, REG_A, REG_B, REG_C, REG_D, B_SET, B_PIE, B_UIE, B_AIE, B_DM, B_24H, C_IRQF, C_PF, C_UF, C_AF } from '../../hw/rtc/mc146818.js';
import { VirtualClock } from '../../softmmu/clock.js';
import { nullLog } from '../../hw/device.js';

const BASE = Date.UTC(2024, 1, 29, 23, 59, 58) / 1000;   // 2024-02-29 23:59:58 UTC (a Thursday)

function setup() {
  const clock = new VirtualClock();
  clock.icountShift = 0;
  clock.start();
  const rtc = new MC146818(clock, BASE, { ramSize: 128 << 20, cpus: 2 }, nullLog);
  const rd = (i: number) => { rtc.write(0, i, 1, 0); return rtc.read(1, 1, 0); };
  const wr = (i: number, v: number) => { rtc.write(0, i, 1, 0); rtc.write(1, v, 1, 0); };
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
  return { clock, rtc, rd, wr, run };
}
const time = (rd: (i: number) => number) => [9, 8, 7, 6, 4, 2, 0].map((i) => rd(i).toString(16).padStart(2, '0')).join(' ');

test('time in BCD, 24-hour, ticking with the virtual clock across a leap day', () => {
  const { rd, run } = setup();
  assert.equal(rd(REG_A), 0x26);
  assert.equal(rd(REG_B), B_24H);
  assert.equal(rd(REG_D), 0x80);
  assert.equal(time(rd), '24 02 29 05 23 59 58');   // yy mm dd dow hh mm ss
  assert.equal(rd(0x32), 0x20, 'century');
  run(2e9);
  assert.equal(time(rd), '24 03 01 06 00 00 00');
});

test('binary and 12-hour formats', () => {
  const { rd, wr } = setup();
  wr(REG_B, B_DM);   // binary, 12-hour
  assert.equal(rd(4), 0x80 | 11, '11 PM');
  assert.equal(rd(0), 58);
  wr(REG_B, B_DM | B_24H);
  assert.equal(rd(4), 23);
});

test('SET freezes the time; a new time written under SET runs from when SET is cleared', () => {
  const { rd, wr, run } = setup();
  wr(REG_B, B_24H | B_SET);
  run(5e9);
  assert.equal(rd(0), 0x58, 'frozen');
  wr(9, 0x99); wr(8, 0x12); wr(7, 0x31); wr(4, 0x12); wr(2, 0x34); wr(0, 0x56); wr(0x32, 0x19);
  wr(REG_B, B_24H);
  run(1e9);
  assert.equal(time(rd), '99 12 31 06 12 34 57');
  assert.equal(rd(REG_A) & 0x80, 0);
});

test('UIP in the last 244 µs of a second; update-ended, alarm and periodic interrupts through register C', () => {
  const { rtc, rd, wr, run, clock } = setup();
  run(1e9 - clock.now() % 1e9 - 100_000);
  assert.equal(rd(REG_A) & 0x80, 0x80, 'update in progress');
  run(200_000);
  assert.equal(rd(REG_A) & 0x80, 0);
  assert.equal(rtc.irq.level, false);
  wr(REG_B, B_24H | B_UIE);
  run(1e9);
  assert.equal(rtc.irq.level, true);
  assert.equal(rd(REG_C) & (C_IRQF | C_UF | C_PF), C_IRQF | C_UF);   // (AF too: the alarm registers are 00:00:00, the time just passed midnight)
  assert.equal(rtc.irq.level, false, 'reading C lowers IRQ 8');
  assert.equal(rd(REG_C), 0);
  // alarm at hh:mm:ss with "don't care" hours and minutes, 3 seconds from now
  const s = parseInt(rd(0).toString(16), 10);
  wr(1, parseInt(String((s + 3) % 60), 16)); wr(3, 0xc0); wr(5, 0xff);
  wr(REG_B, B_24H | B_AIE);
  run(2e9);
  assert.equal(rtc.irq.level, false);
  run(1e9);
  assert.equal(rtc.irq.level, true);
  assert.equal(rd(REG_C) & (C_IRQF | C_AF), C_IRQF | C_AF);
  // periodic: rate 6 = 1024 Hz
  wr(REG_B, B_24H | B_PIE);
  let n = 0;
  rtc.irq.connect((l) => { if (l) { n++; rd(REG_C); } });
  run(10e6);
  assert.ok(n >= 10 && n <= 11, `${n} periodic interrupts in 10 ms`);
  wr(REG_A, 0x2f);   // 2 Hz
  n = 0;
  run(1e9);
  assert.equal(n, 2);
});

test('NVRAM: memory sizes and CPU count as QEMU writes them; bit 7 of the index masks NMI', () => {
  const { rtc, rd } = setup();
  assert.equal(rd(0x15) | (rd(0x16) << 8), 640);
  assert.equal(rd(0x17) | (rd(0x18) << 8), 65535, 'capped at 64 MiB');
  assert.equal(rd(0x30) | (rd(0x31) << 8), 65535);
  assert.equal(rd(0x34) | (rd(0x35) << 8), (112 << 20) / 65536);
  assert.equal(rd(0x5f), 1);
  rtc.write(0, 0x80 | 0x15, 1, 0);
  assert.equal(rtc.nmiMasked, true);
  assert.equal(rtc.read(1, 1, 0), 0x80);
  rtc.write(0, 0x40, 1, 0); rtc.write(1, 0x5a, 1, 0);
  assert.equal(rd(0x40), 0x5a);
});
