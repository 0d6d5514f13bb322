// The controllers of the simulated cluster: the Deployment and ReplicaSet controllers (pods with owner
// references, scaling, rollout on template change, status with Available), the Prometheus operator
// (a Prometheus CR becomes pod `prometheus-<name>-0`), Istio's Gateway API controller (GatewayClass
// `istio`, a Deployment + Service `<gateway>-istio` per Gateway once istiod runs) and the HTTPRoute status
// Istio writes (ResolvedRefs False / InvalidKind for the x-k8s InferencePool group). A resync loop
// reconciles everything every tick — cheap for a few dozen objects and robust to missed events.
import { createHash, randomBytes } from 'node:crypto';
import { INFERENCE_POOL_GROUP_LEGACY } from '../../shared/stack.js';
import { SIM_CHART_VERSIONS } from '../upstream.js';
import { CONFIG_RELOADER_FLAG } from '../charts/kube-prometheus-stack.js';
import type { KubeObject, ObjectStore, ResourceType } from '../apiserver/types.js';
import type { Scenario } from '../scenario.js';
import { consumeFault } from '../state.js';
import { recordEvent } from './events.js';
import { T } from './resources.js';
import { backendRefsOf, isPodReady, resolveBackend } from './routing.js';

export interface ControllerContext {
  store: ObjectStore;
  state: string;
  profile: string;
  scenario: Scenario;
}

type Spec = Record<string, unknown>;
const specOf = (o: KubeObject) => (o.spec ?? {}) as Spec;
const ownedBy = (o: KubeObject, owner: KubeObject) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
const ownerRef = (o: KubeObject) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid ?? '', controller: true, blockOwnerDeletion: true });
const alnum = (n: number) => { const a = 'bcdfghjklmnpqrstvwxz2456789'; return Array.from(randomBytes(n), (b) => a[b % a.length]).join(''); };
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const json = (v: unknown) => JSON.stringify(v);

export class Controller {
  private timer?: NodeJS.Timeout;
  private readonly seenRoutes = new Set<string>();

  constructor(private readonly ctx: ControllerContext) {}

