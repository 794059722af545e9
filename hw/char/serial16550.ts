/**
 * The PC serial port: National Semiconductor 8250/16450/16550A UART, after
 * the PC16550D data sheet and QEMU's hw/char/serial.c. Eight byte-wide
 * registers at offsets 0-7 of its I/O base (COM1 0x3F8, IRQ 4):
 *
 *   0  RBR (read) / THR (write); DLL when LCR.DLAB
 *   1  IER; DLM when LCR.DLAB
 *   2  IIR (read) / FCR (write)
 *   3  LCR     4  MCR     5  LSR     6  MSR     7  SCR
 *
 * Transmit is immediate: a byte written to THR goes straight to the
 * character backend, so THRE and TEMT read as set again at once and the THR
 * empty interrupt is raised (as QEMU does with a backend that never blocks).
 * Receive keeps a 16-entry FIFO when FCR.FIFOE is set, else one holding
 * register. The character timeout interrupt (IIR 0x0C: data below the FIFO
 * trigger level and no activity for four character times) is reported as
 * soon as such data is waiting, since no baud-rate time is modelled.
 *
 * The interrupt output `irq` is the UART's INTRPT pin, high while IIR shows
 * a pending interrupt. A PC gates it with MCR.OUT2 on the board; QEMU does
 * not, and neither do we, so software that never sets OUT2 still works.
 */
import { IRQLine, type DeviceLog, type MMIODevice } from '../device.js';
import type { CharBackend, CharReceiver } from '../../ui/chardev.js';

// Register offsets
export const RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

// IER
export const IER_RDI = 0x01;   // received data available
export const IER_THRI = 0x02;  // transmitter holding register empty
export const IER_RLSI = 0x04;  // receiver line status
export const IER_MSI = 0x08;   // modem status

// IIR (interrupt identification, bits 3:1; bit 0 = no interrupt pending)
export const IIR_NO_INT = 0x01;
export const IIR_MSI = 0x00;
export const IIR_THRI = 0x02;
export const IIR_RDI = 0x04;
export const IIR_RLSI = 0x06;
export const IIR_CTI = 0x0c;
export const IIR_FIFO_ENABLED = 0xc0;

// FCR
export const FCR_FE = 0x01;
export const FCR_RFR = 0x02;   // clear receive FIFO
export const FCR_XFR = 0x04;   // clear transmit FIFO
export const FCR_DMS = 0x08;   // DMA mode select (no effect)
const FCR_ITL = [1, 4, 8, 14]; // receive trigger level, FCR bits 7:6

// LCR
export const LCR_DLAB = 0x80;
export const LCR_SBC = 0x40;   // set break

// MCR
export const MCR_DTR = 0x01;
export const MCR_RTS = 0x02;
export const MCR_OUT1 = 0x04;
export const MCR_OUT2 = 0x08;
export const MCR_LOOP = 0x10;

// LSR
export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_PE = 0x04;
export const LSR_FE = 0x08;
export const LSR_BI = 0x10;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
export const LSR_RXFE = 0x80;  // error in the receive FIFO
const LSR_INT_ANY = LSR_OE | LSR_PE | LSR_FE | LSR_BI;

// MSR
export const MSR_DCTS = 0x01;
export const MSR_DDSR = 0x02;
export const MSR_TERI = 0x04;
export const MSR_DDCD = 0x08;
export const MSR_CTS = 0x10;
export const MSR_DSR = 0x20;
export const MSR_RI = 0x40;
export const MSR_DCD = 0x80;
const MSR_ANY_DELTA = 0x0f;

const FIFO_DEPTH = 16;

export class Serial16550 implements MMIODevice, CharReceiver {
  readonly type = 'serial16550';
  /** INTRPT: high while an enabled interrupt is pending. */
  readonly irq = new IRQLine();

  divider = 0x0c;   // 9600 baud from 1.8432 MHz, QEMU's reset value
  ier = 0;
  fcr = 0;
  lcr = 0;
  mcr = 0;
  lsr = 0;
  msr = 0;
  scr = 0;
  /** THR-empty interrupt latched (cleared by reading IIR while it is the source, or by writing THR). */
  thrIpending = false;
  /** Receive FIFO (FIFO mode) or the single RBR (depth 1). Entries carry BI/FE/PE in bits 8+. */
  rx: number[] = [];

