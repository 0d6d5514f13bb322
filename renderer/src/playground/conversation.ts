// The conversation as the Playground keeps it, and the pure functions over it: which messages go to the
// model, and the two export formats (Markdown to read, JSON to reuse).
import { ATTRIBUTION_SOURCE_LABELS, type ChatMessage, type ChatParams, type ChatReply } from '../../../shared/api/chat.js';
import type { PlaygroundError } from './errors.js';

export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'failed';

export interface UserTurn {
  id: string;
  role: 'user';
  content: string;
}

export interface AssistantTurn {
  id: string;
  role: 'assistant';
  model: string;
  /** What has arrived so far (the whole reply once done; the partial text when stopped or broken). */
  content: string;
  status: TurnStatus;
  taskId?: string;
  reply?: ChatReply;
  error?: PlaygroundError;
}

export type Turn = UserTurn | AssistantTurn;

/**
 * The messages for the next request: the system prompt, then every turn that has text. A stopped or
 * broken reply keeps its partial text in the history (the person saw it); a reply that failed before
 * any token is left out so the model is not shown an empty answer.
 */
export function messagesFor(systemPrompt: string, turns: readonly Turn[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (systemPrompt.trim()) out.push({ role: 'system', content: systemPrompt.trim() });
  for (const t of turns) {
    if (t.role === 'assistant' && (t.status === 'streaming' || !t.content)) continue;
    out.push({ role: t.role, content: t.content });
  }
  return out;
}

export interface ExportInput {
  model?: string;
  systemPrompt: string;
  params: ChatParams;
  turns: readonly Turn[];
  exportedAt: Date;
}

const attributionText = (t: AssistantTurn): string | undefined => {
  const a = t.reply?.attribution;
  if (!a) return undefined;
  return a.known ? `${a.pod} (from the ${ATTRIBUTION_SOURCE_LABELS[a.source]})` : `unknown — ${a.reason}`;
};

/** Markdown a person can paste into an issue: each turn as a section, the reply's figures under it. */
export function toMarkdown(x: ExportInput): string {
  const lines = [`# llm-d Playground conversation`, ''];
  lines.push(`- Exported: ${x.exportedAt.toISOString()}`);
  if (x.model) lines.push(`- Model: ${x.model}`);
  const p = x.params;
  lines.push(`- Parameters: temperature ${p.temperature ?? 'default'}, max tokens ${p.maxTokens ?? 'default'}, top_p ${p.topP ?? 'default'}`);
  if (x.systemPrompt.trim()) lines.push('', '## System prompt', '', x.systemPrompt.trim());
  for (const t of x.turns) {
    if (t.role === 'user') {
      lines.push('', '## You', '', t.content);
      continue;
    }
    lines.push('', `## Assistant (${t.model})`, '', t.content || '_(no text)_');
    const notes: string[] = [];
    if (t.status === 'stopped') notes.push('Stopped by you: the reply above is partial.');
    if (t.error) notes.push(`${t.error.title}: ${t.error.message}`);
    const r = t.reply;
    if (r?.ttftMs !== undefined) notes.push(`Time to first token: ${Math.round(r.ttftMs)} ms`);
    if (r?.tokensPerSecond !== undefined) notes.push(`Tokens/s: ${r.tokensPerSecond.toFixed(1)}`);
    if (r?.usage) notes.push(`Tokens: ${r.usage.promptTokens} prompt, ${r.usage.completionTokens} completion`);
    const who = attributionText(t);
    if (who) notes.push(`Replica: ${who}`);
    if (notes.length) lines.push('', ...notes.map((n) => `> ${n}`));
  }
  return `${lines.join('\n')}\n`;
}

/** JSON that keeps every figure the engine reported, for scripts and bug reports. */
export function toJson(x: ExportInput): string {
  return `${JSON.stringify(
    {
      exportedAt: x.exportedAt.toISOString(),
      model: x.model ?? null,
      systemPrompt: x.systemPrompt,
      params: x.params,
      messages: x.turns.map((t) =>
        t.role === 'user'
          ? { role: 'user', content: t.content }
          : { role: 'assistant', model: t.model, content: t.content, status: t.status, ...(t.reply ? { reply: t.reply } : {}), ...(t.error ? { error: t.error } : {}) },
      ),
    },
    null,
    2,
  )}\n`;
}
