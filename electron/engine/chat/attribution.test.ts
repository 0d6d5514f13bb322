import { describe, expect, it } from 'vitest';
import { attribute, parseEppLine } from './attribution.js';

const line = (o: Record<string, unknown>) => JSON.stringify({ level: 'Level(-3)', ts: '2026-11-27T10:00:00Z', caller: 'requestcontrol/director.go:266', ...o });

describe('EPP "Request handled" lines', () => {
  it('reads the endpoint, request id and model', () => {
    expect(parseEppLine(line({ msg: 'Request handled', 'x-request-id': 'r1', targetModel: 'HuggingFaceTB/SmolLM2-360M-Instruct', endpoint: '10.244.0.12:8000' }))).toEqual({
      requestId: 'r1', targetModel: 'HuggingFaceTB/SmolLM2-360M-Instruct', ts: '2026-11-27T10:00:00Z', endpoints: [{ ip: '10.244.0.12', port: 8000 }],
    });
  });
  it('reads several comma-joined endpoints and a kubectl timestamp prefix', () => {
    const r = parseEppLine('2026-11-27T10:00:00.000000001Z ' + line({ msg: 'Request handled', endpoint: '10.244.0.12:8000, 10.244.0.13:8000' }));
    expect(r?.endpoints).toEqual([{ ip: '10.244.0.12', port: 8000 }, { ip: '10.244.0.13', port: 8000 }]);
  });
  it('ignores other messages, non-JSON and lines without an endpoint', () => {
    expect(parseEppLine(line({ msg: 'Running scorer plugin' }))).toBeUndefined();
    expect(parseEppLine('I1127 10:00:00 starting server')).toBeUndefined();
    expect(parseEppLine(line({ msg: 'Request handled' }))).toBeUndefined();
    expect(parseEppLine('{broken')).toBeUndefined();
  });
});

describe('attribution', () => {
  const podsByIp = new Map([['10.244.0.12', 'decode-a'], ['10.244.0.13', 'decode-b']]);
  const handled = { endpoints: [{ ip: '10.244.0.13', port: 8000 }] };
  it('prefers the x-inference-pod response header', () => {
    expect(attribute({ headers: { 'x-inference-pod': 'decode-a' }, handled, podsByIp, eppVerbose: true })).toEqual({ known: true, pod: 'decode-a', source: 'header' });
  });
  it('maps the EPP endpoint IP to a pod name', () => {
    expect(attribute({ handled, podsByIp, eppVerbose: true })).toEqual({ known: true, pod: 'decode-b', source: 'epp-log', ip: '10.244.0.13' });
  });
  it('says unknown, and why, when the IP matches no pod', () => {
    const a = attribute({ handled: { endpoints: [{ ip: '10.244.0.99' }] }, podsByIp, eppVerbose: true });
    expect(a).toMatchObject({ known: false });
    expect(!a.known && a.reason).toContain('10.244.0.99');
  });
  it('says the EPP is not verbose enough when that is the cause', () => {
    const a = attribute({ podsByIp, eppVerbose: false });
    expect(!a.known && a.reason).toContain('verbosity');
  });
});
