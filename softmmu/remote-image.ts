/**
 * A remote image becomes a local file: `resolveImage(pathOrUrl, sha256?)`
 * returns a path any loader can read. URLs are downloaded once into the
 * cache folder and reused; local paths come back unchanged (verified when a
 * sha256 is given).
 *
 * The cache never holds a partial or wrong file: a download goes to a
 * temporary file in the cache folder, is hashed while it streams, and is
 * renamed into place (atomic within one file system) only when it is
 * complete and matches. Every failure, Ctrl-C included, removes the
 * temporary file and becomes one ConfigError naming the URL.
 *
 * A cached file with a known sha256 is hashed again before each use (a
 * local read, far cheaper than the download), so a damaged copy is fetched
 * anew. Without a sha256 the cached copy is trusted as it is: delete it
 * (or the whole cache folder) to fetch the URL again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
// node-fetch (and its ~30 modules) loads only when something is downloaded: it would add to every start-up.
const loadFetch = async () => (await import('node-fetch')).default;
import { ConfigError } from '../machines/config.js';
import { isRemote, parseImageRef, sha256Problem } from '../machines/image-ref.js';
import { Progress, type ProgressOut } from '../ui/progress.js';

export interface ResolveOptions {
  /** What the image is for, to start messages: 'kernel', 'boot.initrd'. */
  what?: string;
  /** Overrides cacheDir(). */
  cacheDir?: string;
  /** Aborts the download; without one, SIGINT/SIGTERM/SIGHUP do while it runs. */
  signal?: AbortSignal;
  /** Where progress goes; process.stderr by default. */
  progress?: ProgressOut;
}

/** `$TSEMU_CACHE_DIR`, else `$XDG_CACHE_HOME/tsemu`, else `~/.cache/tsemu` (the XDG default). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TSEMU_CACHE_DIR) return env.TSEMU_CACHE_DIR;
  // XDG says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'tsemu');
}

/**
 * The cache file for a URL (and expected hash): a digest of both keeps
 * different URLs with the same name apart, and the URL's own file name
 * keeps the folder readable to a person cleaning it up.
 */
export function cacheName(url: string, sha256?: string): string {
  const key = createHash('sha256').update(sha256 ? `${url}#sha256=${sha256}` : url).digest('hex').slice(0, 16);
  let base = '';
  try { base = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? ''); } catch { /* keep '' */ }
  base = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 80);
  return `${key}-${base || 'image'}`;
}

/** SHA-256 of a file, read as a stream so multi-GiB disk images cost no memory. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * A path to read the image from: `pathOrUrl` itself when local, else the
 * cached download of the URL. `sha256` (hex) may also come in the URL as
 * `#sha256=HEX`; the two must then agree.
 */
