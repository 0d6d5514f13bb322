// Step "Prepare the podman machine" (docs/architecture.md §4 step 3; macOS with podman, or Linux when chosen): create
// it rootful and sized above minikube (`podman machine init --cpus 10 --memory 28672 --disk-size 120
// --rootful` for the guide's defaults), or repair one that is rootless or too small (stop → set → start),
// start it, and notice a machine stuck in "starting" (a known podman/applehv hang: stop and start once).
import { podmanMachineSize } from '../../../shared/api/settings.js';
import { ApiException } from '../../../shared/result.js';
import type { PlanContext, Step, StepContext } from '../plan/step.js';
import {
  DEFAULT_MACHINE, actionCommands, decideMachineAction, initArgs, mergeMachine, parseMachineInspect, parseMachineList, pickMachine,
  type MachineInfo, type MachineWant,
} from '../podman/machine.js';

/** How long a machine may stay in "starting" before we call it stuck; env override for tests and slow VMs. */
export const startingTimeoutMs = (env: NodeJS.ProcessEnv): number => Number(env.LLMD_PODMAN_STARTING_TIMEOUT_MS) || 180_000;

export const machineWant = (plan: PlanContext): MachineWant => ({ name: DEFAULT_MACHINE, ...podmanMachineSize(plan.settings) });

export async function readMachine(ctx: StepContext, name: string): Promise<MachineInfo | undefined> {
  const list = await ctx.run('podman', ['machine', 'list', '--format', 'json'], { quiet: true });
  const machine = pickMachine(parseMachineList(list.stdout), name);
  if (!machine) return undefined;
  const inspect = await ctx.run('podman', ['machine', 'inspect', machine.name], { quiet: true });
  return mergeMachine(machine, parseMachineInspect(inspect.stdout));
}

async function waitWhileStarting(ctx: StepContext, name: string): Promise<MachineInfo | undefined> {
  const deadline = Date.now() + startingTimeoutMs(ctx.env);
  for (;;) {
    const m = await readMachine(ctx, name);
    if (!m || m.state !== 'starting') return m;
    if (Date.now() > deadline) return m;
    await new Promise((r) => setTimeout(r, 1000));
    if (ctx.signal.aborted) throw new ApiException('CANCELLED', 'Cancelled by the user.');
  }
}

export const podmanMachine: Step = {
  id: 'podman-machine',
  title: 'Prepare the podman machine',
  needs: ['prerequisites', 'image-check'],
  include: (plan) => plan.usesPodmanMachine,
  describe(plan) {
    const want = machineWant(plan);
    return {
      commands: [
        ['podman', 'machine', 'list', '--format', 'json'],
        ['podman', ...initArgs(want)],
        ['podman', 'machine', 'start', want.name],
      ],
      notes: [
        `Creates the machine rootful with ${want.cpus} CPUs, ${want.memoryMiB} MiB, ${want.diskGB} GB when it does not exist.`,
        'An existing machine that is rootless or smaller is repaired: podman machine stop, podman machine set --rootful/--cpus/--memory/--disk-size, podman machine start.',
      ],
    };
  },
  async detect(ctx) {
    const want = machineWant(ctx);
    const action = decideMachineAction(await readMachine(ctx, want.name), want);
    switch (action.kind) {
      case 'ok': return { state: 'done', detail: `${want.name} is running, rootful, large enough` };
      case 'create': return { state: 'todo', reason: `no podman machine ${want.name} yet` };
      case 'start': return { state: 'todo', reason: `${want.name} is stopped` };
      case 'wait-starting': return { state: 'todo', reason: `${want.name} is still starting` };
      case 'repair': return { state: 'todo', reason: `${want.name} must be repaired: ${action.reasons.join('; ')}` };
    }
  },
  async run(ctx) {
    const want = machineWant(ctx);
    let machine = await readMachine(ctx, want.name);
    let action = decideMachineAction(machine, want);
    if (action.kind === 'wait-starting') {
      ctx.progress(0.1, `${want.name} is starting; waiting`);
      machine = await waitWhileStarting(ctx, want.name);
      if (machine?.state === 'starting') {
        ctx.log(`${want.name} has been "starting" for too long; stopping and starting it again.`);
        await ctx.run('podman', ['machine', 'stop', want.name]);
        machine = await readMachine(ctx, want.name);
      }
      action = decideMachineAction(machine, want);
    }
    if (action.kind === 'repair') ctx.log(`Repairing ${want.name}: ${action.reasons.join('; ')}.`);
    const commands = actionCommands(action, want);
    for (const [i, argv] of commands.entries()) {
      ctx.progress(i / (commands.length + 1), argv.slice(1, 3).join(' '));
      await ctx.run(argv[0]!, argv.slice(1));
    }
    const after = await waitWhileStarting(ctx, want.name);
    const check = decideMachineAction(after, want);
    if (check.kind !== 'ok') {
      throw new ApiException('TOOL_FAILED', `The podman machine ${want.name} is not ready after setup (${after?.state ?? 'missing'}).`,
        after?.state === 'starting' ? 'It is stuck in "starting": run `podman machine stop` then `podman machine start`, or restart the computer.' : 'See the step log; `podman machine inspect` shows its state.');
    }
    ctx.progress(1, `${want.name} running`);
  },
  async undo(ctx, opts) {
    if (!opts.stopMachine) return;
    const m = await readMachine(ctx, DEFAULT_MACHINE);
    if (m && m.state !== 'stopped') await ctx.run('podman', ['machine', 'stop', m.name]);
  },
};

export type { MachineInfo };
