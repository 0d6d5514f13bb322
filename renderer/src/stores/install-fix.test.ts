// The Install store's doctor fix: what it sends decides whether the engine may delete the cluster, so the
// person's confirmation (and only it) reaches doctor.fix as deleteCluster.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Api } from '../api/client.js';
import { setApi } from '../api/index.js';
import { useInstall } from './install.js';

const sent: Array<{ method: string; req: unknown }> = [];
const api = {
  invoke: async (method: string, req: unknown) => {
    sent.push({ method, req });
    return { ok: false, error: { code: 'CONFLICT', message: 'stop here' } };
  },
  call: () => Promise.reject(new Error('not used')),
  on: () => () => {},
} as unknown as Api;

beforeEach(() => {
  sent.length = 0;
  setApi(api);
  useInstall.setState({ active: undefined });
});

describe('applyFix', () => {
  it('sends deleteCluster only with the confirmation of a recreating fix', async () => {
    await useInstall.getState().applyFix('oom-killed:one-replica');
    await useInstall.getState().applyFix('oom-killed:more-cluster-memory', { deleteCluster: true });
    expect(sent.map((s) => s.method)).toEqual(['doctor.fix', 'doctor.fix']);
    expect(sent[0]!.req).not.toHaveProperty('deleteCluster');
    expect(sent[1]!.req).toMatchObject({ fix: 'oom-killed:more-cluster-memory', deleteCluster: true });
  });
});
