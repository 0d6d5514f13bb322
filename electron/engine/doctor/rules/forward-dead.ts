// A port-forward the app recorded that no longer forwards: its process is gone (killed, the machine slept
// and it was reaped, a crash), or it runs but its local port takes no connection. The guide's "No response
// from gateway → port forward not running", for the app's own detached forwarders; `status` restarts a
// dead one on its old port.
import type { Finding } from '../../../../shared/api/doctor.js';
import type { ForwardSnapshot } from '../snapshot.js';
import { cliCommand, type Rule } from './rule.js';

const why = (f: ForwardSnapshot): string => (f.alive
  ? `its process (pid ${f.pid}) runs but 127.0.0.1:${f.port} takes no connection`
  : `its process (pid ${f.pid}) is gone`);

export const forwardDead: Rule = {
  id: 'forward-dead',
  title: 'The port-forwards are running',
  applies(s) {
    if (!s.forwards) return 'the doctor was not given the app’s run directory';
    return s.forwards.length ? true : 'no port-forward is recorded (the install opens the gateway’s at its last step)';
  },
  check(s): Finding | undefined {
    const dead = s.forwards!.filter((f) => !f.alive || !f.answers);
    if (dead.length === 0) return undefined;
    const gateway = dead.find((f) => f.name === 'gateway');
    const first = gateway ?? dead[0]!;
    return {
      // The gateway's is the one the Playground and the smoke test use; Prometheus' and Grafana's are extras.
      severity: gateway ? 'warning' : 'info',
      summary: `The ${first.name} port-forward (${first.url} → svc/${first.service}:${first.servicePort} in ${first.namespace}) is not working: ${why(first)}, so ${first.url} gets no answer${dead.length > 1 ? ` (and ${dead.length - 1} more below)` : ''}.`,
      evidence: dead.map((f) => ({
        source: `forward/${f.name}`,
        at: f.startedAt,
        lines: [`${f.url} → svc/${f.service}:${f.servicePort} in ${f.namespace} (context ${f.context}), started ${f.startedAt}`, `pid ${f.pid}: ${f.alive ? 'running' : 'gone'}; 127.0.0.1:${f.port}: ${f.answers ? 'answers' : 'no answer'}`],
      })),
      fixes: [{ kind: 'commands', id: 'restart', label: 'Restart it (`status` restarts a recorded forward that stopped, on its old port when free)', commands: [cliCommand(s, 'status')] }],
    };
  },
};
