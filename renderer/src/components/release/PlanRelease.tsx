// The Plan's header: which stack release the install deploys (title, upstream version, month, the node
// it was chosen for) and every image it will run — the reference, whether it is your override or the
// release's default, where it comes from and the vLLM inside — before any step runs.
import type { PlanDescription } from '../../../../shared/api/engine.js';
import { releaseMonth } from '../../stores/releases.js';
import { Layers } from '../Icons.js';

export function PlanRelease({ plan }: { plan: PlanDescription }) {
  const { release, images, arch, accelerator } = plan;
  const overrides = images.filter((i) => i.overridden).length;
  const vllmOverride = images.find((i) => i.role === 'vllm' && i.overridden && i.vllmVersion);
  return (
    <section className="card release-block" aria-labelledby="plan-release-title" data-testid="plan-release">
      <div className="release-block-head">
        <span className="release-block-icon"><Layers size={20} /></span>
        <div className="release-block-text">
          <p className="release-kicker">Stack release</p>
          <h2 id="plan-release-title" className="release-block-title">{release.title}</h2>
          <p className="muted small">
            Upstream {release.upstreamVersion} · {releaseMonth(release.date)} · for linux/{arch}, {accelerator === 'nvidia' ? 'NVIDIA GPU' : 'CPU'} · <code>{release.id}</code>
          </p>
        </div>
        <span className="spacer" />
        <span className="small muted">{images.length} images{overrides ? ` · ${overrides} of your own` : ''}</span>
      </div>
      <div className="table-scroll">
        <table className="table image-table" data-testid="plan-images">
          <caption className="visually-hidden">Every image the stack runs: reference, whether you set it, vLLM version and where it comes from</caption>
          <thead>
            <tr><th scope="col">Image</th><th scope="col">Reference</th><th scope="col">vLLM</th><th scope="col">Source</th></tr>
          </thead>
          <tbody>
            {images.map((i) => (
              <tr key={i.role} data-testid={`plan-image-${i.role}`} data-overridden={i.overridden}>
                <th scope="row">{i.label}</th>
                <td className="image-ref-cell">
                  <code>{i.ref}</code>
                  <span className="image-ref-marks">
                    {i.overridden
                      ? <><span className="badge badge-override">Your override</span> <span className="small muted">replaces <code>{i.defaultRef}</code></span></>
                      : <span className="badge badge-default">Release default</span>}
                  </span>
                </td>
                <td className="vllm-cell">
                  {i.vllmVersion ?? <span className="muted">—</span>}
                  {i.overridden && i.vllmVersion && <span className="small muted block">of the default<span aria-hidden="true">*</span></span>}
                </td>
                <td className="small muted source-cell">{i.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {vllmOverride && (
        <p className="small muted release-block-note" data-testid="plan-vllm-note">
          <span aria-hidden="true">* </span>Your model server image is started with the arguments chosen for vLLM {vllmOverride.vllmVersion}, the
          default image’s; an image with another vLLM may refuse them.
        </p>
      )}
      {plan.dtype && (
        <p className="small release-block-note" data-testid="plan-dtype">
          The model server computes in <code>{plan.dtype.value}</code> (<code>--dtype={plan.dtype.value}</code>): {plan.dtype.reason}.
        </p>
      )}
    </section>
  );
}
