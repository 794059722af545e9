/**
 * Parallel NOR flash with the Intel/Sharp command set and a CFI query table
 * (CFI primary vendor command set 0001), modelled on QEMU's `pflash_cfi01`.
 *
 * A bank is `bankWidth` bytes wide, built from `bankWidth / deviceWidth`
 * identical chips side by side (QEMU's virt board: two 16-bit chips making
 * a 32-bit bank, 256 KiB sectors, 64 MiB per bank). Every chip receives the
 * same command and answers status, ID and CFI reads in its own byte lanes,
 * so answers are replicated across the bank: a 32-bit CFI read of 'Q' on
 * virt returns 0x00510051. Query and ID addresses count in bank words
 * (byte offset >> log2(bankWidth)).
 *
 * The array lives in `data`, a view into the machine's guest memory: while
 * the flash is in read-array mode the memory system maps it as ROM and the
 * CPU reads it directly; any command takes it out of that mode and
 * `onRomdChange(false)` routes reads to `read` until the guest writes Read
 * Array again (`onRomdChange(true)`). No timing is modelled: every
 * operation completes at once and the status register reads ready (0x80).
 * Unlike QEMU, which erases as soon as the Block Erase setup (0x20) is
 * written, the block is erased on the confirm (0xD0), as the datasheets say.
 */
import type { DeviceLog, MMIODevice } from '../device.js';

// Commands (Intel StrataFlash / Sharp command set, CFI ID 0001)
export const CMD_READ_ARRAY = 0xff;
export const CMD_READ_ARRAY_QEMU = 0x00;   // not in the standard; QEMU treats it as Read Array
export const CMD_AMD_RESET = 0xf0;         // AMD-style reset written by probing firmware; Read Array here
export const CMD_READ_ID = 0x90;           // read identifier codes
export const CMD_READ_STATUS = 0x70;
export const CMD_CLEAR_STATUS = 0x50;
export const CMD_CFI_QUERY = 0x98;
export const CMD_BLOCK_ERASE = 0x20;       // block erase setup, then CMD_CONFIRM
export const CMD_BLOCK_ERASE_ALT = 0x28;
export const CMD_WORD_PROGRAM = 0x40;      // program setup, then one data write
export const CMD_WORD_PROGRAM_ALT = 0x10;
export const CMD_WRITE_TO_BUFFER = 0xe8;   // then word count N-1, N data writes, CMD_CONFIRM
export const CMD_CONFIRM = 0xd0;           // erase / buffer program confirm, also block unlock
export const CMD_LOCK_SETUP = 0x60;        // then CMD_LOCK_BLOCK, CMD_UNLOCK_BLOCK or CMD_LOCK_DOWN
export const CMD_LOCK_BLOCK = 0x01;
export const CMD_UNLOCK_BLOCK = 0xd0;
export const CMD_LOCK_DOWN = 0x2f;

// Status register bits
export const SR_READY = 0x80;          // SR.7 write state machine ready
export const SR_ERASE_ERROR = 0x20;    // SR.5
export const SR_PROGRAM_ERROR = 0x10;  // SR.4

// Read-identifier addresses (in bank words)
const ID_MANUFACTURER = 0x00;
const ID_DEVICE = 0x01;
const ID_BLOCK_LOCK = 0x02;

/** Internal mode value for read-array (QEMU's convention: command byte 0). */
const MODE_READ_ARRAY = 0x00;

export interface PFlashOptions {
  /** The flash array: a view into guest memory, length = whole bank (a multiple of sectorSize). */
  data: Uint8Array;
  /** Erase block size of the bank in bytes (virt: 256 KiB). */
  sectorSize: number;
  /** Bytes per bus access: 1, 2 or 4 (virt: 4). */
  bankWidth: number;
  /** Bytes per chip: 1, 2 or 4, at most bankWidth (virt: 2). */
  deviceWidth: number;
  /** Program and erase fail with an error status instead of changing `data`. */
  readOnly: boolean;
  log: DeviceLog;
  /** Called with true when the flash returns to read-array mode, false when it leaves it. */
  onRomdChange: (romd: boolean) => void;
  /** Called after `data` changed (program, erase, buffer program), e.g. to persist a backing file. */
  onWrite?: (offset: number, length: number) => void;
  /** Identifier codes per chip: manufacturer, device (virt: 0x89, 0x18 — an Intel part). */
  id?: [number, number];
}

export class PFlashCFI01 implements MMIODevice {
  readonly type = 'cfi-flash';

