/**
 * A DriveConfig made into a BlockBackend: the raw file, read-only when asked
 * or when snapshot keeps the file untouched, with the copy-on-write overlay
 * on top for snapshot. Failures become one ConfigError naming the file.
 */
import { ConfigError, type DriveConfig } from './config.js';
import type { BlockBackend } from '../hw/block/block-backend.js';
import { CowOverlay } from '../hw/block/cow-overlay.js';
import { RawFile } from '../hw/block/raw-file.js';

export function openDrive(drive: DriveConfig): BlockBackend {
  let raw: RawFile;
  try {
    raw = new RawFile(drive.file, drive.readonly || drive.snapshot);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`tsemu: drive '${drive.file}': could not open: ${code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
  }
  if (drive.snapshot && !drive.readonly) return new CowOverlay(raw);
  // A file we cannot write is served read-only, and the guest is told (VIRTIO_BLK_F_RO).
  return raw;
}
