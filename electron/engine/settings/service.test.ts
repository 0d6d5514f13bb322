import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiException } from '../../../shared/result.js';
import { SettingsService } from './service.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-svc-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const caught = (fn: () => void): ApiException => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiException) return e;
    throw e;
  }
  throw new Error('expected an ApiException');
};

describe('settings service', () => {
  it('reads settings.json once: a later edit on disk is not seen until reload()', () => {
    const file = path.join(tmp(), 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ replicas: 1 }));
    const svc = new SettingsService(file);
    expect(svc.current().replicas).toBe(1);
    fs.writeFileSync(file, JSON.stringify({ replicas: 3 }));
    expect(svc.current().replicas).toBe(1);
    expect(svc.reload().settings.replicas).toBe(3);
  });

  it('save replaces the loaded copy and tells listeners; a failing listener does not fail the save', () => {
    const svc = new SettingsService(path.join(tmp(), 'settings.json'));
    const heard: number[] = [];
    svc.onChange(() => { throw new Error('listener bug'); });
    const off = svc.onChange((s) => heard.push(s.replicas));
    expect(svc.save({ replicas: 4 }).replicas).toBe(4);
    expect(svc.current().replicas).toBe(4);
    off();
    svc.save({ replicas: 5 });
    expect(heard).toEqual([4]);
  });

  it('effective() applies overrides over the saved settings and names each invalid field', () => {
    const svc = new SettingsService(path.join(tmp(), 'settings.json'));
    svc.save({ profile: 'mine', replicas: 3 });
    expect(svc.effective({ replicas: 1 })).toMatchObject({ profile: 'mine', replicas: 1 });
    const e = caught(() => svc.effective({ replicas: 0, cpus: 1 }));
    expect(e.code).toBe('BAD_REQUEST');
    // Issues in the schema's field order, one wording for all of them.
    expect(e.message).toBe('Invalid settings: cpus: must be at least 2 (minikube needs 2); replicas: must be at least 1');
    expect(e.details).toEqual([{ path: 'cpus', message: 'must be at least 2 (minikube needs 2)' }, { path: 'replicas', message: 'must be at least 1' }]);
  });

  it('requireReadable() passes for a missing or valid file', () => {
    const file = path.join(tmp(), 'settings.json');
    const svc = new SettingsService(file);
    expect(() => svc.requireReadable()).not.toThrow();
    svc.save({ replicas: 1 });
    expect(() => svc.requireReadable()).not.toThrow();
  });

  it.each([
    ['truncated JSON', '{"profile": "mine", ', 'parse', /is not valid JSON/],
    ['wrong types', JSON.stringify({ replicas: 'two' }), 'schema', /has invalid settings \(replicas: /],
  ])('requireReadable() refuses %s with the file, the reason and where it will be kept', (_kind, text, reason, why) => {
    const file = path.join(tmp(), 'settings.json');
    fs.writeFileSync(file, text);
    const svc = new SettingsService(file);
    const e = caught(() => svc.requireReadable('tear down'));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain(`Refusing to tear down: ${file}`);
    expect(e.message).toMatch(why);
    expect(e.message).toContain(`It will be kept as ${file}.corrupt-<time> when settings are next saved.`);
    expect(e.details).toEqual({ file, reason, movedAsideTo: `${file}.corrupt-<time>` });
    // Nothing was moved or rewritten by asking.
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    // Saving readable settings is the way out.
    svc.save({ replicas: 1 });
    expect(() => svc.requireReadable()).not.toThrow();
    expect(svc.store.movedAside).toMatch(/settings\.json\.corrupt-/);
  });
});
