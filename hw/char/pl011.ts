/**
 * ARM PrimeCell UART (PL011), after the Technical Reference Manual
 * (ARM DDI 0183) and QEMU's model of it.
 *
 * Transmit is immediate: a byte written to UARTDR goes straight to the
 * character backend, so the TX FIFO always reads as empty (TXFE set, TXFF and
 * BUSY clear) and TXRIS is set after every write, as in QEMU. Receive keeps a
 * 16-entry FIFO when LCR_H.FEN is set, one holding register otherwise; the
 * receive interrupt triggers at one character (QEMU's choice, since the
 * receive-timeout interrupt is not modelled and Linux waits for an interrupt
 * before draining the FIFO). `canReceive` reports the free FIFO space so host
 * input waits in the backend instead of being dropped.
 */
import { IRQLine, type DeviceLog, type MMIODevice } from '../device.js';
import type { CharBackend, CharReceiver } from '../../ui/chardev.js';

// Register offsets (TRM table 3-1)
export const UARTDR = 0x000;
export const UARTRSR = 0x004; // read: receive status; write: UARTECR (error clear)
export const UARTECR = 0x004;
export const UARTFR = 0x018;
export const UARTILPR = 0x020;
export const UARTIBRD = 0x024;
export const UARTFBRD = 0x028;
export const UARTLCR_H = 0x02c;
export const UARTCR = 0x030;
export const UARTIFLS = 0x034;
export const UARTIMSC = 0x038;
export const UARTRIS = 0x03c;
export const UARTMIS = 0x040;
export const UARTICR = 0x044;
export const UARTDMACR = 0x048;
export const UARTPeriphID0 = 0xfe0; // PeriphID0..3 then PCellID0..3, one byte per word up to 0xffc
export const UARTPCellID3 = 0xffc;

// UARTFR bits
export const FR_CTS = 1 << 0;
export const FR_DSR = 1 << 1;
export const FR_DCD = 1 << 2;
export const FR_BUSY = 1 << 3;
export const FR_RXFE = 1 << 4;
export const FR_TXFF = 1 << 5;
export const FR_RXFF = 1 << 6;
export const FR_TXFE = 1 << 7;
export const FR_RI = 1 << 8;

// UARTDR receive error bits (also UARTRSR bits 0..3, shifted down by 8)
export const DR_FE = 1 << 8;
export const DR_PE = 1 << 9;
export const DR_BE = 1 << 10;
export const DR_OE = 1 << 11;

// UARTLCR_H bits
export const LCR_H_BRK = 1 << 0;
export const LCR_H_FEN = 1 << 4;

// UARTCR bits
export const CR_UARTEN = 1 << 0;
export const CR_LBE = 1 << 7;
export const CR_TXE = 1 << 8;
export const CR_RXE = 1 << 9;
export const CR_DTR = 1 << 10;
export const CR_RTS = 1 << 11;
export const CR_OUT1 = 1 << 12;
export const CR_OUT2 = 1 << 13;

// Interrupt bits, shared by UARTIMSC / UARTRIS / UARTMIS / UARTICR
export const INT_RI = 1 << 0;  // RIMIM: nUARTRI modem interrupt
export const INT_CTS = 1 << 1;
export const INT_DCD = 1 << 2;
export const INT_DSR = 1 << 3;
export const INT_RX = 1 << 4;
export const INT_TX = 1 << 5;
export const INT_RT = 1 << 6;
export const INT_FE = 1 << 7;
export const INT_PE = 1 << 8;
export const INT_BE = 1 << 9;
export const INT_OE = 1 << 10;
const INT_ALL = 0x7ff;

const IBRD_MASK = 0xffff;
const FBRD_MASK = 0x3f;
const FIFO_DEPTH = 16;

