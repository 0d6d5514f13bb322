// The gateway as the llm-d-router-standalone chart's Envoy sidecar with llm-d-router v0.10.0's EPP:
// decision lines in the new shape (and none for a bodyless GET), Envoy's own headers suppressed, the
// upstream's server header passed through; the GAIE-era shape unchanged.
import { describe, expect, it } from 'vitest';
import { serve } from './test-servers.js';
import { eppDecisionLines, Gateway, type GatewayEndpoint } from './gateway.js';


const R = { requestId: '3b6c0a9e-1111-4222-8333-944455556666', model: 'm', objective: '', endpoint: '10.244.0.9:8000', hasBody: true };

describe('EPP decision lines', () => {
  it('llm-d-router v0.10: level info, epoch ts, director.go:493, the context values then the call\'s own (zap keeps both)', () => {
    expect(eppDecisionLines('llm-d-router', 2, R)).toHaveLength(1);
    const [received, handled] = eppDecisionLines('llm-d-router', 3, R);
    expect(JSON.parse(received ?? '{}')).toMatchObject({ level: 'info', caller: 'handlers/server.go:433', msg: 'EPP received request', 'x-request-id': R.requestId });
    expect(handled).toMatch(/^\{"level":"info","ts":\d+(\.\d+)?,"caller":"requestcontrol\/director\.go:493","msg":"Request handled","x-request-id":"3b6c0a9e-1111-4222-8333-944455556666","objectiveKey":"","incomingModelName":"m","targetModelName":"m","priority":0,"objectiveKey":"","incomingModelName":"m","targetModel":"m","endpoint":"10\.244\.0\.9:8000"\}$/);
    expect(typeof (JSON.parse(handled ?? '{}') as { ts: unknown }).ts).toBe('number');
    expect(eppDecisionLines('llm-d-router', 3, { ...R, hasBody: false })).toHaveLength(1);
    expect(eppDecisionLines('llm-d-router', 1, R)).toEqual([]);
  });

  it('the GAIE-era EPP keeps its Level(-3) line', () => {
    const [line] = eppDecisionLines('gaie', 3, R);
    expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 'Level(-3)', caller: 'requestcontrol/director.go:266', msg: 'Request handled', objectiveKey: 'm', targetModel: 'm' });
    expect(eppDecisionLines('gaie', 2, R)).toEqual([]);
  });
});

describe('the standalone Envoy sidecar', () => {
  it('passes the upstream server header, adds no x-envoy header, says server: envoy itself, logs the v0.10 lines', async () => {
    const localPort = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', server: 'uvicorn', 'x-seen-id': String(req.headers['x-request-id']) }).end('{"ok":true}');
    });
    const eps: GatewayEndpoint[] = [{ name: 'decode-a', ip: '10.244.0.9', queue: 0, kvCacheUsage: 0, localPort, targetPort: 8000 }];
    const log: string[] = [];
    let endpoints = eps;
    const gw = new Gateway({ endpoints: () => endpoints, route: () => 'ok', eppVerbosity: () => 3, eppLog: (l) => log.push(l), prefixChars: 16, eppLogShape: () => 'llm-d-router', proxy: 'standalone-envoy' });
    const port = await serve(gw.handle);
    const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-llm-d-inference-objective': 'interactive' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.headers.get('server')).toBe('uvicorn');
    expect(res.headers.get('x-envoy-upstream-service-time')).toBeNull();
    const handled = JSON.parse(log.find((l) => l.includes('Request handled')) ?? '{}') as Record<string, unknown>;
    expect(handled).toMatchObject({ objectiveKey: 'interactive', endpoint: '10.244.0.9:8000', 'x-request-id': res.headers.get('x-seen-id') });
    endpoints = [];
    // No Ready endpoint: llm-d-router's EPP answers (shared/epp-answers.ts), through Envoy's own reply.
    const none = await fetch(`http://127.0.0.1:${port}/v1/models`);
    expect([none.status, none.headers.get('server'), await none.text()]).toEqual([500, 'envoy', 'inference error: Internal - no pods available in datastore']);
    const chat = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
    expect([chat.status, await chat.text()]).toEqual([503, 'inference error: ServiceUnavailable - failed to find endpoint candidates for serving the request']);
  });
});
