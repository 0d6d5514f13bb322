// The committed mirror is what the builder produces, laid out by shared/mirror.ts's rule, and every
// checksum file matches its asset — so the engine's download + verification can be tested against it.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { resolveDownloadUrl } from '../../shared/mirror.js';
import { SIM_CRD_MANIFESTS } from '../upstream.js';
import { TOOLS } from '../../shared/tools.js';
import { MIRROR_DIR, PLATFORMS } from './build.js';

const base = `file://${MIRROR_DIR}`;
const local = (url: string) => fileURLToPath(resolveDownloadUrl(url, base));
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('sim/mirror', () => {
  it('holds every tool asset for linux/darwin × amd64/arm64 with a matching checksum', () => {
    for (const [os, arch] of PLATFORMS) {
      for (const spec of Object.values(TOOLS)) {
        const rel = spec.release(os, arch);
        const asset = local(rel.url);
        expect(existsSync(asset), asset).toBe(true);
        const sums = readFileSync(local(rel.checksumUrl), 'utf8');
        const name = new URL(rel.url).pathname.split('/').pop();
        const expected = rel.checksumFormat === 'bare' ? sums.trim() : sums.split('\n').find((l) => l.endsWith(`  ${name}`))?.split(/\s+/)[0];
        expect(expected, `${spec.name} ${os}/${arch}`).toBe(sha(asset));
      }
    }
  });

  it('tarballs hold the sim launcher at the path the real archive uses', async () => {
    for (const spec of [TOOLS.helm, TOOLS.helmfile]) {
      const rel = spec.release('linux', 'amd64');
      const dir = mkdtempSync(join(tmpdir(), 'mirror-test-'));
      try {
        await tar.x({ file: local(rel.url), cwd: dir });
        const inner = join(dir, rel.pathInArchive ?? '');
        expect(readFileSync(inner, 'utf8')).toBe(readFileSync(join(MIRROR_DIR, '..', 'bin', spec.name), 'utf8'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('holds the CRD manifests the engine applies, with the real CRD names', () => {
    const names = (url: string) => parseAllDocuments(readFileSync(local(url), 'utf8')).map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name);
    expect(names(SIM_CRD_MANIFESTS.gatewayApi.url)).toEqual(['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'referencegrants', 'backendtlspolicies'].map((r) => `${r}.gateway.networking.k8s.io`));
    expect(names(SIM_CRD_MANIFESTS.gaie.url)).toEqual(['inferencepools.inference.networking.k8s.io', 'inferencepools.inference.networking.x-k8s.io', 'inferenceobjectives.inference.networking.x-k8s.io', 'inferencepoolimports.inference.networking.x-k8s.io']);
  });

  it('a mirrored launcher outside the project explains that LLMD_SIM_ROOT is needed', async () => {
    const { execa } = await import('execa');
    const r = await execa(process.execPath, [local(TOOLS.minikube.release('linux', 'amd64').url), 'version'], { reject: false, env: { ...process.env, LLMD_SIM_ROOT: '' } });
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toContain('set LLMD_SIM_ROOT to the absolute path of the project\'s sim/ folder');
    const ok = await execa(process.execPath, [local(TOOLS.minikube.release('linux', 'amd64').url), 'version', '--short'], { reject: false, env: { ...process.env, LLMD_SIM_ROOT: join(MIRROR_DIR, '..') } });
    expect(ok.stdout.trim()).toBe('v1.37.0');
  });
});
