// Welcome: what the app will do, what it needs, and the way in.
import { useApp } from '../stores/app.js';
import { useWizard } from '../stores/wizard.js';
import { ArrowRight, Laptop, Layers, ListChecks, Lock, Message, Refresh, Trash } from '../components/Icons.js';
import { PageHeader } from '../components/PageHeader.js';

const FLOW = [
  { Icon: Laptop, title: 'Checks this machine', text: 'Memory, CPUs, disk, GPU and container runtime, with a plain verdict on what fits.' },
  { Icon: ListChecks, title: 'Shows the plan first', text: 'Every command and change, before any of them runs. Nothing happens behind your back.' },
  { Icon: Layers, title: 'Sets up the stack', text: 'minikube, the gateway (Istio for the guide’s release), monitoring and llm-d with its inference scheduler, step by step with live logs.' },
  { Icon: Message, title: 'Lets you chat', text: 'Talk to the model through the gateway and see which replica answered, and why.' },
  { Icon: Refresh, title: 'Says what broke', text: 'When a step fails, the doctor names the cause — OOMKilled replicas, images that cannot be pulled, crash loops, a route Istio rejects, a dead port-forward — with the evidence, and a fix where the app can apply one.' },
  { Icon: Trash, title: 'Cleans up', text: 'Remove the stack, stop or delete the cluster — your choice, one click.' },
];

export function Welcome() {
  const info = useApp((s) => s.info);
  const go = useWizard((s) => s.go);
  return (
    <div className="page-inner">
      <PageHeader eyebrow="llm-d on your own machine" title="Welcome">
        This app takes you from nothing installed to chatting with a model served by llm-d's intelligent inference scheduling on a
        local Kubernetes cluster — and back to a clean machine when you are done.
      </PageHeader>

      <div className="actions hero-actions">
        <button type="button" className="button primary" onClick={() => go('system-check')}>
          Check this machine <ArrowRight size={18} />
        </button>
        {info && (
          <p className="note inline-note">
            <Lock size={14} /> Everything the app writes stays in <code>{info.dataDir}</code>
          </p>
        )}
      </div>

      <section aria-labelledby="flow-heading" className="section">
        <h2 id="flow-heading" className="section-title">What it does</h2>
        <ul className="feature-grid">
          {FLOW.map(({ Icon, title, text }) => (
            <li key={title} className="card feature">
              <span className="feature-icon"><Icon size={20} /></span>
              <h3>{title}</h3>
              <p>{text}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="needs-heading" className="section">
        <h2 id="needs-heading" className="section-title">What your machine needs for the default setup</h2>
        <div className="card table-card">
          <table className="table">
            <caption className="visually-hidden">Resources the default setup asks for, by container driver</caption>
            <thead>
              <tr><th scope="col">Driver</th><th scope="col">Memory</th><th scope="col">CPUs</th><th scope="col">Free disk</th></tr>
            </thead>
            <tbody>
              <tr><th scope="row">docker (Linux, Docker Desktop)</th><td>24 GiB for the cluster + headroom</td><td>8</td><td>100 GB</td></tr>
              <tr><th scope="row">podman machine (macOS)</th><td>28 GiB for the machine + headroom</td><td>10</td><td>120 GB</td></tr>
            </tbody>
          </table>
        </div>
        <p className="note">Less than that? The System check tells you what fits instead — one replica, a smaller model, or less memory.</p>
      </section>

    </div>
  );
}
