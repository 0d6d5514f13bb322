// The podman machine for the doctor (guide "Using Podman" → "Troubleshooting Podman": `podman machine list`,
// `podman machine inspect | grep -i rootful`): the same two commands the podman-machine step reads, through
// the real tool on the tool PATH, parsed by the step's own parsers (podman/machine.ts) so the doctor and the
// step cannot disagree on what a machine is. The output lines the rules quote are kept beside the parse.
import { podmanMachineSize } from '../../../shared/api/settings.js';
import type { PlanContext } from '../plan/step.js';
import { DEFAULT_MACHINE, mergeMachine, parseMachineInspect, parseMachineList, pickMachine } from '../podman/machine.js';
import { runProcess } from '../process/runner.js';
import type { PodmanMachineSnapshot } from './snapshot.js';

const ANY_EXIT = Array.from({ length: 256 }, (_, i) => i);

/** The lines of `podman machine inspect` a person would grep for (the guide's `grep -i rootful`, the state, the size). */
const QUOTED = /"(Name|State|Rootful|CPUs|Memory|DiskSize|Starting|Running)"\s*:/;

export async function collectPodman(plan: PlanContext, env: NodeJS.ProcessEnv, now: Date): Promise<PodmanMachineSnapshot> {
  const name = DEFAULT_MACHINE;
  const want = podmanMachineSize(plan.settings);
  const base = { name, at: now.toISOString(), want };
  const list = ['podman', 'machine', 'list', '--format', 'json'];
  const commands = [list];
  const run = async (argv: string[]) => {
    const r = await runProcess(argv[0]!, argv.slice(1), { env, timeoutMs: 20_000, okExitCodes: ANY_EXIT });
    if (r.exitCode !== 0) throw new Error(`\`${argv.join(' ')}\` exited with code ${r.exitCode}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
    return r.stdout;
  };
  try {
    const listed = pickMachine(parseMachineList(await run(list)), name);
    if (!listed) return { ...base, commands, output: [`podman machine list: no machine ${name}`] };
    const inspect = ['podman', 'machine', 'inspect', listed.name];
    commands.push(inspect);
    const text = await run(inspect);
    const output = text.split('\n').filter((l) => QUOTED.test(l)).map((l) => l.trim().replace(/,$/, ''));
    return { ...base, machine: mergeMachine(listed, parseMachineInspect(text)), commands, output };
  } catch (e) {
    return { ...base, commands, output: [], error: e instanceof Error ? e.message.split('\n')[0]! : String(e) };
  }
}
