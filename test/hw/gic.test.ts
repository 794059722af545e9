import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ArmGicV2, GICD_CTLR, GICD_TYPER, GICD_IIDR, GICD_IGROUPR, GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR,
  GICD_ICPENDR, GICD_ISACTIVER, GICD_IPRIORITYR, GICD_ITARGETSR, GICD_ICFGR, GICD_SGIR, GICD_SPENDSGIR,
  GICD_CPENDSGIR, GICD_ICPIDR2, GICC_CTLR, GICC_PMR, GICC_BPR, GICC_IAR, GICC_EOIR, GICC_RPR, GICC_HPPIR,
  GICC_ABPR, GICC_AIAR, GICC_AEOIR, GICC_APR0, GICC_IIDR, GICC_DIR, GICC_CTLR_FIQEN, GICC_CTLR_EOIMODE,
  GICC_CTLR_ACKCTL, INTID_SPURIOUS, INTID_GROUP1_PENDING,
} from '../../hw/intc/arm-gic.js';
import type { DeviceLog } from '../../hw/device.js';

function setup(numCpus = 2, numIrqs = 288) {
  const errors: string[] = [];
  const log: DeviceLog = { unimp: (m) => errors.push(m), guestError: (m) => errors.push(m) };
  const gic = new ArmGicV2({ numCpus, numIrqs, log });
  const d = gic.distributor;
  const c = gic.cpuInterface;
  const dr = (off: number, cpu = 0) => d.read(off, 4, cpu);
  const dw = (off: number, v: number, cpu = 0) => d.write(off, v, 4, cpu);
  const db = (off: number, v: number, cpu = 0) => d.write(off, v, 1, cpu);
  const cr = (off: number, cpu = 0) => c.read(off, 4, cpu);
  const cw = (off: number, v: number, cpu = 0) => c.write(off, v, 4, cpu);
  /** What Linux's gic driver does: enable distributor and every CPU interface, unmask all priorities. */
  const enableAll = () => {
    dw(GICD_CTLR, 1);
    for (let cpu = 0; cpu < numCpus; cpu++) {
      cw(GICC_PMR, 0xf0, cpu);
      cw(GICC_CTLR, 1, cpu);
    }
  };
  /** Enable INTID n with a priority and (for SPIs) a target mask. */
  const configure = (n: number, prio: number, targets = 1, cpu = 0) => {
    db(GICD_IPRIORITYR + n, prio, cpu);
    if (n >= 32) db(GICD_ITARGETSR + n, targets, cpu);
    dw(GICD_ISENABLER + 4 * (n >> 5), 1 << (n & 31), cpu);
  };
  return { gic, dr, dw, db, cr, cw, enableAll, configure, errors };
}

test('identification: TYPER, IIDR, ICPIDR2, GICC_IIDR', () => {
  const { dr, cr } = setup(2, 288);
  assert.equal(dr(GICD_TYPER), (288 / 32 - 1) | (1 << 5));
  assert.equal(dr(GICD_IIDR), 0x43b);
  assert.equal(dr(GICD_ICPIDR2), 0x2b);
  assert.equal(cr(GICC_IIDR), 0x0002043b);
  assert.equal(cr(GICC_RPR), 0xff);
  assert.equal(cr(GICC_ABPR), 1);
});

test('SPI: enable, raise the line, IAR returns its INTID, EOIR completes it', () => {
  const { gic, cr, cw, enableAll, configure } = setup();
  enableAll();
  configure(33, 0xa0, 0b01);
  assert.equal(gic.irqOut[0].level, false);
  gic.spi(1).raise(); // INTID 33
  assert.equal(gic.irqOut[0].level, true);
  assert.equal(gic.irqOut[1].level, false, 'not targeted at CPU 1');
  assert.equal(gic.fiqOut[0].level, false);
  assert.equal(cr(GICC_HPPIR), 33);
  assert.equal(cr(GICC_IAR), 33);
  assert.equal(gic.irqOut[0].level, false, 'active: no longer signalled');
  assert.equal(cr(GICC_RPR), 0xa0);
  assert.equal(cr(GICC_IAR), INTID_SPURIOUS);
  gic.spi(1).lower(); // the device is serviced
  cw(GICC_EOIR, 33);
  assert.equal(cr(GICC_RPR), 0xff);
  assert.equal(gic.irqOut[0].level, false);
});

