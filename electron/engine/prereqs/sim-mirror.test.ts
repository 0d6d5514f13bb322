// Prerequisites installed from the project's own simulated mirror (sim/mirror, file://), as a person in
// rehearsal mode or an air-gapped machine would: every tool verified against its release's checksum
// file, executable in the app bin dir, and answering its version command. A tampered copy is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../../shared/tools.js';
import { runProcess } from '../process/runner.js';
import { installTool } from './install.js';
import { createPrereqService } from './service.js';

const repo = path.resolve(import.meta.dirname, '../../..');
const mirror = pathToFileURL(path.join(repo, 'sim', 'mirror')).href;
const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'simmirror-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

describe('prerequisites from sim/mirror', () => {
  it('installs minikube, helm, helmfile and kubectl from file://…/sim/mirror, and each runs', async () => {
    const home = tmp();
    const binDir = path.join(home, 'bin');
    // The tools' "releases" are the simulated ones: they find the simulation through LLMD_SIM_ROOT.
    const env = { ...process.env, PATH: `${binDir}:/usr/bin:/bin`, LLMD_SIM_ROOT: path.join(repo, 'sim'), LLMD_SIM_STATE: path.join(home, 'sim') };
    const service = createPrereqService(() => ({ env, platform: 'linux', arch: 'x64', binDir, downloadsDir: path.join(home, 'downloads'), mirror, driver: 'docker' }));
    for (const tool of ['minikube', 'helm', 'helmfile', 'kubectl'] as const) {
      const status = await service.install(tool);
      // The mirror's kubectl hands over to the machine's real kubectl (the fidelity check), so it reports that version.
      expect(status, tool).toMatchObject({ installed: true, source: 'app', ...(tool === 'kubectl' ? {} : { version: TOOLS[tool].version }) });
      expect(fs.statSync(path.join(binDir, tool)).mode & 0o111, tool).not.toBe(0);
    }
    const out = await runProcess(path.join(binDir, 'helm'), ['version', '--short'], { env });
    expect(out.stdout).toContain(`v${TOOLS.helm.version}`);
  }, 180_000);

  it('refuses a tampered copy of the mirror and installs nothing', async () => {
    const home = tmp();
    const copy = path.join(home, 'mirror');
    fs.cpSync(path.join(repo, 'sim', 'mirror'), copy, { recursive: true });
    const asset = new URL(TOOLS.minikube.release('linux', 'amd64').url);
    fs.appendFileSync(path.join(copy, asset.host, asset.pathname), '\n# tampered\n');
    const binDir = path.join(home, 'bin');
    await expect(installTool(TOOLS.minikube, { platform: 'linux', arch: 'x64', mirror: pathToFileURL(copy).href, binDir, downloadsDir: path.join(home, 'dl') }))
      .rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(fs.existsSync(path.join(binDir, 'minikube'))).toBe(false);
  });
});
