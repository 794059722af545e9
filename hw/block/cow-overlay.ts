/**
 * `-snapshot` / `snapshot=on`: the guest writes into memory, sector by
 * sector, on top of an image that is only ever read. Reads take each
 * sector from the overlay when the guest wrote it, from the image
 * otherwise. Nothing reaches the file, and the overlay is gone at exit.
 */
import type { BlockBackend, DriveInfo } from './block-backend.js';

const SECTOR = 512;

export class CowOverlay implements BlockBackend {
  readonly readOnly = false;
  /** Sector number -> its current contents, for sectors the guest wrote. */
  readonly sectors = new Map<number, Uint8Array>();

  constructor(private readonly base: BlockBackend) {}

  get size(): number { return this.base.size; }

  read(buf: Uint8Array, off: number, len: number, pos: number): void {
    // Runs of untouched sectors go to the image in one read.
    let at = 0;
    while (at < len) {
      const sector = Math.floor((pos + at) / SECTOR), inSector = (pos + at) % SECTOR;
      const n = Math.min(len - at, SECTOR - inSector);
      const mine = this.sectors.get(sector);
      if (mine) {
        buf.set(mine.subarray(inSector, inSector + n), off + at);
        at += n;
        continue;
      }
      let run = n;
      while (at + run < len && !this.sectors.has(Math.floor((pos + at + run) / SECTOR))) run += Math.min(SECTOR, len - at - run);
      this.base.read(buf, off + at, run, pos + at);
      at += run;
    }
  }

  write(buf: Uint8Array, off: number, len: number, pos: number): void {
    let at = 0;
    while (at < len) {
      const sector = Math.floor((pos + at) / SECTOR), inSector = (pos + at) % SECTOR;
      const n = Math.min(len - at, SECTOR - inSector);
      let mine = this.sectors.get(sector);
      if (!mine) {
        mine = new Uint8Array(SECTOR);
        if (n < SECTOR) this.base.read(mine, 0, SECTOR, sector * SECTOR);   // keep the bytes the write leaves alone
        this.sectors.set(sector, mine);
      }
      mine.set(buf.subarray(off + at, off + at + n), inSector);
      at += n;
    }
  }

  flush(): void { /* nothing is meant to last */ }

  close(): void {
    this.sectors.clear();
    this.base.close();
  }

  describe(): DriveInfo { return { ...this.base.describe(), readOnly: false, snapshot: true }; }
}
