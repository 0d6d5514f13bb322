// client-node throws ApiException(code, body) with the API server's Status as body; we surface the
// server's own message (what kubectl would print) as a typed KUBE error.
import { ApiException } from '../../../shared/result.js';

interface StatusBody {
  message?: unknown;
  reason?: unknown;
}

export function statusCodeOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * The one "the API server says it is not there" test for the whole engine: client-node's exception (code
 * 404) or our KUBE error made from one (details.status 404). A missing object is often a fact to report
 * (no Gateway API CRDs, already deleted), never a failure to surface.
 */
export function isNotFound(e: unknown): boolean {
  if (statusCodeOf(e) === 404) return true;
  const details = e instanceof ApiException ? e.details : undefined;
  return typeof details === 'object' && details !== null && (details as { status?: unknown }).status === 404;
}

export function kubeError(e: unknown, what: string): ApiException {
  if (e instanceof ApiException) return e;
  const code = statusCodeOf(e);
  let body: unknown = (e as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // plain text body
    }
  }
  const status = (typeof body === 'object' && body !== null ? body : {}) as StatusBody;
  const serverMessage = typeof status.message === 'string' ? status.message : typeof body === 'string' ? body : undefined;
  const reason = typeof status.reason === 'string' ? status.reason : undefined;
  const cause = (e as { cause?: { code?: string } })?.cause?.code;
  if (code === undefined && cause) {
    return new ApiException('KUBE', `${what}: the cluster's API server is not reachable (${cause}).`, 'Check that the cluster is running (minikube status).');
  }
  const message = serverMessage ?? (e instanceof Error ? e.message : String(e));
  return new ApiException('KUBE', `${what}: ${message}`, undefined, { status: code, reason });
}
