// Benchmarks (npm run bench): figures printed, never asserted — these machines are shared and noisy, so
// compare ratios within one run rather than absolute times across runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStreamDecoder } from '../electron/engine/chat/openai-stream.js';
import { LogBook } from '../electron/engine/process/log-sink.js';
import { Redactor } from '../electron/engine/process/redact.js';
import { parsePromText } from '../electron/engine/metrics/prom-text.js';
import { podStatus, type PodLike } from '../shared/kube/pod-status.js';

const fmt = (n: number, unit: string) => `${n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(2)} ${unit}`;
const time = async (fn: () => void | Promise<void>): Promise<number> => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

async function logFlood(): Promise<void> {
  // A chatty tool (helmfile with --debug, minikube pulling) can print tens of thousands of lines: the
  // engine must keep up and coalesce them into few UI events.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-log-'));
  let events = 0;
  let lines = 0;
  const book = new LogBook({ logsDir: dir, redactor: new Redactor(['hf_secret_token_value']), emit: (e) => { events++; lines += e.lines.length; } });
  const log = book.open('run', 'step');
  const N = 200_000;
  const line = 'I1127 10:00:00.000000 1 reflector.go:123] Listing and watching *v1.Pod from pkg/mod/k8s.io/client-go (token hf_secret_token_value)';
  const heapBefore = process.memoryUsage().heapUsed;
  const ms = await time(async () => {
    for (let i = 0; i < N; i++) log.write(line);
    await new Promise((r) => setTimeout(r, 50));
  });
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(`log flood: ${fmt(N / (ms / 1000), 'lines/s')} through redaction, replay buffer and file; ${events} UI events for ${lines.toLocaleString('en')} lines (${fmt(lines / Math.max(events, 1), 'lines/event')}); heap +${fmt((heapAfter - heapBefore) / 2 ** 20, 'MiB')}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

async function sseDecode(): Promise<void> {
  const frame = (t: string) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: t }, finish_reason: null }] })}\n\n`;
  const body = new TextEncoder().encode(Array.from({ length: 20_000 }, (_, i) => frame(`tok${i} `)).join('') + 'data: [DONE]\n\n');
  const run = (chunk: number) => time(() => {
    const d = createStreamDecoder(() => undefined);
    for (let i = 0; i < body.length; i += chunk) d.push(body.subarray(i, i + chunk));
    d.end();
  });
  const whole = await run(body.length);
  const small = await run(64);
  console.log(`SSE decode: ${fmt(body.length / 2 ** 20 / (whole / 1000), 'MiB/s')} in one chunk, ${fmt(body.length / 2 ** 20 / (small / 1000), 'MiB/s')} in 64-byte chunks (ratio ${(small / whole).toFixed(2)})`);
}

async function podStatusRate(): Promise<void> {
  const pod: PodLike = {
    spec: { initContainers: [{ name: 'routing-proxy', restartPolicy: 'Always' }], containers: [{ name: 'vllm' }] },
    status: { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [{ name: 'routing-proxy', started: true, ready: true, state: { running: {} } }],
      containerStatuses: [{ name: 'vllm', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { reason: 'OOMKilled', finishedAt: '2026-01-01T00:00:00Z' } } }] },
  };
  const N = 200_000;
  const ms = await time(() => { for (let i = 0; i < N; i++) podStatus(pod); });
  console.log(`pod status: ${fmt(N / (ms / 1000), 'pods/s')}`);
}

async function promParse(): Promise<void> {
  const text = Array.from({ length: 400 }, (_, i) => `vllm:time_to_first_token_seconds_bucket{le="${i / 10}",model_name="HuggingFaceTB/SmolLM2-360M-Instruct"} ${i}`).join('\n');
  const N = 500;
  const ms = await time(() => { for (let i = 0; i < N; i++) parsePromText(text); });
  console.log(`metrics parse: ${fmt(N / (ms / 1000), 'scrapes/s')} of a 400-sample /metrics page (${fmt(ms / N, 'ms/scrape')})`);
}

await logFlood();
await sseDecode();
await podStatusRate();
await promParse();
