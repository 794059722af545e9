import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PL011, UARTDR, UARTFR, UARTCR, UARTIFLS, UARTIMSC, UARTRIS, UARTMIS, UARTICR, UARTLCR_H, UARTIBRD,
  FR_RXFE, FR_RXFF, FR_TXFE, FR_TXFF, FR_BUSY, INT_RX, INT_TX, LCR_H_FEN, CR_UARTEN, CR_TXE, CR_RXE, CR_LBE,
} from '../../hw/char/pl011.js';
import { BufferChar } from '../../ui/chardev.js';
import type { DeviceLog } from '../../hw/device.js';

function setup() {
  const errors: string[] = [];
  const log: DeviceLog = { unimp: (m) => errors.push(m), guestError: (m) => errors.push(m) };
  const chr = new BufferChar();
  const uart = new PL011(chr, log);
  const rd = (off: number) => uart.read(off, 4, 0);
  const wr = (off: number, v: number) => uart.write(off, v, 4, 0);
  wr(UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
  return { uart, chr, rd, wr, errors };
}

test('reset values and identification registers', () => {
  const { uart, rd } = setup();
  uart.reset();
  assert.equal(rd(UARTFR), FR_TXFE | FR_RXFE);
  assert.equal(rd(UARTCR), CR_TXE | CR_RXE);
  assert.equal(rd(UARTIFLS), 0x12);
  const ids = [0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map(rd);
  assert.deepEqual(ids, [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
  assert.equal(uart.irq.level, false);
});

test('bytes written to UARTDR reach the backend; the TX FIFO always reads empty', () => {
  const { chr, rd, wr, uart } = setup();
  for (const c of 'Hello\n') wr(UARTDR, c.charCodeAt(0));
  uart.write(UARTDR, 0x21, 1, 0); // byte-wide store
  assert.equal(chr.text, 'Hello\n!');
  const fr = rd(UARTFR);
  assert.equal(fr & (FR_TXFF | FR_BUSY), 0);
  assert.equal(fr & FR_TXFE, FR_TXFE);
});

test('received bytes arrive in UARTDR with RXFE tracking the FIFO', () => {
  const { chr, rd } = setup();
  assert.ok(rd(UARTFR) & FR_RXFE);
  chr.send('a');
  assert.equal(rd(UARTFR) & FR_RXFE, 0);
  assert.equal(rd(UARTDR), 0x61);
  assert.ok(rd(UARTFR) & FR_RXFE);
});

test('without FIFOs the holding register takes one byte; host input waits instead of being dropped', () => {
  const { chr, rd, uart } = setup();
  chr.send('xyz');
  assert.equal(uart.canReceive(), 0);
  assert.ok(rd(UARTFR) & FR_RXFF);
  assert.equal(rd(UARTDR), 0x78);
  chr.pump();
  assert.equal(rd(UARTDR), 0x79);
  chr.pump();
  assert.equal(rd(UARTDR), 0x7a);
  assert.ok(rd(UARTFR) & FR_RXFE);
});

test('with LCR_H.FEN the RX FIFO holds 16 bytes and sets RXFF when full', () => {
  const { chr, rd, wr, uart } = setup();
  wr(UARTLCR_H, LCR_H_FEN | 0x60);
  assert.equal(uart.canReceive(), 16);
  chr.send('ABCDEFGHIJKLMNOPQRST'); // 20 bytes
  assert.ok(rd(UARTFR) & FR_RXFF);
  let got = '';
  while (!(rd(UARTFR) & FR_RXFE)) got += String.fromCharCode(rd(UARTDR) & 0xff);
  assert.equal(got, 'ABCDEFGHIJKLMNOP');
  chr.pump();
  while (!(rd(UARTFR) & FR_RXFE)) got += String.fromCharCode(rd(UARTDR) & 0xff);
  assert.equal(got, 'ABCDEFGHIJKLMNOPQRST');
});

test('RX interrupt asserts with IMSC, clears on reading the data or on ICR', () => {
  const { chr, rd, wr, uart } = setup();
  chr.send('q');
  assert.equal(rd(UARTRIS) & INT_RX, INT_RX);
  assert.equal(uart.irq.level, false, 'masked');
  wr(UARTIMSC, INT_RX);
  assert.equal(uart.irq.level, true);
  assert.equal(rd(UARTMIS), INT_RX);
  rd(UARTDR);
  assert.equal(uart.irq.level, false);
  assert.equal(rd(UARTRIS) & INT_RX, 0);

  chr.send('r');
  assert.equal(uart.irq.level, true);
  wr(UARTICR, INT_RX);
  assert.equal(uart.irq.level, false);
  assert.equal(rd(UARTMIS), 0);
  wr(UARTIMSC, 0);
});

test('TX interrupt is raised after a transmit and cleared by ICR', () => {
  const { rd, wr, uart } = setup();
  wr(UARTIMSC, INT_TX);
  assert.equal(uart.irq.level, false);
  wr(UARTDR, 0x41);
  assert.equal(rd(UARTRIS) & INT_TX, INT_TX);
  assert.equal(uart.irq.level, true);
  wr(UARTICR, INT_TX);
  assert.equal(uart.irq.level, false);
});

test('loopback feeds transmitted bytes to the receiver', () => {
  const { chr, rd, wr } = setup();
  wr(UARTCR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
  wr(UARTDR, 0x55);
  assert.equal(rd(UARTDR), 0x55);
  chr.send('z'); // the RX pin is disconnected in loopback
  assert.ok(rd(UARTFR) & FR_RXFE);
});

test('baud rate registers keep their implemented bits; unknown offsets are logged, never thrown', () => {
  const { rd, wr, errors } = setup();
  wr(UARTIBRD, 0x12345);
  assert.equal(rd(UARTIBRD), 0x2345);
  assert.equal(rd(0x100), 0);
  wr(0x100, 1);
  assert.equal(errors.length, 2);
});

test('state() lists plain fields', () => {
  const { uart, chr } = setup();
  chr.send('k');
  const s = uart.state();
  assert.equal(s.rxCount, 1);
  assert.equal(JSON.parse(JSON.stringify(s)).rxCount, 1);
});
