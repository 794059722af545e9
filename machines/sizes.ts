/**
 * Sizes and addresses as machine files and the command line write them
 * ('256M', '0x0900_0000'), and their short forms for messages. No YAML here:
 * the command line and the pre-built machine configs use it without loading
 * the YAML library.
 */
const KiB = 1024;
const SUFFIX: Record<string, number> = { '': 1, k: KiB, m: KiB ** 2, g: KiB ** 3, t: KiB ** 4 };

/**
 * '256M', '1G', '1.5G', '0x1000', '0x0900_0000', '4096B', 4096 → bytes.
 * A bare number counts in `unit` bytes: 1 for device sizes, MiB where QEMU's
 * `-m` does. undefined when malformed or not a whole number of bytes.
 */
export function parseSize(v: string | number, unit = 1): number | undefined {
  if (typeof v === 'number') {
    const n = v * unit;
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  }
  const m = /^(0x[0-9a-f_]+|[0-9][0-9_]*(?:\.[0-9]+)?)([kmgt]?)(i?b)?$/i.exec(v.trim());
  if (!m) return undefined;
  const digits = m[1].replace(/_/g, '');
  const num = digits.startsWith('0x') || digits.startsWith('0X') ? parseInt(digits, 16) : Number(digits);
  const suffix = m[2].toLowerCase();
  const mul = suffix !== '' ? SUFFIX[suffix] : m[3] ? 1 : unit;
  if (m[3] && m[3].length === 2 && suffix === '') return undefined; // 'iB' alone
  const n = num * mul;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Human form of a byte count for messages: 256M, 64K, 0x200. */
export function formatSize(n: number): string {
  for (const [s, mul] of [['G', KiB ** 3], ['M', KiB ** 2], ['K', KiB]] as const) {
    if (n >= mul && n % mul === 0) return `${n / mul}${s}`;
  }
  return `0x${n.toString(16)}`;
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

