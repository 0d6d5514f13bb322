// Step "Open the gateway on this computer" (docs/architecture.md §4 step 10): a detached forwarder process of ours
// (recorded in the app data dir) forwards 127.0.0.1:8000 — or a free port when 8000 is taken — to
// svc/infra-cpu-inference-inference-gateway-istio:80, resolving the pod per connection so it survives pod
// restarts. It outlives the window or command that started it; `status` restarts it, `down` stops it.
import { forwardSpec } from '../forward/access.js';
import { ensureForward, forwardStatus, stopAllForwards, type ForwardSpec } from '../forward/forwards.js';
import type { PlanContext, Step } from '../plan/step.js';

export const gatewayForward = (plan: PlanContext): ForwardSpec => forwardSpec('gateway', plan.settings);

export const access: Step = {
  id: 'access',
  title: 'Open the gateway on this computer',
  needs: ['ready'],
  describe(plan) {
    const f = gatewayForward(plan);
    return { commands: [], notes: [`Forward http://127.0.0.1:${f.preferredPort} (or a free port) → svc/${f.service}:${f.servicePort} in ${f.namespace}, through a small background process that keeps running after this window closes; each connection goes to a Ready gateway pod.`] };
  },
  async detect(ctx) {
    const f = gatewayForward(ctx);
    const st = await forwardStatus(ctx.paths.runDir, f.name);
    if (st?.alive && st.context === f.context && st.namespace === f.namespace && st.service === f.service) return { state: 'done', detail: `gateway at ${st.url}` };
    return { state: 'todo', reason: st ? 'the gateway forward stopped' : 'no gateway forward yet' };
  },
  async run(ctx) {
    const st = await ensureForward(gatewayForward(ctx), { runDir: ctx.paths.runDir, env: ctx.env });
    ctx.log(`Gateway: ${st.url} (forwarder pid ${st.pid}).`);
  },
  async undo(ctx) {
    const stopped = await stopAllForwards(ctx.paths.runDir);
    ctx.log(stopped.length ? `Stopped the port-forwards: ${stopped.join(', ')}.` : 'No port-forward was running.');
  },
};
