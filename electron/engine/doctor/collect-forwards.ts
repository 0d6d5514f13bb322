// The app's port-forwards for the doctor: the records the forwarder processes keep under
// <runDir>/forwards/<name>.json (forward/forward-state.ts), each with whether its process still exists and
// whether its local port still takes a connection. The two are kept apart (forwards.ts folds them into one
// `alive`) so the finding can say which of them failed. Through the gateway's forward, when it answers, one
// `GET /v1/models`: what a person's `curl` would get (the guide's "No response from gateway" check). It is
// the cheapest request the stack serves (no model runs) and, without a Ready model server, the EPP answers
// it itself (shared/epp-answers.ts).
import fs from 'node:fs';
import net from 'node:net';
import { forwardsDir, readForwardState, stateFileFor } from '../forward/forward-state.js';
import { pidAlive } from '../plan/journal.js';
import type { ForwardSnapshot, GatewayProbe } from './snapshot.js';

/** Whether 127.0.0.1:<port> accepts a connection within the time given. */
export function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(timeoutMs, () => done(false));
  });
}

/** The bytes of an answer kept for the evidence: enough for an error line, never a whole model list. */
const BODY_CHARS = 300;

/** `GET <url>/v1/models` within the time given: its status and the start of its body, or why it got none. */
export async function probeGateway(url: string, timeoutMs = 3000): Promise<GatewayProbe> {
  const target = `${url.replace(/\/+$/, '')}/v1/models`;
  const request = `GET ${target}`;
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.text()).trim();
    return { request, status: res.status, body: body.length > BODY_CHARS ? `${body.slice(0, BODY_CHARS)}…` : body };
  } catch (e) {
    const cause = (e as { cause?: { code?: unknown } }).cause?.code;
    return { request, error: typeof cause === 'string' ? cause : e instanceof Error ? e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : e.message : String(e) };
  }
}

export async function collectForwards(runDir: string): Promise<ForwardSnapshot[]> {
  let names: string[];
  try {
    names = fs.readdirSync(forwardsDir(runDir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
  } catch {
    return []; // no forwards dir: nothing was ever forwarded
  }
  const out: ForwardSnapshot[] = [];
  for (const name of names) {
    const st = readForwardState(stateFileFor(runDir, name));
    if (!st) continue; // half-written or foreign file: not a record of ours
    const alive = pidAlive(st.pid);
    // A dead forwarder's port may since belong to someone else: only a live one's answer means anything.
    const answers = alive ? await portAnswers(st.port) : false;
    const probe = answers && st.name === 'gateway' ? await probeGateway(st.url) : undefined;
    out.push({ name: st.name, pid: st.pid, alive, port: st.port, url: st.url, answers, context: st.context, namespace: st.namespace, service: st.service, servicePort: st.servicePort, startedAt: st.startedAt, ...(probe ? { probe } : {}) });
  }
  return out;
}
