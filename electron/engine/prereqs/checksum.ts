// SHA-256 verification of downloads (docs/architecture.md §5 "downloads verified"): the expected digest comes from
// the checksum file each official release publishes beside its asset (formats in shared/tools.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { ChecksumFormat } from '../../../shared/tools.js';
import { ApiException } from '../../../shared/result.js';

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

const HEX64 = /^[a-f0-9]{64}$/i;

/** Finds the digest for `assetName` in a checksum file's text. */
export function expectedDigest(text: string, format: ChecksumFormat, assetName: string): string {
  if (format === 'bare') {
    const first = text.trim().split(/\s+/)[0] ?? '';
    if (HEX64.test(first)) return first.toLowerCase();
  } else {
    for (const line of text.split('\n')) {
      const m = /^([a-f0-9]{64})\s+\*?(.+)$/i.exec(line.trim());
      if (!m) continue;
      const name = m[2]!.trim().split('/').pop();
      if (name === assetName) return m[1]!.toLowerCase();
    }
  }
  throw new ApiException('CHECKSUM_MISMATCH', `The checksum file has no SHA-256 for ${assetName}.`,
    'The mirror (or release) is incomplete: make sure the checksum file beside the download is the official one.');
}