  start(intervalMs = 100): void {
    // Routes that exist already were seen by a previous run of the cluster.
    for (const r of this.list(T.httproutes)) this.seenRoutes.add(r.metadata.uid ?? '');
    this.timer = setInterval(() => {
      try {
        this.reconcile();
      } catch (err) {
        process.stderr.write(`controller: ${err instanceof Error ? err.stack : String(err)}\n`);
      }
    }, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private list(type: ResourceType, namespace?: string): KubeObject[] {
    try {
      return this.ctx.store.list(type, namespace ? { namespace } : {}).items;
    } catch {
      return [];
    }
  }

  private event(obj: KubeObject, reason: string, message: string, component: string, type: 'Normal' | 'Warning' = 'Normal') {
    recordEvent(this.ctx.store, this.ctx.profile, obj, { reason, message, component, type });
  }

  private setStatus(type: ResourceType, obj: KubeObject, status: Record<string, unknown>): void {
    if (json(obj.status ?? {}) === json(status)) return;
    try { this.ctx.store.updateStatus(type, obj.metadata.namespace, obj.metadata.name, status); } catch { /* deleted meanwhile */ }
  }

  reconcile(): void {
    this.istio();
    this.prometheusOperator();
    for (const d of this.list(T.deployments)) this.deployment(d);
    for (const rs of this.list(T.replicasets)) this.replicaSet(rs);
    this.routes();
  }

  private deployment(d: KubeObject): void {
    const store = this.ctx.store;
    const spec = specOf(d) as { replicas?: number; template?: { metadata?: { labels?: Record<string, string> }; spec?: unknown }; selector?: unknown };
    const replicas = spec.replicas ?? 1;
    const hash = createHash('sha256').update(json(spec.template ?? {})).digest('hex').replace(/[a-f]/g, (c) => 'bcdfgh'['abcdef'.indexOf(c)] ?? c).slice(0, 10);
    const rsName = `${d.metadata.name}-${hash}`;
    const owned = this.list(T.replicasets, d.metadata.namespace).filter((rs) => ownedBy(rs, d));
    let current = owned.find((rs) => rs.metadata.name === rsName);
    if (!current) {
      const tmplLabels = { ...(spec.template?.metadata?.labels ?? {}), 'pod-template-hash': hash };
      current = store.create(T.replicasets, {
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: { name: rsName, namespace: d.metadata.namespace, labels: tmplLabels, ownerReferences: [ownerRef(d)], annotations: { 'deployment.kubernetes.io/revision': String(owned.length + 1) } },
        spec: { replicas, selector: spec.selector, template: { ...spec.template, metadata: { ...(spec.template?.metadata ?? {}), labels: tmplLabels } } },
      });
      this.event(d, 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${replicas}`, 'deployment-controller');
    } else if ((specOf(current).replicas as number | undefined) !== replicas) {
      const from = specOf(current).replicas as number;
      const { resourceVersion: _rv, ...metadata } = current.metadata;
      current = store.update(T.replicasets, { ...current, metadata, spec: { ...specOf(current), replicas } });
      this.event(d, 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rsName} from ${from} to ${replicas}`, 'deployment-controller');
    }
    // A changed template replaces the old pods (a Recreate-style rollout is enough here).
    for (const old of owned.filter((rs) => rs.metadata.name !== rsName)) {
      try { store.delete(T.replicasets, old.metadata.namespace, old.metadata.name); } catch { /* gone */ }
      for (const p of this.list(T.pods, d.metadata.namespace).filter((p) => ownedBy(p, old))) {
        try { store.delete(T.pods, p.metadata.namespace, p.metadata.name); } catch { /* gone */ }
      }
      this.event(d, 'ScalingReplicaSet', `Scaled down replica set ${old.metadata.name} from ${String(specOf(old).replicas)} to 0`, 'deployment-controller');
    }
    const pods = this.list(T.pods, d.metadata.namespace).filter((p) => ownedBy(p, current as KubeObject));
    const ready = pods.filter(isPodReady).length;
    const prevConds = ((d.status as { conditions?: Array<{ type: string; status: string; lastTransitionTime: string; reason: string; message: string }> } | undefined)?.conditions) ?? [];
    const cond = (type: string, ok: boolean, reason: string, message: string) => {
      const prev = prevConds.find((c) => c.type === type);
      const status = ok ? 'True' : 'False';
      return { type, status, lastUpdateTime: prev?.status === status ? (prev as { lastUpdateTime?: string }).lastUpdateTime ?? now() : now(), lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : now(), reason, message };
    };
    const available = ready >= replicas;
    const complete = available && pods.length === replicas;
    this.setStatus(T.deployments, d, {
      observedGeneration: d.metadata.generation ?? 1, replicas: pods.length, updatedReplicas: pods.length, readyReplicas: ready, availableReplicas: ready,
      ...(pods.length - ready > 0 ? { unavailableReplicas: pods.length - ready } : {}),
      conditions: [
        cond('Available', available, available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
        cond('Progressing', true, complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', complete ? `ReplicaSet "${rsName}" has successfully progressed.` : `ReplicaSet "${rsName}" is progressing.`),
      ],
    });
  }

  private replicaSet(rs: KubeObject): void {
    const store = this.ctx.store;
    const owner = rs.metadata.ownerReferences?.[0];
    if (owner && !this.list(T.deployments, rs.metadata.namespace).some((d) => d.metadata.uid === owner.uid)) {
      try { store.delete(T.replicasets, rs.metadata.namespace, rs.metadata.name); } catch { /* gone */ }
      return;
    }
    const spec = specOf(rs) as { replicas?: number; template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> } };
    const want = spec.replicas ?? 1;
    const pods = this.list(T.pods, rs.metadata.namespace).filter((p) => ownedBy(p, rs) && !p.metadata.deletionTimestamp);
    for (let i = pods.length; i < want; i++) {
      const name = `${rs.metadata.name}-${alnum(5)}`;
      store.create(T.pods, {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name, namespace: rs.metadata.namespace, labels: spec.template?.metadata?.labels ?? {}, ...(spec.template?.metadata?.annotations ? { annotations: spec.template.metadata.annotations } : {}), ownerReferences: [ownerRef(rs)] },
        spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', ...(spec.template?.spec ?? {}) },
      });
      this.event(rs, 'SuccessfulCreate', `Created pod: ${name}`, 'replicaset-controller');
    }
    // Which pods a scale-down deletes first, as the ReplicaSet controller ranks them (kubernetes
    // pkg/controller/controller_utils.go ActivePods Less): not Ready before Ready, more container restarts
    // first, then the newest — so "1 replica" after a crash-looping second one keeps the healthy pod.
    const restarts = (p: KubeObject) => ((p.status as { containerStatuses?: Array<{ restartCount?: number }> } | undefined)?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
    const excess = pods.sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) || restarts(b) - restarts(a)
      || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp))).slice(0, Math.max(0, pods.length - want));
    for (const p of excess) {
      try { store.delete(T.pods, p.metadata.namespace, p.metadata.name); } catch { /* gone */ }
      this.event(rs, 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'replicaset-controller');
    }
    const ready = pods.filter(isPodReady).length;
    this.setStatus(T.replicasets, rs, { replicas: pods.length, readyReplicas: ready, availableReplicas: ready, fullyLabeledReplicas: pods.length, observedGeneration: rs.metadata.generation ?? 1 });
  }

  private prometheusOperator(): void {
    const operator = this.list(T.deployments).find((d) => d.metadata.name.endsWith('-operator') && ((d.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) > 0);
    const operatorUp = operator !== undefined;
    // The operator runs the config-reloader it was told to (the chart's --prometheus-config-reloader flag).
    const reloaderImage = operatorArgs(operator).find((a) => a.startsWith(CONFIG_RELOADER_FLAG))?.slice(CONFIG_RELOADER_FLAG.length)
      ?? 'quay.io/prometheus-operator/prometheus-config-reloader:v0.86.2';
    for (const prom of this.list(T.prometheuses)) {
      const name = `prometheus-${prom.metadata.name}-0`;
      const ns = prom.metadata.namespace;
      const pod = this.ctx.store.get(T.pods, ns, name);
      if (!pod && operatorUp) {
        // The operator puts the CR's spec.resources on the prometheus container (the Prometheus CRD's
        // `resources`: "the resources requests and limits of the 'prometheus' container"), so the scheduler
        // counts what the chart's prometheusSpec.resources ask for. The config-reloader's own requests come
        // from operator flags whose defaults were not verified here; the sim leaves them unset.
        const spec = specOf(prom) as { image?: string; resources?: Record<string, unknown> };
        this.ctx.store.create(T.pods, {
          apiVersion: 'v1', kind: 'Pod',
          metadata: { name, namespace: ns, ownerReferences: [ownerRef(prom)], labels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': prom.metadata.name, 'operator.prometheus.io/name': prom.metadata.name, prometheus: prom.metadata.name } },
          spec: { restartPolicy: 'Always', containers: [
            { name: 'prometheus', image: spec.image ?? 'quay.io/prometheus/prometheus:v3.7.3', ports: [{ name: 'web', containerPort: 9090 }], ...(spec.resources ? { resources: spec.resources } : {}) },
            { name: 'config-reloader', image: reloaderImage },
          ] },
        });
      }
      const ok = pod ? isPodReady(pod) : false;
      this.setStatus(T.prometheuses, prom, {
        availableReplicas: ok ? 1 : 0, replicas: 1, updatedReplicas: 1, unavailableReplicas: ok ? 0 : 1, paused: false,
        conditions: [
          { type: 'Available', status: ok ? 'True' : 'False', reason: ok ? '' : 'NoPodReady', lastTransitionTime: now(), observedGeneration: prom.metadata.generation ?? 1 },
          { type: 'Reconciled', status: 'True', lastTransitionTime: now(), observedGeneration: prom.metadata.generation ?? 1 },
        ],
      });
    }
  }

  private istio(): void {
    const store = this.ctx.store;
    const istiodUp = this.list(T.deployments).some((d) => d.metadata.name === 'istiod' && ((d.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) > 0);
    if (!istiodUp) return;
    let classes: KubeObject[];
    try { classes = store.list(T.gatewayclasses).items; } catch { return; } // no Gateway API CRDs
    if (!classes.some((c) => c.metadata.name === 'istio')) {
      const gc = store.create(T.gatewayclasses, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'istio' }, spec: { controllerName: 'istio.io/gateway-controller', description: 'The default Istio GatewayClass' } });
      this.setStatus(T.gatewayclasses, gc, { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Handled by Istio controller', lastTransitionTime: now(), observedGeneration: 1 }] });
    }
    for (const gw of this.list(T.gateways)) {
      if (specOf(gw).gatewayClassName !== 'istio') continue;
      const name = `${gw.metadata.name}-istio`;
      const ns = gw.metadata.namespace;
      const sel = { 'gateway.networking.k8s.io/gateway-name': gw.metadata.name };
      const labels = { ...(gw.metadata.labels ?? {}), ...sel, 'istio.io/gateway-name': gw.metadata.name, 'gateway.istio.io/managed': 'istio.io-gateway-controller' };
      if (!store.get(T.deployments, ns, name)) {
        store.create(T.deployments, {
          apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels, ownerReferences: [ownerRef(gw)] },
          spec: { replicas: 1, selector: { matchLabels: sel }, template: { metadata: { labels: { ...labels, 'sidecar.istio.io/inject': 'false', 'service.istio.io/canonical-name': name } }, spec: {
            serviceAccountName: name,
            containers: [{ name: 'istio-proxy', image: `docker.io/istio/proxyv2:${SIM_CHART_VERSIONS.istio}`, args: ['proxy', 'router', '--domain', `${ns}.svc.cluster.local`, '--proxyLogLevel', 'warning'],
              ports: [{ containerPort: 15021, name: 'status-port' }, { containerPort: 15090, name: 'http-envoy-prom' }, { containerPort: 80, name: 'default' }],
              readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 } } }],
          } } },
        });
      }
      let svc = store.get(T.services, ns, name);
      if (!svc) {
        svc = store.create(T.services, {
          apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels, ownerReferences: [ownerRef(gw)] },
          spec: { type: 'ClusterIP', selector: sel, ports: [{ name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 }, { name: 'default', port: 80, protocol: 'TCP', targetPort: 80 }] },
        });
      }
      const dep = store.get(T.deployments, ns, name);
      const programmed = ((dep?.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) > 0;
      const ip = String((svc.spec as { clusterIP?: string } | undefined)?.clusterIP ?? '');
      const prev = gw.status as { conditions?: Array<{ type: string; status: string; lastTransitionTime: string }> } | undefined;
      const t = (type: string, ok: boolean) => { const p = prev?.conditions?.find((c) => c.type === type); return p && p.status === (ok ? 'True' : 'False') ? p.lastTransitionTime : now(); };
      const attached = this.list(T.httproutes).filter((r) => ((specOf(r).parentRefs as Array<{ name: string }> | undefined) ?? []).some((p) => p.name === gw.metadata.name)).length;
      this.setStatus(T.gateways, gw, {
        addresses: ip ? [{ type: 'Hostname', value: `${name}.${ns}.svc.cluster.local` }] : [],
        conditions: [
          { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Resource accepted', lastTransitionTime: t('Accepted', true), observedGeneration: gw.metadata.generation ?? 1 },
          { type: 'Programmed', status: programmed ? 'True' : 'False', reason: programmed ? 'Programmed' : 'NoResources', message: programmed ? 'Resource programmed, assigned to service(s) ' + `${name}.${ns}.svc.cluster.local:80` : 'Deployment is not ready', lastTransitionTime: t('Programmed', programmed), observedGeneration: gw.metadata.generation ?? 1 },
        ],
        listeners: [{ name: 'default', attachedRoutes: attached, supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }, { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }],
          conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'No errors found', lastTransitionTime: t('Accepted', true), observedGeneration: gw.metadata.generation ?? 1 }, { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'No errors found', lastTransitionTime: t('Accepted', true), observedGeneration: gw.metadata.generation ?? 1 }, { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'No errors found', lastTransitionTime: t('Accepted', true), observedGeneration: gw.metadata.generation ?? 1 }] }],
      });
    }
  }

  private routes(): void {
    const store = this.ctx.store;
    const istiodUp = this.list(T.deployments).some((d) => d.metadata.name === 'istiod' && ((d.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) > 0);
    for (let route of this.list(T.httproutes)) {
      const uid = route.metadata.uid ?? '';
      if (!this.seenRoutes.has(uid)) {
        this.seenRoutes.add(uid);
        // Fault: the route lands with the old x-k8s InferencePool group (an outdated manifest), once per route.
        const fault = this.ctx.scenario.faults.find((f) => f.kind === 'routeLegacyGroup');
        if (fault && consumeFault(this.ctx.state, this.ctx.scenario, fault)) {
          const spec = specOf(route) as { rules?: Array<{ backendRefs?: Array<Record<string, unknown>> }> };
          const rules = (spec.rules ?? []).map((r) => ({ ...r, backendRefs: (r.backendRefs ?? []).map((b) => (b.kind === 'InferencePool' ? { ...b, group: INFERENCE_POOL_GROUP_LEGACY } : b)) }));
          const { resourceVersion: _rv, ...metadata } = route.metadata;
          route = store.update(T.httproutes, { ...route, metadata, spec: { ...spec, rules } });
        }
      }
      if (!istiodUp) continue;
      const refs = backendRefsOf(route);
      const failed = refs.map((r) => resolveBackend(store, route, r)).find((r) => !r.ok);
      const gen = route.metadata.generation ?? 1;
      const resolved = failed && !failed.ok
        ? { type: 'ResolvedRefs', status: 'False', reason: failed.reason, message: failed.message, observedGeneration: gen }
        : { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'All references resolved', observedGeneration: gen };
      const prev = (route.status as { parents?: Array<{ conditions?: Array<{ type: string; status: string; lastTransitionTime: string }> }> } | undefined)?.parents?.[0]?.conditions;
      const t = (type: string, status: string) => { const p = prev?.find((c) => c.type === type); return p && p.status === status ? p.lastTransitionTime : now(); };
      const parents = ((specOf(route).parentRefs as Array<Record<string, unknown>> | undefined) ?? []).map((parentRef) => ({
        parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', ...parentRef }, controllerName: 'istio.io/gateway-controller',
        conditions: [
          { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Route was valid', observedGeneration: gen, lastTransitionTime: t('Accepted', 'True') },
          { ...resolved, lastTransitionTime: t('ResolvedRefs', resolved.status) },
        ],
      }));
      this.setStatus(T.httproutes, route, { parents });
    }
  }
}


/** The first container's args of a Deployment's pod template (the operator's flags). */
function operatorArgs(d: KubeObject | undefined): string[] {
  const spec = (d?.spec ?? {}) as { template?: { spec?: { containers?: Array<{ args?: unknown }> } } };
  const args = spec.template?.spec?.containers?.[0]?.args;
  return Array.isArray(args) ? args.filter((a): a is string => typeof a === 'string') : [];
}
