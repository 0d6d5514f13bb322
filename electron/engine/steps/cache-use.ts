// How much the download caches hold on the host (settings imageCache, modelCache), so the Plan shows the
// disk they take: the image tarballs kept across clusters and the model weights' Hub cache.
import fs from 'node:fs';
import path from 'node:path';

export interface CacheUse {
  images: { files: number; bytes: number };
  models: { bytes: number };
}

/** Bytes of the regular files under `dir` (symlinks not followed: the Hub cache links its blobs). */
function folderBytes(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        try { bytes += fs.statSync(p).size; files += 1; } catch { /* removed meanwhile */ }
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** What each cache folder holds now; a half-written `.partial` tarball is not a kept image. */
export function cacheUse(dirs: { images: string; models: string }): CacheUse {
  let files = 0;
  let bytes = 0;
  try {
    for (const e of fs.readdirSync(dirs.images, { withFileTypes: true })) {
      if (!e.isFile() || !e.name.endsWith('.tar')) continue;
      try { bytes += fs.statSync(path.join(dirs.images, e.name)).size; files += 1; } catch { /* removed meanwhile */ }
    }
  } catch { /* no cache yet */ }
  return { images: { files, bytes }, models: { bytes: folderBytes(dirs.models).bytes } };
}

/** "1.2 GB" / "350 MB": the size a person reads in the Plan. */
export const diskSize = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`);
