// Manage: take the setup down with a choice of how far (stack only, stop or delete the cluster, stop the
// podman machine) behind a confirmation that names exactly what goes; run the plan again; find the logs.
import { useEffect, useState } from 'react';
import type { AppPaths } from '../../../shared/api/app.js';
import type { TeardownOptions } from '../../../shared/api/engine.js';
import { resolveSetup, runtimesOf } from '../../../shared/fit.js';
import type { HostReport } from '../../../shared/api/host.js';
import type { Settings } from '../../../shared/api/settings.js';
import type { ReleaseSummary } from '../../../shared/release.js';
import { api } from '../api/index.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { CopyButton } from '../components/CopyButton.js';
import { DoctorResults } from '../components/doctor/DoctorResults.js';
import { Download, Folder, Play, Refresh, Search, Trash } from '../components/Icons.js';
import { PageHeader } from '../components/PageHeader.js';
import { useApp } from '../stores/app.js';
import { useHost } from '../stores/host.js';
import { orderResults, useDoctor } from '../stores/doctor.js';
import { useInstall } from '../stores/install.js';
import { useSettings } from '../stores/settings.js';
import { useWizard } from '../stores/wizard.js';

type Scope = 'stack' | 'stop' | 'delete';

const SCOPES: Array<{ value: Scope; title: string; text: string }> = [
  { value: 'stack', title: 'Remove the stack only', text: 'The cluster keeps running with Istio and monitoring; installing again is quick.' },
  { value: 'stop', title: 'Remove the stack and stop the cluster', text: 'Frees the memory and CPUs; the cluster can be started again later.' },
  { value: 'delete', title: 'Remove everything: delete the cluster', text: 'Deletes the minikube profile with all it holds — back to a clean machine.' },
];

export function teardownOptions(scope: Scope, stopMachine: boolean): TeardownOptions {
  return { stopCluster: scope === 'stop', deleteCluster: scope === 'delete', stopMachine };
}

/**
 * Whether a podman machine hosts this setup, by the plan's own rule (shared/fit.ts resolveSetup) with the
 * host's runtimes: `auto` on a Mac with only docker uses none, so there is none to offer to stop.
 */
export function hostsPodmanMachine(settings: Pick<Settings, 'driver' | 'podmanMachine'> | undefined, host: Pick<HostReport, 'facts'> | undefined): boolean {
  return settings !== undefined && host !== undefined && resolveSetup(settings, host.facts.os, runtimesOf(host.facts)).usesPodmanMachine;
}

