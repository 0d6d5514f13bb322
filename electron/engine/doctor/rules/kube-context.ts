// The person's kubeconfig against the profile: a missing profile context after the cluster was started
// means the app cannot reach its cluster (something removed it — `kubectl config delete-context`, another
// tool rewriting the file, a different KUBECONFIG); a current context on another cluster is only worth
// saying, since the app never switches it (minikube runs with --keep-context) and plain `kubectl` then
// talks to that other cluster.
import type { Finding } from '../../../../shared/api/doctor.js';
import type { KubeSnapshot } from '../snapshot.js';
import { cliCommand, stepFinished, type Rule } from './rule.js';

const where = (k: KubeSnapshot): string => k.files.join(', ') || 'your kubeconfig';

const describeContext = (k: KubeSnapshot, name: string): string => {
  const c = k.clusterOf[name];
  return c ? `context ${name} → cluster ${c.cluster}${c.server ? ` (${c.server})` : ''}` : `context ${name}`;
};

/** Two contexts reach the same cluster: the same server, else the same cluster entry. */
const sameCluster = (k: KubeSnapshot, a: string, b: string): boolean => {
  const x = k.clusterOf[a];
  const y = k.clusterOf[b];
  if (!x || !y) return false;
  return x.server !== undefined && y.server !== undefined ? x.server === y.server : x.cluster === y.cluster;
};

export const kubeContext: Rule = {
  id: 'kube-context',
  title: 'The kubeconfig has the cluster’s context',
  applies: (s) => (s.kube ? true : 'the doctor was not given your kubeconfig'),
  check(s): Finding | undefined {
    const k = s.kube!;
    const profile = s.plan.settings.profile;
    const lines = [`contexts: ${k.contexts.join(', ') || 'none'}`, `current-context: ${k.current ?? 'none'}`];
    if (!k.contexts.includes(profile)) {
      // Before the cluster step has run there is no context to expect.
      if (!stepFinished(s, 'minikube-start')) return undefined;
      return {
        severity: 'error',
        summary: `The kubeconfig (${where(k)}) has no context "${profile}", though the last install started minikube profile "${profile}": the app cannot reach its cluster. Something removed the context, or KUBECONFIG now names other files.`,
        evidence: [{ source: `kubeconfig/${where(k)}`, lines }],
        fixes: [{ kind: 'commands', id: 'install-again', label: `Run the install again (minikube start writes the "${profile}" context back and leaves your current context as it is)`, commands: [cliCommand(s, 'up', '--yes')] }],
      };
    }
    if (k.current === undefined || k.current === profile || sameCluster(k, k.current, profile)) return undefined;
    return {
      severity: 'info',
      summary: `Your current kubectl context is "${k.current}", another cluster than "${profile}": kubectl without --context talks to that one. The app never switches your context; it always uses "${profile}" explicitly, so this is only for your own commands.`,
      evidence: [{ source: `kubeconfig/${where(k)}`, lines: [describeContext(k, k.current), describeContext(k, profile)] }],
      fixes: [{ kind: 'commands', id: 'use-context', label: `Only if you want your own kubectl on "${profile}": switch to it`, commands: [['kubectl', 'config', 'use-context', profile]] }],
    };
  },
};
