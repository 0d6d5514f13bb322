import { describe, expect, it } from 'vitest';
import { attribute, counterVerdict, isQuiet, parseEppLine, RequestIdWatch, type CounterSnapshot, type ReplicaCounters } from './attribution.js';

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

const snap = (o: Record<string, ReplicaCounters>): CounterSnapshot => new Map(Object.entries(o));
const idle = (success: number): ReplicaCounters => ({ success, running: 0 });

describe('attribution', () => {
  const podsByIp = new Map([['10.244.0.12', 'decode-a'], ['10.244.0.13', 'decode-b']]);
  const handled = { requestId: 'r1', endpoints: [{ ip: '10.244.0.13', port: 8000 }] };
  const decidedA = counterVerdict(snap({ 'decode-a': idle(4), 'decode-b': idle(7) }), snap({ 'decode-a': idle(5), 'decode-b': idle(7) }));

  it('prefers the x-inference-pod response header', () => {
    expect(attribute({ headers: { 'x-inference-pod': 'decode-a' }, handled, podsByIp, eppVerbose: true, counters: decidedA })).toEqual({ known: true, pod: 'decode-a', source: 'header' });
  });
  it('maps the endpoint IP of the EPP line carrying our id to a pod name, before the counters', () => {
    expect(attribute({ handled, podsByIp, eppVerbose: true, counters: decidedA })).toEqual({ known: true, pod: 'decode-b', source: 'epp-log', ip: '10.244.0.13' });
  });
  it.each([
    ['no line carries either of its ids', { idRewritten: true, servedId: 'envoy-1' }, 'no "Request handled" line'],
    ['the EPP named an IP no pod has', { handled: { endpoints: [{ ip: '10.244.0.99' }] } }, '10.244.0.99'],
  ])('falls back to the counters when %s, and names it when they cannot decide either', (_, input, why) => {
    expect(decidedA).toEqual({ kind: 'decided', pod: 'decode-a' });
    expect(attribute({ ...input, podsByIp, eppVerbose: true, counters: decidedA })).toEqual({ known: true, pod: 'decode-a', source: 'metrics' });
    const a = attribute({ ...input, podsByIp, eppVerbose: true });
    expect(a).toMatchObject({ known: false });
    expect(!a.known && a.reason).toContain(why);
  });
  it('names what was tried when nothing decides: a rewritten id (with or without the one the replica received) and two replicas finishing', () => {
    const two = counterVerdict(snap({ 'decode-a': idle(4), 'decode-b': idle(7) }), snap({ 'decode-a': idle(5), 'decode-b': idle(8) }));
    expect(attribute({ podsByIp, eppVerbose: true, idRewritten: true, counters: two })).toEqual({
      known: false, reason: 'The gateway rewrote the request id (and the reply did not name the one its replica received), and 2 replicas finished requests during this reply.',
    });
    // The replica named a different id than ours: that alone says the gateway rewrote it, learnt or not.
    expect(attribute({ podsByIp, eppVerbose: true, servedId: 'envoy-1', counters: two })).toEqual({
      known: false, reason: 'The gateway rewrote the request id, but no "Request handled" line from the EPP carried the id the replica received, and 2 replicas finished requests during this reply.',
    });
  });
  it('says the EPP is not verbose enough when that is the cause', () => {
    const a = attribute({ podsByIp, eppVerbose: false });
    expect(!a.known && a.reason).toContain('verbosity');
    const none = counterVerdict(snap({ 'decode-a': idle(1) }), snap({ 'decode-a': idle(1) }));
    const b = attribute({ podsByIp, eppVerbose: false, counters: none });
    expect(!b.known && b.reason).toMatch(/verbosity is below 3\), and no replica.s request counter moved during this reply\.$/);
  });
});

