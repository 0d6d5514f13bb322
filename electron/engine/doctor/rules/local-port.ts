// A local port the app's port-forwards prefer (forward/access.ts PREFERRED_PORTS) held by another process
// on 127.0.0.1. The app then forwards on a port the OS picks, so nothing breaks inside the app — but the
// guide's `curl http://localhost:8000/v1/models` (and a bookmarked Grafana at :3000) reach that other
// process instead of the stack, which is the confusing part worth a finding.
import type { DoctorFix, Finding } from '../../../../shared/api/doctor.js';
import type { LocalPortSnapshot } from '../snapshot.js';
import type { Rule } from './rule.js';

const holderText = (p: LocalPortSnapshot): string =>
  p.holder ? `process ${p.holder.pid}${p.holder.command ? ` (${p.holder.command})` : ''}` : 'another process';

export const localPort: Rule = {
  id: 'local-port',
  title: 'The forwards’ local ports are free for the app',
  applies: (s) => (s.localPorts ? true : 'the local ports were not looked at'),
  check(s): Finding | undefined {
    const taken = s.localPorts!.filter((p) => p.inUse && !p.ours);
    if (taken.length === 0) return undefined;
    const first = taken.find((p) => p.forward === 'gateway') ?? taken[0]!;
    const forwardOn = (p: LocalPortSnapshot) => s.forwards?.find((f) => f.name === p.forward && f.alive);
    const used = forwardOn(first);
    const fixes: DoctorFix[] = [];
    const pids = [...new Set(taken.flatMap((p) => (p.holder ? [p.holder.pid] : [])))];
    fixes.push({
      kind: 'commands', id: 'find-holder', label: `See which process holds ${taken.map((p) => p.port).join(', ')} and what it runs`,
      commands: [
        ...taken.map((p) => (s.plan.platform === 'linux' ? ['ss', '-ltnp', `sport = :${p.port}`] : ['lsof', '-nP', `-iTCP:${p.port}`, '-sTCP:LISTEN'])),
        ...(pids.length ? [['ps', '-o', 'pid,user,args', '-p', pids.join(',')]] : []),
      ],
    });
    if (pids.length) {
      fixes.push({ kind: 'commands', id: 'stop-holder', label: 'Stop that process if it is yours and no longer needed (the app’s next forward then takes the port)', commands: [['kill', ...pids.map(String)]] });
    }
    return {
      // The gateway's port is the one the guide's commands name; Prometheus' and Grafana's only move.
      severity: first.forward === 'gateway' ? 'warning' : 'info',
      summary: `Port ${first.port} on 127.0.0.1, where the app forwards the ${first.forward}, is held by ${holderText(first)}`
        + `${used ? `, so the app's ${first.forward} forward is at ${used.url} instead` : ', so the app will forward it on another free port'}`
        + ` and http://127.0.0.1:${first.port} reaches that process, not the stack.${taken.length > 1 ? ` ${taken.length - 1} more port${taken.length > 2 ? 's are' : ' is'} taken (below).` : ''}`,
      evidence: taken.map((p) => ({
        source: `port/127.0.0.1:${p.port}`,
        at: s.at.toISOString(),
        lines: [
          `${p.forward}'s port ${p.port}: in use by ${holderText(p)}`,
          `found with ${p.how}`,
          ...(forwardOn(p) ? [`the app's ${p.forward} forward: ${forwardOn(p)!.url} (pid ${forwardOn(p)!.pid})`] : []),
        ],
      })),
      fixes,
    };
  },
};
