// A kubeconfig pointing at the simulated API server (plain HTTP, no credentials), as minikube would write.
// `insecure-skip-tls-verify: true` is required: @kubernetes/client-node 2.x refuses an http:// server
// otherwise ("HTTP protocol is not allowed when skipTLSVerify is not set or false"); kubectl accepts it.
import { stringify } from 'yaml';

export function kubeconfigFor(serverUrl: string, contextName = 'minikube', namespace?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: contextName, cluster: { server: serverUrl, 'insecure-skip-tls-verify': true } }],
    users: [{ name: contextName, user: {} }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: contextName, ...(namespace ? { namespace } : {}) } }],
    'current-context': contextName,
    preferences: {},
  });
}
