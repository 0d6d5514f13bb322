// The Playground's state (docs/architecture.md §4 "Chat and routing insight"): the gateway link and its models,
// the conversation with its streamed replies, the chat parameters, and the routing experiment. The
// engine talks to the gateway; this store only sends requests and folds the engine's events in.
import { create } from 'zustand';
import type { ChatParams, ExperimentResult } from '../../../shared/api/chat.js';
import type { Api } from '../api/client.js';
import { api } from '../api/index.js';
import { newTaskId } from '../api/task-ids.js';
import { messagesFor, type AssistantTurn, type Turn } from '../playground/conversation.js';
import { classifyError, midStreamError, type PlaygroundError } from '../playground/errors.js';
import type { ExperimentSettings } from '../playground/experiment.js';
import type { Params } from '../playground/params.js';

export type { ExperimentSettings };

export const DEFAULT_PARAMS = { temperature: 0.7, maxTokens: 256, topP: 1 } as const satisfies Required<ChatParams>;
export type { Params };

export type GatewayStatus = 'idle' | 'checking' | 'ready' | 'unreachable';


export interface ExperimentState {
  status: 'idle' | 'running' | 'done' | 'failed';
  settings: ExperimentSettings;
  taskId?: string;
  done: number;
  total: number;
  result?: ExperimentResult;
  error?: PlaygroundError;
}

export interface PlaygroundState {
  gateway: { status: GatewayStatus; models: string[]; url?: string; error?: PlaygroundError };
  model?: string;
  systemPrompt: string;
  params: Params;
  turns: Turn[];
  /** The reply streaming now: its task id is ours from the start (api/task-ids.ts); `started` once the engine took it. */
  active?: { turnId: string; taskId: string; started?: boolean; stopRequested?: boolean };
  experiment: ExperimentState;
  connect(): Promise<void>;
  setModel(model: string): void;
  setSystemPrompt(text: string): void;
  setParam<K extends keyof Params>(key: K, value: Params[K]): void;
  send(text: string): Promise<boolean>;
  stop(): Promise<void>;
  regenerate(): Promise<boolean>;
  clear(): void;
  setExperimentSettings(s: Partial<ExperimentSettings>): void;
  runExperiment(): Promise<boolean>;
  cancelExperiment(): Promise<void>;
}

let nextId = 1;
const newId = (p: string) => `${p}-${nextId++}`;

function applyDelta(taskId: string, text: string): void {
  const s = usePlayground.getState();
  if (!s.turns.some((t) => t.role === 'assistant' && t.taskId === taskId)) return;
  usePlayground.setState((st) => ({
    turns: st.turns.map((t) => (t.role === 'assistant' && t.taskId === taskId && t.status === 'streaming' ? { ...t, content: t.content + text } : t)),
  }));
}

type DoneEvent = { taskId: string; reply?: AssistantTurn['reply']; error?: { code: string; message: string; hint?: string | undefined } };

function applyDone(taskId: string, ev: DoneEvent): void {
  const s = usePlayground.getState();
  if (!s.turns.some((t) => t.role === 'assistant' && t.taskId === taskId)) return;
  let gatewayDown: PlaygroundError | undefined;
  usePlayground.setState((st) => ({
    turns: st.turns.map((t): Turn => {
      if (t.role !== 'assistant' || t.taskId !== taskId) return t;
      if (ev.reply) {
        const r = ev.reply;
        const { error: _drop, ...rest } = t;
        return {
          ...rest,
          content: r.content,
          reply: r,
          status: r.stopped ? 'stopped' : r.error ? 'failed' : 'done',
          ...(r.error && !r.stopped ? { error: midStreamError(r.error) } : {}),
        };
      }
      const error = classifyError(ev.error ?? { code: 'INTERNAL', message: 'The reply ended without a result.' });
      if (error.kind === 'gateway-down') gatewayDown = error;
      return { ...t, status: 'failed', error };
    }),
    active: st.active?.taskId === taskId ? undefined : st.active,
    ...(gatewayDown ? { gateway: { ...st.gateway, status: 'unreachable' as const, error: gatewayDown } } : {}),
  }));
}

/** Feeds the store from the engine's events; called once at start-up (stores/wire.ts), like every store. */
export function attachPlaygroundEvents(a: Api): () => void {
  const offs = [
    a.on('chat.delta', ({ taskId, text }) => applyDelta(taskId, text)),
    a.on('chat.done', (ev) => applyDone(ev.taskId, ev)),
    a.on('experiment.progress', ({ taskId, done, total }) => {
      usePlayground.setState((s) => (s.experiment.taskId === taskId ? { experiment: { ...s.experiment, done, total } } : {}));
    }),
    a.on('experiment.done', ({ taskId, result, error }) => {
      usePlayground.setState((s) => {
        if (s.experiment.taskId !== taskId) return {};
        const { result: _r, error: _e, ...rest } = s.experiment;
        return result
          ? { experiment: { ...rest, status: 'done', result, done: rest.total } }
          : { experiment: { ...rest, status: 'failed', error: classifyError(error ?? { code: 'INTERNAL', message: 'The experiment ended without a result.' }) } };
      });
    }),
  ];
  return () => offs.forEach((off) => off());
}