  constructor(private readonly chardev: CharBackend, private readonly log: DeviceLog) {
    this.reset();
    chardev.setReceiver(this);
  }

  reset(): void {
    this.divider = 0x0c;
    this.ier = 0;
    this.fcr = 0;
    this.lcr = 0;
    this.mcr = MCR_OUT2;   // QEMU's reset value
    this.lsr = LSR_TEMT | LSR_THRE;
    this.msr = MSR_DCD | MSR_DSR | MSR_CTS;   // a backend without modem lines: carrier, ready, clear to send
    this.scr = 0;
    this.thrIpending = false;
    this.rx = [];
    this.update();
  }

  private get fifoEnabled(): boolean { return (this.fcr & FCR_FE) !== 0; }
  private get depth(): number { return this.fifoEnabled ? FIFO_DEPTH : 1; }
  private get triggerLevel(): number { return FCR_ITL[this.fcr >> 6]; }

  read(offset: number, _size: number, _cpu: number): number {
    switch (offset & 7) {
      case RBR: {
        if (this.lcr & LCR_DLAB) return this.divider & 0xff;
        const c = this.rx.shift();
        if (this.rx.length === 0) this.lsr &= ~(LSR_DR | LSR_BI);
        if (this.fifoEnabled && !this.rx.some((e) => e > 0xff)) this.lsr &= ~LSR_RXFE;
        this.update();
        return (c ?? 0) & 0xff;
      }
      case IER: return this.lcr & LCR_DLAB ? (this.divider >> 8) & 0xff : this.ier;
      case IIR: {
        const iir = this.iir();
        // Reading IIR while THRE is the reported source acknowledges it.
        if ((iir & 0x0f) === IIR_THRI) { this.thrIpending = false; this.update(); }
        return iir;
      }
      case LCR: return this.lcr;
      case MCR: return this.mcr;
      case LSR: {
        const v = this.lsr;
        // Reading LSR clears the error bits (and BI, which is reset with them).
        this.lsr &= ~(LSR_INT_ANY | LSR_RXFE);
        if (this.rx.length && (this.rx[0] & (LSR_BI << 8))) { /* the break char stays in the FIFO */ }
        this.update();
        return v;
      }
      case MSR: {
        const v = this.msr;
        this.msr &= ~MSR_ANY_DELTA;
        this.update();
        return v;
      }
      case SCR: return this.scr;
    }
    return 0;
  }

  write(offset: number, value: number, _size: number, _cpu: number): void {
    const v = value & 0xff;
    switch (offset & 7) {
      case THR:
        if (this.lcr & LCR_DLAB) { this.divider = (this.divider & 0xff00) | v; return; }
        this.transmit(v);
        return;
      case IER: {
        if (this.lcr & LCR_DLAB) { this.divider = (this.divider & 0x00ff) | (v << 8); return; }
        const was = this.ier;
        this.ier = v & 0x0f;
        // Enabling the THR interrupt while THR is empty raises it at once (8250 behaviour Linux relies on).
        if (!(was & IER_THRI) && (this.ier & IER_THRI) && (this.lsr & LSR_THRE)) this.thrIpending = true;
        if (!(this.ier & IER_THRI)) this.thrIpending = false;
        this.update();
        return;
      }
      case FCR: {
        // Changing FIFO enable clears both FIFOs.
        if ((this.fcr ^ v) & FCR_FE) this.rx = [];
        if (v & FCR_RFR) { this.rx = []; }
        if (!(v & FCR_FE)) this.fcr = 0;
        else this.fcr = v & 0xc9;
        if (this.rx.length === 0) this.lsr &= ~(LSR_DR | LSR_BI | LSR_RXFE);
        this.update();
        return;
      }
      case LCR: {
        const was = this.lcr;
        this.lcr = v;
        // A break started in loopback arrives as a break character.
        if (!(was & LCR_SBC) && (v & LCR_SBC) && (this.mcr & MCR_LOOP)) this.putRx(0, LSR_BI);
        return;
      }
      case MCR: {
        this.mcr = v & 0x1f;
        this.updateModemStatus();
        return;
      }
      case LSR:
        // Factory test register on some parts; writes ignored (QEMU ignores them too).
        this.log.guestError('serial16550: write to read-only LSR');
        return;
      case MSR:
        this.log.guestError('serial16550: write to read-only MSR');
        return;
      case SCR:
        this.scr = v;
        return;
    }
  }

