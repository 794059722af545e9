/**
 * The PC keyboard controller (Intel 8042) with a PS/2 keyboard and mouse
 * attached, after QEMU's hw/input/pckbd.c and ps2.c, reduced to what system
 * software does with it when the console is a serial line: probe and
 * configure the controller and devices (self tests, command byte, enable /
 * disable, device reset and identify, LEDs, typematic, scancode set), gate
 * A20 through the output port, and reset the machine (command 0xFE, or the
 * output port's bit 0 cleared). No keystrokes arrive yet: there is no
 * display to type into.
 *
 * Ports 0x60 (data) and 0x64 (status / command); IRQ 1 for keyboard bytes
 * and IRQ 12 for mouse bytes, when the command byte enables them.
 */
import { IRQLine, type DeviceLog, type MMIODevice } from '../device.js';

const STAT_OBF = 0x01, STAT_SELFTEST = 0x04, STAT_CMD = 0x08, STAT_UNLOCKED = 0x10, STAT_MOUSE_OBF = 0x20;
const MODE_KBD_INT = 0x01, MODE_MOUSE_INT = 0x02, MODE_SYS = 0x04, MODE_DISABLE_KBD = 0x10, MODE_DISABLE_MOUSE = 0x20;
const OUT_RESET = 0x01, OUT_A20 = 0x02, OUT_OBF = 0x10, OUT_MOUSE_OBF = 0x20;

export interface I8042Board {
  /** The machine reset line. */
  reset(): void;
  /** The A20 gate. */
  setA20(on: boolean): void;
}

export class I8042 implements MMIODevice {
  readonly type = 'i8042';
  readonly kbdIrq = new IRQLine();
  readonly mouseIrq = new IRQLine();
  status = STAT_CMD | STAT_UNLOCKED;
  mode = MODE_KBD_INT | MODE_MOUSE_INT;
  outport = OUT_RESET | OUT_A20;
  /** Queued bytes: value | 0x100 for mouse bytes. */
  private queue: number[] = [];
  /** A controller command waiting for its data byte (0x60, 0xD1, 0xD2, 0xD3, 0xD4), or 0. */
  private pendingCmd = 0;
  /** A keyboard / mouse command waiting for its argument (0xED, 0xF0, 0xF3 / 0xE8, 0xF3), or 0. */
  private kbdArgFor = 0;
  private mouseArgFor = 0;
  scancodeSet = 2;

  constructor(private readonly board: I8042Board, private readonly log: DeviceLog) { this.reset(); }

  reset(): void {
    this.status = STAT_CMD | STAT_UNLOCKED;
    this.mode = MODE_KBD_INT | MODE_MOUSE_INT;
    this.outport = OUT_RESET | OUT_A20;
    this.queue = [];
    this.pendingCmd = this.kbdArgFor = this.mouseArgFor = 0;
    this.scancodeSet = 2;
    this.update();
  }

  private push(v: number, mouse = false): void {
    if (this.queue.length < 16) this.queue.push(v | (mouse ? 0x100 : 0));
    this.update();
  }

  private update(): void {
    this.status &= ~(STAT_OBF | STAT_MOUSE_OBF);
    this.outport &= ~(OUT_OBF | OUT_MOUSE_OBF);
    let kbd = false, mouse = false;
    if (this.queue.length) {
      const mouseByte = (this.queue[0] & 0x100) !== 0;
      this.status |= STAT_OBF | (mouseByte ? STAT_MOUSE_OBF : 0);
      this.outport |= mouseByte ? OUT_MOUSE_OBF : OUT_OBF;
      if (mouseByte) mouse = (this.mode & MODE_MOUSE_INT) !== 0; else kbd = (this.mode & MODE_KBD_INT) !== 0;
    }
    this.kbdIrq.set(kbd);
    this.mouseIrq.set(mouse);
  }

  read(offset: number, _size = 1, _cpu = 0): number {
    if (offset & 4) return this.status;
    const v = this.queue.shift();
    this.update();
    return (v ?? 0) & 0xff;
  }

  write(offset: number, value: number, _size = 1, _cpu = 0): void {
    const v = value & 0xff;
    if (offset & 4) { this.command(v); return; }
    this.status &= ~STAT_CMD;
    const cmd = this.pendingCmd;
    this.pendingCmd = 0;
    switch (cmd) {
      case 0x60: this.mode = v; if (v & MODE_SYS) this.status |= STAT_SELFTEST; else this.status &= ~STAT_SELFTEST; this.update(); return;
      case 0xd1: this.writeOutport(v); return;
      case 0xd2: this.push(v); return;
      case 0xd3: this.push(v, true); return;
      case 0xd4: this.mouseCommand(v); return;
      default: this.kbdCommand(v);
    }
  }

