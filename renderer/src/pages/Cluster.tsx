// Cluster: the pods as kubectl shows them (Ready x/y, status with its reason, restarts, age), updating
// live from the engine's informers; recent events; a container's log with follow; the local links to
// Grafana and Prometheus (opening one starts its port-forward) and the smoke test's answer.
import { useEffect, useId, useMemo, useState } from 'react';
import type { ClusterEvent, ForwardInfo, ForwardName, PodSummary } from '../../../shared/api/cluster.js';
import { shortAge } from '../../../shared/kube/pod-status.js';
import { ArrowLeft, ArrowRight, External, Message, Play, Refresh, Stop } from '../components/Icons.js';
import { LevelBadge } from '../components/LevelBadge.js';
import { MetricsCharts } from '../components/metrics/MetricsCharts.js';
import { PageHeader } from '../components/PageHeader.js';
import { Terminal } from '../components/terminal/Terminal.js';
import { useCluster } from '../stores/cluster.js';
import { useSettings } from '../stores/settings.js';
import { useWizard } from '../stores/wizard.js';

const podLevel = (p: PodSummary): 'fits' | 'tight' | 'does-not-fit' =>
  p.podReady ? 'fits' : /Err|BackOff|OOM|Fail|Error|Evicted|Unknown/i.test(p.status) ? 'does-not-fit' : 'tight';

const FORWARD_TEXT: Record<ForwardName, { title: string; text: string }> = {
  grafana: { title: 'Grafana', text: 'Dashboards for vLLM and the inference scheduler' },
  prometheus: { title: 'Prometheus', text: 'The metrics behind them' },
  gateway: { title: 'Gateway', text: 'The OpenAI-compatible endpoint the Playground uses' },
};

function ForwardLink({ name, info, monitoring }: { name: ForwardName; info: ForwardInfo | undefined; monitoring: boolean }) {
  const { opening, open } = useCluster();
  const t = FORWARD_TEXT[name];
  const usable = name === 'gateway' || monitoring;
  return (
    <li className="card link-card" data-testid={`forward-${name}`}>
      <div>
        <p className="link-title">{t.title}</p>
        <p className="muted small">{usable ? t.text : 'Monitoring is off in the settings'}</p>
        {info?.alive && <p className="small"><a href={info.url} target="_blank" rel="noreferrer noopener">{info.url} <External size={13} /></a></p>}
      </div>
      {usable && !info?.alive && (
        <button type="button" className="button small-button" disabled={opening[name] === true} onClick={() => void open(name)}>
          {opening[name] ? <span className="spinner" aria-hidden="true" /> : <Play size={14} />} Open {t.title}
        </button>
      )}
      {info?.alive && <span className="badge badge-fits">Forwarding</span>}
    </li>
  );
}