export const usePlayground = create<PlaygroundState>((set, get) => {
  /** Starts streaming a reply to `turns` (which end with the person's message). */
  const start = async (turns: Turn[]): Promise<boolean> => {
    const { model, systemPrompt, params } = get();
    if (!model) return false;
    const a = api();
    // The reply's task id is ours before the request goes out, so tokens that outrun the reply land in it.
    const taskId = newTaskId('ui-chat');
    const reply: AssistantTurn = { id: newId('a'), role: 'assistant', model, content: '', status: 'streaming', taskId };
    set({ turns: [...turns, reply], active: { turnId: reply.id, taskId } });
    const r = await a.invoke('chat.send', { model, messages: messagesFor(systemPrompt, turns), params, taskId });
    if (!r.ok) {
      const error = classifyError(r.error);
      set((s) => ({
        turns: s.turns.map((t) => (t.id === reply.id ? { ...reply, status: 'failed', error } : t)),
        active: undefined,
        ...(error.kind === 'gateway-down' ? { gateway: { ...s.gateway, status: 'unreachable' as const, error } } : {}),
      }));
      return false;
    }
    const still = get().active;
    if (still?.taskId !== taskId) return true; // the reply already ended (its chat.done came first)
    set({ active: { ...still, started: true } });
    // Stop pressed before the engine had the task: cancel it now that it exists.
    if (still.stopRequested) await a.invoke('task.cancel', { taskId });
    return true;
  };

  return {
    gateway: { status: 'idle', models: [] },
    systemPrompt: '',
    params: { ...DEFAULT_PARAMS },
    turns: [],
    experiment: { status: 'idle', settings: { requests: 8, concurrency: 2, maxTokens: 16 }, done: 0, total: 0 },

    async connect() {
      if (get().gateway.status === 'checking') return;
      set((s) => ({ gateway: { ...s.gateway, status: 'checking' } }));
      const r = await api().invoke('chat.models', {});
      if (!r.ok) {
        set((s) => ({ gateway: { status: 'unreachable', models: s.gateway.models, error: classifyError(r.error) } }));
        return;
      }
      const { models, gatewayUrl } = r.value;
      set((s) => ({
        gateway: { status: 'ready', models, url: gatewayUrl },
        // Keep the person's pick when the server still serves it; else the first model it lists.
        model: s.model && models.includes(s.model) ? s.model : models[0],
      }));
    },
    setModel: (model) => set({ model }),
    setSystemPrompt: (systemPrompt) => set({ systemPrompt }),
    setParam: (key, value) => set((s) => ({ params: { ...s.params, [key]: value } })),

    async send(text) {
      const content = text.trim();
      if (!content || get().active) return false;
      return start([...get().turns, { id: newId('u'), role: 'user', content }]);
    },

    async stop() {
      const active = get().active;
      if (!active) return;
      if (!active.started) {
        set({ active: { ...active, stopRequested: true } });
        return;
      }
      await api().invoke('task.cancel', { taskId: active.taskId });
    },

    async regenerate() {
      const turns = get().turns;
      const last = turns.at(-1);
      if (get().active || last?.role !== 'assistant') return false;
      return start(turns.slice(0, -1));
    },

    clear() {
      if (get().active) return;
      set({ turns: [] });
    },

    setExperimentSettings: (s) => set((st) => ({ experiment: { ...st.experiment, settings: { ...st.experiment.settings, ...s } } })),

    async runExperiment() {
      const ex = get().experiment;
      if (ex.status === 'running') return false;
      const { requests, concurrency, maxTokens } = ex.settings;
      set({ experiment: { status: 'running', settings: ex.settings, done: 0, total: requests * 2 } });
      const model = get().model;
      const taskId = newTaskId('ui-experiment');
      set((s) => ({ experiment: { ...s.experiment, taskId } }));
      const r = await api().invoke('experiment.run', { requests, concurrency, maxTokens, ...(model ? { model } : {}), taskId });
      if (!r.ok) {
        set((s) => ({ experiment: { ...s.experiment, status: 'failed', error: classifyError(r.error) } }));
        return false;
      }
      return true;
    },

    async cancelExperiment() {
      const { taskId, status } = get().experiment;
      if (status !== 'running' || !taskId) return;
      await api().invoke('task.cancel', { taskId });
    },
  };
});
