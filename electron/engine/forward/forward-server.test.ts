// The forward's Host check (issue #14): a rebinding page's Host is refused before any kube call.
import net from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardHostAllowed, startForwardServer } from './forward-server.js';

let server: net.Server;
let port: number;
const logged: string[] = [];

beforeAll(async () => {
  // A kubeconfig pointing nowhere: a refused Host must be answered without reaching the cluster.
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  server = await startForwardServer({ kc, localPort: 0, namespace: 'ns', service: 'gw', servicePort: 80, log: (l) => logged.push(l) });
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends one raw request head; resolves with everything the forward answered before closing. */
function raw(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(head));
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (c: string) => { got += c; });
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

describe('forward server Host check', () => {
  it('answers 421 with a clear body to a foreign Host (DNS rebinding)', async () => {
    const answer = await raw(`GET /v1/models HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 421 Misdirected Request/);
    expect(answer).toContain(`only answers Host 127.0.0.1:${port}`);
    expect(logged).toEqual([]); // never tried the backend
  });

  it('refuses a request without a Host', async () => {
    expect(await raw('GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 421/);
  });

  it('lets a loopback Host through to the backend', async () => {
    const answer = await raw(`GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(answer).toBe(''); // the (unreachable) backend closes it, not a refusal
    await expect.poll(() => logged.length).toBe(1);
  });

  it('accepts only the loopback names, with or without the port', () => {
    for (const h of ['127.0.0.1:8000', 'localhost:8000', '[::1]:8000', 'localhost', '127.0.0.1', 'LOCALHOST:8000']) expect(forwardHostAllowed(h, 8000)).toBe(true);
    for (const h of ['evil.example:8000', '127.0.0.1:8001', 'localhost.evil.example', undefined, '']) expect(forwardHostAllowed(h, 8000)).toBe(false);
  });
});