function EventsTable({ events }: { events: ClusterEvent[] }) {
  const recent = useMemo(() => [...events].sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '')).slice(0, 10), [events]);
  if (recent.length === 0) return <p className="muted small">No events yet.</p>;
  return (
    <div className="card table-card">
      <table className="table events-table">
        <caption className="visually-hidden">The most recent Kubernetes events in the app’s namespaces</caption>
        <thead><tr><th scope="col">Type</th><th scope="col">Reason</th><th scope="col">Object</th><th scope="col">Message</th><th scope="col">Count</th></tr></thead>
        <tbody>
          {recent.map((e, i) => (
            <tr key={`${e.object}-${e.reason}-${i}`}>
              <td>{e.type === 'Warning' ? <LevelBadge level="tight" text="Warning" /> : <span className="muted">{e.type}</span>}</td>
              <th scope="row">{e.reason}</th>
              <td className="mono-cell">{e.object}</td>
              <td className="message-cell">{e.message}</td>
              <td>{e.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PodLogs({ pods }: { pods: PodSummary[] }) {
  const { log, followLog, stopLog } = useCluster();
  const podId = useId();
  const containerId = useId();
  const [podKey, setPodKey] = useState<string>('');
  const [container, setContainer] = useState<string>('');
  const [follow, setFollow] = useState(true);
  // The model servers are what people come to look at: their log is the first one offered.
  const selected = pods.find((p) => `${p.namespace}/${p.name}` === podKey) ?? pods.find((p) => p.name.includes('decode')) ?? pods[0];
  const containers = selected?.containers ?? [];
  const chosen = containers.includes(container) ? container : containers[0] ?? '';

  useEffect(() => () => void useCluster.getState().stopLog(), []);

  if (!selected) return null;
  const streaming = log !== undefined && !log.ended;
  return (
    <section aria-labelledby="logs-heading" className="section">
      <h2 id="logs-heading" className="section-title">Container logs</h2>
      <div className="log-controls">
        <div className="field">
          <label htmlFor={podId} className="field-label">Pod</label>
          <select id={podId} value={`${selected.namespace}/${selected.name}`} onChange={(e) => setPodKey(e.target.value)}>
            {pods.map((p) => <option key={`${p.namespace}/${p.name}`} value={`${p.namespace}/${p.name}`}>{p.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={containerId} className="field-label">Container</label>
          <select id={containerId} value={chosen} onChange={(e) => setContainer(e.target.value)}>
            {containers.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </div>
        <label className="check follow-check"><input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> <span>Follow</span></label>
        <button type="button" className="button" onClick={() => void followLog({ namespace: selected.namespace, pod: selected.name, container: chosen }, follow)}>
          <Play size={15} /> Show log
        </button>
        {streaming && log?.following && <button type="button" className="button" onClick={() => void stopLog()}><Stop size={15} /> Stop following</button>}
      </div>
      {log && (
        <>
          {log.error && <p className="small bad-text" role="alert">{log.error}</p>}
          <Terminal
            key={log.epoch}
            label={`Log of ${log.target.pod} / ${log.target.container}${log.following && !log.ended ? ' (following)' : ''}`}
            lines={log.lines}
            epoch={log.epoch}
            height={280}
            testId="pod-log"
          />
        </>
      )}
    </section>
  );
}

export function Cluster() {
  const { loaded, reachable, problem, pods, events, access, forwardError, refresh, loadAccess, namespaces } = useCluster();
  const settings = useSettings((s) => s.view?.settings);
  const loadSettings = useSettings((s) => s.load);
  const go = useWizard((s) => s.go);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    void refresh();
    void loadAccess();
    // Read, not subscribed: whether settings were loaded when the page opened (a dependency would refetch).
    if (!useSettings.getState().view?.settings) void loadSettings();
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
    // Once per opening (the store's actions never change): events keep the page current afterwards.
  }, [refresh, loadAccess, loadSettings]);

  const sorted = useMemo(() => [...pods].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)), [pods]);
  const ready = pods.filter((p) => p.podReady).length;
  const forward = (n: ForwardName) => access?.forwards.find((f) => f.name === n);
  const smoke = access?.smokeTest;

  return (
    <div className="page-inner">
      <PageHeader eyebrow="Step 7" title="Cluster">
        The pods of the stack as Kubernetes reports them, live. A pod is ready when every one of its containers is.
      </PageHeader>

      {loaded && !reachable && (
        <div className="callout callout-warn" data-testid="cluster-unreachable">
          <p className="callout-title">No cluster to show</p>
          <p>{problem ?? 'The cluster does not answer.'}</p>
          <div className="actions"><button type="button" className="button" onClick={() => go('install')}>Go to Install</button></div>
        </div>
      )}

      {reachable && (
        <>
          <section className={`summary-strip ${ready === pods.length && pods.length > 0 ? 'is-ok' : 'is-bad'}`} data-testid="pods-summary" aria-live="polite">
            <div>
              <p className="summary-title">{ready} of {pods.length} pods ready</p>
              <p className="muted small" data-testid="pods-namespaces">Namespaces {listText(namespaces ?? [settings?.namespace ?? ''])} · updates as they change</p>
            </div>
          </section>

          {smoke && (
            <section className="card smoke" data-testid="smoke-test" aria-labelledby="smoke-heading">
              <h2 id="smoke-heading" className="section-title"><Message size={16} /> Smoke test answer</h2>
              <p className="small muted">{smoke.model}{smoke.replica ? ` · answered by ${smoke.replica}` : ''}{smoke.ttftMs !== undefined ? ` · first token after ${Math.round(smoke.ttftMs)} ms` : ''}</p>
              <p><strong>You:</strong> {smoke.prompt}</p>
              <p><strong>Model:</strong> <span data-testid="smoke-reply">{smoke.reply}</span></p>
            </section>
          )}

          <section aria-labelledby="pods-heading" className="section">
            <h2 id="pods-heading" className="section-title">Pods</h2>
            <div className="card table-card">
              <table className="table pods-table" data-testid="pods">
                <caption className="visually-hidden">Each pod with its readiness, status, restarts and age</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Ready</th><th scope="col">Status</th><th scope="col">Restarts</th><th scope="col">Age</th></tr></thead>
                <tbody>
                  {sorted.map((p) => (
                    <tr key={`${p.namespace}/${p.name}`} data-testid={`pod-${p.name}`} data-ready={p.readyText}>
                      <th scope="row"><span className="pod-name">{p.name}</span><span className="muted small block">{p.namespace}</span></th>
                      <td className="ready-cell">{p.readyText}</td>
                      <td><LevelBadge level={podLevel(p)} text={p.status} />{p.message && <span className="small muted block">{p.message}</span>}</td>
                      <td>{p.restarts}{p.lastTerminationReason && <span className="small muted block">last: {p.lastTerminationReason}</span>}</td>
                      <td>{shortAge(p.createdAt, new Date(now))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <MetricsCharts />

          <section aria-labelledby="links-heading" className="section">
            <h2 id="links-heading" className="section-title">Open in your browser</h2>
            {forwardError && <p className="small bad-text" role="alert">{forwardError}</p>}
            <ul className="link-grid">
              {(['grafana', 'prometheus', 'gateway'] as const).map((n) => <ForwardLink key={n} name={n} info={forward(n)} monitoring={settings?.monitoring ?? true} />)}
            </ul>
          </section>

          <section aria-labelledby="events-heading" className="section">
            <h2 id="events-heading" className="section-title">Recent events</h2>
            <EventsTable events={events} />
          </section>

          <PodLogs pods={sorted} />
        </>
      )}

      <div className="actions">
        <button type="button" className="button" onClick={() => go('install')}><ArrowLeft size={18} /> Install</button>
        <button type="button" className="button" onClick={() => void refresh()}><Refresh size={18} /> Refresh</button>
        <span className="spacer" />
        <button type="button" className="button primary" onClick={() => go('playground')}>Playground <ArrowRight size={18} /></button>
      </div>
    </div>
  );
}

/** "a", "a and b", "a, b and c". */
function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
