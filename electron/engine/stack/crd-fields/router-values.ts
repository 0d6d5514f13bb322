// The values keys the llm-d-router charts read under `router:` (routerlib values.yaml and the standalone
// chart's proxy block), taken by hand from llm-d/llm-d-router config/charts/routerlib/values.yaml and
// llm-d-current-facts §3 (tag v0.10.0). A key that is not listed is one the chart ignores; the legacy top-level
// keys make the chart fail (routerlib _helpers.tpl: "Top-level 'inferencePool' is deprecated…").
import type { FieldRule } from './index.js';

const any: FieldRule = { type: 'map' };
const str: FieldRule = { type: 'string' };
const int: FieldRule = { type: 'integer', min: 0 };
const image: FieldRule = { type: 'object', fields: { registry: str, repository: str, tag: str, pullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] } } };
const resources: FieldRule = { type: 'object', required: ['requests'], fields: { requests: any, limits: any } };
const port: FieldRule = { type: 'object', required: ['number'], fields: { number: { type: 'integer', min: 1, max: 65535 } } };

export const ROUTER_VALUES_V0_10_0: FieldRule = {
  type: 'object',
  required: ['router'],
  fields: {
    router: {
      type: 'object',
      fields: {
        epp: { type: 'object', required: ['resources'], fields: {
          replicas: int, image, flags: any, env: { type: 'array', items: any }, extProcPort: int, grpcHealthPort: int,
          pluginsConfigFile: str, pluginsConfig: any, pluginsCustomConfig: any, resources, affinity: any, tolerations: { type: 'array', items: any },
          podAnnotations: any, podSecurityContext: any, securityContext: any, extraContainerPorts: { type: 'array', items: any },
        } },
        inferencePool: { type: 'object', fields: { create: { type: 'boolean' }, failureMode: { type: 'string', enum: ['FailOpen', 'FailClose'] } } },
        modelServers: { type: 'object', required: ['matchLabels'], fields: {
          type: { type: 'string', enum: ['vllm', 'sglang', 'triton-tensorrt-llm', 'trtllm-serve', 'triton'] },
          protocol: { type: 'string', enum: ['http', 'grpc'] },
          targetPorts: { type: 'array', items: port, maxItems: 8 },
          matchLabels: any,
        } },
        monitoring: { type: 'object', fields: {
          interval: str,
          prometheus: { type: 'object', fields: { enabled: { type: 'boolean' }, auth: { type: 'object', fields: { enabled: { type: 'boolean' }, secretName: str } }, extraLabels: any } },
        } },
        extraServicePorts: { type: 'array', items: { type: 'object', fields: { name: str, port: { type: 'integer', min: 1, max: 65535 }, protocol: str, targetPort: { type: 'integer', min: 1, max: 65535 } } } },
        proxy: { type: 'object', fields: { proxyType: { type: 'string', enum: ['envoy'] }, args: { type: 'array', items: str }, resources, failOpen: { type: 'boolean' } } },
        tracing: any,
      },
    },
  },
};