describe('quiet counter reads', () => {
  const quietA = { success: 3, running: 0, waiting: 0 };
  it('are those where every replica was read and none ran or queued a request', () => {
    expect(isQuiet(snap({ 'decode-a': quietA, 'decode-b': { ...quietA, success: 9 } }))).toBe(true);
    for (const other of [{ ...quietA, running: 1 }, { ...quietA, waiting: 2 }, { error: '/metrics answered 503' }, { success: 3, running: 0 }]) {
      expect(isQuiet(snap({ 'decode-a': quietA, 'decode-b': other }))).toBe(false);
    }
    expect(isQuiet(snap({}))).toBe(false);
  });
});

describe('counter verdicts', () => {
  const before = snap({ 'decode-a': idle(4), 'decode-b': idle(7) });
  it('is ambiguous, for good, when one replica finished more than our one request', () => {
    expect(counterVerdict(before, snap({ 'decode-a': idle(6), 'decode-b': idle(7) }))).toEqual({ kind: 'undecided', reason: '2 requests finished on decode-a during this reply', settled: true });
  });
  it('waits while nothing has moved yet', () => {
    expect(counterVerdict(before, before)).toMatchObject({ kind: 'undecided', settled: false });
  });
  it('waits while another replica still runs a request that could be ours, not yet counted', () => {
    const v = counterVerdict(before, snap({ 'decode-a': idle(5), 'decode-b': { success: 7, running: 1 } }));
    expect(v).toEqual({ kind: 'undecided', reason: '1 other replica was still running requests when the reply ended', settled: false });
    // A request still running on the replica that grew does not matter: ours was there either way.
    expect(counterVerdict(before, snap({ 'decode-a': { success: 5, running: 2 }, 'decode-b': idle(7) }))).toEqual({ kind: 'decided', pod: 'decode-a' });
  });
  it('cannot decide while a replica is unreadable, and never for one that restarted or had no reading before', () => {
    expect(counterVerdict(before, snap({ 'decode-a': idle(5), 'decode-b': { error: '/metrics answered 503' } }))).toEqual({
      kind: 'undecided', reason: 'the request counters of 1 replica could not be compared (/metrics answered 503)', settled: false,
    });
    expect(counterVerdict(before, snap({ 'decode-a': idle(5), 'decode-b': idle(0) }))).toMatchObject({ kind: 'undecided', settled: true });
    expect(counterVerdict(before, snap({ 'decode-a': idle(5), 'decode-b': idle(7), 'decode-c': idle(0) }))).toMatchObject({ kind: 'undecided', settled: true });
  });
});

describe('learning that the gateway rewrites request ids', () => {
  it('learns it when our line never came while lines with ids we never sent did', () => {
    const w = new RequestIdWatch();
    w.onLine('startup-probe'); // before we sent anything: no evidence
    w.noteSent('ours-1');
    w.onMissed('ours-1');
    expect(w.rewritten).toBe(false);
    w.noteSent('ours-2');
    w.onLine('envoy-generated-1');
    expect(w.rewritten).toBe(false); // our line may still be on its way
    w.onMissed('ours-2');
    expect(w.rewritten).toBe(true);
  });
  it('says ids are kept only after a line carried one of ours, and no longer once they are learnt rewritten', () => {
    const w = new RequestIdWatch();
    w.onLine('startup-probe');
    w.noteSent('ours-1');
    expect(w.kept).toBe(false);
    w.onLine('ours-1');
    expect(w.kept).toBe(true);
    w.noteSent('ours-2');
    w.onLine('envoy-generated-1');
    w.onMissed('ours-2');
    expect(w.rewritten).toBe(true);
    expect(w.kept).toBe(false);
  });
  it('does not learn it when one of our ids arrived after the send, and unlearns it on the next line with ours', () => {
    const w = new RequestIdWatch();
    w.noteSent('ours-1');
    w.noteSent('ours-2');
    w.onLine('someone-else');
    w.onLine('ours-1');
    w.onMissed('ours-2');
    expect(w.rewritten).toBe(false);
    w.noteSent('ours-3');
    w.onLine('someone-else-2');
    w.onMissed('ours-3');
    expect(w.rewritten).toBe(true);
    w.onLine('ours-3');
    expect(w.rewritten).toBe(false);
  });
});
