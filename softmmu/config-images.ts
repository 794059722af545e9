/**
 * Swaps every remote image named in a validated MachineConfig (boot files,
 * device `path` props, drive files) for its local cached copy, so that the
 * builder and the board loaders only ever see plain paths. main.ts awaits
 * this between validating the configuration and building the machine:
 * a failed download stops everything before the machine exists.
 */
import type { MachineConfig } from '../machines/config.js';
import { deviceType } from '../machines/device-types.js';
import { isRemote } from '../machines/image-ref.js';
import type { ResolveOptions } from './remote-image.js';

/** Downloads (or finds in the cache) each remote image in turn; ConfigError on the first failure. */
export async function resolveRemoteImages(cfg: MachineConfig, opts: Omit<ResolveOptions, 'what'> = {}): Promise<void> {
  // The downloader (and node:crypto with it) loads only when some image is remote.
  const get = async (what: string, v: unknown) => (typeof v === 'string' && isRemote(v)
    ? (await import('./remote-image.js')).resolveImage(v, undefined, { ...opts, what }) : undefined);
  for (const k of ['bios', 'kernel', 'initrd', 'dtb'] as const) {
    const local = await get(k, cfg.boot[k]);
    if (local) cfg.boot[k] = local;
  }
  for (const d of cfg.devices) {
    for (const [key, spec] of Object.entries(deviceType(d.type)?.props ?? {})) {
      const v = d.props[key];
      if (spec.kind === 'path') {
        const local = await get(`${d.name}.${key}`, v);
        if (local) d.props[key] = local;
      } else if (spec.kind === 'drive' && v && typeof v === 'object') {
        const drive = v as Record<string, unknown>;
        const local = await get(`${d.name}.${key}.file`, drive.file);
        if (local) drive.file = local;
      }
    }
  }
}
