// llm-d-incubation/llm-d-modelservice v0.3.8 (tag llm-d-modelservice-v0.3.8, commit 732f6572,
// charts/llm-d-modelservice/), rendered from the same values the templates read so that keys the chart
// ignores (a container's `device`, `lifecycle`, resources `claims` …) are ignored here too. The defaults are
// values.yaml (shared/reference/upstream/llm-d-modelservice/v0.3.8/values.yaml), merged under the user's
// values as helm coalesces them (maps merge, lists replace, null deletes). Template file:line beside each
// decision; `_helpers.tpl` is abbreviated `H`.
// Not modelled: values.schema.json validation, the chart's `fail`s (custom modelCommand without command,
// oci:// model args, bad modelCommand, parallelism remainders), DRA (dra.enabled), the requester
// ReplicaSet (requester.enable), extraConfig tpl rendering, autoscaling. With multinode the chart renders
// LeaderWorkerSets (decode-lws.yaml), which need the LWS CRD; the sim renders their head only.
import { SIM_CHART_VERSIONS as VERSIONS } from '../upstream.js';
import { at, type Chart, isObject, mergeValues, meta, truthy, type Values } from './chart.js';
import type { KubeObject } from '../apiserver/types.js';

// values.yaml l.22-474 (the keys the templates read; comments dropped).
const DEFAULTS: Values = {
  modelArtifacts: {
    name: 'random/model', labels: { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'random_model' },
    uri: 'hf://{{ .Values.modelArtifacts.name }}', size: '5Mi', authSecretName: '', mountPath: '/model-cache',
  },
  multinode: false,
  accelerator: {
    type: 'nvidia',
    resources: { nvidia: 'nvidia.com/gpu', 'intel-i915': 'gpu.intel.com/i915', 'intel-xe': 'gpu.intel.com/xe', 'intel-gaudi': 'habana.ai/gaudi', amd: 'amd.com/gpu', google: 'google.com/tpu' },
    env: { 'intel-i915': [{ name: 'VLLM_USE_V1', value: '1' }, { name: 'TORCH_LLM_ALLREDUCE', value: '1' }, { name: 'VLLM_WORKER_MULTIPROC_METHOD', value: 'spawn' }] },
  },
  requester: { enable: false },
  dra: { enabled: false },
  routing: {
    servicePort: 8000,
    proxy: { enabled: true, image: 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0-rc.1', imagePullPolicy: 'Always', targetPort: 8200, connector: 'nixlv2', secure: false, zapEncoder: 'json', zapLogLevel: 'debug' },
  },
  decode: {
    create: true, replicas: 1, nodeSelector: {},
    containers: [{
      name: 'vllm', image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.6.1', modelCommand: 'imageDefault', command: [], args: [], env: [], imagePullPolicy: '', ports: [],
      resources: { limits: {}, requests: {}, claims: {} }, mountModelVolume: true, volumeMounts: [{ name: 'metrics-volume', mountPath: '/.config' }],
    }],
    volumes: [{ name: 'metrics-volume', emptyDir: {} }],
    acceleratorTypes: { labelKey: '', labelValues: [] },
    monitoring: { podmonitor: { enabled: false, portName: 'metrics', path: '/metrics', interval: '30s', labels: {}, annotations: {}, relabelings: [], metricRelabelings: [] } },
  },
  prefill: {
    create: true, replicas: 0, nodeSelector: {},
    containers: [{
      name: 'vllm', image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.3.0', modelCommand: 'imageDefault', mountModelVolume: true, args: [], env: [], imagePullPolicy: '', command: [], ports: [],
      resources: { limits: {}, requests: {} }, volumeMounts: [{ name: 'metrics-volume', mountPath: '/.config' }],
    }],
    volumes: [{ name: 'metrics-volume', emptyDir: {} }],
    acceleratorTypes: { labelKey: '', labelValues: [] },
    monitoring: { podmonitor: { enabled: false, portName: 'metrics', path: '/metrics', interval: '30s', labels: {}, annotations: {}, relabelings: [], metricRelabelings: [] } },
  },
  extraObjects: [],
};

const asObj = (v: unknown): Values => (isObject(v) ? v : {});
const asList = (v: unknown): Values[] => (Array.isArray(v) ? v.filter(isObject) : []);
const has = (o: Values, k: string) => Object.hasOwn(o, k) && o[k] !== undefined;
const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');
const trunc = (s: string, n: number) => s.slice(0, n).replace(/-+$/, '');

/** H l.14-25. */
function fullname(release: string, v: Values): string {
  if (truthy(v.fullnameOverride)) return trunc(str(v.fullnameOverride), 55);
  const name = truthy(v.nameOverride) ? str(v.nameOverride) : llmdModelservice.name;
  return release.includes(name) ? trunc(release, 55) : trunc(`${release}-${name}`, 55);
}

/** H l.142-212: tensor, data, dataLocal and workers parallelism from `<role>.parallelism`. */
function parallelism(p: unknown) {
  const o = asObj(p);
  const n = (k: string) => (truthy(o[k]) ? Number(o[k]) : 0);
  const tensor = n('tensor') || 1;
  const data = n('data') || (n('dataLocal') && n('workers') ? n('dataLocal') * n('workers') : n('dataLocal')) || 1;
  const dataLocal = n('dataLocal') || (n('data') && n('workers') ? Math.floor(n('data') / n('workers')) : n('data')) || 1;
  return { tensor, data, dataLocal, gpusPerWorker: dataLocal * tensor };
}

/** H l.233-245: the extended resource a container asks for ("" for CPU and for llm-d-inference-sim images). */
function acceleratorResource(v: Values, container: Values): string {
  const type = str(at(v, 'accelerator.type', '') || 'nvidia');
  if (typeof container.image === 'string' && container.image.includes('llm-d-inference-sim')) return '';
  if (type === 'cpu') return '';
  const resources = at<Values>(v, 'accelerator.resources', {});
  return has(resources, type) ? str(resources[type]) : 'nvidia.com/gpu';
}

export const llmdModelservice: Chart = {
  name: 'llm-d-modelservice',
  version: VERSIONS.modelservice,
  // Chart.yaml of the tag: version "v0.3.8", appVersion "v0.3.0".
  appVersion: 'v0.3.0',
  render: (release, userValues) => {
    const v = mergeValues(DEFAULTS, userValues);
    const ns = release.namespace;
    const full = fullname(release.name, v);
    // H l.31-44: the chart's labels on every object it names.
    const labels = { 'helm.sh/chart': `${llmdModelservice.name}-${llmdModelservice.version}`.replace(/\+/g, '_').slice(0, 63), 'app.kubernetes.io/version': llmdModelservice.appVersion, 'app.kubernetes.io/managed-by': 'Helm' };
    const artifacts = asObj(v.modelArtifacts);
    const modelName = str(artifacts.name ?? '');
    const uri = str(artifacts.uri ?? '').replace(/\{\{\s*\.Values\.modelArtifacts\.name\s*\}\}/g, modelName);
    const [protocol = '', rest = ''] = uri.includes('://') ? uri.split('://') : [uri, uri];
    const mountPath = str(artifacts.mountPath ?? '/model-cache');
    // H l.62-76.
    const roleLabels = (role: string) => ({ ...Object.fromEntries(Object.entries(asObj(artifacts.labels)).map(([k, val]) => [k, str(val)])), 'llm-d.ai/role': role });
    const routing = asObj(v.routing);
    const proxy = asObj(routing.proxy);
    const servicePort = truthy(routing.servicePort) ? Number(routing.servicePort) : 8000;
    const out: KubeObject[] = [];

    // serviceaccount.yaml l.1-8.
    const saOverride = truthy(v.serviceAccountOverride) ? str(v.serviceAccountOverride) : '';
    if (!saOverride && (truthy(v.prefill) || truthy(v.decode))) out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(full, ns, labels) });

    // H l.307-329: the model volume by URI protocol.
    const modelVolume = (): Values[] => {
      if (protocol === 'hf') return [{ name: 'model-storage', emptyDir: { sizeLimit: str(artifacts.size ?? '0') || '0' } }];
      if (protocol.startsWith('pvc')) return [{ name: 'model-storage', persistentVolumeClaim: { claimName: rest.split('/')[0] ?? '', readOnly: true } }];
      if (protocol === 'oci') return [{ name: 'model-storage', image: { reference: rest, pullPolicy: str(artifacts.imagePullPolicy ?? '') || 'Always' } }];
      return [];
    };
    // H l.461-492: the model argument by protocol.
    const modelArg = (): string => {
      if (protocol === 'hf') return rest;
      if (protocol === 'pvc') return `${mountPath}/${rest.split('/').slice(1).join('/')}`;
      if (protocol === 'pvc+hf') { const parts = rest.split('/'); return `${parts.at(-2) ?? ''}/${parts.at(-1) ?? ''}`; }
      return rest;
    };

    // H l.394-459: one container of decode/prefill.containers; only these keys reach the pod.
    const container = (c: Values, role: 'decode' | 'prefill', par: ReturnType<typeof parallelism>): Values => {
      // H l.225-231: vLLM's port — the sidecar's target for decode, the service port for prefill or without the proxy.
      const vllmPort = role === 'prefill' || proxy.enabled === false ? servicePort : Number(proxy.targetPort ?? 8200);
      const extraArgs = Array.isArray(c.args) ? c.args.map(str) : [];
      const parArgs = [
        ...(par.tensor > 1 ? ['--tensor-parallel-size', String(par.tensor)] : []),
        ...(par.data > 1 ? ['--data-parallel-size', String(par.data)] : []),
        ...(par.dataLocal > 1 ? ['--data-parallel-size-local', String(par.dataLocal)] : []),
      ];
      // H l.574-585 (default custom), l.494-521 vllmServe, l.523-549 imageDefault, l.551-565 custom.
      const modelCommand = str(c.modelCommand ?? '') || 'custom';
      const cmd: Values = modelCommand === 'vllmServe'
        ? { command: ['vllm', 'serve'], args: [modelArg(), '--port', String(vllmPort), ...parArgs, '--served-model-name', modelName, ...extraArgs] }
        : modelCommand === 'imageDefault'
          ? { args: ['--model', modelArg(), '--port', String(vllmPort), ...parArgs, '--served-model-name', modelName, ...extraArgs] }
          : { ...(truthy(c.command) ? { command: (c.command as unknown[]).map(str) } : {}), ...(truthy(c.args) ? { args: extraArgs } : {}) };
      // H l.587-618: HF_HOME only for hf:// with mountModelVolume; HF_TOKEN whenever authSecretName is set.
      const hfEnv: Values[] = [];
      if (protocol === 'hf' && truthy(c.mountModelVolume)) hfEnv.push({ name: 'HF_HOME', value: mountPath });
      if (protocol === 'pvc+hf' && truthy(c.mountModelVolume)) hfEnv.push({ name: 'HF_HUB_CACHE', value: `/model-cache/${rest.split('/').slice(1, -2).join('/')}` });
      if (truthy(artifacts.authSecretName)) hfEnv.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: str(artifacts.authSecretName), key: 'HF_TOKEN' } } });
      // H l.247-257.
      const type = str(at(v, 'accelerator.type', '') || 'nvidia');
      const accelEnv = type !== 'cpu' ? asList(asObj(at(v, 'accelerator.env', {}))[type]).map((e) => ({ name: str(e.name), value: str(e.value) })) : [];
      // H l.259-282: limits/requests only (no claims), plus the accelerator × (dataLocal × tensor) on every container.
      const res = asObj(c.resources);
      const resource = acceleratorResource(v, c);
      const gpu = par.gpusPerWorker >= 1 && resource ? { [resource]: String(par.gpusPerWorker) } : {};
      const mounts = [...asList(c.volumeMounts), ...(truthy(c.mountModelVolume) ? [{ name: 'model-storage', mountPath }] : [])];
      return {
        name: str(c.name ?? '') || 'vllm',
        image: c.image,
        ...(isObject(c.extraConfig) ? c.extraConfig : {}),
        ...(truthy(c.securityContext) ? { securityContext: c.securityContext } : {}),
        ...(truthy(c.imagePullPolicy) ? { imagePullPolicy: c.imagePullPolicy } : {}),
        ...cmd,
        // H l.412-421: the user's env, DP_SIZE/TP_SIZE/DP_SIZE_LOCAL (always), the hf env, the accelerator env.
        env: [...asList(c.env), { name: 'DP_SIZE', value: String(par.data) }, { name: 'TP_SIZE', value: String(par.tensor) }, { name: 'DP_SIZE_LOCAL', value: String(par.dataLocal) }, ...hfEnv, ...accelEnv],
        ...(truthy(c.ports) ? { ports: c.ports } : {}),
        ...(truthy(c.livenessProbe) ? { livenessProbe: c.livenessProbe } : {}),
        ...(truthy(c.readinessProbe) ? { readinessProbe: c.readinessProbe } : {}),
        ...(truthy(c.startupProbe) ? { startupProbe: c.startupProbe } : {}),
        resources: { limits: { ...asObj(res.limits), ...gpu }, requests: { ...asObj(res.requests), ...gpu } },
        // H l.335-348.
        ...(mounts.length ? { volumeMounts: mounts } : {}),
        ...(truthy(c.workingDir) ? { workingDir: c.workingDir } : {}),
        ...(truthy(c.stdin) ? { stdin: c.stdin } : {}),
        ...(truthy(c.tty) ? { tty: c.tty } : {}),
      };
    };

    // H l.95-136: the routing proxy, a native sidecar, unless routing.proxy.enabled is false; each optional
    // flag only when its key is present (the chart defaults carry secure, zapEncoder and zapLogLevel).
    const routingProxy = (): Values[] => {
      if (has(proxy, 'enabled') && proxy.enabled === false) return [];
      const flag = (key: string, name: string) => (has(proxy, key) ? [`--${name}=${str(proxy[key])}`] : []);
      return [{
        name: 'routing-proxy',
        args: [`--port=${servicePort}`, `--vllm-port=${truthy(proxy.targetPort) ? str(proxy.targetPort) : '8200'}`, `--connector=${truthy(proxy.connector) ? str(proxy.connector) : 'nixlv2'}`,
          ...flag('zapDevel', 'zap-devel'), ...flag('zapEncoder', 'zap-encoder'), ...flag('zapLogLevel', 'zap-log-level'), ...flag('zapStacktraceLevel', 'zap-stacktrace-level'),
          ...flag('zapTimeEncoding', 'zap-time-encoding'), ...flag('secure', 'secure-proxy'), ...flag('prefillerUseTLS', 'prefiller-use-tls'), ...flag('certPath', 'cert-path')],
        image: proxy.image,
        imagePullPolicy: truthy(proxy.imagePullPolicy) ? proxy.imagePullPolicy : 'Always',
        ports: [{ containerPort: servicePort }],
        resources: {},
        restartPolicy: 'Always',
        securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
      }];
    };

    // H l.354-385: the pod-level part of a role's spec.
    const podSpec = (spec: Values, role: 'decode' | 'prefill', initContainers: Values[] | undefined): Values => {
      const par = parallelism(spec.parallelism);
      const accel = asObj(spec.acceleratorTypes);
      const schedulerName = truthy(spec.schedulerName) ? spec.schedulerName : v.schedulerName;
      return {
        ...(truthy(spec.nodeSelector) ? { nodeSelector: spec.nodeSelector } : {}),
        ...(initContainers ? { initContainers } : {}),
        ...(isObject(spec.extraConfig) ? spec.extraConfig : {}),
        ...(truthy(spec.imagePullSecrets) ? { imagePullSecrets: spec.imagePullSecrets } : {}),
        ...(truthy(schedulerName) ? { schedulerName } : {}),
        ...(truthy(spec.podSecurityContext) ? { securityContext: spec.podSecurityContext } : {}),
        serviceAccountName: saOverride || full,
        // H l.79-93.
        ...(truthy(accel.labelKey) ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{
          key: accel.labelKey, operator: 'In', ...(truthy(accel.labelValues) ? { values: accel.labelValues } : {}) }] }] } } } } : {}),
        volumes: [...asList(spec.volumes), ...modelVolume()],
        ...(truthy(spec.containers) ? { containers: asList(spec.containers).map((c) => container(c, role, par)) } : {}),
        ...(truthy(spec.tolerations) ? { tolerations: spec.tolerations } : {}),
      };
    };

    const workload = (role: 'decode' | 'prefill', spec: Values, initContainers: Values[] | undefined): KubeObject => {
      const sel = roleLabels(role);
      const replicas = has(spec, 'replicas') ? Number(spec.replicas) : 1;
      return {
        apiVersion: 'apps/v1', kind: 'Deployment',
        metadata: meta(`${full}-${role}`, ns, labels, truthy(spec.annotations) ? asObj(spec.annotations) as Record<string, string> : undefined),
        spec: {
          replicas, selector: { matchLabels: sel },
          template: { metadata: { labels: sel, ...(truthy(spec.podAnnotations) ? { annotations: spec.podAnnotations } : {}) }, spec: podSpec(spec, role, initContainers) },
        },
      };
    };

    const podMonitor = (role: 'decode' | 'prefill', spec: Values): KubeObject | undefined => {
      const pm = asObj(asObj(spec.monitoring).podmonitor);
      if (!truthy(spec.create) || !truthy(pm.enabled)) return undefined;
      // decode-podmonitor.yaml l.1-41 (prefill-podmonitor.yaml likewise).
      return {
        apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor',
        metadata: meta(`${full}-${role}-podmonitor`, ns, { ...labels, 'app.kubernetes.io/component': role, ...(asObj(pm.labels) as Record<string, string>) },
          truthy(pm.annotations) ? asObj(pm.annotations) as Record<string, string> : undefined),
        spec: {
          selector: { matchLabels: roleLabels(role) },
          podMetricsEndpoints: [{
            port: truthy(pm.portName) ? str(pm.portName) : 'metrics', path: truthy(pm.path) ? str(pm.path) : '/metrics', interval: truthy(pm.interval) ? str(pm.interval) : '30s',
            ...(truthy(pm.scrapeTimeout) ? { scrapeTimeout: pm.scrapeTimeout } : {}),
            ...(truthy(pm.relabelings) ? { relabelings: pm.relabelings } : {}),
            ...(truthy(pm.metricRelabelings) ? { metricRelabelings: pm.metricRelabelings } : {}),
          }],
          ...(truthy(pm.namespaceSelector) ? { namespaceSelector: pm.namespaceSelector } : {}),
        },
      };
    };

    const decode = asObj(v.decode);
    const prefill = asObj(v.prefill);
    const multinode = truthy(v.multinode);
    if (!truthy(asObj(v.requester).enable) && truthy(decode.create)) {
      // decode-deployment.yaml l.30-38: initContainers when decode.initContainers is set or the proxy is on.
      const init = has(decode, 'initContainers') || proxy.enabled === true ? [...routingProxy(), ...asList(decode.initContainers)] : undefined;
      const w = workload('decode', decode, init);
      // decode-lws.yaml l.1-3: multinode renders a LeaderWorkerSet instead (only its kind matters here).
      out.push(multinode ? { ...w, apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: { ...w.metadata, labels: { ...labels, ...roleLabels('decode') } } } : w);
    }
    // prefill-deployment.yaml l.1, l.26-29 (chart default: create true, replicas 0).
    if (truthy(prefill.create)) {
      const w = workload('prefill', prefill, has(prefill, 'initContainers') ? asList(prefill.initContainers) : undefined);
      out.push(multinode ? { ...w, apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet' } : w);
    }
    for (const pm of [podMonitor('decode', decode), podMonitor('prefill', prefill)]) if (pm) out.push(pm);
    // extra-objects.yaml: passed through (the sim does not run tpl on them).
    for (const o of asList(v.extraObjects)) out.push(o as unknown as KubeObject);
    return out;
  },
};
