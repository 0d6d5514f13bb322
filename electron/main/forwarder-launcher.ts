// Port-forward helpers in the desktop app run as Electron utility processes: the packaged binary has
// the RunAsNode fuse off, so it cannot be spawned as `node forwarder.js` the way the CLI does. A utility
// process lives as long as the app; the CLI's forwarders are detached and outlive it (issue 5).
import path from 'node:path';
import { utilityProcess } from 'electron';
import type { ForwarderLauncher } from '../engine/forward/forwards.js';

export function utilityProcessLauncher(outDir: string): ForwarderLauncher {
  const script = path.join(outDir, 'forwarder', 'forwarder.js');
  return (args, env) =>
    new Promise<number>((resolve, reject) => {
      const child = utilityProcess.fork(script, args, { env, stdio: 'ignore', serviceName: 'llm-d Installer port-forward' });
      child.once('spawn', () => (child.pid ? resolve(child.pid) : reject(new Error('The port-forward helper has no pid.'))));
      child.once('exit', (code) => reject(new Error(`The port-forward helper exited with code ${code}.`)));
    });
}
