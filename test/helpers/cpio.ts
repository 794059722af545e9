/** One file out of a gzipped newc cpio archive (the fixtures' initramfs images). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export function cpioFile(archive: string, want: string): Buffer {
  const d = gunzipSync(readFileSync(archive));
  for (let i = 0; i + 110 <= d.length;) {
    const field = (k: number) => parseInt(d.toString('latin1', i + 6 + 8 * k, i + 14 + 8 * k), 16);
    const size = field(6), nameSize = field(11);
    const name = d.toString('latin1', i + 110, i + 110 + nameSize - 1);
    const data = (i + 110 + nameSize + 3) & ~3;
    if (name === want) return d.subarray(data, data + size);
    if (name === 'TRAILER!!!') break;
    i = (data + size + 3) & ~3;
  }
  throw new Error(`${want} not in ${archive}`);
}
