// Prerequisites: every tool the setup runs — found, missing, too old or not running — with its version
// and the minimum; install one or all missing ones with live progress and the install log. What needs
// admin rights is explained before anything asks for them (docs/architecture.md §4 step 2). Then the images: each
// image of the saved plan asked of its registry (images.check), once when the page opens and on demand,
// so a removed or private image is known before the install, not twenty minutes into it.
import { useEffect, useMemo } from 'react';
import type { ToolStatus } from '../../../shared/api/engine.js';
import { AlertTriangle, ArrowLeft, ArrowRight, CheckCircle, Download, Refresh, Shield, Stop, XCircle } from '../components/Icons.js';
import { LevelBadge } from '../components/LevelBadge.js';
import { PageHeader } from '../components/PageHeader.js';
import { ImageChecks } from '../components/release/ImageChecks.js';
import { Terminal } from '../components/terminal/Terminal.js';
import { tallyImages, useImages } from '../stores/images.js';
import { PREREQ_LOG, installedJustNow, usePrereqs, type ToolProgress } from '../stores/prereqs.js';
import { useLogs } from '../stores/logs.js';
import { useSettings } from '../stores/settings.js';
import { useWizard } from '../stores/wizard.js';

type ToolState = 'found' | 'missing' | 'too-old' | 'not-running' | 'optional-missing';

export function toolState(t: ToolStatus): ToolState {
  if (!t.installed) return t.required ? 'missing' : 'optional-missing';
  if (t.running === false) return 'not-running';
  if (!t.ok) return 'too-old';
  return 'found';
}

const STATE_BADGE: Record<ToolState, { level: 'fits' | 'tight' | 'does-not-fit'; text: string }> = {
  found: { level: 'fits', text: 'Found' },
  missing: { level: 'does-not-fit', text: 'Missing' },
  'too-old': { level: 'does-not-fit', text: 'Too old' },
  'not-running': { level: 'tight', text: 'Not running' },
  'optional-missing': { level: 'tight', text: 'Not installed (optional)' },
};

const TOOL_ROLE: Record<ToolStatus['name'], string> = {
  docker: 'Container runtime (docker driver)',
  podman: 'Container runtime (podman driver)',
  minikube: 'Runs the local Kubernetes cluster',
  helm: 'Installs the charts',
  helmfile: 'Installs the stack’s releases in order',
  kubectl: 'Optional: inspect the cluster yourself',
};

const PHASE_TEXT: Record<ToolProgress['phase'], string> = {
  download: 'Downloading', verify: 'Verifying SHA-256', extract: 'Extracting', install: 'Installing', admin: 'Waiting for admin approval', done: 'Installed', failed: 'Failed',
};

/** Offered where the engine can do it: downloads always, the admin route only for a tool the setup needs. */
const canInstall = (t: ToolStatus): boolean => !t.ok && (t.install === 'download' || (t.install === 'admin' && t.required));

function Progress({ p }: { p: ToolProgress }) {
  const pct = p.totalBytes ? Math.round(((p.bytes ?? 0) / p.totalBytes) * 100) : undefined;
  return (
    <span className="tool-progress">
      <span className="small">{PHASE_TEXT[p.phase]}{pct !== undefined && p.phase === 'download' ? ` · ${pct}%` : ''}</span>
      {p.phase === 'download' && pct !== undefined && (
        <progress max={100} value={pct} aria-label={`Download progress ${pct}%`} />
      )}
    </span>
  );
}