test('level-sensitive: still pending after EOI while the line stays high', () => {
  const { gic, cr, cw, enableAll, configure } = setup();
  enableAll();
  configure(40, 0x80);
  gic.spi(8).raise();
  assert.equal(cr(GICC_IAR), 40);
  cw(GICC_EOIR, 40);
  assert.equal(gic.irqOut[0].level, true, 'line still high');
  gic.spi(8).lower();
  assert.equal(gic.irqOut[0].level, false);
  gic.spi(8).pulse();
  assert.equal(gic.irqOut[0].level, false, 'a level interrupt does not latch');
});

test('edge-triggered: a pulse latches pending until acknowledged', () => {
  const { gic, dr, db, cr, cw, enableAll, configure } = setup();
  enableAll();
  configure(41, 0x80);
  db(GICD_ICFGR + (41 >> 2), 2 << ((41 & 3) * 2)); // Int_config[1] = edge
  assert.equal((dr(GICD_ICFGR + 8) >>> ((41 & 15) * 2)) & 3, 2);
  gic.spi(9).pulse();
  assert.equal(gic.irqOut[0].level, true);
  assert.equal((dr(GICD_ISPENDR + 4) >>> 9) & 1, 1);
  assert.equal(cr(GICC_IAR), 41);
  assert.equal((dr(GICD_ISPENDR + 4) >>> 9) & 1, 0, 'acknowledge clears the latch');
  assert.equal((dr(GICD_ISACTIVER + 4) >>> 9) & 1, 1);
  gic.spi(9).pulse(); // a second edge while active: pending again
  cw(GICC_EOIR, 41);
  assert.equal(cr(GICC_IAR), 41);
  cw(GICC_EOIR, 41);
  assert.equal(gic.irqOut[0].level, false);
  assert.equal(dr(GICD_ISACTIVER + 4), 0);
});

test('disabled interrupts can be pending but are not signalled', () => {
  const { gic, dw, dr, enableAll, configure } = setup();
  enableAll();
  configure(34, 0x80);
  dw(GICD_ICENABLER + 4, 1 << 2);
  gic.spi(2).raise();
  assert.equal(gic.irqOut[0].level, false);
  assert.equal((dr(GICD_ISPENDR + 4) >>> 2) & 1, 1);
  dw(GICD_ISENABLER + 4, 1 << 2);
  assert.equal(gic.irqOut[0].level, true);
});

test('priority mask: PMR must be above the priority for the interrupt to be signalled', () => {
  const { gic, cr, cw, enableAll, configure } = setup();
  enableAll();
  configure(35, 0xa0);
  cw(GICC_PMR, 0xa0);
  gic.spi(3).raise();
  assert.equal(gic.irqOut[0].level, false);
  assert.equal(cr(GICC_IAR), INTID_SPURIOUS);
  cw(GICC_PMR, 0xa8);
  assert.equal(gic.irqOut[0].level, true);
  assert.equal(cr(GICC_PMR), 0xa8);
  assert.equal(cr(GICC_IAR), 35);
});

test('preemption: only a higher group priority interrupts an active one; ties go to the lowest INTID', () => {
  const { gic, cr, cw, enableAll, configure } = setup();
  enableAll();
  configure(50, 0x80);
  configure(51, 0x80);
  configure(52, 0x40);
  gic.spi(19).raise(); // 51
  gic.spi(18).raise(); // 50
  assert.equal(cr(GICC_IAR), 50);
  assert.equal(gic.irqOut[0].level, false, 'same priority does not preempt');
  gic.spi(20).raise(); // 52, priority 0x40
  assert.equal(gic.irqOut[0].level, true);
  assert.equal(cr(GICC_IAR), 52);
  assert.equal(cr(GICC_RPR), 0x40);
  // Preemption level = priority >> 1: 0x40 -> level 32 (APR1 bit 0), 0x80 -> level 64 (APR2 bit 0)
  assert.deepEqual([0, 4, 8, 12].map((o) => cr(GICC_APR0 + o)), [0, 1, 1, 0]);
  gic.spi(20).lower();
  cw(GICC_EOIR, 52);
  assert.equal(cr(GICC_RPR), 0x80);
  gic.spi(18).lower();
  cw(GICC_EOIR, 50);
  assert.equal(cr(GICC_IAR), 51);
});

