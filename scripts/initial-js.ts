// What the renderer's first page has to fetch and run before it can show anything: the entry chunk
// and, transitively, every chunk it imports statically (not the ones behind a dynamic import()). Read
// from the Vite build manifest, so the answer is the bundler's own view, not a guess from file names.
// Used by the size budget test (initial-js.test.ts) and the start-up benchmark (bench/).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { z } from 'zod';

/** Issue #16: the Welcome page must start with less than this much JavaScript, gzip. */
export const INITIAL_JS_BUDGET_GZIP = 150 * 1024;

const ManifestChunk = z.object({
  file: z.string(),
  src: z.string().optional(),
  isEntry: z.boolean().optional(),
  imports: z.array(z.string()).optional(),
  dynamicImports: z.array(z.string()).optional(),
});
const Manifest = z.record(z.string(), ManifestChunk);
type Manifest = z.infer<typeof Manifest>;

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface InitialJs {
  chunks: ChunkSize[];
  bytes: number;
  gzip: number;
}

export const gzipSize = (buf: Buffer): number => zlib.gzipSync(buf, { level: 9 }).length;

export function readManifest(outDir: string): Manifest {
  return Manifest.parse(JSON.parse(fs.readFileSync(path.join(outDir, '.vite', 'manifest.json'), 'utf8')));
}

/** Manifest keys of the entry and its static imports, in load order (entry first). */
export function staticClosure(manifest: Manifest): string[] {
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry).map(([key]) => key);
  if (entries.length !== 1) throw new Error(`expected one entry chunk in the manifest, found ${entries.length}`);
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  visit(entries[0]!);
  return [...seen];
}

export function initialJs(outDir: string): InitialJs {
  const manifest = readManifest(outDir);
  const chunks = staticClosure(manifest).map((key): ChunkSize => {
    const buf = fs.readFileSync(path.join(outDir, manifest[key]!.file));
    return { file: manifest[key]!.file, bytes: buf.length, gzip: gzipSize(buf) };
  });
  return { chunks, bytes: chunks.reduce((n, c) => n + c.bytes, 0), gzip: chunks.reduce((n, c) => n + c.gzip, 0) };
}

/** The npm packages bundled into the given chunks, read from their source maps. */
export function packagesIn(outDir: string, files: readonly string[]): string[] {
  const SourceMap = z.object({ sources: z.array(z.string()) });
  const names = new Set<string>();
  for (const file of files) {
    // The bundler's own runtime chunk is generated code with no sources, hence no map.
    const mapFile = path.join(outDir, `${file}.map`);
    if (!fs.existsSync(mapFile)) continue;
    const map = SourceMap.parse(JSON.parse(fs.readFileSync(mapFile, 'utf8')));
    for (const s of map.sources) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(s);
      if (m) names.add(m[1]!);
    }
  }
  return [...names].sort();
}
