/**
 * A raw disk image in a host file. Reads and writes go straight to the file
 * at their offsets (positioned readSync/writeSync, no cache of our own), so
 * an emulator that is killed loses nothing the guest already wrote; FLUSH
 * and exit add an fsync.
 */
import { closeSync, constants, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import type { BlockBackend, DriveInfo } from './block-backend.js';

export class RawFile implements BlockBackend {
  readonly size: number;
  readonly readOnly: boolean;
  private fd: number | null;

  /**
   * Opens `path` read-write unless `readOnly` is asked for; a file that
   * cannot be written (permissions, read-only mount) falls back to
   * read-only. Other failures (missing file) throw the fs error.
   */
  constructor(readonly path: string, readOnly = false) {
    let fd: number | undefined;
    if (!readOnly) {
      try {
        fd = openSync(path, constants.O_RDWR);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw e;
      }
    }
    this.readOnly = fd === undefined;
    this.fd = fd ?? openSync(path, constants.O_RDONLY);
    const st = fstatSync(this.fd);
    if (!st.isFile()) { closeSync(this.fd); throw new Error(`'${path}' is not a regular file`); }
    this.size = st.size;
  }

  read(buf: Uint8Array, off: number, len: number, pos: number): void {
    const fd = this.open();
    let done = 0;
    while (done < len) {
      const n = readSync(fd, buf, off + done, len - done, pos + done);
      if (n === 0) { buf.fill(0, off + done, off + len); return; }   // past the end reads as zeros
      done += n;
    }
  }

  write(buf: Uint8Array, off: number, len: number, pos: number): void {
    if (this.readOnly) throw new Error(`${this.path} is read-only`);
    const fd = this.open();
    let done = 0;
    while (done < len) done += writeSync(fd, buf, off + done, len - done, pos + done);
  }

  flush(): void {
    if (!this.readOnly && this.fd !== null) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
  }

  describe(): DriveInfo { return { file: this.path, format: 'raw', readOnly: this.readOnly, snapshot: false }; }

  private open(): number {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    return this.fd;
  }
}