test('binary point: sub-priority bits do not preempt', () => {
  const { gic, cr, cw, enableAll, configure } = setup();
  enableAll();
  cw(GICC_BPR, 4); // group priority bits [7:5]
  assert.equal(cr(GICC_BPR), 4);
  configure(60, 0x50);
  configure(61, 0x40);
  gic.spi(28).raise();
  assert.equal(cr(GICC_IAR), 60);
  assert.equal(cr(GICC_RPR), 0x40);
  gic.spi(29).raise(); // 0x40: same group priority 0x40
  assert.equal(gic.irqOut[0].level, false);
});

test('SGIs: sent through GICD_SGIR, the source CPU appears in IAR bits 10-12', () => {
  const { gic, dw, dr, cr, cw, enableAll } = setup();
  enableAll();
  // CPU 0 sends SGI 3 to CPU 1 (CPUTargetList)
  dw(GICD_SGIR, (0b10 << 16) | 3, 0);
  assert.equal(gic.irqOut[1].level, true);
  assert.equal(gic.irqOut[0].level, false);
  assert.equal(cr(GICC_IAR, 1), 3 | (0 << 10));
  cw(GICC_EOIR, 3, 1);
  // CPU 1 sends SGI 5 to "all but self"
  dw(GICD_SGIR, (1 << 24) | 5, 1);
  assert.equal(gic.irqOut[0].level, true);
  assert.equal(gic.irqOut[1].level, false);
  assert.equal(dr(GICD_SPENDSGIR + 4, 0) >>> 8 & 0xff, 0b10, 'pending from source CPU 1');
  assert.equal(cr(GICC_HPPIR, 0), 5 | (1 << 10));
  assert.equal(cr(GICC_IAR, 0), 5 | (1 << 10));
  cw(GICC_EOIR, 5 | (1 << 10), 0);
  // Both CPUs send SGI 7 to CPU 0: two acknowledgements, one per source
  dw(GICD_SGIR, (2 << 24) | 7, 0);
  dw(GICD_SGIR, (1 << 16) | 7, 1);
  assert.equal(cr(GICC_IAR, 0), 7);
  cw(GICC_EOIR, 7, 0);
  assert.equal(cr(GICC_IAR, 0), 7 | (1 << 10));
  cw(GICC_EOIR, 7 | (1 << 10), 0);
  assert.equal(cr(GICC_IAR, 0), INTID_SPURIOUS);
});

test('SGI pending can be set and cleared per source through SPENDSGIR/CPENDSGIR', () => {
  const { gic, d, cr } = (() => { const s = setup(); return { ...s, d: s.gic.distributor }; })();
  d.write(GICD_CTLR, 1, 4, 0);
  gic.cpuInterface.write(GICC_PMR, 0xff, 4, 1);
  gic.cpuInterface.write(GICC_CTLR, 1, 4, 1);
  d.write(GICD_SPENDSGIR + 2, 0b01, 1, 1); // SGI 2 on CPU 1, as if from CPU 0
  assert.equal(gic.irqOut[1].level, true);
  d.write(GICD_CPENDSGIR + 2, 0b01, 1, 1);
  assert.equal(gic.irqOut[1].level, false);
  assert.equal(cr(GICC_IAR, 1), INTID_SPURIOUS);
});

