// What the gateway answers when its InferencePool has no Ready endpoint: the endpoint picker (EPP) turns it
// into an ext_proc ImmediateResponse, which Envoy (Istio's gateway, or the standalone chart's sidecar) sends
// back as the HTTP status and body below. One home for the wording: the sim answers with it, the doctor
// and the chat client recognise it.
//
// Which endpoints count: only Ready pods that match the pool's selector are in the EPP's datastore
// (GAIE v1.2.0-rc.1 and llm-d-router v0.10.0 pkg/epp/controller/pod_reconciler.go:
// `if !podutil.IsPodReady(pod) || !c.Datastore.PoolLabelsMatch(pod.Labels)` → removed from the datastore).
//
// A request with a body (POST /v1/chat/completions, /v1/completions) goes through the director:
// - GAIE v1.2.0-rc.1 pkg/epp/requestcontrol/director.go:165, before admission:
//   `errutil.Error{Code: errutil.ServiceUnavailable, Msg: "failed to find candidate pods for serving the request"}`;
// - llm-d-router v0.10.0 pkg/epp/requestcontrol/director.go:305-311, after the legacy admission controller
//   (the flowControl feature gate is off by default: cmd/epp/runner/runner.go:752 RegisterFeatureGate(…, false),
//   and our router values set no featureGates), which lets every non-sheddable request through:
//   `errcommon.Error{Code: errcommon.ServiceUnavailable, Msg: "failed to find endpoint candidates for serving the request"}`.
// A request without a body (GET /v1/models: end of stream in its headers) is sent to a random endpoint
// before the director, and with none there (GAIE v1.2.0-rc.1 handlers/request.go:47-50, llm-d-router v0.10.0 handlers/request.go:60-64
// fallbackToRandomEndpoint): `Error{Code: Internal, Msg: "no pods available in datastore"}`.
//
// The status: ServiceUnavailable → 503, Internal → 500 (GAIE handlers/server.go buildErrResponse, llm-d-router
// pkg/common/error/error.go BuildErrResponse); the body is the error's Error(): GAIE util/error/error.go
// `"inference gateway: %s - %s"`, llm-d-router pkg/common/error/error.go `"inference error: %s - %s"`
// (code, message). The flowControl path, off here, would add x-llm-d-request-dropped-reason.
// ⚠ The content-type is Envoy's for a local reply with a body (text/plain); not read in Envoy's source here.

/** The EPP's generation, which decides the prefix of its error bodies (sim/cluster/epp.ts reads it from the image). */
export type EppErrorShape = 'gaie' | 'llm-d-router';

export interface GatewayAnswer {
  status: number;
  body: string;
}

const PREFIX: Record<EppErrorShape, string> = { gaie: 'inference gateway', 'llm-d-router': 'inference error' };

const NO_CANDIDATES: Record<EppErrorShape, string> = {
  gaie: 'failed to find candidate pods for serving the request',
  'llm-d-router': 'failed to find endpoint candidates for serving the request',
};

const NO_PODS_IN_DATASTORE = 'no pods available in datastore';

/** What the gateway answers a request when the pool has no Ready endpoint; `hasBody` decides the path. */
export function noEndpointAnswer(shape: EppErrorShape, hasBody: boolean): GatewayAnswer {
  return hasBody
    ? { status: 503, body: `${PREFIX[shape]}: ServiceUnavailable - ${NO_CANDIDATES[shape]}` }
    : { status: 500, body: `${PREFIX[shape]}: Internal - ${NO_PODS_IN_DATASTORE}` };
}

/** Whether an answer is the EPP saying its pool has no Ready endpoint (either generation, either path). */
export function isNoEndpointAnswer(a: GatewayAnswer): boolean {
  const shapes = Object.keys(PREFIX) as EppErrorShape[];
  return shapes.some((shape) => [true, false].some((hasBody) => {
    const want = noEndpointAnswer(shape, hasBody);
    return a.status === want.status && a.body.trim() === want.body;
  }));
}
