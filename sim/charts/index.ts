// Chart lookup by the name at the end of a chart reference (`repo/name` or an `oci://…/name` URL).
import type { Chart } from './chart.js';
import { inferencepool } from './inferencepool.js';
import { istioBase, istiod } from './istio.js';
import { kubePrometheusStack } from './kube-prometheus-stack.js';
import { llmdInfra } from './llm-d-infra.js';
import { llmdModelservice } from './llm-d-modelservice.js';
import { llmdRouterStandalone } from './llm-d-router-standalone.js';

export const CHARTS: Record<string, Chart> = Object.fromEntries(
  [istioBase, istiod, kubePrometheusStack, llmdInfra, inferencepool, llmdModelservice, llmdRouterStandalone].map((c) => [c.name, c]),
);

export const chartName = (ref: string): string => ref.replace(/\/+$/, '').split('/').pop() ?? ref;
export const findChart = (ref: string): Chart | undefined => CHARTS[chartName(ref)];
