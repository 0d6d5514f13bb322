// System check: this machine's real hardware as the engine detected it, and the fit verdict against
// the default setup with plain advice (docs/architecture.md §4 step 1) — and, where the advice names numbers, one
// click that fills them into Configure's form.
import { useEffect } from 'react';
import type { FitCheck, HostReport } from '../../../shared/api/host.js';
import { ArrowLeft, ArrowRight, Box, Chip, Cpu, Disk, Laptop, Memory, Refresh } from '../components/Icons.js';
import { LEVEL_TEXT, LevelBadge, LevelIcon } from '../components/LevelBadge.js';
import { PageHeader } from '../components/PageHeader.js';
import { formatCores, formatGB, formatGiB } from '../format.js';
import { useHost } from '../stores/host.js';
import { suggestionText, useSettings } from '../stores/settings.js';
import { useWizard } from '../stores/wizard.js';

const RESOURCE_NAMES: Record<FitCheck['resource'], string> = { memory: 'Memory', cpu: 'CPU cores', disk: 'Disk', runtime: 'Container runtime', gpu: 'GPU', 'cpu-features': 'CPU instructions' };

const VERDICT_TITLE = { fits: 'This machine fits', tight: 'It fits, with some attention', 'does-not-fit': 'The default setup does not fit' } as const;

/** A runtime as a headline state plus detail ("Not running" / "Installed · 28.2.2"). */
function runtimeFact(t: HostReport['facts']['docker']): { value: string; detail?: string } {
  if (!t.installed) return { value: 'Not installed' };
  const detail = `Installed${t.version ? ` · ${t.version}` : ''}`;
  if (t.machines) {
    const running = t.machines.find((m) => m.running);
    if (running) return { value: 'Machine running', detail: `${detail} · ${running.name}` };
    return { value: t.machines.length ? 'Machine stopped' : 'No machine yet', detail };
  }
  return { value: t.running ? 'Running' : 'Not running', detail };
}

function Fact({ id, Icon, label, value, detail }: { id: string; Icon: typeof Cpu; label: string; value: string; detail?: string }) {
  return (
    <div className="fact" data-testid={`fact-${id}`}>
      <dt><Icon size={16} /> {label}</dt>
      <dd>
        <span className="fact-value">{value}</span>
        {detail && <span className="fact-detail">{detail}</span>}
      </dd>
    </div>
  );
}

function Verdict({ report }: { report: HostReport }) {
  const { fit, needs } = report;
  const applySuggestion = useSettings((s) => s.applySuggestion);
  const go = useWizard((s) => s.go);
  const suggested = fit.suggested;
  return (
    <section className={`verdict verdict-${fit.level}`} aria-labelledby="verdict-title" data-testid="fit-verdict" data-level={fit.level}>
      <div className="verdict-icon"><LevelIcon level={fit.level} size={28} /></div>
      <div className="verdict-body">
        <p className="verdict-label">{LEVEL_TEXT[fit.level]}</p>
        <h2 id="verdict-title">{VERDICT_TITLE[fit.level]}</h2>
        <p>{fit.summary}</p>
        {fit.advice.length > 0 && (
          <>
            <h3 className="advice-title">What would make it fit</h3>
            <ul className="advice">
              {fit.advice.map((a) => <li key={a}>{a}</li>)}
            </ul>
          </>
        )}
        {suggested && (
          <div className="fit-suggestion" data-testid="fit-suggestion">
            <p className="small"><strong>Suggested:</strong> {suggestionText(suggested)}</p>
            <button type="button" className="button small-button" onClick={() => void applySuggestion(suggested).then(() => go('configure'))}>
              Use the suggested values in Configure
            </button>
          </div>
        )}
        <p className="verdict-setup">
          Checked against: {needs.driver} driver{needs.usesPodmanMachine ? ' in a podman machine' : ''} · {needs.memoryMiB / 1024} GiB · {needs.cpus} CPUs · {needs.diskGB} GB disk · {needs.replicas} × {needs.perReplicaMemoryGiB} GiB replicas
        </p>
      </div>
    </section>
  );
}

export function SystemCheck() {
  const { report, loading, error, check } = useHost();
  const go = useWizard((s) => s.go);
  useEffect(() => {
    if (!report) void check();
  }, [report, check]);

  const f = report?.facts;
  return (
    <div className="page-inner">
      <PageHeader eyebrow="Step 2" title="System check">
        What this machine has, measured just now, and whether the default setup fits on it.
      </PageHeader>

      <div aria-live="polite" className="live">
        {loading && <p className="loading"><span className="spinner" aria-hidden="true" /> Checking this machine…</p>}
      </div>

      {error && !loading && (
        <div className="callout callout-error" role="alert">
          <p><strong>The check failed:</strong> {error.message}</p>
          {error.hint && <p>{error.hint}</p>}
        </div>
      )}

      {report && f && (
        <>
          <Verdict report={report} />

          <section aria-labelledby="facts-heading" className="section">
            <div className="section-head">
              <h2 id="facts-heading" className="section-title">This machine</h2>
              <span className="muted small">Detected {new Date(report.detectedAt).toLocaleTimeString()}</span>
            </div>
            <dl className="facts card">
              <Fact id="os" Icon={Laptop} label="Operating system" value={`${f.osName} ${f.osVersion}`.trim()} />
              <Fact id="arch" Icon={Chip} label="Architecture" value={f.archLabel} detail={f.arch} />
              <Fact id="cpu-cores" Icon={Cpu} label="CPU" value={formatCores(f.cpuCores)} detail={f.cpuModel} />
              <Fact id="memory" Icon={Memory} label="Memory" value={formatGiB(f.memoryBytes)} />
              <Fact id="disk" Icon={Disk} label="Free disk" value={formatGB(f.diskFreeBytes)} detail={f.diskPath} />
              <Fact id="gpu" Icon={Chip} label="NVIDIA GPU" value={f.gpu.nvidia ? 'Present' : 'None'} {...(f.gpu.nvidia ? { detail: f.gpu.models.join(', ') } : {})} />
              <Fact id="docker" Icon={Box} label="Docker" {...runtimeFact(f.docker)} />
              <Fact id="podman" Icon={Box} label="Podman" {...runtimeFact(f.podman)} />
            </dl>
          </section>

          <section aria-labelledby="checks-heading" className="section">
            <h2 id="checks-heading" className="section-title">Against the default setup</h2>
            <div className="card table-card">
              <table className="table checks">
                <caption className="visually-hidden">Each resource the default setup needs, what this machine has, and the result</caption>
                <thead>
                  <tr><th scope="col">Resource</th><th scope="col">Needs</th><th scope="col">This machine</th><th scope="col">Result</th></tr>
                </thead>
                <tbody>
                  {report.fit.checks.map((c) => (
                    <tr key={c.resource} data-testid={`check-${c.resource}`}>
                      <th scope="row">{RESOURCE_NAMES[c.resource]}</th>
                      <td>{c.need}</td>
                      <td>{c.have}</td>
                      <td><LevelBadge level={c.level} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}

      <div className="actions">
        <button type="button" className="button" onClick={() => go('welcome')}>
          <ArrowLeft size={18} /> Back
        </button>
        <button type="button" className="button" onClick={() => void check({ refresh: true })} disabled={loading}>
          <Refresh size={18} /> Check again
        </button>
        <span className="spacer" />
        <button type="button" className="button primary" onClick={() => go('prerequisites')}>
          Prerequisites <ArrowRight size={18} />
        </button>
      </div>
    </div>
  );
}
