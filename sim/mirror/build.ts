// Builds sim/mirror/: the files the engine downloads, at <official host>/<official path> (shared/mirror.ts):
// the CRD release manifests and tool "releases" that are the sim launchers (sim/bin/*) with their
// checksum files in each project's format (shared/tools.ts). Run: `npm run sim:mirror`. The output is
// committed so `--mirror file://$PWD/sim/mirror` works from a fresh clone.
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { SIM_CRD_MANIFESTS } from '../upstream.js';
import { TOOLS, type ToolArch, type ToolOs } from '../../shared/tools.js';
import { gaieCrds, gaieV150Crds, gatewayApiCrds, gatewayApiV151Crds, manifest, safeUpgradesPolicy } from './crds.js';

export const MIRROR_DIR = dirname(fileURLToPath(import.meta.url));
const SIM_BIN = join(MIRROR_DIR, '..', 'bin');
export const PLATFORMS: Array<[ToolOs, ToolArch]> = [['linux', 'amd64'], ['linux', 'arm64'], ['darwin', 'amd64'], ['darwin', 'arm64']];

export const mirrorPath = (url: string): string => { const u = new URL(url); return join(MIRROR_DIR, u.host, u.pathname); };
export const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

const write = (file: string, content: string | Buffer, mode?: number) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  if (mode) chmodSync(file, mode);
};

const launcher = (tool: string) => (tool === 'kubectl' ? join(MIRROR_DIR, 'kubectl-launcher') : join(SIM_BIN, tool));

async function tarGz(out: string, entries: Array<{ path: string; from: string }>): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'sim-mirror-'));
  try {
    for (const e of entries) {
      mkdirSync(dirname(join(tmp, e.path)), { recursive: true });
      copyFileSync(e.from, join(tmp, e.path));
      chmodSync(join(tmp, e.path), 0o755);
    }
    mkdirSync(dirname(out), { recursive: true });
    await tar.c({ gzip: true, file: out, cwd: tmp, portable: true, mtime: new Date(0) }, entries.map((e) => e.path));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function buildMirror(): Promise<string[]> {
  const written: string[] = [];
  write(mirrorPath(SIM_CRD_MANIFESTS.gatewayApi.url), manifest(gatewayApiCrds(), 'Gateway API standard channel CRDs (minimal form, llm-d Installer simulation mirror)'));
  write(mirrorPath(SIM_CRD_MANIFESTS.gaie.url), manifest(gaieCrds(), 'Gateway API Inference Extension CRDs (minimal form, llm-d Installer simulation mirror)'));
  write(mirrorPath(SIM_CRD_MANIFESTS.gatewayApiV151.url), manifest([...gatewayApiV151Crds(), ...safeUpgradesPolicy()], 'Gateway API v1.5.1 standard channel install: CRDs and the safe-upgrades ValidatingAdmissionPolicy (minimal form, llm-d Installer simulation mirror)'));
  write(mirrorPath(SIM_CRD_MANIFESTS.gaieV150.url), manifest(gaieV150Crds(), 'Gateway API Inference Extension v1.5.0 CRDs with a v1 version (minimal form, llm-d Installer simulation mirror)'));
  written.push(mirrorPath(SIM_CRD_MANIFESTS.gatewayApi.url), mirrorPath(SIM_CRD_MANIFESTS.gaie.url), mirrorPath(SIM_CRD_MANIFESTS.gatewayApiV151.url), mirrorPath(SIM_CRD_MANIFESTS.gaieV150.url));
  const helmfileSums: string[] = [];
  let helmfileChecksums = '';
  for (const [os, arch] of PLATFORMS) {
    for (const spec of Object.values(TOOLS)) {
      const rel = spec.release(os, arch);
      const asset = mirrorPath(rel.url);
      if (rel.kind === 'binary') write(asset, readFileSync(launcher(spec.name)), 0o755);
      else await tarGz(asset, [{ path: rel.pathInArchive ?? spec.name, from: launcher(spec.name) }]);
      written.push(asset);
      const hex = sha256(asset);
      const name = new URL(rel.url).pathname.split('/').pop() ?? '';
      if (spec.name === 'helmfile') { helmfileSums.push(`${hex}  ${name}`); helmfileChecksums = mirrorPath(rel.checksumUrl); continue; }
      write(mirrorPath(rel.checksumUrl), rel.checksumFormat === 'bare' ? `${hex}\n` : `${hex}  ${name}\n`);
      written.push(mirrorPath(rel.checksumUrl));
    }
  }
  write(helmfileChecksums, `${helmfileSums.sort((a, b) => a.slice(66).localeCompare(b.slice(66))).join('\n')}\n`);
  written.push(helmfileChecksums);
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildMirror();
  process.stdout.write(`wrote ${files.length} files under ${MIRROR_DIR}\n`);
}