/** PeriphID0..3, PCellID0..3 as the ARM PL011 r1p5 (and QEMU) report them. */
const PL011_ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class PL011 implements MMIODevice, CharReceiver {
  readonly type = 'pl011';
  /** UARTINTR, the combined interrupt: (UARTRIS & UARTIMSC) != 0. */
  readonly irq = new IRQLine();

  // Register state
  flags = 0;        // UARTFR
  rsr = 0;          // UARTRSR: error bits of the last character read
  ilpr = 0;
  ibrd = 0;
  fbrd = 0;
  lcr = 0;          // UARTLCR_H
  cr = 0;           // UARTCR
  ifls = 0;         // UARTIFLS
  imsc = 0;         // UARTIMSC
  ris = 0;          // UARTRIS
  dmacr = 0;
  // Receive FIFO: 12-bit entries (data + error bits), ring of FIFO_DEPTH
  rxFifo = new Array<number>(FIFO_DEPTH).fill(0);
  rxPos = 0;
  rxCount = 0;
  rxTrigger = 1;

  constructor(private readonly chardev: CharBackend, private readonly log: DeviceLog) {
    this.reset();
    chardev.setReceiver(this);
  }

  reset(): void {
    this.rsr = 0;
    this.ilpr = 0;
    this.ibrd = 0;
    this.fbrd = 0;
    this.lcr = 0;
    this.cr = CR_RXE | CR_TXE;
    this.ifls = 0x12; // TX and RX trigger at 1/2 full
    this.imsc = 0;
    this.ris = 0;
    this.dmacr = 0;
    this.flags = 0;
    this.rxTrigger = 1;
    this.resetRxFifo();
    this.resetTxFifo();
    this.update();
  }

  read(offset: number, size: number, _cpu: number): number {
    const reg = offset & ~3;
    const v = this.readReg(reg);
    if (size >= 4) return v >>> 0;
    return (v >>> ((offset & 3) * 8)) & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, value: number, size: number, _cpu: number): void {
    // Narrow writes land in their byte lanes of the 32-bit register (as QEMU's
    // memory core does for a device that implements only word access).
    const v = size >= 4 ? value >>> 0 : (value << ((offset & 3) * 8)) >>> 0;
    this.writeReg(offset & ~3, v);
  }

  private readReg(reg: number): number {
    switch (reg) {
      case UARTDR: return this.readRxData();
      case UARTRSR: return this.rsr;
      case UARTFR: return this.flags;
      case UARTILPR: return this.ilpr;
      case UARTIBRD: return this.ibrd;
      case UARTFBRD: return this.fbrd;
      case UARTLCR_H: return this.lcr;
      case UARTCR: return this.cr;
      case UARTIFLS: return this.ifls;
      case UARTIMSC: return this.imsc;
      case UARTRIS: return this.ris;
      case UARTMIS: return this.ris & this.imsc;
      case UARTDMACR: return this.dmacr;
      case UARTICR:
        this.log.guestError(`pl011: read of write-only register UARTICR`);
        return 0;
    }
    if (reg >= UARTPeriphID0 && reg <= UARTPCellID3) return PL011_ID[(reg - UARTPeriphID0) >> 2];
    this.log.guestError(`pl011: read of unknown register 0x${reg.toString(16)}`);
    return 0;
  }

  private writeReg(reg: number, value: number): void {
    switch (reg) {
      case UARTDR:
        this.writeTxData(value & 0xff);
        return;
      case UARTECR:
        this.rsr = 0;
        return;
      case UARTFR:
        return; // read-only; writes ignored
      case UARTILPR:
        this.ilpr = value & 0xff;
        return;
      case UARTIBRD:
        this.ibrd = value & IBRD_MASK;
        return;
      case UARTFBRD:
        this.fbrd = value & FBRD_MASK;
        return;
      case UARTLCR_H:
        // Enabling or disabling the FIFOs flushes them.
        if ((this.lcr ^ value) & LCR_H_FEN) {
          this.resetRxFifo();
          this.resetTxFifo();
        }
        // A break sent in loopback arrives as a break character.
        if ((this.lcr ^ value) & LCR_H_BRK && value & LCR_H_BRK) this.loopbackTx(DR_BE);
        this.lcr = value & 0xff;
        return;
      case UARTCR:
        this.cr = value & 0xffff;
        this.loopbackModemControl();
        return;
      case UARTIFLS:
        this.ifls = value & 0x3f;
        return;
      case UARTIMSC:
        this.imsc = value & INT_ALL;
        this.update();
        return;
      case UARTICR:
        this.ris &= ~value;
        this.update();
        return;
      case UARTDMACR:
        this.dmacr = value & 0x7;
        if (value & 3) this.log.unimp('pl011: DMA not implemented');
        return;
      case UARTRIS:
      case UARTMIS:
        this.log.guestError(`pl011: write to read-only register 0x${reg.toString(16)}`);
        return;
    }
    this.log.guestError(`pl011: write of unknown register 0x${reg.toString(16)} = 0x${value.toString(16)}`);
  }

  // --- transmit ---

  private writeTxData(ch: number): void {
    if (!(this.cr & CR_UARTEN)) this.log.guestError('pl011: data written to disabled UART');
    else if (!(this.cr & CR_TXE)) this.log.guestError('pl011: data written with transmitter disabled');
    this.chardev.write(Uint8Array.of(ch));
    this.loopbackTx(ch);
    // The byte left at once: the FIFO is empty again and below its trigger level.
    this.ris |= INT_TX;
    this.update();
  }

  // --- receive ---

  private get fifoDepth(): number {
    return this.lcr & LCR_H_FEN ? FIFO_DEPTH : 1;
  }

  /** CharReceiver: free space in the receive FIFO. */
  canReceive(): number {
    return this.fifoDepth - this.rxCount;
  }

  /** CharReceiver: bytes from the host. Ignored in loopback, where RX is disconnected from the pin. */
  receive(bytes: Uint8Array): void {
    if (this.cr & CR_LBE) return;
    for (const b of bytes) this.putRx(b);
  }

  private putRx(value: number): void {
    const depth = this.fifoDepth;
    if (this.rxCount >= depth) {
      // Overrun: the character is lost and OE is flagged (the backend should
      // have asked canReceive first; loopback can still get here).
      this.rsr |= DR_OE >> 8;
      this.ris |= INT_OE;
      this.update();
      return;
    }
    const slot = (this.rxPos + this.rxCount) & (depth - 1);
    this.rxFifo[slot] = value;
    this.rxCount++;
    this.flags &= ~FR_RXFE;
    if (this.rxCount === depth) this.flags |= FR_RXFF;
    if (this.rxCount >= this.rxTrigger) {
      this.ris |= INT_RX;
      this.update();
    }
  }

  private readRxData(): number {
    const c = this.rxFifo[this.rxPos];
    this.flags &= ~FR_RXFF;
    if (this.rxCount > 0) {
      this.rxCount--;
      this.rxPos = (this.rxPos + 1) & (this.fifoDepth - 1);
    }
    if (this.rxCount === 0) this.flags |= FR_RXFE;
    if (this.rxCount < this.rxTrigger) this.ris &= ~INT_RX;
    this.rsr = (c >> 8) & 0xf;
    this.update();
    return c;
  }

  private resetRxFifo(): void {
    this.rxCount = 0;
    this.rxPos = 0;
    this.flags = (this.flags & ~FR_RXFF) | FR_RXFE;
  }

  private resetTxFifo(): void {
    this.flags = (this.flags & ~(FR_TXFF | FR_BUSY)) | FR_TXFE;
  }

  // --- loopback (UARTCR.LBE) ---

  private loopbackTx(value: number): void {
    if (this.cr & CR_LBE) this.putRx(value);
  }

  /** In loopback the modem outputs feed the modem status inputs: RI<-Out2, DCD<-Out1, CTS<-RTS, DSR<-DTR. */
  private loopbackModemControl(): void {
    if (!(this.cr & CR_LBE)) return;
    const cr = this.cr;
    let fr = this.flags & ~(FR_RI | FR_DCD | FR_DSR | FR_CTS);
    if (cr & CR_OUT2) fr |= FR_RI;
    if (cr & CR_OUT1) fr |= FR_DCD;
    if (cr & CR_RTS) fr |= FR_CTS;
    if (cr & CR_DTR) fr |= FR_DSR;
    let ris = this.ris & ~(INT_RI | INT_DCD | INT_DSR | INT_CTS);
    if (fr & FR_DSR) ris |= INT_DSR;
    if (fr & FR_DCD) ris |= INT_DCD;
    if (fr & FR_CTS) ris |= INT_CTS;
    if (fr & FR_RI) ris |= INT_RI;
    this.flags = fr;
    this.ris = ris;
    this.update();
  }

  private update(): void {
    this.irq.set((this.ris & this.imsc) !== 0);
  }

  state(): Record<string, unknown> {
    return {
      flags: this.flags, rsr: this.rsr, ilpr: this.ilpr, ibrd: this.ibrd, fbrd: this.fbrd,
      lcr: this.lcr, cr: this.cr, ifls: this.ifls, imsc: this.imsc, ris: this.ris, dmacr: this.dmacr,
      rxFifo: [...this.rxFifo], rxPos: this.rxPos, rxCount: this.rxCount, rxTrigger: this.rxTrigger,
      irq: this.irq.level,
    };
  }
}
