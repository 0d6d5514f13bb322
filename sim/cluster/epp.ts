// What an endpoint picker (EPP) container is, read from its pod spec: which generation of the EPP its image
// carries (the log line and metric names changed when the EPP moved to llm-d-router), and what it routes to
// (`--pool-name`/`--pool-namespace`/`--pool-group`, or, without a pool, `--endpoint-selector` +
// `--endpoint-target-ports` — llm-d-router v0.10.0 pkg/epp/server/options.go).
import { INFERENCE_POOL_GROUP_LEGACY } from '../../shared/stack.js';
import { normalizeImage } from '../../shared/image-ref.js';
import type { KubeObject } from '../apiserver/types.js';
import { argValue, type Container } from './servers.js';

/**
 * `gaie`: the GAIE-era EPP (registry.k8s.io/gateway-api-inference-extension/epp, llm-d-inference-scheduler and
 * its arm64 rebuilds): "Request handled" at `"level":"Level(-3)"`, ISO `ts`, director.go:266; metrics
 * `inference_pool_*` (llm-d-facts.md §7).
 * `llm-d-router`: llm-d-router's EPP (ghcr.io/llm-d/llm-d-router-endpoint-picker): pkg/common/observability/
 * logging/logger.go's level encoder prints V(1)–V(3) as `"info"`, the production encoder config an epoch-float
 * `ts`; the line comes from requestcontrol/director.go:493 at v0.10.0; metrics `llm_d_epp_*` beside the
 * deprecated `inference_pool_*` (pkg/epp/metrics/metrics.go RecordInferencePool* set both).
 * ⚠ every llm-d-router-endpoint-picker tag is treated as v0.10.0's shape (only v0.10.0's source was read).
 */
export type EppGeneration = 'gaie' | 'llm-d-router';

export const eppGeneration = (image: string): EppGeneration =>
  (/^ghcr\.io\/llm-d\/llm-d-router-endpoint-picker[:@]/.test(normalizeImage(image)) ? 'llm-d-router' : 'gaie');

export const eppContainerOf = (pod: KubeObject | undefined): Container | undefined =>
  ((pod?.spec as { containers?: Container[] } | undefined)?.containers ?? []).find((c) => c.name === 'epp');

/** What the EPP picks endpoints from. */
export type EppTarget =
  | { kind: 'pool'; name: string; namespace: string; legacy: boolean }
  | { kind: 'selector'; namespace: string; selector: Record<string, string>; targetPorts: number[] };

/** The EPP's target from its args; `--pool-namespace` defaults to the pod's namespace (the NAMESPACE env). */
export function eppTarget(pod: KubeObject): EppTarget | undefined {
  const c = eppContainerOf(pod);
  if (!c) return undefined;
  const namespace = argValue(c, '--pool-namespace') ?? pod.metadata.namespace ?? 'default';
  const pool = argValue(c, '--pool-name');
  if (pool) return { kind: 'pool', name: pool, namespace, legacy: argValue(c, '--pool-group') === INFERENCE_POOL_GROUP_LEGACY };
  const selector = argValue(c, '--endpoint-selector');
  if (selector === undefined) return undefined;
  return {
    kind: 'selector', namespace,
    selector: Object.fromEntries(selector.split(',').map((kv) => kv.split('=')).filter((kv) => kv.length === 2 && kv[0]).map(([k, v]) => [k?.trim() ?? '', v?.trim() ?? ''])),
    targetPorts: (argValue(c, '--endpoint-target-ports') ?? '8000').split(',').map(Number).filter((n) => n > 0),
  };
}
