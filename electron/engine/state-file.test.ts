import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalDoc } from '../../shared/api/engine.js';
import { Journal } from './plan/journal.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'state-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const doc = { version: 1, runId: 'run-1', kind: 'up', status: 'succeeded', pid: process.pid, startedAt: new Date().toISOString(), settings: {}, steps: [] };

describe('journal.json on disk', () => {
  it('a corrupt journal is reported as corrupt (not "no journal"), then moved aside by the next write', async () => {
    const home = tmp();
    fs.chmodSync(home, 0o755);
    const file = path.join(home, 'journal.json');
    fs.writeFileSync(file, '{"version": 1, "runId": "run-', { mode: 0o644 });
    const j = new Journal(file, path.join(home, 'logs'));
    const view = await j.view();
    expect(view.journal).toBeNull();
    expect(view.corrupt).toMatchObject({ file, logsDir: path.join(home, 'logs'), reason: expect.stringContaining('not valid JSON') });
    j.write(JournalDoc.parse(doc));
    expect(j.movedAside).toMatch(/journal\.json\.corrupt-/);
    expect(fs.readFileSync(j.movedAside!, 'utf8')).toBe('{"version": 1, "runId": "run-');
    expect((await j.view()).corrupt).toBeUndefined();
    // Written private: the file 0600 and the app data folder 0700.
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
  });

  it('a missing journal is just "no journal"', async () => {
    const v = await new Journal(path.join(tmp(), 'journal.json')).view();
    expect(v).toEqual({ journal: null, resumable: false, interrupted: false });
  });
});

describe('settings.json on disk', () => {
  it('truncated JSON is unreadable (parse), a JSON array is unreadable (schema), a BOM is tolerated; a save moves the bad file aside and writes 0600', async () => {
    const { SettingsStore } = await import('./settings/store.js');
    const home = tmp();
    const file = path.join(home, 'settings.json');
    const store = new SettingsStore(file);
    fs.writeFileSync(file, '{"driver": "pod');
    expect(store.load().unreadable?.reason).toBe('parse');
    fs.writeFileSync(file, '[]');
    expect(store.load().unreadable?.reason).toBe('schema');
    fs.writeFileSync(file, '\uFEFF{"driver": "docker"}');
    expect(store.load()).toMatchObject({ settings: { driver: 'docker' } });
    expect(store.load().unreadable).toBeUndefined();
    fs.writeFileSync(file, '{"driver": 7}', { mode: 0o644 });
    store.save({ driver: 'docker' });
    expect(fs.readFileSync(store.movedAside!, 'utf8')).toBe('{"driver": 7}');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
  });
});