  readonly data: Uint8Array;
  readonly sectorSize: number;
  readonly bankWidth: number;
  readonly deviceWidth: number;
  readonly readOnly: boolean;
  /** Bytes accepted by one Write to Buffer across the whole bank. */
  readonly writeBufferSize: number;
  /** One chip's CFI query table, indexed by query address. */
  readonly cfiTable = new Uint8Array(0x52);
  private readonly id: [number, number];
  private readonly log: DeviceLog;
  private readonly onRomdChange: (romd: boolean) => void;
  private readonly onWrite?: (offset: number, length: number) => void;

  // State
  cmd = MODE_READ_ARRAY; // the command that selects what reads return
  wcycle = 0;            // which write of a multi-cycle command comes next
  status = SR_READY;
  counter = 0;           // Write to Buffer: data writes still expected, minus one
  romd = true;           // read-array mode: the memory system maps `data` directly
  bufOffset = -1;        // Write to Buffer: start of the block being filled, -1 when none
  private buf: Uint8Array;

  constructor(opts: PFlashOptions) {
    const { data, sectorSize, bankWidth, deviceWidth } = opts;
    if (![1, 2, 4].includes(bankWidth)) throw new RangeError(`cfi-flash: bank width must be 1, 2 or 4, not ${bankWidth}`);
    if (![1, 2, 4].includes(deviceWidth) || deviceWidth > bankWidth) {
      throw new RangeError(`cfi-flash: device width ${deviceWidth} does not fit bank width ${bankWidth}`);
    }
    if (sectorSize <= 0 || (sectorSize & (sectorSize - 1)) !== 0) throw new RangeError(`cfi-flash: sector size ${sectorSize} is not a power of two`);
    if (data.length === 0 || data.length % sectorSize !== 0) {
      throw new RangeError(`cfi-flash: size ${data.length} is not a whole number of ${sectorSize}-byte sectors`);
    }
    this.data = data;
    this.sectorSize = sectorSize;
    this.bankWidth = bankWidth;
    this.deviceWidth = deviceWidth;
    this.readOnly = opts.readOnly;
    this.log = opts.log;
    this.onRomdChange = opts.onRomdChange;
    this.onWrite = opts.onWrite;
    this.id = opts.id ?? [0x89, 0x18];
    this.writeBufferSize = this.fillCfiTable();
    this.buf = new Uint8Array(this.writeBufferSize);
  }

  /**
   * The CFI query structure one chip answers (JEDEC JESD68 / Intel AP-646),
   * with the values QEMU computes: the bank's sectors are split across the
   * chips, so each chip has the same number of blocks at 1/n the size.
   */
  private fillCfiTable(): number {
    const t = this.cfiTable;
    const chips = this.bankWidth / this.deviceWidth;
    const blocks = this.data.length / this.sectorSize;
    const chipSectorSize = this.sectorSize / chips;
    const chipSize = chipSectorSize * blocks;
    // Query-unique ASCII string "QRY"
    t[0x10] = 0x51; t[0x11] = 0x52; t[0x12] = 0x59;
    // Primary vendor command set 0001 (Intel/Sharp extended) and its table at 0x31
    t[0x13] = 0x01; t[0x14] = 0x00;
    t[0x15] = 0x31; t[0x16] = 0x00;
    // No alternate command set
    t[0x17] = 0x00; t[0x18] = 0x00; t[0x19] = 0x00; t[0x1a] = 0x00;
    // Vcc min 4.5 V, max 5.5 V; no Vpp pin
    t[0x1b] = 0x45; t[0x1c] = 0x55; t[0x1d] = 0x00; t[0x1e] = 0x00;
    // Typical timeouts: word program 2^7 us, buffer write 2^7 us, block erase 2^10 ms, no chip erase
    t[0x1f] = 0x07; t[0x20] = 0x07; t[0x21] = 0x0a; t[0x22] = 0x00;
    // Maximum timeouts (2^n times typical)
    t[0x23] = 0x04; t[0x24] = 0x04; t[0x25] = 0x04; t[0x26] = 0x00;
    // Device size 2^n bytes
    t[0x27] = Math.floor(Math.log2(chipSize));
    // Interface: x8/x16 asynchronous
    t[0x28] = 0x02; t[0x29] = 0x00;
    // Maximum bytes in a multi-byte (buffer) write, 2^n
    t[0x2a] = this.bankWidth === 1 ? 0x08 : 0x0b; t[0x2b] = 0x00;
    // One erase block region: (blocks - 1), block size / 256
    t[0x2c] = 0x01;
    t[0x2d] = (blocks - 1) & 0xff; t[0x2e] = ((blocks - 1) >> 8) & 0xff;
    t[0x2f] = (chipSectorSize >> 8) & 0xff; t[0x30] = (chipSectorSize >> 16) & 0xff;
    // Primary extended query table "PRI", version 1.0, no optional features
    t[0x31] = 0x50; t[0x32] = 0x52; t[0x33] = 0x49;
    t[0x34] = 0x31; t[0x35] = 0x30;
    t[0x3f] = 0x01; // number of protection register fields
    const perChip = 1 << t[0x2a];
    return chips > 1 ? perChip * chips : perChip;
  }