  /** The IIR value: highest-priority pending enabled interrupt. */
  iir(): number {
    const fifo = this.fifoEnabled ? IIR_FIFO_ENABLED : 0;
    if ((this.ier & IER_RLSI) && (this.lsr & LSR_INT_ANY)) return fifo | IIR_RLSI;
    if ((this.ier & IER_RDI) && this.rx.length) {
      if (!this.fifoEnabled || this.rx.length >= this.triggerLevel) return fifo | IIR_RDI;
      return fifo | IIR_CTI;
    }
    if ((this.ier & IER_THRI) && this.thrIpending) return fifo | IIR_THRI;
    if ((this.ier & IER_MSI) && (this.msr & MSR_ANY_DELTA)) return fifo | IIR_MSI;
    return fifo | IIR_NO_INT;
  }

  private update(): void {
    this.irq.set((this.iir() & IIR_NO_INT) === 0);
  }

  // --- transmit ---

  private transmit(ch: number): void {
    if (this.mcr & MCR_LOOP) {
      this.putRx(ch, 0);   // loopback: the serial output is disconnected from the pin
    } else {
      this.chardev.write(Uint8Array.of(ch));
    }
    // The byte left at once: THR and the shift register are empty again.
    this.lsr |= LSR_THRE | LSR_TEMT;
    this.thrIpending = true;
    this.update();
  }

  // --- receive ---

  canReceive(): number {
    if (this.mcr & MCR_LOOP) return 0;
    return this.depth - this.rx.length;
  }

  receive(bytes: Uint8Array): void {
    if (this.mcr & MCR_LOOP) return;
    for (const b of bytes) this.putRx(b, 0);
  }

  /** `err` is LSR_BI / LSR_FE / LSR_PE for that character. */
  private putRx(ch: number, err: number): void {
    if (this.rx.length >= this.depth) {
      if (this.fifoEnabled) {
        // FIFO full: the new character is lost.
        this.lsr |= LSR_OE;
        this.update();
        return;
      }
      // 8250/16450: the holding register is overwritten.
      this.rx = [];
      this.lsr |= LSR_OE;
    }
    this.rx.push(ch | (err << 8));
    this.lsr |= LSR_DR | err;
    if (err && this.fifoEnabled) this.lsr |= LSR_RXFE;
    this.update();
  }

  // --- modem lines ---

  /** In loopback the modem outputs feed the inputs: CTS<-RTS, DSR<-DTR, RI<-OUT1, DCD<-OUT2. */
  private updateModemStatus(): void {
    let lines: number;
    if (this.mcr & MCR_LOOP) {
      lines = 0;
      if (this.mcr & MCR_RTS) lines |= MSR_CTS;
      if (this.mcr & MCR_DTR) lines |= MSR_DSR;
      if (this.mcr & MCR_OUT1) lines |= MSR_RI;
      if (this.mcr & MCR_OUT2) lines |= MSR_DCD;
    } else {
      lines = MSR_DCD | MSR_DSR | MSR_CTS;
    }
    const old = this.msr;
    let delta = old & MSR_ANY_DELTA;
    const changed = (old ^ lines) & 0xf0;
    if (changed & MSR_CTS) delta |= MSR_DCTS;
    if (changed & MSR_DSR) delta |= MSR_DDSR;
    if (changed & MSR_DCD) delta |= MSR_DDCD;
    if ((old & MSR_RI) && !(lines & MSR_RI)) delta |= MSR_TERI;   // trailing edge of RI
    this.msr = lines | delta;
    this.update();
  }

  state(): Record<string, unknown> {
    return {
      divider: this.divider, ier: this.ier, iir: this.iir(), fcr: this.fcr, lcr: this.lcr, mcr: this.mcr,
      lsr: this.lsr, msr: this.msr, scr: this.scr, thrIpending: this.thrIpending, rx: [...this.rx], irq: this.irq.level,
    };
  }
}
