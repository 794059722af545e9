import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Serial16550, RBR, THR, DLL, DLM, IER, IIR, FCR, LCR, MCR, LSR, MSR, SCR,
  IER_RDI, IER_THRI, IER_RLSI, IER_MSI, IIR_NO_INT, IIR_THRI, IIR_RDI, IIR_RLSI, IIR_CTI, IIR_MSI, IIR_FIFO_ENABLED,
  FCR_FE, FCR_RFR, LCR_DLAB, LCR_SBC, MCR_LOOP, MCR_RTS, MCR_DTR, MCR_OUT1, MCR_OUT2,
  LSR_DR, LSR_OE, LSR_BI, LSR_THRE, LSR_TEMT, MSR_CTS, MSR_DSR, MSR_RI, MSR_DCD, MSR_DCTS, MSR_DDSR, MSR_TERI, MSR_DDCD,
} from '../../hw/char/serial16550.js';
import { BufferChar } from '../../ui/chardev.js';
import type { DeviceLog } from '../../hw/device.js';

function setup() {
  const errors: string[] = [];
  const log: DeviceLog = { unimp: (m) => errors.push(m), guestError: (m) => errors.push(m) };
  const chr = new BufferChar();
  const uart = new Serial16550(chr, log);
  const rd = (off: number) => uart.read(off, 1, 0);
  const wr = (off: number, v: number) => uart.write(off, v, 1, 0);
  return { uart, chr, rd, wr, errors };
}

test('reset values: THR empty, no interrupt, modem lines up, OUT2 set', () => {
  const { uart, rd } = setup();
  assert.equal(rd(IER), 0);
  assert.equal(rd(IIR), IIR_NO_INT);
  assert.equal(rd(LCR), 0);
  assert.equal(rd(MCR), MCR_OUT2);
  assert.equal(rd(LSR), LSR_THRE | LSR_TEMT);
  assert.equal(rd(MSR), MSR_DCD | MSR_DSR | MSR_CTS);
  assert.equal(uart.irq.level, false);
});

test('divisor latch: DLAB switches offsets 0 and 1 to DLL/DLM', () => {
  const { rd, wr, chr } = setup();
  wr(LCR, LCR_DLAB | 0x03);
  wr(DLL, 0x01);
  wr(DLM, 0x02);
  assert.equal(rd(DLL), 0x01);
  assert.equal(rd(DLM), 0x02);
  assert.equal(chr.text, '', 'a DLL write is not a transmit');
  wr(LCR, 0x03);
  assert.equal(rd(IER), 0);
  wr(SCR, 0x5a);
  assert.equal(rd(SCR), 0x5a);
});

test('transmit goes to the backend; THRE interrupt raised, acknowledged by reading IIR', () => {
  const { uart, rd, wr, chr } = setup();
  for (const c of 'Hi\n') wr(THR, c.charCodeAt(0));
  assert.equal(chr.text, 'Hi\n');
  assert.equal(rd(LSR) & (LSR_THRE | LSR_TEMT), LSR_THRE | LSR_TEMT);
  assert.equal(uart.irq.level, false, 'IER masks it');
  wr(IER, IER_THRI);   // enabling with THR empty raises it at once
  assert.equal(uart.irq.level, true);
  assert.equal(rd(IIR), IIR_THRI);
  assert.equal(uart.irq.level, false, 'reading IIR acknowledged THRE');
  assert.equal(rd(IIR), IIR_NO_INT);
  wr(THR, 0x41);
  assert.equal(uart.irq.level, true);
  wr(IER, 0);
  assert.equal(uart.irq.level, false);
});