  reset(): void {
    this.cmd = MODE_READ_ARRAY;
    this.wcycle = 0;
    this.status = SR_READY;
    this.counter = 0;
    this.bufOffset = -1;
    this.setRomd(true);
  }

  // --- reads ---

  read(offset: number, size: number, _cpu: number): number {
    if (this.cmd === MODE_READ_ARRAY) return this.readArray(offset, size);
    // Status, ID and CFI answers: build each bank word, then take the bytes
    // the access covers (so narrow and wide accesses see the right lanes).
    let v = 0;
    const lane = this.bankWidth - 1;
    let wordAddr = -1;
    let word = 0;
    for (let i = 0; i < size; i++) {
      const a = offset + i;
      if ((a & ~lane) !== wordAddr) {
        wordAddr = a & ~lane;
        word = this.bankWord(wordAddr);
      }
      v |= ((word >>> ((a & lane) * 8)) & 0xff) << (8 * i);
    }
    return v >>> 0;
  }

  private readArray(offset: number, size: number): number {
    const d = this.data;
    if (offset < 0 || offset + size > d.length) return 0;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = (v << 8) | d[offset + i];
    return v >>> 0;
  }

  /** What the bank drives for one bank-aligned address in the current (non-array) mode. */
  private bankWord(addr: number): number {
    const index = addr >>> Math.log2(this.bankWidth);
    let chip: number;
    switch (this.cmd) {
      case CMD_READ_ID:
        switch (index & 0xff) {
          case ID_MANUFACTURER: chip = this.id[0]; break;
          case ID_DEVICE: chip = this.id[1]; break;
          case ID_BLOCK_LOCK: chip = 0; break; // unlocked
          default: chip = 0;
        }
        break;
      case CMD_CFI_QUERY:
        chip = index < this.cfiTable.length ? this.cfiTable[index] : 0;
        break;
      default: // every other command reads the status register
        chip = this.status;
    }
    return this.replicate(chip);
  }

  /** One chip's answer copied into every chip's lanes of the bank. */
  private replicate(chip: number): number {
    const bits = this.deviceWidth * 8;
    chip = bits === 32 ? chip >>> 0 : chip & ((1 << bits) - 1);
    let v = 0;
    for (let shift = 0; shift < this.bankWidth * 8; shift += bits) v |= chip << shift;
    return v >>> 0;
  }

  // --- writes (commands and data) ---

  write(offset: number, value: number, size: number, _cpu: number): void {
    const cmd = value & 0xff;
    switch (this.wcycle) {
      case 0:
        this.firstCycle(offset, cmd);
        return;
      case 1:
        this.secondCycle(offset, value, size, cmd);
        return;
      case 2:
        this.bufferData(offset, value, size);
        return;
      case 3:
        this.bufferConfirm(cmd);
        return;
    }
  }

  private firstCycle(offset: number, cmd: number): void {
    switch (cmd) {
      case CMD_READ_ARRAY:
      case CMD_READ_ARRAY_QEMU:
      case CMD_AMD_RESET:
        this.readArrayMode();
        return;
      case CMD_CLEAR_STATUS:
        this.status = SR_READY;
        this.readArrayMode(); // as QEMU: clearing status also returns to read array
        return;
      case CMD_READ_STATUS:
      case CMD_READ_ID:
      case CMD_CFI_QUERY:
        this.enterMode(cmd, 0);
        return;
      case CMD_WORD_PROGRAM:
      case CMD_WORD_PROGRAM_ALT:
      case CMD_BLOCK_ERASE:
      case CMD_BLOCK_ERASE_ALT:
      case CMD_LOCK_SETUP:
        this.enterMode(cmd, 1);
        return;
      case CMD_WRITE_TO_BUFFER:
        this.status |= SR_READY; // buffer available
        this.enterMode(cmd, 1);
        return;
    }
    this.unknownSequence(offset, cmd);
  }

