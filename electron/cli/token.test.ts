import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FILE_SECRETS_NAME, FileSecretStore, HF_TOKEN } from '../engine/secrets/secret-store.js';
import { tokenCommand, type TokenInput } from './token.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'hf_cliTOKENabcdefghij0123456789';
const dirs: string[] = [];
const home = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-token-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err, all: () => [...out, ...err].join('\n') };
}

/** stdin as a pipe: the token, then EOF. */
const piped = (text: string): TokenInput => {
  const s = new PassThrough();
  s.end(text);
  return s;
};

describe('cli token (in process)', () => {
  it('set reads the token from stdin; status says one is stored; clear removes it — the token is never printed', async () => {
    const dataDir = home();
    const env = { LLMD_INSTALLER_HOME: dataDir };
    const set = capture();
    expect(await tokenCommand(['set'], { io: set.io, env, input: piped(`${TOKEN}\n`) })).toBe(0);
    expect(await new FileSecretStore(dataDir).get(HF_TOKEN)).toBe(TOKEN);
    expect(fs.statSync(path.join(dataDir, FILE_SECRETS_NAME)).mode & 0o777).toBe(0o600);

    const status = capture();
    expect(await tokenCommand(['status'], { io: status.io, env, input: piped('') })).toBe(0);
    expect(status.out.join('\n')).toMatch(/An HF token is stored/);
    const json = capture();
    expect(await tokenCommand(['status', '--json'], { io: json.io, env, input: piped('') })).toBe(0);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({ stored: true, backend: 'file' });

    const clear = capture();
    expect(await tokenCommand(['clear'], { io: clear.io, env, input: piped('') })).toBe(0);
    expect(await new FileSecretStore(dataDir).get(HF_TOKEN)).toBeUndefined();
    const after = capture();
    expect(await tokenCommand(['status'], { io: after.io, env, input: piped('') })).toBe(1);
    expect(after.out.join('\n')).toMatch(/No HF token is stored/);

    for (const c of [set, status, json, clear, after]) expect(c.all()).not.toContain(TOKEN);
  });

  it('refuses a token on the command line, and takes none from the environment', async () => {
    const dataDir = home();
    const argv = capture();
    expect(await tokenCommand(['set', TOKEN], { io: argv.io, env: { LLMD_INSTALLER_HOME: dataDir }, input: piped('') })).toBe(2);
    expect(argv.err.join('\n')).toMatch(/stdin/);
    expect(argv.all()).not.toContain(TOKEN);
    const fromEnv = capture();
    expect(await tokenCommand(['set'], { io: fromEnv.io, env: { LLMD_INSTALLER_HOME: dataDir, HF_TOKEN: TOKEN, LLMD_HF_TOKEN: TOKEN }, input: piped('') })).toBe(2);
    expect(fromEnv.err.join('\n')).toMatch(/no token on stdin/i);
    expect(await new FileSecretStore(dataDir).get(HF_TOKEN)).toBeUndefined();
  });

  it('refuses a token with spaces inside (two tokens pasted, or a sentence)', async () => {
    const c = capture();
    expect(await tokenCommand(['set'], { io: c.io, env: { LLMD_INSTALLER_HOME: home() }, input: piped(`${TOKEN} ${TOKEN}\n`) })).toBe(2);
    expect(c.all()).not.toContain(TOKEN);
  });

  it('reads from a terminal with the input hidden (raw mode, nothing echoed), and Ctrl-C stores nothing', async () => {
    const dataDir = home();
    const tty = Object.assign(new PassThrough(), { isTTY: true, setRawMode: vi.fn() });
    const c = capture();
    const done = tokenCommand(['set'], { io: c.io, env: { LLMD_INSTALLER_HOME: dataDir }, input: tty });
    await new Promise((r) => setTimeout(r, 20));
    // Typed with a typo corrected by backspace, then Enter.
    tty.write(`${TOKEN}x\u007f\r`);
    expect(await done).toBe(0);
    expect(tty.setRawMode.mock.calls).toEqual([[true], [false]]);
    expect(await new FileSecretStore(dataDir).get(HF_TOKEN)).toBe(TOKEN);
    expect(c.err.join('\n')).toMatch(/input hidden/);
    expect(c.all()).not.toContain(TOKEN);

    const other = home();
    const tty2 = Object.assign(new PassThrough(), { isTTY: true, setRawMode: vi.fn() });
    const cancelled = tokenCommand(['set'], { io: capture().io, env: { LLMD_INSTALLER_HOME: other }, input: tty2 });
    await new Promise((r) => setTimeout(r, 20));
    tty2.write('hf_abc\u0003');
    expect(await cancelled).toBe(130);
    expect(tty2.setRawMode.mock.calls.at(-1)).toEqual([false]);
    expect(await new FileSecretStore(other).get(HF_TOKEN)).toBeUndefined();
  });

  it('says so when the token file is unreadable, without printing what is in it', async () => {
    const dataDir = home();
    fs.writeFileSync(path.join(dataDir, FILE_SECRETS_NAME), `{"secrets":{"hfToken":"${TOKEN}"`);
    const c = capture();
    expect(await tokenCommand(['status'], { io: c.io, env: { LLMD_INSTALLER_HOME: dataDir }, input: piped('') })).toBe(1);
    expect(c.out.join('\n')).toMatch(/could not be read/);
    const set = capture();
    expect(await tokenCommand(['set'], { io: set.io, env: { LLMD_INSTALLER_HOME: dataDir }, input: piped('hf_replacement\n') })).toBe(0);
    expect(set.out.join('\n')).toMatch(/kept as .*secrets\.local\.json\.corrupt-/);
    expect([c.all(), set.all()].join('\n')).not.toContain(TOKEN);
  });
});

// Through `npm run cli` (scripts/cli.mjs): real stdin, real stdout/stderr, and the one-line dispatch in main.ts.
describe('npm run cli -- token', () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv, stdin: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'cli.mjs'), 'token', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });

  it('set from stdin, status, clear', async () => {
    const dataDir = home();
    const env = { LLMD_INSTALLER_HOME: dataDir };
    const set = await cli(['set'], env, `${TOKEN}\n`);
    expect(set.code).toBe(0);
    const status = await cli(['status'], env, '');
    expect(status).toMatchObject({ code: 0, stdout: expect.stringMatching(/An HF token is stored/) });
    const clear = await cli(['clear'], env, '');
    expect(clear.code).toBe(0);
    expect((await cli(['status'], env, '')).stdout).toMatch(/No HF token is stored/);
    for (const r of [set, status, clear]) expect(r.stdout + r.stderr).not.toContain(TOKEN);
  }, 120_000);

  it('is listed in the usage', async () => {
    const usage = await new Promise<string>((resolve) => execFile(process.execPath, [path.join(ROOT, 'scripts', 'cli.mjs'), '--help'], { cwd: ROOT }, (_e, stdout) => resolve(stdout)));
    expect(usage).toMatch(/token\s+set \| clear \| status/);
  }, 120_000);
});
