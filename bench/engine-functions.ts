// Four engine functions in isolation: the log sink (redaction, replay buffer, file), SSE decoding, pod
// status and /metrics parsing. Throughputs on this machine, for comparison within a run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStreamDecoder } from '../electron/engine/chat/openai-stream.js';
import { parsePromText } from '../electron/engine/metrics/prom-text.js';
import { LogBook } from '../electron/engine/process/log-sink.js';
import { Redactor } from '../electron/engine/process/redact.js';
import { podStatus, type PodLike } from '../shared/kube/pod-status.js';

const time = async (fn: () => void | Promise<void>): Promise<number> => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

export interface LogPipeline {
  lines: number;
  linesPerSec: number;
  uiEvents: number;
  linesPerEvent: number;
  rssGrowthMiB: number;
  heapGrowthMiB: number;
}

const LINE = 'I1127 10:00:00.000000 1 reflector.go:123] Listing and watching *v1.Pod from pkg/mod/k8s.io/client-go (token hf_secret_token_value)';

/**
 * A chatty tool (helmfile --debug, minikube pulling) through redaction, the replay buffer and the log
 * file, coalesced into UI events; RSS and heap growth after N lines (issue #16: < 50 MB after 1M).
 */
export async function logPipeline(n: number): Promise<LogPipeline> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-log-'));
  let events = 0;
  let lines = 0;
  const book = new LogBook({ logsDir: dir, redactor: new Redactor(['hf_secret_token_value']), emit: (e) => { events++; lines += e.lines.length; } });
  const log = book.open('run', 'step');
  globalThis.gc?.();
  const before = process.memoryUsage();
  const ms = await time(async () => {
    for (let i = 0; i < n; i++) {
      log.write(LINE);
      // Yield now and then, as a tool's stdout does: the sink's timers and file writes get to run.
      if (i % 10_000 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 100));
  });
  globalThis.gc?.();
  const after = process.memoryUsage();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    lines: n,
    linesPerSec: n / (ms / 1000),
    uiEvents: events,
    linesPerEvent: lines / Math.max(events, 1),
    rssGrowthMiB: (after.rss - before.rss) / 2 ** 20,
    heapGrowthMiB: (after.heapUsed - before.heapUsed) / 2 ** 20,
  };
}

export async function sseDecode(): Promise<{ wholeMiBs: number; chunkedMiBs: number }> {
  const frame = (t: string) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: t }, finish_reason: null }] })}\n\n`;
  const body = new TextEncoder().encode(Array.from({ length: 20_000 }, (_, i) => frame(`tok${i} `)).join('') + 'data: [DONE]\n\n');
  const run = (chunk: number) => time(() => {
    const d = createStreamDecoder(() => undefined);
    for (let i = 0; i < body.length; i += chunk) d.push(body.subarray(i, i + chunk));
    d.end();
  });
  const mib = body.length / 2 ** 20;
  return { wholeMiBs: mib / ((await run(body.length)) / 1000), chunkedMiBs: mib / ((await run(64)) / 1000) };
}

export async function podStatusRate(): Promise<number> {
  const pod: PodLike = {
    spec: { initContainers: [{ name: 'routing-proxy', restartPolicy: 'Always' }], containers: [{ name: 'vllm' }] },
    status: { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [{ name: 'routing-proxy', started: true, ready: true, state: { running: {} } }],
      containerStatuses: [{ name: 'vllm', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { reason: 'OOMKilled', finishedAt: '2026-01-01T00:00:00Z' } } }] },
  };
  const N = 200_000;
  const ms = await time(() => { for (let i = 0; i < N; i++) podStatus(pod); });
  return N / (ms / 1000);
}

export async function promParseRate(): Promise<number> {
  const text = Array.from({ length: 400 }, (_, i) => `vllm:time_to_first_token_seconds_bucket{le="${i / 10}",model_name="HuggingFaceTB/SmolLM2-360M-Instruct"} ${i}`).join('\n');
  const N = 500;
  const ms = await time(() => { for (let i = 0; i < N; i++) parsePromText(text); });
  return N / (ms / 1000);
}
