// Chat overhead (issue #16): a reply through the app — the web host's chat.send, the engine's chat path
// (electron/engine/playground, chat/), its chat.delta and chat.done events over the WebSocket — against
// the same request sent straight to the gateway's port-forward. Requests alternate between the two so
// both see the same machine load; the first few of each warm up (the forwarder, the EPP log follower,
// the JIT). Times run from sending the request: first token, last token, and (the app only) chat.done,
// which comes once the reply is attributed to a replica.
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { streamChat } from '../electron/engine/chat/chat-client.js';
import type { PlaygroundWorld } from '../e2e/support/playground-world.js';
import { percentile } from './readiness-latency.js';
import { FIRST_TOKEN_MS, TOKEN_MS, words } from './chat-world.js';
import { connectWsApi, type Arrival } from './ws-client.js';

export interface ChatOverhead {
  requests: number;
  replyTokens: number;
  /** The simulated replica's own latencies. */
  replicaFirstTokenMs: number;
  replicaTokenMs: number;
  direct: { firstTokenP50Ms: number; lastTokenP50Ms: number };
  app: { firstTokenP50Ms: number; lastTokenP50Ms: number; doneP50Ms: number };
  /** Medians of the app's minus the direct path's. */
  addedFirstTokenMs: number;
  addedLastTokenMs: number;
  /** Per request, the app's first token minus the direct one of its pair: p50 / p95. */
  pairedAddedFirstTokenP50Ms: number;
  pairedAddedFirstTokenP95Ms: number;
}

const Models = z.object({ models: z.array(z.string()).min(1), gatewayUrl: z.string() });
const Started = z.object({ taskId: z.string() });
const Delta = z.object({ taskId: z.string() });
const median = (xs: readonly number[]) => percentile(xs, 0.5);

export async function chatOverhead(w: PlaygroundWorld, requests = 25, replyTokens = 32, warmup = 3): Promise<ChatOverhead> {
  const api = await connectWsApi(w.host.port, w.host.token);
  try {
    const { models, gatewayUrl } = Models.parse(await api.call('chat.models'));
    const model = models[0]!;
    const prompt = words(replyTokens);
    const viaApp = async (): Promise<{ first: number; last: number; done: number }> => {
      const seen: Arrival[] = [];
      const off = api.onEvent((e) => seen.push(e));
      try {
        const t0 = performance.now();
        const { taskId } = Started.parse(await api.call('chat.send', { model, messages: [{ role: 'user', content: prompt }], params: { maxTokens: replyTokens } }));
        const mine = (topic: string) => seen.filter((e) => e.topic === topic && Delta.safeParse(e.payload).data?.taskId === taskId);
        for (const deadline = Date.now() + 30_000; mine('chat.done').length === 0; await new Promise((r) => setTimeout(r, 2))) {
          if (Date.now() > deadline) throw new Error('no chat.done within 30 s');
        }
        const deltas = mine('chat.delta');
        if (deltas.length === 0) throw new Error(`no tokens: ${JSON.stringify(mine('chat.done')[0]?.payload)}`);
        return { first: deltas[0]!.at - t0, last: deltas.at(-1)!.at - t0, done: mine('chat.done')[0]!.at - t0 };
      } finally {
        off();
      }
    };
    const direct = async (): Promise<{ first: number; last: number }> => {
      const r = await streamChat({ baseUrl: gatewayUrl, model, messages: [{ role: 'user', content: prompt }], params: { maxTokens: replyTokens } });
      if (r.ttftMs === undefined || r.error) throw new Error(`direct request failed: ${r.error ?? 'no token'}`);
      return { first: r.ttftMs, last: r.durationMs };
    };
    const app: Array<{ first: number; last: number; done: number }> = [];
    const straight: Array<{ first: number; last: number }> = [];
    for (let i = 0; i < warmup; i++) {
      await viaApp();
      await direct();
    }
    for (let i = 0; i < requests; i++) {
      // Alternate which goes first, so neither always meets the other's leftovers.
      if (i % 2 === 0) {
        app.push(await viaApp());
        straight.push(await direct());
      } else {
        straight.push(await direct());
        app.push(await viaApp());
      }
    }
    const paired = app.map((a, i) => a.first - straight[i]!.first);
    const d = { firstTokenP50Ms: median(straight.map((x) => x.first)), lastTokenP50Ms: median(straight.map((x) => x.last)) };
    const a = { firstTokenP50Ms: median(app.map((x) => x.first)), lastTokenP50Ms: median(app.map((x) => x.last)), doneP50Ms: median(app.map((x) => x.done)) };
    return {
      requests, replyTokens, replicaFirstTokenMs: FIRST_TOKEN_MS, replicaTokenMs: TOKEN_MS, direct: d, app: a,
      addedFirstTokenMs: a.firstTokenP50Ms - d.firstTokenP50Ms,
      addedLastTokenMs: a.lastTokenP50Ms - d.lastTokenP50Ms,
      pairedAddedFirstTokenP50Ms: median(paired),
      pairedAddedFirstTokenP95Ms: percentile(paired, 0.95),
    };
  } finally {
    api.close();
  }
}

// `npx tsx bench/chat-overhead.ts` runs this figure alone on bench/chat-world.ts.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { startChatWorld } = await import('./chat-world.js');
  const world = await startChatWorld();
  try {
    const r = await chatOverhead(world, Number(process.env.BENCH_CHAT_REQUESTS ?? 25));
    console.log(`first token: app ${r.app.firstTokenP50Ms.toFixed(1)} ms vs gateway ${r.direct.firstTokenP50Ms.toFixed(1)} ms: +${r.addedFirstTokenMs.toFixed(1)} ms; per pair p50 +${r.pairedAddedFirstTokenP50Ms.toFixed(1)}, p95 +${r.pairedAddedFirstTokenP95Ms.toFixed(1)} ms`);
    console.log(`whole reply: app ${r.app.lastTokenP50Ms.toFixed(1)} vs ${r.direct.lastTokenP50Ms.toFixed(1)} ms (+${r.addedLastTokenMs.toFixed(1)}); done ${r.app.doneP50Ms.toFixed(1)} ms`);
  } finally {
    await world.teardown();
  }
}
