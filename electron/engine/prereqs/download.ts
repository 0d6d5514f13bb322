// Every download the engine makes (tools, CRD manifests) goes through here and through the one mirror
// setting (shared/mirror.ts): http(s) via fetch, file:// straight from disk (a folder serves air-gapped
// machines). Written to a .part file and renamed, so an interrupted download never looks complete.
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { ApiException } from '../../../shared/result.js';

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (bytes: number, totalBytes: number | undefined) => void;
  /** Give up when nothing arrives for this long. */
  timeoutMs?: number;
}

const networkError = (url: string, why: string) =>
  new ApiException('NETWORK', `Could not download ${url}: ${why}.`,
    'Check the network connection, or set a mirror (Settings → mirror, or --mirror) that holds this file.');

async function open(url: string, opts: DownloadOptions): Promise<{ body: Readable; total: number | undefined }> {
  const u = new URL(url);
  if (u.protocol === 'file:') {
    const file = fileURLToPath(u);
    try {
      const stat = await fs.promises.stat(file);
      return { body: fs.createReadStream(file), total: stat.size };
    } catch {
      throw networkError(url, 'the file does not exist in the mirror folder');
    }
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw networkError(url, `unsupported scheme ${u.protocol}`);
  const signals = [opts.signal, AbortSignal.timeout(opts.timeoutMs ?? 120_000)].filter((s): s is AbortSignal => s !== undefined);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.any(signals), redirect: 'follow' });
  } catch (e) {
    if (opts.signal?.aborted) throw new ApiException('CANCELLED', 'Download cancelled.');
    throw networkError(url, e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e));
  }
  if (!res.ok || !res.body) throw networkError(url, `the server answered HTTP ${res.status}`);
  const len = Number(res.headers.get('content-length'));
  return { body: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>), total: Number.isFinite(len) && len > 0 ? len : undefined };
}

export async function downloadTo(url: string, dest: string, opts: DownloadOptions = {}): Promise<number> {
  if (opts.signal?.aborted) throw new ApiException('CANCELLED', 'Download cancelled.');
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const { body, total } = await open(url, opts);
  const part = `${dest}.part`;
  let bytes = 0;
  let lastReport = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      const t = Date.now();
      if (t - lastReport > 100) {
        lastReport = t;
        opts.onProgress?.(bytes, total);
      }
      cb(null, chunk);
    },
  });
  try {
    await pipeline(body, counter, fs.createWriteStream(part, { mode: 0o600 }), ...(opts.signal ? [{ signal: opts.signal }] : []));
  } catch (e) {
    await fs.promises.rm(part, { force: true });
    if (opts.signal?.aborted) throw new ApiException('CANCELLED', 'Download cancelled.');
    throw networkError(url, e instanceof Error ? e.message : String(e));
  }
  opts.onProgress?.(bytes, total ?? bytes);
  await fs.promises.rename(part, dest);
  return bytes;
}

/** Small text files (checksums, manifests). */
export async function fetchText(url: string, opts: DownloadOptions = {}): Promise<string> {
  const { body } = await open(url, opts);
  const chunks: Buffer[] = [];
  try {
    for await (const c of body) chunks.push(Buffer.from(c as Buffer));
  } catch (e) {
    if (opts.signal?.aborted) throw new ApiException('CANCELLED', 'Download cancelled.');
    throw networkError(url, e instanceof Error ? e.message : String(e));
  }
  return Buffer.concat(chunks).toString('utf8');
}
