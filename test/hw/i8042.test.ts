import { test } from 'node:test';
import assert from 'node:assert/strict';
import { I8042, Port92 } from '../../hw/input/i8042.js';
import { nullLog } from '../../hw/device.js';

function setup() {
  const events: string[] = [];
  const board = { reset: () => events.push('reset'), setA20: (on: boolean) => events.push(`a20=${on ? 1 : 0}`) };
  const kbc = new I8042(board, nullLog);
  const cmd = (v: number) => kbc.write(4, v);
  const data = (v: number) => kbc.write(0, v);
  const status = () => kbc.read(4);
  const drain = () => { const out: number[] = []; while (status() & 1) out.push(kbc.read(0)); return out; };
  return { kbc, events, cmd, data, status, drain, board };
}

test('controller self tests, command byte, port tests', () => {
  const { cmd, data, status, drain, kbc } = setup();
  assert.equal(status() & 1, 0);
  cmd(0xaa);
  assert.deepEqual(drain(), [0x55]);
  assert.equal(status() & 0x04, 0x04, 'system flag after self test');
  cmd(0xab); cmd(0xa9);
  assert.deepEqual(drain(), [0x00, 0x00]);
  cmd(0x20);
  assert.deepEqual(drain(), [0x03]);
  cmd(0x60); data(0x65);
  cmd(0x20);
  assert.deepEqual(drain(), [0x65]);
  assert.equal(status() & 0x08, 0x08, 'last write was a command');
  assert.equal(kbc.kbdIrq.level, false);
});

test('keyboard commands answer on IRQ 1; mouse (0xD4) answers are flagged AUX on IRQ 12', () => {
  const { cmd, data, status, drain, kbc } = setup();
  data(0xff);
  assert.equal(kbc.kbdIrq.level, true);
  assert.deepEqual(drain(), [0xfa, 0xaa]);
  assert.equal(kbc.kbdIrq.level, false);
  data(0xf2);
  assert.deepEqual(drain(), [0xfa, 0xab, 0x83]);
  data(0xed); data(0x07);
  assert.deepEqual(drain(), [0xfa, 0xfa]);
  data(0xf0); data(0x00);
  assert.deepEqual(drain(), [0xfa, 0xfa, 0x02]);
  cmd(0xd4); data(0xf2);
  assert.equal(status() & 0x21, 0x21, 'AUX data');
  assert.equal(kbc.mouseIrq.level, true);
  assert.deepEqual(drain(), [0xfa, 0x00]);
  cmd(0x60); data(0x00);   // interrupts off
  data(0xf4);
  assert.equal(kbc.kbdIrq.level, false);
  assert.deepEqual(drain(), [0xfa]);
});

test('reset through 0xFE and the output port, A20 through the output port, 0xDD/0xDF and port 0x92', () => {
  const { cmd, data, drain, events, board } = setup();
  cmd(0xd0);
  assert.deepEqual(drain(), [0x03]);
  cmd(0xd1); data(0x01);   // A20 off, reset line high
  cmd(0xd1); data(0x03);
  cmd(0xdd); cmd(0xdf);
  assert.deepEqual(events, ['a20=0', 'a20=1', 'a20=0', 'a20=1']);
  events.length = 0;
  cmd(0xfe);
  assert.deepEqual(events, ['reset']);
  events.length = 0;
  cmd(0xd1); data(0x02);   // output port bit 0 low: reset
  assert.deepEqual(events, ['a20=1', 'reset']);
  events.length = 0;
  const p92 = new Port92(board);
  p92.write(0, 0x02);
  assert.equal(p92.read(), 0x02);
  p92.write(0, 0x03);
  assert.deepEqual(events, ['a20=1', 'a20=1', 'reset']);
});