  private command(c: number): void {
    this.status |= STAT_CMD;
    if (c >= 0xf0) {   // pulse output lines low: bit 0 is the reset line
      if (!(c & 1)) this.board.reset();
      return;
    }
    switch (c) {
      case 0x20: this.push(this.mode); return;
      case 0x60: case 0xd1: case 0xd2: case 0xd3: case 0xd4: this.pendingCmd = c; return;
      case 0xa7: this.mode |= MODE_DISABLE_MOUSE; return;
      case 0xa8: this.mode &= ~MODE_DISABLE_MOUSE; return;
      case 0xa9: this.push(0x00); return;               // mouse port test: OK
      case 0xaa: this.status |= STAT_SELFTEST; this.push(0x55); return;
      case 0xab: this.push(0x00); return;               // keyboard port test: OK
      case 0xad: this.mode |= MODE_DISABLE_KBD; return;
      case 0xae: this.mode &= ~MODE_DISABLE_KBD; return;
      case 0xc0: this.push(0x00); return;               // input port
      case 0xd0: this.push(this.outport); return;
      case 0xdd: this.setA20(false); return;
      case 0xdf: this.setA20(true); return;
      case 0xe0: this.push(0x00); return;               // test inputs
      default: this.log.unimp(`i8042: controller command 0x${c.toString(16)}`);
    }
  }

  private setA20(on: boolean): void {
    this.outport = on ? this.outport | OUT_A20 : this.outport & ~OUT_A20;
    this.board.setA20(on);
  }

  private writeOutport(v: number): void {
    this.setA20((v & OUT_A20) !== 0);
    this.outport = (v & ~(OUT_OBF | OUT_MOUSE_OBF)) | (this.outport & (OUT_OBF | OUT_MOUSE_OBF));
    if (!(v & OUT_RESET)) this.board.reset();
  }

  private kbdCommand(v: number): void {
    const arg = this.kbdArgFor;
    if (arg) {
      this.kbdArgFor = 0;
      if (arg === 0xf0) {
        this.push(0xfa);
        if (v === 0) this.push(this.scancodeSet); else if (v <= 3) this.scancodeSet = v;
        return;
      }
      this.push(0xfa);   // LEDs (0xED), typematic rate (0xF3)
      return;
    }
    switch (v) {
      case 0xed: case 0xf0: case 0xf3: this.kbdArgFor = v; this.push(0xfa); return;
      case 0xee: this.push(0xee); return;                            // echo
      case 0xf2: this.push(0xfa); this.push(0xab); this.push(0x83); return;   // identify: MF2 keyboard
      case 0xff: this.push(0xfa); this.push(0xaa); return;           // reset, self test passed
      case 0xf4: case 0xf5: case 0xf6: this.push(0xfa); return;      // enable, disable, defaults
      default: this.push(0xfe);                                      // resend
    }
  }

  private mouseCommand(v: number): void {
    if (this.mouseArgFor) { this.mouseArgFor = 0; this.push(0xfa, true); return; }
    switch (v) {
      case 0xe8: case 0xf3: this.mouseArgFor = v; this.push(0xfa, true); return;   // resolution, sample rate
      case 0xf2: this.push(0xfa, true); this.push(0x00, true); return;            // identify: standard mouse
      case 0xff: this.push(0xfa, true); this.push(0xaa, true); this.push(0x00, true); return;
      case 0xe9: this.push(0xfa, true); this.push(0x00, true); this.push(0x02, true); this.push(0x64, true); return;   // status
      default: this.push(0xfa, true);
    }
  }

  state(): Record<string, unknown> {
    return { status: this.status, mode: this.mode, outport: this.outport, queue: [...this.queue] };
  }
}

/**
 * Port 0x92, "system control port A" (PS/2 fast A20 and reset; QEMU's
 * Port92): bit 1 is the A20 gate, a 0 → 1 change of bit 0 resets the machine.
 */
export class Port92 implements MMIODevice {
  readonly type = 'port92';
  value = 0;
  constructor(private readonly board: I8042Board) {}
  read(): number { return this.value; }
  write(_o: number, v: number): void {
    const old = this.value;
    this.value = v & 0x02;   // bit 0 reads back 0 (QEMU)
    this.board.setA20((v & 2) !== 0);
    if ((v & 1) && !(old & 1)) this.board.reset();
  }
  reset(): void { this.value = 0; }
}
