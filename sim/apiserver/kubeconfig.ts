// A kubeconfig pointing at the simulated API server (plain HTTP, no credentials), as minikube would write.
import { stringify } from 'yaml';

export function kubeconfigFor(serverUrl: string, contextName = 'minikube', namespace?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: contextName, cluster: { server: serverUrl } }],
    users: [{ name: contextName, user: {} }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: contextName, ...(namespace ? { namespace } : {}) } }],
    'current-context': contextName,
    preferences: {},
  });
}