test('receive without FIFO: DR, RDI interrupt, overrun overwrites', () => {
  const { uart, rd, wr, chr } = setup();
  wr(IER, IER_RDI | IER_RLSI);
  assert.equal(uart.canReceive(), 1);
  chr.send('ab');   // the backend delivers one byte; the second waits
  assert.equal(uart.irq.level, true);
  assert.equal(rd(IIR), IIR_RDI);
  assert.equal(rd(LSR) & LSR_DR, LSR_DR);
  assert.equal(rd(RBR), 0x61);
  assert.equal(uart.irq.level, false);
  assert.equal(rd(LSR) & LSR_DR, 0);
  chr.pump();
  assert.equal(rd(RBR), 0x62);
  uart.receive(Uint8Array.of(1, 2));   // a backend ignoring canReceive: overrun
  assert.equal(rd(IIR), IIR_RLSI, 'line status has priority over data');
  assert.equal(rd(LSR) & (LSR_OE | LSR_DR), LSR_OE | LSR_DR);
  assert.equal(rd(LSR) & LSR_OE, 0, 'reading LSR clears OE');
  assert.equal(rd(IIR), IIR_RDI);
  assert.equal(rd(RBR), 2);
});

test('receive with FIFO: trigger level, timeout indication, FIFO clear, overrun', () => {
  const { uart, rd, wr } = setup();
  wr(FCR, FCR_FE | 0x80);   // trigger level 8
  wr(IER, IER_RDI);
  assert.equal(rd(IIR), IIR_FIFO_ENABLED | IIR_NO_INT);
  assert.equal(uart.canReceive(), 16);
  uart.receive(Buffer.from('0123'));
  assert.equal(rd(IIR), IIR_FIFO_ENABLED | IIR_CTI, 'below the trigger level: character timeout');
  uart.receive(Buffer.from('4567'));
  assert.equal(rd(IIR), IIR_FIFO_ENABLED | IIR_RDI);
  let s = '';
  while (rd(LSR) & LSR_DR) s += String.fromCharCode(rd(RBR));
  assert.equal(s, '01234567');
  assert.equal(uart.irq.level, false);
  uart.receive(Buffer.from('0123456789abcdefXY'));
  assert.equal(rd(LSR) & LSR_OE, LSR_OE);
  wr(FCR, FCR_FE | FCR_RFR);
  assert.equal(rd(LSR) & LSR_DR, 0);
  uart.receive(Buffer.from('z'));
  assert.equal(rd(IIR), IIR_FIFO_ENABLED | IIR_RDI, 'trigger level 1 now');
  wr(FCR, 0);
  assert.equal(rd(IIR), IIR_NO_INT, 'disabling the FIFO cleared it');
});

test('loopback: transmitted bytes come back, modem outputs feed MSR, break arrives as BI', () => {
  const { uart, rd, wr, chr } = setup();
  wr(MCR, MCR_LOOP);
  assert.equal(rd(MSR) & 0xf0, 0);
  assert.equal(uart.canReceive(), 0, 'RX is disconnected from the pin in loopback');
  wr(THR, 0x55);
  assert.equal(chr.text, '');
  assert.equal(rd(LSR) & LSR_DR, LSR_DR);
  assert.equal(rd(RBR), 0x55);
  wr(IER, IER_MSI);
  wr(MCR, MCR_LOOP | MCR_RTS | MCR_DTR | MCR_OUT1 | MCR_OUT2);
  assert.equal(uart.irq.level, true);
  assert.equal(rd(IIR), IIR_MSI);
  const msr = rd(MSR);
  assert.equal(msr & 0xf0, MSR_CTS | MSR_DSR | MSR_RI | MSR_DCD);
  assert.equal(msr & (MSR_DCTS | MSR_DDSR | MSR_DDCD), MSR_DCTS | MSR_DDSR | MSR_DDCD);
  assert.equal(uart.irq.level, false, 'reading MSR clears the deltas');
  wr(MCR, MCR_LOOP | MCR_RTS | MCR_DTR | MCR_OUT2);   // RI falls: trailing edge
  assert.equal(rd(MSR) & MSR_TERI, MSR_TERI);
  wr(LCR, LCR_SBC);
  assert.equal(rd(LSR) & (LSR_BI | LSR_DR), LSR_BI | LSR_DR);
  assert.equal(rd(RBR), 0);
  wr(LCR, 0);
  wr(MCR, MCR_OUT2);
  assert.equal(rd(MSR) & 0xf0, MSR_DCD | MSR_DSR | MSR_CTS);
  wr(THR, 0x41);
  assert.equal(chr.text, 'A');
});