export async function resolveImage(pathOrUrl: string, sha256?: string, opts: ResolveOptions = {}): Promise<string> {
  const prefix = `tsemu: ${opts.what ? `${opts.what} ` : ''}`;
  if (sha256 !== undefined) {
    const problem = sha256Problem(sha256);
    if (problem) throw new ConfigError(`${prefix}${pathOrUrl}: ${problem}`);
    sha256 = sha256.toLowerCase();
  }
  if (!isRemote(pathOrUrl)) {
    if (sha256 !== undefined) {
      let got: string;
      try { got = await sha256File(pathOrUrl); } catch (e) { throw new ConfigError(`${prefix}'${pathOrUrl}': cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
      if (got !== sha256) throw new ConfigError(`${prefix}'${pathOrUrl}': sha256 mismatch: expected ${sha256}, got ${got}`);
    }
    return pathOrUrl;
  }

  let ref;
  try { ref = parseImageRef(pathOrUrl); } catch (e) { throw new ConfigError(`${prefix}${pathOrUrl}: ${(e as Error).message}`); }
  if (sha256 !== undefined && ref.sha256 !== undefined && sha256 !== ref.sha256) {
    throw new ConfigError(`${prefix}${ref.url}: two different sha256 values given (${ref.sha256} in the URL, ${sha256})`);
  }
  const url = ref.url;
  const want = sha256 ?? ref.sha256;
  const fail = (what: string) => new ConfigError(`${prefix}${url}: ${what}`);
  const dir = opts.cacheDir ?? cacheDir();
  try { await mkdir(dir, { recursive: true }); } catch (e) { throw fail(`cannot create the cache folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  const file = join(dir, cacheName(url, want));
  const out = opts.progress ?? process.stderr;

  if (await isFile(file)) {
    if (want === undefined) return file;
    const got = await sha256File(file).catch(() => '');
    if (got === want) return file;
    out.write(`tsemu: cached copy of ${url} is damaged (sha256 ${got || 'unreadable'}), downloading it again\n`);
    await rm(file, { force: true });
  }

  if (opts.signal) {
    await download(url, want, dir, file, opts.signal, out, fail);
  } else {
    await withInterrupt((signal) => download(url, want, dir, file, signal, out, fail));
  }
  return file;
}

async function isFile(path: string): Promise<boolean> {
  try { return (await stat(path)).isFile(); } catch { return false; }
}

/** Runs `work` with a signal that Ctrl-C (and SIGTERM, SIGHUP) aborts, so cleanup runs instead of an abrupt exit. */
async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  try {
    return await work(ac.signal);
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}

async function download(url: string, want: string | undefined, dir: string, file: string, signal: AbortSignal,
  out: ProgressOut, fail: (what: string) => ConfigError): Promise<void> {
  // Beside the final file, so the rename stays inside one file system; the dot hides it from a casual `ls`.
  const tmp = join(dir, `.${file.slice(dir.length + 1)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  const progress = new Progress(out, `downloading ${url}`);
  let fh: FileHandle | undefined;
  let bytes = 0;
  try {
    let res;
    try {
      // compress: false and identity: the bytes hashed and stored are the bytes the server holds
      // (a .gz served with Content-Encoding: gzip must stay compressed, as its published sha256 says).
      const fetch = await loadFetch();
      res = await fetch(url, { signal, compress: false, headers: { 'accept-encoding': 'identity', 'user-agent': 'tsemu' } });
    } catch (e) {
      throw signal.aborted ? fail('download interrupted') : fail(`cannot connect: ${errorText(e)}`);
    }
    if (!res.ok || !res.body) throw fail(`download failed: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    const length = res.headers.get('content-length');
    const total = length !== null && /^[0-9]+$/.test(length) ? Number(length) : undefined;
    progress.total = total;

    await sweepStale(dir, file);
    try { fh = await open(tmp, 'wx'); } catch (e) { throw fail(`cannot write to the cache folder ${dir}: ${errorText(e)}`); }
    const hash = createHash('sha256');
    try {
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        hash.update(buf);
        try {
          await fh.write(buf);
        } catch (e) {
          throw fail(`cannot write to the cache folder ${dir}: ${errorText(e)}`);   // a full disk is not a network problem
        }
        bytes += buf.length;
        progress.update(bytes);
      }
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      if (signal.aborted) throw fail(`download interrupted after ${bytes} bytes`);
      throw fail(`connection lost after ${bytes}${total !== undefined ? ` of ${total}` : ''} bytes (${errorText(e)})`);
    }
    if (signal.aborted) throw fail(`download interrupted after ${bytes} bytes`);
    if (total !== undefined && bytes !== total) throw fail(`incomplete download: got ${bytes} bytes, the server announced ${total}`);
    const got = hash.digest('hex');
    if (want !== undefined && got !== want) throw fail(`sha256 mismatch: expected ${want}, got ${got}`);
    await fh.sync();     // the data is on disk before the name says it is complete
    await fh.close();
    fh = undefined;
    await rename(tmp, file);
    progress.finish(true);
  } catch (e) {
    progress.finish(false);
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e instanceof ConfigError ? e : fail(errorText(e));
  }
}

/**
 * Temporary files of this image left by a process that no longer exists
 * (killed with SIGKILL, or the machine lost power) are removed, so even
 * those leave nothing behind for long. A live pid's file is another
 * download in progress and stays.
 */
async function sweepStale(dir: string, file: string): Promise<void> {
  const prefix = `.${file.slice(dir.length + 1)}.`;
  let names: string[];
  try { names = await readdir(dir); } catch { return; }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^([0-9]+)\.[0-9a-f]{8}\.part$/.exec(name.slice(prefix.length));
    if (m && !alive(Number(m[1]))) await rm(join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** node-fetch wraps socket errors; the code (ECONNREFUSED, ECONNRESET) is what a person can act on. */
function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  // node-fetch's FetchError repeats the URL the caller's message already names.
  const msg = (err.message ?? String(e)).replace(/^request to \S+ failed, reason: /, '');
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}
