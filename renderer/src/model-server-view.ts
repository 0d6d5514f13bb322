// Configure → Advanced (model server) and the Plan's summary: the three settings the doctor's one-click
// fixes change (OOMKilled: memoryLimitGi, kvCacheGiB; "keep waiting": decodeWaitMinutes — see
// electron/engine/doctor/rules/oom-killed.ts and decode-starting.ts), what each is when left empty, and
// what the rest of the page should count with. Pure: the page, the Plan and tests run it. Bounds and
// messages are the Settings schema's (shared/api/settings.ts), never repeated here.
import { modelSpec, replicaResources, Settings, type ReplicaResources } from '../../shared/api/settings.js';
import type { ReleaseSummary } from '../../shared/release.js';
import type { ModelServerOverride, SettingsForm } from './stores/settings.js';

export interface ModelServerField {
  key: ModelServerOverride;
  label: string;
  unit: 'GiB' | 'min';
  /** What it does, and when the doctor offers to change it. */
  hint: string;
}

export const MODEL_SERVER_FIELDS: readonly ModelServerField[] = [
  {
    key: 'memoryLimitGi', label: 'Memory limit per replica (GiB)', unit: 'GiB',
    hint: 'The most memory one model server may use before Kubernetes kills it (OOMKilled). The request the scheduler reserves stays the model’s. The doctor raises it when vLLM is OOMKilled.',
  },
  {
    key: 'kvCacheGiB', label: 'KV cache (GiB)', unit: 'GiB',
    hint: 'Memory vLLM sets aside up front for the conversations it serves (VLLM_CPU_KVCACHE_SPACE); smaller fits in less memory but serves fewer requests at once. The doctor lowers it when vLLM is OOMKilled.',
  },
  {
    key: 'decodeWaitMinutes', label: 'Wait for the model servers (minutes)', unit: 'min',
    hint: 'How long the install waits for vLLM to load the model and compile for this CPU before it stops. The doctor’s “keep waiting” sets it when the install stopped while vLLM was still starting.',
  },
];

/** What each field is when left empty, for this model on this node; undefined = it has no effect here. */
export function modelServerDefaults(model: string, release: ReleaseSummary | undefined): Partial<Record<ModelServerOverride, number>> {
  const limit = modelSpec(model)?.memoryLimitGi;
  const kv = release?.kvCacheGiB?.[model];
  const wait = release?.decodeWaitMinutes?.[model];
  return { ...(limit !== undefined ? { memoryLimitGi: limit } : {}), ...(kv !== undefined ? { kvCacheGiB: kv } : {}), ...(wait !== undefined ? { decodeWaitMinutes: wait } : {}) };
}

/** A box's value when it is one the schema accepts; else undefined (empty, half-typed or out of bounds). */
export function overrideValue(form: Pick<SettingsForm, ModelServerOverride>, key: ModelServerOverride): number | undefined {
  const typed = form[key].trim();
  if (typed === '') return undefined;
  const parsed = Settings.shape[key].safeParse(Number(typed));
  return parsed.success ? parsed.data : undefined;
}

/**
 * What one replica asks for and may use with the form as typed: the override once it is a valid limit,
 * else the model's (the Model and Replicas hints count with this, as the fit does with the saved settings).
 */
export function formReplicaResources(form: Pick<SettingsForm, 'model' | ModelServerOverride>): ReplicaResources | undefined {
  const memoryLimitGi = overrideValue(form, 'memoryLimitGi');
  return replicaResources({ model: form.model, ...(memoryLimitGi !== undefined ? { memoryLimitGi } : {}) });
}

/**
 * The overrides in saved settings, each as a phrase for the Plan's summary, with the default it replaces
 * when known. The settings do not record who set them; both the person and the doctor write the same field.
 */
export function overridePhrases(s: Pick<Settings, 'model' | 'gpu' | ModelServerOverride>, release: ReleaseSummary | undefined): string[] {
  const d = modelServerDefaults(s.model, release);
  const was = (v: number | undefined, unit: string) => (v !== undefined ? ` (default ${v} ${unit})` : '');
  return [
    s.memoryLimitGi !== undefined ? `memory limit ${s.memoryLimitGi} GiB per replica${was(d.memoryLimitGi, 'GiB')}` : '',
    // The CUDA image sizes its own KV cache: the setting is kept but does nothing with the GPU on.
    s.kvCacheGiB !== undefined ? `KV cache ${s.kvCacheGiB} GiB${s.gpu ? ' (not used with the GPU)' : was(d.kvCacheGiB, 'GiB')}` : '',
    s.decodeWaitMinutes !== undefined ? `waits up to ${s.decodeWaitMinutes} min for the model servers${was(d.decodeWaitMinutes, 'min')}` : '',
  ].filter(Boolean);
}

/** The Model field's hint: the limit and request one replica gets with the form as typed. */
export function modelHint(form: Pick<SettingsForm, 'model' | ModelServerOverride>, contextLength: number | undefined): string {
  const m = modelSpec(form.model);
  const r = formReplicaResources(form);
  if (!m || !r) return '';
  const yours = r.memoryLimitGi !== m.memoryLimitGi ? `, yours under Advanced; the model’s is ${m.memoryLimitGi}` : '';
  return `${r.memoryLimitGi} GiB per replica (limit${yours}), ${r.memoryRequestGi} GiB requested${contextLength ? ` · context ${contextLength} tokens in this release` : ''}`;
}

/** The Replicas field's hint: what the replicas take of the cluster's memory, at the effective limit. */
export function replicasHint(form: Pick<SettingsForm, 'model' | 'replicas' | ModelServerOverride>): string | undefined {
  const n = Number(form.replicas);
  const r = formReplicaResources(form);
  if (!Number.isInteger(n) || n <= 0 || !r) return undefined;
  return `${n} × ${r.memoryLimitGi} GiB = ${n * r.memoryLimitGi} GiB of the cluster’s memory`;
}