  private secondCycle(offset: number, value: number, size: number, cmd: number): void {
    switch (this.cmd) {
      case CMD_WORD_PROGRAM:
      case CMD_WORD_PROGRAM_ALT:
        if (this.readOnly || !this.inRange(offset, size)) {
          this.status |= SR_PROGRAM_ERROR;
        } else {
          this.store(this.data, offset, value, size);
          this.onWrite?.(offset, size);
        }
        this.status |= SR_READY;
        this.wcycle = 0; // stays in status mode
        return;
      case CMD_BLOCK_ERASE:
      case CMD_BLOCK_ERASE_ALT:
        if (cmd === CMD_CONFIRM) {
          this.eraseBlock(offset);
          this.wcycle = 0;
        } else if (cmd === CMD_READ_ARRAY) {
          this.readArrayMode();
        } else {
          this.unknownSequence(offset, cmd);
        }
        return;
      case CMD_LOCK_SETUP:
        if (cmd === CMD_LOCK_BLOCK || cmd === CMD_UNLOCK_BLOCK || cmd === CMD_LOCK_DOWN) {
          // Block locking is accepted but not enforced, as in QEMU.
          this.status |= SR_READY;
          this.wcycle = 0;
        } else {
          if (cmd !== CMD_READ_ARRAY) this.log.guestError(`cfi-flash: unknown lock command 0x${cmd.toString(16)}`);
          this.readArrayMode();
        }
        return;
      case CMD_WRITE_TO_BUFFER: {
        // Word count N-1, in each chip's lanes; take one chip's copy.
        const bits = this.deviceWidth * 8;
        this.counter = bits === 32 ? value >>> 0 : value & ((1 << bits) - 1);
        this.bufOffset = -1;
        this.wcycle = 2;
        return;
      }
    }
    this.unknownSequence(offset, cmd);
  }

  /** Write to Buffer, data phase: N = counter + 1 writes. */
  private bufferData(offset: number, value: number, size: number): void {
    if (this.bufOffset === -1) {
      // The first address fixes the buffer-sized block being programmed.
      this.bufOffset = offset & ~(this.writeBufferSize - 1);
      this.buf.set(this.data.subarray(this.bufOffset, this.bufOffset + this.writeBufferSize));
    }
    const rel = offset - this.bufOffset;
    if (this.readOnly || rel < 0 || rel + size > this.writeBufferSize) {
      this.status |= SR_PROGRAM_ERROR;
    } else {
      this.store(this.buf, rel, value, size);
    }
    this.status |= SR_READY;
    if (this.counter === 0) this.wcycle = 3;
    else this.counter--;
  }

  /** Write to Buffer, confirm phase: program the buffer on 0xD0, abort otherwise. */
  private bufferConfirm(cmd: number): void {
    if (cmd === CMD_CONFIRM && !(this.status & SR_PROGRAM_ERROR) && this.bufOffset !== -1) {
      const len = Math.min(this.writeBufferSize, this.data.length - this.bufOffset);
      this.data.set(this.buf.subarray(0, len), this.bufOffset);
      this.onWrite?.(this.bufOffset, len);
      this.bufOffset = -1;
      this.status |= SR_READY;
      this.wcycle = 0; // stays in status mode
      return;
    }
    this.bufOffset = -1;
    if (cmd !== CMD_CONFIRM && cmd !== CMD_READ_ARRAY) {
      this.log.guestError(`cfi-flash: write to buffer not confirmed (0x${cmd.toString(16)})`);
    }
    this.readArrayMode();
  }

  private eraseBlock(offset: number): void {
    const start = offset & ~(this.sectorSize - 1);
    if (this.readOnly || start < 0 || start >= this.data.length) {
      this.status |= SR_ERASE_ERROR;
    } else {
      this.data.fill(0xff, start, start + this.sectorSize);
      this.onWrite?.(start, this.sectorSize);
    }
    this.status |= SR_READY;
  }

  private store(dst: Uint8Array, offset: number, value: number, size: number): void {
    for (let i = 0; i < size; i++) dst[offset + i] = (value >>> (8 * i)) & 0xff;
  }

  private inRange(offset: number, size: number): boolean {
    return offset >= 0 && offset + size <= this.data.length;
  }

  private enterMode(cmd: number, wcycle: number): void {
    this.cmd = cmd;
    this.wcycle = wcycle;
    this.setRomd(false);
  }

  private readArrayMode(): void {
    this.cmd = MODE_READ_ARRAY;
    this.wcycle = 0;
    this.bufOffset = -1;
    this.setRomd(true);
  }

  private unknownSequence(offset: number, cmd: number): void {
    this.log.unimp(`cfi-flash: unimplemented command sequence (offset 0x${offset.toString(16)}, ` +
      `cycle ${this.wcycle}, command 0x${this.cmd.toString(16)}, value 0x${cmd.toString(16)})`);
    this.readArrayMode();
  }

  private setRomd(romd: boolean): void {
    if (romd === this.romd) return;
    this.romd = romd;
    this.onRomdChange(romd);
  }

  state(): Record<string, unknown> {
    return {
      cmd: this.cmd, wcycle: this.wcycle, status: this.status, counter: this.counter, romd: this.romd,
      bufOffset: this.bufOffset, size: this.data.length, sectorSize: this.sectorSize,
      bankWidth: this.bankWidth, deviceWidth: this.deviceWidth, readOnly: this.readOnly,
    };
  }
}
