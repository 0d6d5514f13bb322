// Installs a pinned tool into the app's own bin dir — no admin rights (docs/architecture.md §4 step 2): fetch the
// release's checksum file and asset (through the mirror when set), refuse and delete on a SHA-256
// mismatch, extract when it is an archive, then place it with mode 0755 by an atomic rename.
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { resolveDownloadUrl } from '../../../shared/mirror.js';
import { ApiException } from '../../../shared/result.js';
import { toolTarget, type ToolSpec } from '../../../shared/tools.js';
import { expectedDigest, sha256File } from './checksum.js';
import { downloadTo, fetchText } from './download.js';

export type InstallPhase = 'download' | 'verify' | 'extract' | 'install' | 'done';

export interface InstallOptions {
  platform: string;
  arch: string;
  mirror: string | undefined;
  binDir: string;
  downloadsDir: string;
  signal?: AbortSignal;
  onProgress?: (phase: InstallPhase, detail: { bytes?: number; totalBytes?: number; message?: string }) => void;
}

export interface InstallResult {
  path: string;
  url: string;
  sha256: string;
}

export async function installTool(spec: ToolSpec, opts: InstallOptions): Promise<InstallResult> {
  const target = toolTarget(opts.platform, opts.arch);
  if (!target) throw new ApiException('UNSUPPORTED', `${spec.name} has no release for ${opts.platform}/${opts.arch}.`);
  const release = spec.release(target.os, target.arch);
  const url = resolveDownloadUrl(release.url, opts.mirror);
  const checksumUrl = resolveDownloadUrl(release.checksumUrl, opts.mirror);
  const assetName = path.posix.basename(new URL(release.url).pathname);
  const work = path.join(opts.downloadsDir, `${spec.name}-${spec.version}`);
  await fs.promises.rm(work, { recursive: true, force: true });
  await fs.promises.mkdir(work, { recursive: true });
  const assetPath = path.join(work, assetName);
  const report = opts.onProgress ?? (() => {});

  report('download', { message: `Downloading ${spec.name} ${spec.version} from ${url}` });
  const checksumText = await fetchText(checksumUrl, opts.signal ? { signal: opts.signal } : {});
  const expected = expectedDigest(checksumText, release.checksumFormat, assetName);
  await downloadTo(url, assetPath, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (bytes, totalBytes) => report('download', { bytes, ...(totalBytes !== undefined ? { totalBytes } : {}) }),
  });

  report('verify', { message: `Verifying SHA-256 of ${assetName}` });
  const actual = await sha256File(assetPath);
  if (actual !== expected) {
    await fs.promises.rm(work, { recursive: true, force: true });
    throw new ApiException('CHECKSUM_MISMATCH',
      `The download of ${spec.name} ${spec.version} does not match its published SHA-256 (expected ${expected}, got ${actual}); it was deleted and nothing was installed.`,
      opts.mirror ? `The mirror's copy of ${assetName} differs from the official release: refresh the mirror from ${release.url}.` : 'The download was corrupted or tampered with; retry later.',
      { expected, actual, url });
  }

  let source = assetPath;
  if (release.kind === 'tar.gz') {
    report('extract', { message: `Extracting ${release.pathInArchive ?? spec.name}` });
    const inner = path.posix.normalize(release.pathInArchive ?? spec.name);
    const outDir = path.join(work, 'extract');
    await fs.promises.mkdir(outDir, { recursive: true });
    await tar.x({ file: assetPath, cwd: outDir, filter: (p) => path.posix.normalize(p) === inner });
    source = path.join(outDir, ...inner.split('/'));
    if (!fs.existsSync(source)) {
      throw new ApiException('NETWORK', `The ${spec.name} archive does not contain ${inner}.`, 'The mirror holds a different archive than the official release.');
    }
  }

  report('install', { message: `Installing ${spec.name} into ${opts.binDir}` });
  await fs.promises.mkdir(opts.binDir, { recursive: true });
  const dest = path.join(opts.binDir, spec.name);
  const tmp = `${dest}.installing`;
  await fs.promises.copyFile(source, tmp);
  await fs.promises.chmod(tmp, 0o755);
  await fs.promises.rename(tmp, dest);
  await fs.promises.rm(work, { recursive: true, force: true });
  report('done', { message: `${spec.name} ${spec.version} installed` });
  return { path: dest, url, sha256: actual };
}
