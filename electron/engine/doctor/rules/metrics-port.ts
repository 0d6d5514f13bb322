// Prometheus does not scrape the EPP (or the model servers) because the port name its monitor selects is
// on none of the selected objects. Prometheus Operator matches a ServiceMonitor endpoint's `port` to a
// Service port *name* and a PodMonitor's to a container port *name* — a port with the right number but
// another name is never scraped, with no error anywhere: Grafana's EPP and vLLM panels just stay empty.
// Upstream: the EPP's ServiceMonitor selects Service port `http-metrics` (llm-d-router routerlib
// _servicemonitor.yaml / GAIE inferencepool chart), the guide's decode PodMonitor container port `metrics`
// (llm-d-modelservice podmonitor portName), today's kustomize PodMonitor `modelserver`. The names are not
// repeated here: the monitors in the cluster say what they select, and that is what is checked.
import type { DoctorFix, Evidence, Finding } from '../../../../shared/api/doctor.js';
import type { MonitorSnapshot, ServiceSnapshot, Snapshot } from '../snapshot.js';
import { needsCluster, type Rule } from './rule.js';

const selectorText = (sel: Record<string, string>): string => Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') || '(everything)';
/** matchLabels: every pair present (an empty selector matches everything, as the operator reads it). */
const matches = (sel: Record<string, string>, labels: Record<string, string>): boolean => Object.entries(sel).every(([k, v]) => labels[k] === v);
const portsText = (ports: Array<{ name?: string; port?: number }>): string => ports.map((p) => `${p.name ?? '(unnamed)'}${p.port !== undefined ? ` ${p.port}` : ''}`).join(', ') || 'none';

interface Miss { monitor: MonitorSnapshot; port: string; services: ServiceSnapshot[]; pods: Array<{ key: string; ports: string[] }> }

function misses(s: Snapshot): Miss[] {
  const m = s.monitors!;
  const out: Miss[] = [];
  for (const mon of m.items) {
    if (mon.kind === 'ServiceMonitor') {
      const services = m.services.filter((x) => x.namespace === mon.namespace && matches(mon.selector, x.labels));
      if (services.length === 0) continue; // selects nothing at all: another problem (labels), not the port name
      for (const port of mon.ports) if (!services.some((x) => x.ports.some((p) => p.name === port))) out.push({ monitor: mon, port, services, pods: [] });
    } else {
      const pods = s.pods.filter((p) => p.namespace === mon.namespace && matches(mon.selector, p.labels)).map((p) => ({ key: `${p.namespace}/${p.name}`, ports: m.podPorts[`${p.namespace}/${p.name}`] ?? [] }));
      if (pods.length === 0) continue;
      for (const port of mon.ports) if (!pods.some((p) => p.ports.includes(port))) out.push({ monitor: mon, port, services: [], pods });
    }
  }
  return out;
}

export const metricsPort: Rule = {
  id: 'metrics-port',
  title: 'Prometheus finds the metrics ports it is told to scrape',
  applies(s) {
    const c = needsCluster(s);
    if (c !== true) return c;
    if (!s.monitors) return 'the monitors could not be listed';
    if (!s.monitors.crd) return 'monitoring is not installed (no ServiceMonitor/PodMonitor CRDs)';
    return s.monitors.items.length ? true : `no ServiceMonitor or PodMonitor in ${s.plan.settings.namespace}`;
  },
  check(s): Finding | undefined {
    const found = misses(s);
    if (found.length === 0) return undefined;
    const first = found[0]!;
    const what = first.monitor.kind === 'ServiceMonitor' ? `Service ${first.services.map((x) => x.name).join(', ')}` : `pod${first.pods.length > 1 ? 's' : ''} ${first.pods.map((p) => p.key.split('/')[1]).join(', ')}`;
    const has = first.monitor.kind === 'ServiceMonitor' ? portsText(first.services[0]!.ports) : portsText((first.pods[0]?.ports ?? []).map((name) => ({ name })));
    const evidence: Evidence[] = found.flatMap((x) => [
      { source: `${x.monitor.kind.toLowerCase()}/${x.monitor.namespace}/${x.monitor.name}`, lines: [`scrapes port "${x.port}" of ${x.monitor.kind === 'ServiceMonitor' ? 'Services' : 'pods'} labelled ${selectorText(x.monitor.selector)}`] },
      ...x.services.map((svc) => ({ source: `service/${svc.namespace}/${svc.name}`, lines: [`ports: ${portsText(svc.ports)} — none named "${x.port}"`] })),
      ...x.pods.map((p) => ({ source: `pod/${p.key}`, lines: [`container ports: ${p.ports.join(', ') || 'none named'} — none named "${x.port}"`] })),
    ]);
    const fixes: DoctorFix[] = [];
    const ctx = ['--context', s.plan.settings.profile, '-n', first.monitor.namespace];
    // A Service's port can be renamed in place: the one whose number the release gives the EPP's metrics.
    for (const x of found.filter((f) => f.monitor.kind === 'ServiceMonitor')) {
      for (const svc of x.services) {
        const i = svc.ports.findIndex((p) => p.port === s.plan.release.ports.eppMetrics);
        if (i < 0) continue;
        fixes.push({
          kind: 'commands', id: `rename-${svc.name}`.slice(0, 63), label: `Name Service ${svc.name}'s port ${svc.ports[i]!.port} "${x.port}" (what ${x.monitor.name} selects)`,
          commands: [['kubectl', ...ctx, 'patch', 'service', svc.name, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: `/spec/ports/${i}/name`, value: x.port }])]],
        });
      }
    }
    // Pods cannot be renamed in place (their Deployment would bring the old name back), but a PodMonitor can
    // be pointed at the one port name the pods do have. (Installing again would not help: the stack step
    // sees its own settings unchanged and skips the charts.)
    for (const x of found.filter((f) => f.monitor.kind === 'PodMonitor')) {
      const names = [...new Set(x.pods.flatMap((p) => p.ports))];
      const j = x.monitor.ports.indexOf(x.port);
      if (names.length !== 1 || !x.pods.every((p) => p.ports.includes(names[0]!)) || j < 0) continue;
      fixes.push({
        kind: 'commands', id: `point-${x.monitor.name}`.slice(0, 63), label: `Point PodMonitor ${x.monitor.name} at the pods' port "${names[0]}"`,
        commands: [['kubectl', ...ctx, 'patch', 'podmonitor', x.monitor.name, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: `/spec/podMetricsEndpoints/${j}/port`, value: names[0] }])]],
      });
    }
    return {
      // The app's chat and routing work; only Prometheus and Grafana lose these series.
      severity: 'warning',
      summary: `Prometheus does not scrape ${first.monitor.kind === 'ServiceMonitor' ? 'the EPP' : 'the model servers'}: ${first.monitor.kind} ${first.monitor.name} selects the port named "${first.port}", but ${what} ${first.monitor.kind === 'ServiceMonitor' || first.pods.length === 1 ? 'has' : 'have'} only ${has}, so the Grafana panels fed by it stay empty.`
        + `${found.length > 1 ? ` ${found.length - 1} more monitor port${found.length > 2 ? 's are' : ' is'} missing (below).` : ''}`,
      evidence,
      fixes,
    };
  },
};
