/** newc cpio archives: one file out of the fixtures' gzipped initramfs images, and small archives to append to them. */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

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

/** A gzipped newc cpio archive of regular files at the root, mode 0644 (Linux takes it appended to an initramfs). */
export function cpioArchive(files: { name: string; data: Uint8Array }[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  const pad = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);
  const entry = (name: string, mode: number, data: Uint8Array) => {
    const fields = [ino++, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length + 1, 0];
    const head = Buffer.from('070701' + fields.map((f) => f.toString(16).padStart(8, '0')).join('') + name + '\0', 'latin1');
    parts.push(head, pad(head.length), Buffer.from(data), pad(data.length));
  };
  for (const f of files) entry(f.name, 0o100644, f.data);
  entry('TRAILER!!!', 0, new Uint8Array(0));
  return gzipSync(Buffer.concat(parts));
}
