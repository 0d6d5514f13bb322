// Step "Say hello to the model" (docs/architecture.md §4 step 11): the model id from /v1/models (never hard-coded —
// the guide's own test request names the wrong model at its branch head), then one short chat completion
// through the gateway; the answer is shown and recorded for `status`.
import { SmokeTestResult } from '../../../shared/api/cluster.js';
import { ApiException } from '../../../shared/result.js';
import { listModels, streamChat } from '../chat/chat-client.js';
import { forwardStatus } from '../forward/forwards.js';
import type { Step, StepContext } from '../plan/step.js';
import { readRecord, writeRecord } from './run-records.js';

export const SMOKE_PROMPT = 'Say hello in one sentence.';
export { SMOKE_RECORD } from '../forward/access.js';
import { SMOKE_RECORD } from '../forward/access.js';

async function gatewayUrl(ctx: StepContext): Promise<string | undefined> {
  const st = await forwardStatus(ctx.paths.runDir, 'gateway');
  return st?.alive ? st.url : undefined;
}

export const smokeTest: Step = {
  id: 'smoke-test',
  title: 'Say hello to the model',
  needs: ['access'],
  describe: () => ({
    commands: [],
    notes: ['GET <gateway>/v1/models → the model id (data[0].id)', `POST <gateway>/v1/chat/completions {"messages":[{"role":"user","content":"${SMOKE_PROMPT}"}],"max_tokens":20}`],
  }),
  async detect(ctx) {
    const url = await gatewayUrl(ctx);
    const last = readRecord(ctx, SMOKE_RECORD, SmokeTestResult);
    if (!url || !last) return { state: 'todo', reason: url ? 'not run yet' : 'the gateway is not open' };
    try {
      const models = await listModels(url, { signal: AbortSignal.timeout(5000) });
      return models.includes(last.model) ? { state: 'done', detail: `${last.model} answered: ${last.reply}` } : { state: 'todo', reason: `the gateway now serves ${models.join(', ')}` };
    } catch (e) {
      return { state: 'todo', reason: e instanceof Error ? e.message : String(e) };
    }
  },
  async run(ctx) {
    const url = await gatewayUrl(ctx);
    if (!url) throw new ApiException('NETWORK', 'The gateway port-forward is not running.', 'Retry the "Open the gateway" step.');
    // The gateway may answer 503 for a moment after the pods turn Ready (endpoints propagate): a few bounded retries.
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const models = await listModels(url, { signal: ctx.signal });
        const model = models[0]!;
        ctx.log(`Model: ${model}`);
        ctx.log(`You: ${SMOKE_PROMPT}`);
        const res = await streamChat({ baseUrl: url, model, messages: [{ role: 'user', content: SMOKE_PROMPT }], params: { maxTokens: 20, temperature: 0.7 }, signal: ctx.signal });
        if (res.error) throw new ApiException('NETWORK', `The reply broke off: ${res.error}`);
        const reply = res.content.trim();
        ctx.log(`Model: ${reply}`);
        const replica = res.headers['x-inference-pod'];
        const result: SmokeTestResult = { model, prompt: SMOKE_PROMPT, reply, at: new Date().toISOString(),
          ...(res.ttftMs !== undefined ? { ttftMs: Math.round(res.ttftMs) } : {}), ...(replica ? { replica } : {}) };
        writeRecord(ctx, SMOKE_RECORD, result);
        return;
      } catch (e) {
        lastError = e;
        if (ctx.signal.aborted || !(e instanceof ApiException) || e.code !== 'NETWORK') throw e;
        ctx.log(`Not answering yet (${e.message}); retrying.`);
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
      }
    }
    throw lastError;
  },
};
