import { describe, expect, it } from 'vitest';
import type { PrereqReport, ToolStatus } from '../../../shared/api/engine.js';
import type { FitVerdict } from '../../../shared/api/host.js';
import type { ImageReport, ImagesReport } from '../../../shared/api/images.js';
import { checkVerdict } from './check-verdict.js';

const fit = (level: FitVerdict['level']): FitVerdict => ({ level, summary: `summary of ${level}`, checks: [], advice: [] });
const tool = (name: ToolStatus['name'], ok: boolean, required = true): ToolStatus =>
  ({ name, required, installed: ok, minimum: '1.0.0', ok, install: 'download' });
const prereqs = (...tools: ToolStatus[]): PrereqReport => ({ tools, driver: 'docker', ok: tools.every((t) => t.ok || !t.required), binDir: '/bin' });
const image = (label: string, verdict: ImageReport['verdict']): ImageReport =>
  ({ role: 'vllm', label, ref: 'quay.io/x/y:1', overridden: false, verdict, check: { outcome: 'available', message: 'm' } } as ImageReport);
const images = (...list: ImageReport[]): ImagesReport =>
  ({ release: { id: 'r', title: 'R' }, arch: 'amd64', images: list, ok: list.every((i) => i.verdict !== 'blocker'), checkedAt: '' });

const allGood = { prereqs: prereqs(tool('minikube', true), tool('kubectl', false, false)), images: images(image('Model server (vLLM)', 'ok')) };

describe('cli check verdict', () => {
  it('exits 0 with nothing marked when everything is ready', () => {
    expect(checkVerdict({ fit: fit('fits'), ...allGood, rehearsal: undefined })).toEqual({ ok: true, exitCode: 0, fitLine: '✔ Fit: fits — summary of fits' });
  });

  it('in a rehearsal, a host too small is a warning: exit 0, the Fit line marked ! and the closing line says so', () => {
    const v = checkVerdict({ fit: fit('does-not-fit'), ...allGood, rehearsal: 'LLMD_REHEARSAL is set' });
    expect(v.exitCode).toBe(0);
    expect(v.fitLine).toMatch(/^! Fit: does-not-fit \(only a warning in a rehearsal/);
    expect(v.closing).toEqual({ stream: 'out', text: expect.stringContaining('Ready for the rehearsal (LLMD_REHEARSAL is set)') });
    expect(v.closing?.text).not.toContain('✘');
  });

  it('outside a rehearsal marks the fit ✘ and names it in the closing line', () => {
    const v = checkVerdict({ fit: fit('does-not-fit'), ...allGood, rehearsal: undefined });
    expect(v).toMatchObject({ ok: false, exitCode: 1, fitLine: '✘ Fit: does-not-fit — summary of does-not-fit' });
    expect(v.closing).toEqual({ stream: 'err', text: expect.stringContaining('this machine does not fit the settings') });
  });

  it('a tight fit is marked ! and never fails the check', () => {
    expect(checkVerdict({ fit: fit('tight'), ...allGood, rehearsal: undefined })).toMatchObject({ exitCode: 0, fitLine: '! Fit: tight — summary of tight' });
  });

  it('exits 1 only for what is marked ✘, and says which: required tools, blocked images', () => {
    const v = checkVerdict({
      fit: fit('does-not-fit'), rehearsal: 'LLMD_REHEARSAL is set',
      prereqs: prereqs(tool('minikube', false), tool('helm', false), tool('kubectl', false, false)),
      images: images(image('Model server (vLLM)', 'blocker'), image('Router (EPP)', 'warning')),
    });
    expect(v.exitCode).toBe(1);
    expect(v.closing?.stream).toBe('err');
    expect(v.closing?.text).toContain('missing or unusable tools: minikube, helm');
    expect(v.closing?.text).toContain('images that cannot be pulled: Model server (vLLM)');
    // The optional kubectl (marked ·) and the warned image (marked !) are not named; the rehearsal's fit neither.
    expect(v.closing?.text).not.toMatch(/kubectl|Router|does not fit/);
  });
});
