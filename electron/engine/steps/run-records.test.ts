import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiException as KubeApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiException } from '../../../shared/result.js';
import { isNotFound, kubeError } from '../kube/errors.js';
import { appPaths } from '../paths.js';
import { readRecord, removeRecord, writeRecord } from './run-records.js';

const Rec = z.object({ release: z.string(), at: z.number() });

function ctx() {
  return { paths: appPaths(fs.mkdtempSync(path.join(os.tmpdir(), 'records-'))) };
}

describe('run records', () => {
  it('reads back what was written, through its schema', () => {
    const c = ctx();
    writeRecord(c, 'r.json', { release: 'a', at: 1 });
    expect(readRecord(c, 'r.json', Rec)).toEqual({ release: 'a', at: 1 });
    removeRecord(c, 'r.json');
    expect(readRecord(c, 'r.json', Rec)).toBeUndefined();
  });

  it('a record in another shape (an older version, a hand edit) reads as no record', () => {
    const c = ctx();
    writeRecord(c, 'r.json', { release: 7 });
    expect(readRecord(c, 'r.json', Rec)).toBeUndefined();
    fs.writeFileSync(path.join(c.paths.runDir, 'r.json'), '{ half');
    expect(readRecord(c, 'r.json', Rec)).toBeUndefined();
  });

  it('is private to the user (0600)', () => {
    const c = ctx();
    writeRecord(c, 'r.json', { release: 'a', at: 1 });
    expect(fs.statSync(path.join(c.paths.runDir, 'r.json')).mode & 0o777).toBe(0o600);
  });
});

describe('isNotFound', () => {
  it("is true for client-node's 404 and for our KUBE error made from one, false for anything else", () => {
    const e404 = new KubeApiException(404, 'not found', { reason: 'NotFound' }, {});
    expect(isNotFound(e404)).toBe(true);
    expect(isNotFound(kubeError(e404, 'Reading x'))).toBe(true);
    expect(isNotFound(new KubeApiException(403, 'forbidden', {}, {}))).toBe(false);
    expect(isNotFound(new ApiException('KUBE', 'down'))).toBe(false);
    expect(isNotFound(new Error('404'))).toBe(false);
    expect(isNotFound(undefined)).toBe(false);
  });
});