export function Prerequisites() {
  const { report, loading, error, task, progress, installError, installed, check, install, cancel } = usePrereqs();
  const justInstalled = (tool: ToolStatus['name']) => installedJustNow(tool, { progress, ...(installed ? { installed } : {}) });
  const settings = useSettings((s) => s.view);
  const loadSettings = useSettings((s) => s.load);
  const log = useLogs((s) => s.steps[PREREQ_LOG]);
  const go = useWizard((s) => s.go);
  const showAdvanced = useSettings((s) => s.showAdvanced);
  const images = useImages();
  const checkImages = images.check;

  useEffect(() => {
    // Fresh each time the page opens: tools may have been installed, the mirror changed. The images
    // are asked after the tools (the registries take seconds; the tools table comes first).
    void check().then(() => checkImages());
    void loadSettings();
    void useLogs.getState().load(PREREQ_LOG);
  }, [check, checkImages, loadSettings]);

  const missing = useMemo(() => report?.tools.filter((t) => t.required && canInstall(t)) ?? [], [report]);
  const adminTools = missing.filter((t) => t.install === 'admin');
  const manual = report?.tools.filter((t) => t.required && !t.ok && t.install === 'manual') ?? [];
  const mirror = settings?.settings.mirror;
  const busy = task !== undefined;
  const tally = images.report ? tallyImages(images.report.images) : undefined;
  const blocked = (tally?.blocker ?? 0) > 0;
  const fixImage = (role?: Parameters<typeof showAdvanced>[0]) => {
    showAdvanced(role);
    go('configure');
  };

  return (
    <div className="page-inner">
      <PageHeader eyebrow="Step 3" title="Prerequisites">
        The tools the setup runs. Missing ones are downloaded into the app’s own folder and checked against their published SHA-256 — no admin rights needed for those.
      </PageHeader>

      <div aria-live="polite" className="live">
        {loading && !report && <p className="loading"><span className="spinner" aria-hidden="true" /> Looking for the tools…</p>}
      </div>

      {error && (
        <div className="callout callout-error" role="alert">
          <p><strong>The check failed:</strong> {error.message}</p>
          {error.hint && <p>{error.hint}</p>}
        </div>
      )}

      {blocked && tally && (
        <div className="callout callout-error" role="alert" data-testid="images-blocker-callout">
          <p className="callout-title bad-text"><XCircle size={16} /> {tally.headline}</p>
          <p>Choose another stack release or set another image in Configure → Advanced. You can still go on, but the install stops at that step until the image can be pulled.</p>
          <div className="actions">
            <button type="button" className="button small-button" onClick={() => fixImage()}>Open Configure → Advanced <ArrowRight size={15} /></button>
            <button type="button" className="button small-button" onClick={() => { const h = document.getElementById('images-heading'); h?.scrollIntoView({ block: 'start' }); h?.focus({ preventScroll: true }); }}>See the images</button>
          </div>
        </div>
      )}

      {report && (
        <>
          <section className={`summary-strip ${report.ok ? 'is-ok' : 'is-bad'}`} data-testid="prereqs-summary" aria-live="polite">
            {report.ok ? <CheckCircle size={22} /> : <Download size={22} />}
            <div>
              <p className="summary-title">{report.ok ? 'Every required tool is ready' : `${missing.length + manual.length} required ${missing.length + manual.length === 1 ? 'tool needs' : 'tools need'} attention`}</p>
              <p className="muted small">
                Driver: <strong>{report.driver}</strong> · Tools go to <code>{report.binDir}</code> · Downloads from{' '}
                {mirror ? <code>{mirror}</code> : 'the official release locations'}
              </p>
            </div>
            <span className="spacer" />
            {!report.ok && missing.length > 0 && (
              <button type="button" className="button primary" disabled={busy} onClick={() => void install()}>
                <Download size={18} /> Install all missing ({missing.length})
              </button>
            )}
            {busy && (
              <button type="button" className="button" onClick={() => void cancel()}>
                <Stop size={16} /> Cancel
              </button>
            )}
          </section>

          {adminTools.length > 0 && (
            <div className="callout callout-warn" data-testid="admin-explainer">
              <p className="callout-title"><Shield size={16} /> Needs your administrator password once</p>
              <p>
                {adminTools.map((t) => t.name).join(' and ')} can only come from your system’s package manager. When you install
                {adminTools.length === 1 ? ' it' : ' them'}, your system asks for your password one time (pkexec on Linux, the standard
                prompt on macOS) to run the package manager. Nothing else runs with admin rights.
              </p>
            </div>
          )}
          {manual.length > 0 && (
            <div className="callout callout-error" role="note">
              {manual.map((t) => (
                <p key={t.name}><strong>{t.name}:</strong> {t.problem ?? `${t.name} is not ready.`} Install or start it yourself, then check again.</p>
              ))}
            </div>
          )}
          {installError && <div className="callout callout-error" role="alert"><p><strong>Install stopped:</strong> {installError}</p></div>}

          <section aria-labelledby="tools-heading" className="section">
            <h2 id="tools-heading" className="section-title">Tools</h2>
            <div className="card table-card">
              <table className="table">
                <caption className="visually-hidden">Each tool, whether it was found, its version and the minimum</caption>
                <thead>
                  <tr><th scope="col">Tool</th><th scope="col">Status</th><th scope="col">Version</th><th scope="col">Minimum</th><th scope="col">Where</th><th scope="col"><span className="visually-hidden">Action</span></th></tr>
                </thead>
                <tbody>
                  {report.tools.map((t) => {
                    const st = toolState(t);
                    const p = progress[t.name];
                    const badge = STATE_BADGE[st];
                    return (
                      <tr key={t.name} data-testid={`tool-${t.name}`} data-state={st}>
                        <th scope="row">
                          <span className="tool-name">{t.name}</span>
                          <span className="tool-role">{TOOL_ROLE[t.name]}</span>
                        </th>
                        <td><LevelBadge level={badge.level} text={badge.text} /></td>
                        <td>{t.version ?? <span className="muted">—</span>}{t.pinned && !t.ok ? <span className="muted small block">installs {t.pinned}</span> : null}</td>
                        <td>{t.minimum}</td>
                        <td className="where">{t.path ? <><span className="small">{t.source === 'app' ? 'App folder' : 'System'}</span><code className="small block path" title={t.path}>{t.path}</code></> : <span className="muted">—</span>}</td>
                        <td className="action-cell">
                          {p && p.phase !== 'done' ? <Progress p={p} /> : canInstall(t) ? (
                            <button type="button" className="button small-button" disabled={busy} onClick={() => void install(t.name)}>
                              {t.install === 'admin' ? <Shield size={15} /> : <Download size={15} />} Install {t.name}
                            </button>
                          ) : justInstalled(t.name) ? <span className="small ok-text">Installed just now</span> : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>

          {(busy || (log?.lines.length ?? 0) > 0) && (
            <Terminal label="Install log" lines={log?.lines ?? []} epoch={log?.epoch ?? 0} total={log?.total ?? 0} height={200} testId="prereqs-log" />
          )}
        </>
      )}

      <section aria-labelledby="images-heading" className="section" data-testid="images-section" aria-busy={images.checking}>
        <div className="section-head">
          <h2 id="images-heading" className="section-title" tabIndex={-1}>Images</h2>
          <span className="spacer" />
          {images.report && !images.checking && <span className="small muted">Checked {new Date(images.report.checkedAt).toLocaleTimeString()}</span>}
          <button type="button" className="button small-button" disabled={images.checking} onClick={() => void checkImages()}>
            {images.checking ? <span className="spinner" aria-hidden="true" /> : <Refresh size={15} />} {images.checking ? 'Checking…' : 'Check images'}
          </button>
        </div>
        <p className="muted small">
          Each image the stack runs{images.report ? <> ({images.report.release.title}, linux/{images.report.arch})</> : null}, asked of its registry the way the node will pull it: anonymously, for this architecture.
        </p>
        <div aria-live="polite" className="live">
          {images.checking && (
            <p className="loading images-checking" data-testid="images-checking"><span className="spinner" aria-hidden="true" /> Asking the registries{images.report ? ' again' : ''}… this takes a few seconds.</p>
          )}
          {tally && !images.checking && (
            <p className={`images-tally small verdict-${blocked ? 'blocker' : tally.warning ? 'warning' : 'ok'}`} data-testid="images-tally">
              {blocked ? <XCircle size={16} /> : tally.warning ? <AlertTriangle size={16} /> : <CheckCircle size={16} />} {tally.headline}
            </p>
          )}
        </div>
        {images.error && (
          <div className="callout callout-error" role="alert" data-testid="images-error">
            <p><strong>The image check could not run:</strong> {images.error.message}</p>
            {images.error.hint && <p>{images.error.hint}</p>}
          </div>
        )}
        {images.report && (
          <div className={images.checking ? 'is-stale' : undefined}>
            <ImageChecks images={images.report.images} onFix={fixImage} />
          </div>
        )}
      </section>

      <div className="actions">
        <button type="button" className="button" onClick={() => go('system-check')}><ArrowLeft size={18} /> Back</button>
        <button type="button" className="button" disabled={loading || busy} onClick={() => void check()}><Refresh size={18} /> Check again</button>
        <span className="spacer" />
        {(blocked || (report && !report.ok)) && (
          <span className="muted small prereq-next-note" id="prereq-next-note">
            {report && !report.ok ? 'You can configure now and install the tools later.' : ''}
            {blocked ? `${report && !report.ok ? ' ' : ''}The install will stop at the image check until the blocked image is replaced.` : ''}
          </span>
        )}
        <button type="button" className="button primary" onClick={() => go('configure')} {...(blocked || (report && !report.ok) ? { 'aria-describedby': 'prereq-next-note' } : {})}>
          Configure <ArrowRight size={18} />
        </button>
      </div>
    </div>
  );
}
