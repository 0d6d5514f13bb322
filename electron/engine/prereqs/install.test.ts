import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../../shared/tools.js';
import { toolEnv } from '../process/path-env.js';
import { expectedDigest } from './checksum.js';
import { installTool, type InstallPhase } from './install.js';
import { createPrereqService } from './service.js';
import { buildTestMirror } from './test-mirror.js';
import { elevate, explain, linuxPackageInstall } from './admin.js';
import { parseToolVersion } from './detect.js';

let mirror: string;
let assets: Awaited<ReturnType<typeof buildTestMirror>>;
let server: http.Server;
let httpBase: string;
const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'install-')); dirs.push(d); return d; };

beforeAll(async () => {
  mirror = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-'));
  assets = await buildTestMirror(mirror, 'linux', 'x64');
  // A plain static file server on loopback standing in for an http:// mirror.
  server = http.createServer((req, res) => {
    const file = path.join(mirror, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(mirror) || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-length': fs.statSync(file).size });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  httpBase = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(mirror, { recursive: true, force: true });
});
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const target = (home: string) => ({ platform: 'linux', arch: 'x64', binDir: path.join(home, 'bin'), downloadsDir: path.join(home, 'downloads') });

describe('installTool', () => {
  it('installs minikube from a file:// mirror folder into the app bin dir, executable, verified', async () => {
    const home = tmp();
    const phases: InstallPhase[] = [];
    const res = await installTool(TOOLS.minikube, { ...target(home), mirror: pathToFileURL(mirror).href, onProgress: (p) => phases.push(p) });
    expect(res.path).toBe(path.join(home, 'bin', 'minikube'));
    expect(fs.statSync(res.path).mode & 0o777).toBe(0o755);
    expect(execFileSync(res.path, ['version', '--short'], { encoding: 'utf8' }).trim()).toBe('v1.37.0');
    expect(res.url).toBe(`${pathToFileURL(mirror).href}/github.com/kubernetes/minikube/releases/download/v1.37.0/minikube-linux-amd64`);
    expect(phases).toEqual(expect.arrayContaining(['download', 'verify', 'install', 'done']));
    expect(fs.readdirSync(path.join(home, 'downloads'))).toEqual([]);
  });

  it('installs helm from an http:// mirror, extracting only the tool from the archive', async () => {
    const home = tmp();
    await installTool(TOOLS.helm, { ...target(home), mirror: httpBase });
    expect(fs.readdirSync(path.join(home, 'bin'))).toEqual(['helm']);
    expect(execFileSync(path.join(home, 'bin', 'helm'), ['version', '--short'], { encoding: 'utf8' })).toContain('v3.19.0');
  });

  it('reads helmfile\'s shared checksums.txt, picking the line for its asset', async () => {
    const home = tmp();
    await installTool(TOOLS.helmfile, { ...target(home), mirror: httpBase });
    expect(fs.existsSync(path.join(home, 'bin', 'helmfile'))).toBe(true);
  });

  it('refuses a download whose SHA-256 does not match, deletes it and installs nothing', async () => {
    const home = tmp();
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'badmirror-'));
    dirs.push(bad);
    fs.cpSync(mirror, bad, { recursive: true });
    const asset = path.join(bad, path.relative(mirror, assets.kubectl));
    fs.appendFileSync(asset, '// tampered\n');
    const err = await installTool(TOOLS.kubectl, { ...target(home), mirror: pathToFileURL(bad).href }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    const e = err as { message: string; details: { expected: string; actual: string } };
    expect(e.message).toContain(`expected ${e.details.expected}, got ${e.details.actual}`);
    expect(e.details.expected).not.toBe(e.details.actual);
    expect(fs.existsSync(path.join(home, 'bin', 'kubectl'))).toBe(false);
    expect(fs.readdirSync(path.join(home, 'downloads'))).toEqual([]);
  });

  it('reports a file missing from the mirror as a NETWORK error naming the URL', async () => {
    const home = tmp();
    await expect(installTool(TOOLS.minikube, { ...target(home), mirror: `${httpBase}/nothing-here` })).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining('HTTP 404') });
  });

  it('refuses hosts without a release', async () => {
    await expect(installTool(TOOLS.minikube, { ...target(tmp()), platform: 'win32', mirror: undefined })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});

describe('prerequisites service', () => {
  it('installs every missing required tool from the mirror, then finds them in the app bin dir first', async () => {
    const home = tmp();
    const binDir = path.join(home, 'bin');
    // PATH without any of the tools (system dirs only, and kubectl may exist there: it is optional).
    const env = toolEnv({ ...process.env, PATH: '/usr/bin:/bin' }, binDir, 'linux');
    const service = createPrereqService(() => ({ env, platform: 'linux', arch: 'x64', binDir, downloadsDir: path.join(home, 'dl'), mirror: pathToFileURL(mirror).href, driver: 'docker' }));
    const before = await service.check();
    expect(before.tools.find((t) => t.name === 'helm')).toMatchObject({ installed: false, ok: false, install: 'download' });
    const report = await service.installMissing();
    for (const name of ['minikube', 'helm', 'helmfile'] as const) {
      expect(report.tools.find((t) => t.name === name)).toMatchObject({ installed: true, ok: true, source: 'app', version: TOOLS[name].version });
    }
    // Docker is not ours to install: it is reported, not attempted.
    expect(report.tools.find((t) => t.name === 'docker')).toMatchObject({ required: true, install: 'manual' });
  });
});

describe('checksum files and versions', () => {
  const hex = 'a'.repeat(64);
  it('reads bare and sha256sum formats', () => {
    expect(expectedDigest(`${hex}\n`, 'bare', 'x')).toBe(hex);
    expect(expectedDigest(`${'b'.repeat(64)}  other\n${hex} *dir/helm.tar.gz\n`, 'sha256sum', 'helm.tar.gz')).toBe(hex);
    expect(() => expectedDigest(`${hex}  other\n`, 'sha256sum', 'helm.tar.gz')).toThrow(/no SHA-256 for helm.tar.gz/);
  });

  it('parses each tool\'s version output', () => {
    expect(parseToolVersion('minikube', 'v1.37.0\n')).toBe('1.37.0');
    expect(parseToolVersion('helm', 'v3.19.0+g3d8990f')).toBe('3.19.0');
    expect(parseToolVersion('helmfile', 'helmfile version 1.1.7')).toBe('1.1.7');
    expect(parseToolVersion('kubectl', '{"clientVersion":{"gitVersion":"v1.32.4"}}')).toBe('1.32.4');
    expect(parseToolVersion('helm', 'garbage')).toBeUndefined();
  });
});

describe('admin commands', () => {
  it('uses pkexec with an argv on Linux and a quoted osascript on macOS', () => {
    expect(elevate('linux', ['/usr/bin/apt-get', 'install', '-y', 'podman'])).toEqual(['pkexec', '/usr/bin/apt-get', 'install', '-y', 'podman']);
    const mac = elevate('darwin', ['/usr/sbin/installer', '-pkg', "/tmp/it's.pkg", '-target', '/']);
    expect(mac[0]).toBe('osascript');
    expect(mac[2]).toBe(`do shell script "'/usr/sbin/installer' '-pkg' '/tmp/it'\\\\''s.pkg' '-target' '/'" with administrator privileges`);
  });

  it('finds the package manager and explains each command before asking', () => {
    const plan = linuxPackageInstall('podman', (f) => f === '/usr/bin/dnf')!;
    expect(plan.commands).toEqual([['/usr/bin/dnf', 'install', '-y', 'podman']]);
    expect(explain(plan)[1]).toBe('  will run as admin: /usr/bin/dnf install -y podman');
    expect(linuxPackageInstall('podman', () => false)).toBeUndefined();
  });
});
