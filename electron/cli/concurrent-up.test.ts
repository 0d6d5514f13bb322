// Two `up` commands typed at the same moment in two terminals, on one machine (issue #14): two real CLI
// processes over one simulated world and one app data dir. Exactly one installs; the other refuses with
// the run-in-progress error naming the process that holds the run, exits non-zero, and leaves no trace in
// the journal.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hostFactsFile, simWorlds } from '../engine/steps/sim-worlds.testkit.js';

const { ROOT, world, cleanup } = simWorlds();
const strangers: ChildProcess[] = [];
afterAll(async () => {
  for (const c of strangers) c.kill('SIGKILL');
  await cleanup();
});

interface Exit { code: number | null; out: string; err: string }

/** `npm run cli -- …` as a separate process (tsx, as the npm script runs it). */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'electron', 'cli', 'main.ts'), ...args],
    { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

describe('two `up` processes at once', () => {
  it('one installs, the other refuses naming the process that holds the run, and the journal holds one run', { timeout: 90_000 }, async () => {
    const { dir, env } = await world([]);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const home = env.LLMD_INSTALLER_HOME!;
    // No monitoring: the run is what is tested, not the stack, and the test stays short. Saved settings rather
    // than flags, so both processes start from the very same command line.
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ driver: 'docker', monitoring: false, mirror: pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href }));

    // Started together: the install takes seconds, far longer than the two start-ups differ by, so the
    // second reaches the run lock while the first holds it, whichever gets there first.
    const [a, b] = await Promise.all([cli(['up', '--yes'], env), cli(['up', '--yes'], env)]);

    const exits = [a, b];
    const winners = exits.filter((e) => e.code === 0);
    const losers = exits.filter((e) => e.code !== 0);
    expect(winners.length, exits.map((e) => `exit ${e.code}\n${e.out}\n${e.err}`).join('\n----\n')).toBe(1);
    expect(losers.length).toBe(1);
    const winner = winners[0]!;
    const loser = losers[0]!;
    expect(loser.code).toBe(1);

    const journal = JSON.parse(fs.readFileSync(path.join(home, 'journal.json'), 'utf8')) as { runId: string; status: string; pid: number };
    expect(journal.status).toBe('succeeded');
    expect(winner.out).toContain(`Install finished (${journal.runId}).`);
    // The refusal names the winner's engine process (the journal's pid: tsx runs the CLI as its child).
    expect(loser.err).toMatch(/A run is already in progress/);
    expect(loser.err).toContain(`pid ${journal.pid}`);
    // The loser ran no step: none of its output is a step line.
    expect(loser.out).not.toMatch(/^\[[a-z-]+\]/m);
    // One run's logs only, and the run lock released by the winner.
    expect(fs.readdirSync(path.join(home, 'logs'))).toEqual([journal.runId]);
    expect(fs.existsSync(path.join(home, 'run', 'run.lock'))).toBe(false);
    // The cluster and the gateway's forwarder are stopped by cleanup (every process of this sim world).
  });

  it('`--take-over`: a lock whose live owner cannot be verified is refused with the hint, then taken with the flag and released', { timeout: 90_000 }, async () => {
    const { dir, env } = await world([]);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const home = env.LLMD_INSTALLER_HOME!;
    fs.mkdirSync(path.join(home, 'run'), { recursive: true });
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ driver: 'docker' }));
    // A live process that wrote no start time (one it could not read): nothing tells it from an installer still running.
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    strangers.push(stranger);
    const lock = path.join(home, 'run', 'run.lock');
    fs.writeFileSync(lock, `${JSON.stringify({ pid: stranger.pid, startTime: null, runId: 'run-elsewhere' })}\n`);

    const refused = await cli(['down', '--yes'], env);
    expect(refused.code, refused.out + refused.err).toBe(1);
    expect(refused.err).toContain(`Process ${stranger.pid} holds the run lock ${lock}`);
    expect(refused.err).toContain('run the same command again with `--take-over`');
    expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toMatchObject({ runId: 'run-elsewhere' });

    const taken = await cli(['down', '--yes', '--take-over'], env);
    expect(taken.code, taken.out + taken.err).toBe(0);
    expect(fs.existsSync(lock)).toBe(false);
    const journal = JSON.parse(fs.readFileSync(path.join(home, 'journal.json'), 'utf8')) as { kind: string; status: string };
    expect(journal).toMatchObject({ kind: 'down', status: 'succeeded' });
    expect(stranger.exitCode).toBeNull(); // taking the lock does not touch the other process
  });
});
