/**
 * How a configuration names a remote image: an http(s) URL, optionally with
 * the image's SHA-256 in the fragment, `https://host/zImage#sha256=HEX`.
 * The fragment is never sent to a server, so it cannot clash with the URL's
 * meaning, and the pair stays one string: BootConfig and device props keep
 * holding plain strings until softmmu/remote-image.ts swaps each remote one
 * for a path in the download cache, before the machine is built.
 * This file only reads and writes that syntax; it touches no network.
 */

export interface ImageRef {
  /** The URL without its fragment: what is fetched and what keys the cache. */
  url: string;
  /** Lower-case hex, when the configuration gave one. */
  sha256?: string;
}

const SHA256 = /^[0-9a-f]{64}$/i;

/** Whether a configured path is a URL to download rather than a local file. */
export function isRemote(pathOrUrl: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl);
}

/** Why `hex` is not a SHA-256 digest, or undefined when it is one. */
export function sha256Problem(hex: string): string | undefined {
  return SHA256.test(hex) ? undefined : `expected a sha256 of 64 hex digits, got '${hex}'`;
}

/**
 * `URL[#sha256=HEX]` → its parts; throws an Error whose message says what is
 * wrong (the caller adds the option or YAML key in front).
 */
export function parseImageRef(text: string): ImageRef {
  const hash = text.indexOf('#');
  const base = hash >= 0 ? text.slice(0, hash) : text;
  let u: URL;
  try { u = new URL(base); } catch { throw new Error(`'${base}' is not a valid URL`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`only http:// and https:// URLs can be downloaded, got '${u.protocol}'`);
  if (hash < 0) return { url: base };
  const frag = text.slice(hash + 1);
  const m = /^sha256=(.*)$/.exec(frag);
  if (!m) throw new Error(`unknown URL fragment '#${frag}' (expected #sha256=HEX)`);
  const problem = sha256Problem(m[1]);
  if (problem) throw new Error(problem);
  return { url: base, sha256: m[1].toLowerCase() };
}

/** The one-string form kept in a MachineConfig. */
export function formatImageRef(ref: ImageRef): string {
  return ref.sha256 ? `${ref.url}#sha256=${ref.sha256}` : ref.url;
}
