// llm-d-incubation/llm-d-modelservice v0.3.8: the decode Deployment `<release>-llm-d-modelservice-decode`
// with the routing proxy as a native sidecar (initContainer, restartPolicy Always, port 8000) in front of
// the vLLM container(s) from `decode.containers`, pod labels `llm-d.ai/inferenceServing: "true"`,
// `llm-d.ai/model`, `llm-d.ai/role: decode`, the hf:// model volume and the PodMonitor (llm-d-facts.md §1).
import { VERSIONS } from '../../shared/stack.js';
import { at, type Chart, deployment, helmLabels, isObject, meta, serviceAccount, type Values } from './chart.js';

export const llmdModelservice: Chart = {
  name: 'llm-d-modelservice',
  version: VERSIONS.modelservice,
  appVersion: VERSIONS.modelservice,
  render: (release, values) => {
    const ns = release.namespace;
    const full = `${release.name}-llm-d-modelservice`;
    const labels = helmLabels(release, llmdModelservice, 'llm-d-modelservice');
    const modelLabels = { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'random_model', ...at<Record<string, string>>(values, 'modelArtifacts.labels', {}) };
    const decodeLabels = { ...modelLabels, 'llm-d.ai/role': 'decode' };
    const proxy = at<Values>(values, 'routing.proxy', {});
    const servicePort = at(values, 'routing.servicePort', 8000);
    const uri = at(values, 'modelArtifacts.uri', '');
    const size = at(values, 'modelArtifacts.size', '5Mi');
    const authSecret = at(values, 'modelArtifacts.authSecretName', '');
    const out = [serviceAccount(full, ns, labels)];
    if (!at(values, 'decode.create', true)) return out;

    const proxyArgs = [`--port=${servicePort}`, `--vllm-port=${at(proxy, 'targetPort', 8200)}`, `--connector=${at(proxy, 'connector', 'nixlv2')}`];
    const zapEncoder = 'zapEncoder' in proxy ? proxy.zapEncoder : 'json';
    const zapLevel = 'zapLogLevel' in proxy ? proxy.zapLogLevel : 'debug';
    if (zapEncoder) proxyArgs.push(`--zap-encoder=${String(zapEncoder)}`);
    if (zapLevel) proxyArgs.push(`--zap-log-level=${String(zapLevel)}`);
    proxyArgs.push(`--secure-proxy=${String(at(proxy, 'secure', true))}`);

    const modelVolume = uri.startsWith('hf://');
    const containers = at<Values[]>(values, 'decode.containers', []).map((c) => {
      const { modelCommand: _mc, mountModelVolume, device: _d, ...rest } = c;
      const env = [...(Array.isArray(c.env) ? c.env : [])];
      if (modelVolume) env.push({ name: 'HF_HOME', value: '/model-cache' });
      if (authSecret) env.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: authSecret, key: 'HF_TOKEN' } } });
      const mounts = [...(Array.isArray(c.volumeMounts) ? c.volumeMounts : [])];
      if (mountModelVolume && modelVolume) mounts.push({ name: 'model-storage', mountPath: '/model-cache' });
      return { ...rest, env, volumeMounts: mounts };
    });
    const volumes = [...at<Values[]>(values, 'decode.volumes', [])];
    if (modelVolume) volumes.push({ name: 'model-storage', emptyDir: { sizeLimit: size } });
    out.push(deployment(`${full}-decode`, ns, { ...labels, ...decodeLabels }, decodeLabels, Number(at(values, 'decode.replicas', 1)), {
      serviceAccountName: full,
      initContainers: [{
        name: 'routing-proxy', image: at(proxy, 'image', 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0'), imagePullPolicy: at(proxy, 'imagePullPolicy', 'Always'),
        args: proxyArgs, ports: [{ containerPort: servicePort, protocol: 'TCP' }], restartPolicy: 'Always',
        securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
      }],
      containers, volumes,
    }));
    const pm = at<Values>(values, 'decode.monitoring.podmonitor', {});
    if (isObject(pm) && pm.enabled) {
      out.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: meta(`${full}-decode-podmonitor`, ns, labels),
        spec: { selector: { matchLabels: decodeLabels }, podMetricsEndpoints: [{ port: at(pm, 'portName', 'metrics'), path: at(pm, 'path', '/metrics'), interval: at(pm, 'interval', '30s') }] } } as never);
    }
    return out;
  },
};
