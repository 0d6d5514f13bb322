// The browser host's bundle download: the right token and a bundle name inside the support folder get the
// file as an attachment; everything else (no token, another file, a traversal, a symlink out) gets nothing.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportDownloadHref } from '../../shared/api/bundle.js';
import { createEngine, type Engine } from '../engine/api.js';
import { defaultBundleFile, supportDir } from '../engine/bundle/bundle.js';
import { fakeMachine, fakeRunner, fakeSource } from '../engine/host/fake-machine.js';
import { startWebHost, type WebHost } from './server.js';

let dir: string;
let engine: Engine;
let host: WebHost;
let bundleName: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-dl-'));
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  const machine = fakeMachine();
  engine = createEngine({ dataDir: dir, transport: 'web', rehearsal: false, host: { source: fakeSource(machine), run: fakeRunner(machine) } });
  host = await startWebHost({ rendererDir: dir, engine });
  const file = defaultBundleFile(engine.context.paths, new Date('2026-12-03T07:01:02Z'));
  bundleName = path.basename(file);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, 'bundle-bytes');
  await fs.writeFile(path.join(dir, 'settings.json'), '{"secret":"x"}');
  await fs.symlink(path.join(dir, 'settings.json'), path.join(supportDir(engine.context.paths), 'llm-d-support-2026-12-03T07-09-09Z.tar.gz'));
});
afterAll(async () => {
  await host.close();
  await engine.dispose();
  await fs.rm(dir, { recursive: true });
});

const get = (p: string) => fetch(`http://127.0.0.1:${host.port}${p}`);

describe('the support bundle download', () => {
  it('serves a bundle of the support folder as an attachment with the token', async () => {
    const href = supportDownloadHref(path.join(supportDir(engine.context.paths), bundleName), host.token);
    expect(href).toBeDefined();
    const r = await get(href!);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${bundleName}"`);
    expect(r.headers.get('content-type')).toBe('application/gzip');
    expect(await r.text()).toBe('bundle-bytes');
  });

  it('refuses without the token or with a wrong one', async () => {
    expect((await get(`/download/support/${bundleName}`)).status).toBe(403);
    expect((await get(`/download/support/${bundleName}?token=nope`)).status).toBe(403);
  });

  it('serves nothing but a bundle name inside the real support folder', async () => {
    const t = `?token=${encodeURIComponent(host.token)}`;
    for (const p of ['../settings.json', '..%2Fsettings.json', '%2e%2e%2fsettings.json', 'settings.json', '%E0%A4%A', 'llm-d-support-2026-12-03T07-00-00Z.tar.gz']) {
      expect((await get(`/download/support/${p}${t}`)).status, p).toBe(404);
    }
    // A bundle-shaped name that is a symlink out of the folder is not followed.
    expect((await get(`/download/support/llm-d-support-2026-12-03T07-09-09Z.tar.gz${t}`)).status).toBe(404);
  });

  it('links only names the host serves', () => {
    expect(supportDownloadHref('/home/me/Desktop/my-bundle.tar.gz', 't')).toBeUndefined();
    expect(supportDownloadHref(`/x/support/${bundleName}`, 'a b')).toBe(`/download/support/${bundleName}?token=a%20b`);
  });
});