test('PPIs are banked per CPU', () => {
  const { gic, dw, db, dr, cr, enableAll } = setup();
  enableAll();
  // Each CPU enables its own timer PPI (INTID 30) through its banked view.
  for (const cpu of [0, 1]) {
    db(GICD_IPRIORITYR + 30, 0x20, cpu);
    dw(GICD_ISENABLER, 1 << 30, cpu);
  }
  assert.equal(dr(GICD_ITARGETSR + 28, 1) >>> 16 & 0xff, 0b10, 'PPI targets read as the reading CPU');
  gic.ppi(1, 14).raise();
  assert.equal(gic.irqOut[1].level, true);
  assert.equal(gic.irqOut[0].level, false);
  assert.equal((dr(GICD_ISPENDR, 1) >>> 30) & 1, 1);
  assert.equal((dr(GICD_ISPENDR, 0) >>> 30) & 1, 0);
  assert.equal(cr(GICC_IAR, 1), 30);
});

test('an SPI targeted at two CPUs is taken by the first to acknowledge', () => {
  const { gic, cr, cw, enableAll, configure } = setup();
  enableAll();
  configure(70, 0x80, 0b11);
  gic.spi(38).raise();
  assert.equal(gic.irqOut[0].level, true);
  assert.equal(gic.irqOut[1].level, true);
  assert.equal(cr(GICC_IAR, 1), 70);
  assert.equal(gic.irqOut[0].level, false);
  assert.equal(cr(GICC_IAR, 0), INTID_SPURIOUS);
  gic.spi(38).lower();
  cw(GICC_EOIR, 70, 1);
});

test('software pending: ISPENDR/ICPENDR; ICPENDR cannot clear a level interrupt whose line is high', () => {
  const { gic, dw, dr, enableAll, configure } = setup();
  enableAll();
  configure(80, 0x80);
  dw(GICD_ISPENDR + 8, 1 << 16);
  assert.equal(gic.irqOut[0].level, true);
  dw(GICD_ICPENDR + 8, 1 << 16);
  assert.equal(gic.irqOut[0].level, false);
  gic.spi(48).raise();
  dw(GICD_ICPENDR + 8, 1 << 16);
  assert.equal((dr(GICD_ISPENDR + 8) >>> 16) & 1, 1);
  assert.equal(gic.irqOut[0].level, true);
});

test('distributor or CPU interface disabled: nothing is signalled', () => {
  const { gic, dw, cw, cr, enableAll, configure } = setup();
  enableAll();
  configure(36, 0x80);
  gic.spi(4).raise();
  assert.equal(gic.irqOut[0].level, true);
  dw(GICD_CTLR, 0);
  assert.equal(gic.irqOut[0].level, false);
  dw(GICD_CTLR, 1);
  cw(GICC_CTLR, 0);
  assert.equal(gic.irqOut[0].level, false);
  assert.equal(cr(GICC_IAR), INTID_SPURIOUS);
});

test('Group 0 goes to FIQ with FIQEn; Group 1 is acknowledged through AIAR or IAR with AckCtl', () => {
  const { gic, dw, cw, cr, dr, configure } = setup();
  dw(GICD_CTLR, 3);
  cw(GICC_PMR, 0xff);
  cw(GICC_CTLR, 3 | GICC_CTLR_FIQEN);
  configure(37, 0x80);
  gic.spi(5).raise();
  assert.equal(gic.fiqOut[0].level, true);
  assert.equal(gic.irqOut[0].level, false);
  assert.equal(cr(GICC_AIAR), INTID_SPURIOUS, 'AIAR does not take Group 0');
  assert.equal(cr(GICC_IAR), 37);
  gic.spi(5).lower();
  cw(GICC_EOIR, 37);

  dw(GICD_IGROUPR + 4, 1 << 5); // INTID 37 -> Group 1
  assert.equal(dr(GICD_IGROUPR + 4), 1 << 5);
  gic.spi(5).raise();
  assert.equal(gic.irqOut[0].level, true);
  assert.equal(gic.fiqOut[0].level, false);
  assert.equal(cr(GICC_IAR), INTID_GROUP1_PENDING);
  assert.equal(cr(GICC_AIAR), 37);
  assert.equal(cr(GICC_RPR), 0x80);
  gic.spi(5).lower();
  cw(GICC_AEOIR, 37);
  assert.equal(cr(GICC_RPR), 0xff);

  cw(GICC_CTLR, 3 | GICC_CTLR_ACKCTL);
  gic.spi(5).raise();
  assert.equal(cr(GICC_IAR), 37);
});

