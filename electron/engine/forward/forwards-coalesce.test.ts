// Concurrent opens of one forward share one forwarder (no process is started: the launcher is a fake
// that records the state a forwarder would write).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeForwardState } from './forward-state.js';
import { ensureForward, type ForwardSpec, type ForwarderLauncher } from './forwards.js';

const dirs: string[] = [];
const children: number[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  for (const pid of children.splice(0)) { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
});

const spec = (name: string): ForwardSpec => ({ name, context: 'p', namespace: 'ns', service: 'gw', servicePort: 80, preferredPort: 20000 + Math.floor(Math.random() * 20000) });

describe('ensureForward concurrency', () => {
  it('starts one forwarder per name however many callers open it at once', async () => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwd-co-'));
    dirs.push(runDir);
    const launched: string[] = [];
    // The fake forwarder is an idle child; the launcher records its state after a moment, as the real one does once it listens.
    const launcher: ForwarderLauncher = (args) => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
      const pid = child.pid!;
      children.push(pid);
      const name = args[args.indexOf('--name') + 1]!;
      const stateFile = args[args.indexOf('--state-file') + 1]!;
      const port = Number(args[args.indexOf('--local-port') + 1]);
      launched.push(name);
      setTimeout(() => writeForwardState(stateFile, { ...spec(name), pid, port, url: `http://127.0.0.1:${port}`, startedAt: new Date().toISOString() }), 50);
      return pid;
    };
    const opens = await Promise.all([
      ensureForward(spec('gateway'), { runDir, env: {}, launcher }),
      ensureForward(spec('gateway'), { runDir, env: {}, launcher }),
      ensureForward(spec('gateway'), { runDir, env: {}, launcher }),
      ensureForward(spec('grafana'), { runDir, env: {}, launcher }),
    ]);
    expect(launched.sort()).toEqual(['gateway', 'grafana']);
    expect(new Set(opens.slice(0, 3).map((o) => o.port)).size).toBe(1);
  });
});
