/**
 * Swaps every remote image named in a validated MachineConfig (boot files,
 * device `path` props, drive files) for its local cached copy, so that the
 * builder and the board loaders only ever see plain paths. main.ts awaits
 * this between validating the configuration and building the machine:
 * a failed download stops everything before the machine exists.
 */
import type { MachineConfig } from '../machines/config.js';
import { hostFileSlots } from '../machines/host-files.js';
import { isRemote } from '../machines/image-ref.js';
import type { ResolveOptions } from './remote-image.js';

/** Downloads (or finds in the cache) each remote image in turn; ConfigError on the first failure. */
export async function resolveRemoteImages(cfg: MachineConfig, opts: Omit<ResolveOptions, 'what'> = {}): Promise<void> {
  for (const slot of hostFileSlots(cfg)) {
    if (!isRemote(slot.value)) continue;
    // The downloader (and node:crypto with it) loads only when some image is remote.
    slot.set(await (await import('./remote-image.js')).resolveImage(slot.value, undefined, { ...opts, what: slot.what }));
  }
}