test('EOImode: EOIR only drops priority, GICC_DIR deactivates', () => {
  const { gic, dr, cw, cr, enableAll, configure, errors } = setup();
  enableAll();
  cw(GICC_CTLR, 1 | GICC_CTLR_EOIMODE);
  configure(38, 0x80);
  gic.spi(6).raise();
  assert.equal(cr(GICC_IAR), 38);
  gic.spi(6).lower();
  cw(GICC_EOIR, 38);
  assert.equal(cr(GICC_RPR), 0xff);
  assert.equal((dr(GICD_ISACTIVER + 4) >>> 6) & 1, 1, 'still active');
  gic.spi(6).raise();
  assert.equal(gic.irqOut[0].level, false, 'an active interrupt is not signalled again');
  cw(GICC_DIR, 38);
  assert.equal((dr(GICD_ISACTIVER + 4) >>> 6) & 1, 0);
  assert.equal(gic.irqOut[0].level, true);
  assert.equal(errors.length, 0);
});

test('registers: priorities are byte-accessible with all 8 bits, targets masked to existing CPUs, SGIs always enabled', () => {
  const { dr, dw, db, errors } = setup();
  db(GICD_IPRIORITYR + 33, 0xff);
  assert.equal(dr(GICD_IPRIORITYR + 32), 0xff00);
  dw(GICD_IPRIORITYR + 32, 0x12345678);
  assert.equal(dr(GICD_IPRIORITYR + 32), 0x12345678);
  db(GICD_ITARGETSR + 40, 0xff);
  assert.equal(dr(GICD_ITARGETSR + 40) & 0xff, 0b11);
  dw(GICD_ICENABLER, 0xffffffff);
  assert.equal(dr(GICD_ISENABLER) & 0xffff, 0xffff);
  assert.equal(dr(GICD_ICFGR), 0xaaaaaaaa, 'SGIs are edge-triggered');
  dw(GICD_ICFGR, 0);
  assert.equal(dr(GICD_ICFGR), 0xaaaaaaaa, 'and stay so');
  assert.equal(dr(GICD_ISENABLER + 4 * 9), 0, 'beyond the last interrupt');
  dw(0xd00, 1);
  assert.ok(errors.length >= 2);
});

test('a uniprocessor GIC sends SPIs to its CPU with ITARGETSR RAZ/WI', () => {
  const { gic, dr, db, dw, cw, cr } = setup(1, 64);
  dw(GICD_CTLR, 1);
  cw(GICC_PMR, 0xff);
  cw(GICC_CTLR, 1);
  db(GICD_ITARGETSR + 40, 0);
  assert.equal(dr(GICD_ITARGETSR + 40), 0);
  dw(GICD_ISENABLER + 4, 1 << 8);
  gic.spi(8).raise();
  assert.equal(cr(GICC_IAR), 40);
  assert.equal(dr(GICD_TYPER), 1);
});

test('reset clears the configuration but remembers input levels', () => {
  const { gic, cr, enableAll, configure } = setup();
  enableAll();
  configure(33, 0x80);
  gic.spi(1).raise();
  assert.equal(cr(GICC_IAR), 33);
  gic.distributor.reset();
  assert.equal(gic.irqOut[0].level, false);
  assert.equal(cr(GICC_RPR), 0xff);
  enableAll();
  configure(33, 0x80);
  assert.equal(gic.irqOut[0].level, true, 'the line is still high');
  assert.ok(JSON.stringify(gic.state()).length > 0);
});

test('bad wiring is a configuration error, bad guest accesses are only logged', () => {
  assert.throws(() => new ArmGicV2({ numCpus: 9, numIrqs: 288, log: { unimp() {}, guestError() {} } }));
  assert.throws(() => new ArmGicV2({ numCpus: 1, numIrqs: 100, log: { unimp() {}, guestError() {} } }));
  const { gic, cr, errors } = setup();
  assert.throws(() => gic.spi(256));
  assert.equal(cr(GICC_IAR, 5), 0);
  assert.equal(cr(0x800), 0);
  assert.equal(errors.length, 2);
});
