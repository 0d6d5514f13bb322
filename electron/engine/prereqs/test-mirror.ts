// Test helper (imported only by *.test.ts): lays out a mirror folder the way shared/mirror.ts maps the
// official release URLs, with tiny executables that print the pinned versions, and real checksum files.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { TOOLS, toolTarget, type ToolSpec } from '../../../shared/tools.js';

const versionOutput = (spec: ToolSpec): string => ({
  minikube: `v${spec.version}`,
  helm: `v${spec.version}+g3d8990f`,
  helmfile: `helmfile version ${spec.version}`,
  kubectl: JSON.stringify({ clientVersion: { gitVersion: `v${spec.version}` } }),
}[spec.name]);

export const fakeToolScript = (spec: ToolSpec): string =>
  `#!${process.execPath}\nconsole.log(${JSON.stringify(versionOutput(spec))});\n`;

const sha = (buf: Buffer | string) => crypto.createHash('sha256').update(buf).digest('hex');

function mirrorPath(base: string, url: string): string {
  const u = new URL(url);
  return path.join(base, u.host, ...u.pathname.split('/').filter(Boolean));
}

/** Writes every tool of shared/tools.ts for this platform into `base`; returns the asset paths by tool. */
export async function buildTestMirror(base: string, platform = process.platform, arch = process.arch): Promise<Record<ToolSpec['name'], string>> {
  const target = toolTarget(platform, arch);
  if (!target) throw new Error(`no tool target for ${platform}/${arch}`);
  const assets = {} as Record<ToolSpec['name'], string>;
  const checksumFiles = new Map<string, string[]>();
  for (const spec of Object.values(TOOLS)) {
    const rel = spec.release(target.os, target.arch);
    const asset = mirrorPath(base, rel.url);
    fs.mkdirSync(path.dirname(asset), { recursive: true });
    if (rel.kind === 'binary') {
      fs.writeFileSync(asset, fakeToolScript(spec), { mode: 0o644 });
    } else {
      const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-stage-'));
      const inner = rel.pathInArchive ?? spec.name;
      fs.mkdirSync(path.join(stage, path.dirname(inner)), { recursive: true });
      fs.writeFileSync(path.join(stage, inner), fakeToolScript(spec), { mode: 0o755 });
      fs.writeFileSync(path.join(stage, 'README.md'), 'not the tool');
      await tar.c({ gzip: true, file: asset, cwd: stage, portable: true }, [inner, 'README.md']);
      fs.rmSync(stage, { recursive: true, force: true });
    }
    const digest = sha(fs.readFileSync(asset));
    const ck = mirrorPath(base, rel.checksumUrl);
    if (rel.checksumFormat === 'bare') fs.writeFileSync(ck, `${digest}\n`);
    else checksumFiles.set(ck, [...(checksumFiles.get(ck) ?? []), `${digest}  ${path.basename(asset)}`]);
    assets[spec.name] = asset;
  }
  for (const [file, lines] of checksumFiles) fs.writeFileSync(file, `${'0'.repeat(64)}  other-asset.tar.gz\n${lines.join('\n')}\n`);
  return assets;
}
