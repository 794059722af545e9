import { test } from 'node:test';
import assert from 'node:assert/strict';
import { I8259 } from '../../hw/intc/i8259.js';
import { nullLog } from '../../hw/device.js';

/** Linux's init sequence: vectors 0x20 / 0x28, cascade on IRQ 2, 8086 mode. */
function setup(opts: { autoEoi?: boolean } = {}) {
  const pic = new I8259(nullLog);
  const outb = (port: number, v: number) => {
    if (port >= 0x4d0) pic.elcrPorts.write(port - 0x4d0, v, 1, 0);
    else (port >= 0xa0 ? pic.slavePorts : pic.masterPorts).write(port & 1, v, 1, 0);
  };
  const inb = (port: number) => (port >= 0xa0 ? pic.slavePorts : pic.masterPorts).read(port & 1, 1, 0);
  const icw4 = opts.autoEoi ? 0x03 : 0x01;
  [[0x20, 0x11], [0x21, 0x20], [0x21, 0x04], [0x21, icw4], [0xa0, 0x11], [0xa1, 0x28], [0xa1, 0x02], [0xa1, icw4], [0x21, 0x00], [0xa1, 0x00]]
    .forEach(([p, v]) => outb(p, v));
  return { pic, outb, inb };
}

test('an edge on IRQ 4 is presented, acknowledged as vector 0x24, in service until EOI', () => {
  const { pic, outb, inb } = setup();
  assert.equal(pic.output.level, false);
  pic.setIRQ(4, true);
  assert.equal(pic.output.level, true);
  assert.equal(inb(0x20), 0x10, 'IRR');
  assert.equal(pic.ack(), 0x24);
  assert.equal(pic.output.level, false, 'in service: no second request');
  outb(0x20, 0x0b);   // OCW3: read ISR
  assert.equal(inb(0x20), 0x10, 'ISR');
  pic.setIRQ(4, false); pic.setIRQ(4, true);   // a new edge while in service
  assert.equal(pic.output.level, false, 'same priority waits for EOI');
  outb(0x20, 0x20);   // non-specific EOI
  assert.equal(inb(0x20), 0x00, 'ISR cleared');
  assert.equal(pic.output.level, true, 'the second edge is presented now');
  assert.equal(pic.ack(), 0x24);
  outb(0x20, 0x64);   // specific EOI for IRQ 4
  assert.equal(pic.output.level, false);
  // holding the line high does not retrigger an edge-triggered input
  assert.equal(pic.master.irr & 0x10, 0);
});

test('priority: a higher-priority IRQ nests over one in service; masked ones wait', () => {
  const { pic, outb, inb } = setup();
  pic.setIRQ(5, true);
  assert.equal(pic.ack(), 0x25);
  pic.setIRQ(6, true);
  assert.equal(pic.output.level, false, 'IRQ 6 is lower priority than IRQ 5 in service');
  pic.setIRQ(1, true);
  assert.equal(pic.output.level, true);
  assert.equal(pic.ack(), 0x21);
  outb(0x20, 0x20);   // EOI ends IRQ 1 (highest in service)
  outb(0x20, 0x20);   // then IRQ 5
  assert.equal(pic.ack(), 0x26);
  outb(0x20, 0x20);
  outb(0x21, 0x08);   // mask IRQ 3
  pic.setIRQ(3, true);
  assert.equal(pic.output.level, false);
  assert.equal(inb(0x21), 0x08);
  outb(0x21, 0x00);
  assert.equal(pic.output.level, true);
  assert.equal(pic.ack(), 0x23);
});

test('slave IRQs cascade through master IRQ 2; spurious IRQ 7 when nothing is pending', () => {
  const { pic, outb, inb } = setup();
  pic.setIRQ(12, true);
  assert.equal(pic.output.level, true);
  assert.equal(pic.ack(), 0x2c);
  outb(0xa0, 0x0b); outb(0x20, 0x0b);
  assert.equal(inb(0xa0), 0x10);
  assert.equal(inb(0x20), 0x04);
  outb(0xa0, 0x20); outb(0x20, 0x20);
  assert.equal(inb(0xa0), 0); assert.equal(inb(0x20), 0);
  assert.equal(pic.ack(), 0x27, 'spurious');
});

test('ELCR level triggering, poll mode, auto-EOI', () => {
  const { pic, outb, inb } = setup();
  outb(0x4d1, 0x08);   // IRQ 11 level-triggered
  pic.setIRQ(11, true);
  assert.equal(pic.ack(), 0x2b);
  outb(0xa0, 0x20); outb(0x20, 0x20);
  assert.equal(pic.output.level, true, 'still asserted: presented again after EOI');
  pic.setIRQ(11, false);
  // The master latched the cascade edge; the slave has nothing left: a spurious slave IRQ 7 (as QEMU).
  assert.equal(pic.ack(), 0x2f);
  outb(0x20, 0x20);
  assert.equal(pic.output.level, false);
  assert.equal(pic.elcrPorts.read(1, 1, 0), 0x08);
  outb(0x4d0, 0xff);
  assert.equal(pic.elcrPorts.read(0, 1, 0), 0xf8, 'IRQ 0-2 cannot be level-triggered');
  outb(0x4d0, 0); outb(0x4d1, 0);
  pic.setIRQ(7, true);
  outb(0x20, 0x0c);   // OCW3 poll
  assert.equal(inb(0x20), 0x87, 'poll: IRQ 7 with bit 7 set, acknowledged');
  outb(0x20, 0x20);
  outb(0x20, 0x0c);
  assert.equal(inb(0x20), 0, 'poll with nothing pending');
  const a = setup({ autoEoi: true });
  a.pic.setIRQ(4, true);
  assert.equal(a.pic.ack(), 0x24);
  a.outb(0x20, 0x0b);
  assert.equal(a.inb(0x20), 0, 'auto-EOI: nothing in service');
});

test('rotation: rotate on non-specific EOI makes the served IRQ the lowest priority', () => {
  const { pic, outb } = setup();
  pic.setIRQ(3, true); pic.setIRQ(5, true);
  assert.equal(pic.ack(), 0x23);
  outb(0x20, 0xa0);   // rotate on non-specific EOI: IRQ 3 becomes lowest, 4 highest
  assert.equal(pic.ack(), 0x25);
  outb(0x20, 0x20);
  pic.setIRQ(3, false); pic.setIRQ(3, true); pic.setIRQ(6, true);
  assert.equal(pic.ack(), 0x26, 'IRQ 6 now outranks IRQ 3');
});
