/**
 * machines/: what a machine is made of. Each `NAME.yaml` here describes one
 * board (RAM, CPUs, devices, boot); `schema.ts` validates it, the builder
 * wires it, `virt-dtb.ts` writes the device tree a virt guest expects.
 * `-M NAME` picks `NAME.yaml` from this folder; QEMU's names are aliases.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** QEMU's machine names for ours, so a pasted QEMU command line picks the same board. */
export const MACHINE_ALIASES: Record<string, string> = { virt: 'arm-virt', versatilepb: 'arm-versatilepb', pc: 'x86-pc' };

export const DEFAULT_MACHINE = 'arm-virt';

/**
 * The YAML files live beside the sources; compiled code runs from
 * dist/machines/, so look in both places.
 */
function machineDirs(): string[] {
  return [new URL('./', import.meta.url), new URL('../../machines/', import.meta.url)]
    .map((u) => fileURLToPath(u))
    .filter((d) => existsSync(d));
}

/** Path of the YAML for `-M name` (alias or own name), or undefined when there is none. */
export function machineFile(name: string): string | undefined {
  const own = MACHINE_ALIASES[name] ?? name;
  if (!/^[A-Za-z0-9._-]+$/.test(own)) return undefined;
  for (const dir of machineDirs()) {
    const file = `${dir}${own}.yaml`;
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Machine names for `-M help`, each with its QEMU alias if any. */
export function listMachines(): { name: string; aliases: string[] }[] {
  const names = new Set<string>();
  for (const dir of machineDirs()) {
    for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) names.add(f.slice(0, -'.yaml'.length));
  }
  return [...names].sort().map((name) => ({
    name,
    aliases: Object.keys(MACHINE_ALIASES).filter((a) => MACHINE_ALIASES[a] === name),
  }));
}
