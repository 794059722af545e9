/**
 * What a disk model reads and writes: a byte-addressed image of fixed size
 * (QEMU's BlockBackend, reduced to what a synchronous device needs). Every
 * call completes before it returns; errors throw and the device reports
 * them to the guest as I/O errors.
 */
export interface BlockBackend {
  /** Image size in bytes. */
  readonly size: number;
  /** Writes are refused (readonly=on, or the file could not be opened for writing). */
  readonly readOnly: boolean;
  /** Copy `len` bytes at image offset `pos` into `buf[off..]`. */
  read(buf: Uint8Array, off: number, len: number, pos: number): void;
  /** Store `len` bytes from `buf[off..]` at image offset `pos`. */
  write(buf: Uint8Array, off: number, len: number, pos: number): void;
  /** Make completed writes durable (fsync). */
  flush(): void;
  close(): void;
  /** For `info block`. */
  describe(): DriveInfo;
}

export interface DriveInfo { file: string; format: string; readOnly: boolean; snapshot: boolean }