export function Manage() {
  const settings = useSettings((s) => s.view?.settings);
  const loadSettings = useSettings((s) => s.load);
  const { teardown, run, applyFix, active, actionError } = useInstall();
  const doctor = useDoctor();
  const info = useApp((s) => s.info);
  const web = info?.transport === 'web';
  const go = useWizard((s) => s.go);
  const host = useHost((s) => s.report);
  const checkHost = useHost((s) => s.check);
  const [scope, setScope] = useState<Scope>('stack');
  const [stopMachine, setStopMachine] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [paths, setPaths] = useState<AppPaths>();
  const [releases, setReleases] = useState<ReleaseSummary[]>([]);

  useEffect(() => {
    void loadSettings();
    // The host's runtimes decide what `driver: auto` means here, as they do for the plan.
    if (!useHost.getState().report) void checkHost();
    void api().invoke('app.paths', {}).then((r) => r.ok && setPaths(r.value));
    void api().invoke('stack.releases', {}).then((r) => r.ok && setReleases(r.value.releases));
  }, [loadSettings, checkHost]);
  const release = releases.find((r) => r.id === settings?.release);
  const stackReleases = release ? release.helmReleases.stack.join(', ') : 'the stack';

  const ns = settings?.namespace ?? '';
  const profile = settings?.profile ?? '';
  const machine = hostsPodmanMachine(settings, host);

  const removed: string[] = [
    `The port-forwards to the gateway, Prometheus and Grafana`,
    `The HTTPRoute and the Helm releases ${stackReleases}${release ? ` (${release.title})` : ''}`,
    `The namespace ${ns} and everything in it`,
  ];
  if (scope === 'stop') removed.push(`The cluster ${profile} is stopped (kept on disk)`);
  if (scope === 'delete') removed.push(`The minikube cluster ${profile}, deleted with its gateway, monitoring${release ? ` (${release.helmReleases.monitoring})` : ''} and every image in it`);
  if (machine && stopMachine) removed.push('The podman machine is stopped');

  const confirm = async () => {
    setConfirming(false);
    if (await teardown(teardownOptions(scope, machine && stopMachine))) go('teardown');
  };

  return (
    <div className="page-inner">
      <PageHeader eyebrow="Step 9" title="Manage">
        Take the setup down as far as you like, run the plan again, ask the doctor what is wrong, or save the diagnostics.
      </PageHeader>

      {actionError && <div className="callout callout-error" role="alert"><p>{actionError}</p></div>}

      <section aria-labelledby="teardown-heading" className="card form-card">
        <h2 id="teardown-heading" className="form-legend">Tear down</h2>
        <fieldset className="radio-list">
          <legend className="visually-hidden">How far to tear down</legend>
          {SCOPES.map((s) => (
            <label key={s.value} className={`radio-card${scope === s.value ? ' is-checked' : ''}`}>
              <input type="radio" name="scope" value={s.value} checked={scope === s.value} onChange={() => setScope(s.value)} />
              <span><strong>{s.title}</strong><span className="muted small block">{s.text}</span></span>
            </label>
          ))}
        </fieldset>
        {machine && (
          <label className="check">
            <input type="checkbox" checked={stopMachine} onChange={(e) => setStopMachine(e.target.checked)} />
            <span>Also stop the podman machine</span>
          </label>
        )}
        <div className="actions">
          <button type="button" className="button danger" disabled={active !== undefined || !settings} onClick={() => setConfirming(true)}>
            <Trash size={16} /> Tear down…
          </button>
          {active && <span className="muted small">A run is in progress; wait for it or cancel it on the {active.kind === 'down' ? 'Teardown' : 'Install'} page.</span>}
        </div>
      </section>

      <section aria-labelledby="again-heading" className="card form-card">
        <h2 id="again-heading" className="form-legend">Run the plan again</h2>
        <p className="small muted">Every step checks first, so what is already in place costs only a quick check; anything missing or broken is put back.</p>
        <div className="actions">
          <button type="button" className="button" disabled={active !== undefined} onClick={() => void run().then((ok) => ok && go('install'))}><Refresh size={16} /> Run the plan again</button>
          <button type="button" className="button" onClick={() => go('plan')}><Play size={16} /> Review the plan first</button>
        </div>
      </section>

      <section aria-labelledby="doctor-heading" className="card form-card" data-testid="doctor-panel">
        <div className="doctor-head">
          <h2 id="doctor-heading" className="form-legend"><Search size={16} /> Doctor</h2>
          <span className="spacer" />
          <button type="button" className="button" disabled={doctor.running} onClick={() => void doctor.run()}>
            {doctor.running ? <span className="spinner" aria-hidden="true" /> : <Search size={16} />} {doctor.report ? 'Check again' : 'Run the doctor'}
          </button>
        </div>
        <p className="small muted">Looks at the cluster’s pods, events and logs, the last run and this machine, and says what is wrong, what proved it and how to fix it.</p>
        {doctor.error && <div className="callout callout-error" role="alert"><p>{doctor.error}</p></div>}
        {doctor.report && (
          <>
            <p className="small" data-testid="doctor-summary" aria-live="polite">
              {(() => {
                const found = doctor.report.results.filter((r) => r.outcome === 'finding').length;
                return found === 0 ? 'Nothing wrong found.' : `${found} finding${found === 1 ? '' : 's'}.`;
              })()}
              <span className="muted"> Checked {new Date(doctor.report.at).toLocaleTimeString()}.</span>
              {doctor.report.gaps.length > 0 && <span className="muted"> Could not look at {doctor.report.gaps.join('; ')}.</span>}
            </p>
            <DoctorResults label="Doctor results" results={orderResults(doctor.report.results)} busy={active !== undefined}
              onApply={(ref, opts) => void applyFix(ref, opts).then((ok) => ok && go('install'))} />
          </>
        )}
      </section>

      <section aria-labelledby="bundle-heading" className="card form-card" data-testid="bundle-panel">
        <h2 id="bundle-heading" className="form-legend"><Download size={16} /> Diagnostics</h2>
        <p className="small muted">One archive with the logs of every run, the journal, settings, the doctor’s findings, this machine’s facts and the cluster’s pods, events and container logs — secrets replaced with ***. Attach it to a bug report.</p>
        <div className="actions">
          <button type="button" className="button" disabled={doctor.bundling} onClick={() => void doctor.saveBundle()}>
            {doctor.bundling ? <span className="spinner" aria-hidden="true" /> : <Download size={16} />} {web ? 'Download diagnostics' : 'Save diagnostics…'}
          </button>
        </div>
        {doctor.bundleError && <div className="callout callout-error" role="alert"><p>{doctor.bundleError}</p></div>}
        {doctor.bundle && (
          <dl className="path-list" data-testid="bundle-result">
            {doctor.downloaded && <div><dt>Downloaded</dt><dd>to your browser’s downloads, as <code>{doctor.bundle.file.split(/[\\/]/).pop()}</code></dd></div>}
            <div><dt>{doctor.downloaded ? 'Also kept at' : 'Saved'}</dt><dd><code>{doctor.bundle.file}</code><CopyButton text={doctor.bundle.file} what="the diagnostics archive path" /></dd></div>
            <div><dt>Contents</dt><dd>{doctor.bundle.files.length} files, {doctor.bundle.files.reduce((n, f) => n + f.redactions, 0)} secret values redacted{doctor.bundle.warnings.length ? ` · ${doctor.bundle.warnings.length} note${doctor.bundle.warnings.length === 1 ? '' : 's'} in its MANIFEST` : ''}</dd></div>
          </dl>
        )}
      </section>

      <section aria-labelledby="logs-folder-heading" className="card form-card">
        <h2 id="logs-folder-heading" className="form-legend"><Folder size={16} /> Logs</h2>
        <p className="small muted">Each run writes one log file per step, in a folder named after the run. The journal records what each step did and how long it took.</p>
        {paths && (
          <dl className="path-list">
            <div><dt>Logs folder</dt><dd><code data-testid="logs-dir">{paths.logsDir}</code><CopyButton text={paths.logsDir} what="the logs folder path" /></dd></div>
            <div><dt>Journal</dt><dd><code>{paths.journalFile}</code><CopyButton text={paths.journalFile} what="the journal path" /></dd></div>
          </dl>
        )}
      </section>

      <ConfirmDialog
        open={confirming}
        title={scope === 'delete' ? `Delete the cluster ${profile}?` : scope === 'stop' ? 'Remove the stack and stop the cluster?' : 'Remove the llm-d stack?'}
        confirmLabel={scope === 'delete' ? 'Delete the cluster' : 'Tear down'}
        danger
        onConfirm={() => void confirm()}
        onCancel={() => setConfirming(false)}
      >
        <p>This will remove:</p>
        <ul data-testid="teardown-list">{removed.map((r) => <li key={r}>{r}</li>)}</ul>
        <p className="muted small">The tools in the app’s folder, your settings and the logs stay.</p>
      </ConfirmDialog>
    </div>
  );
}
