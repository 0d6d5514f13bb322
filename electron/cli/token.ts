// `npm run cli -- token set | clear | status`: the HF token for a headless machine (issue #14: without it a
// CLI or web-host user could not deploy a gated model). The token is read from stdin only — never from
// argv (visible in `ps` and shell history) or the environment (inherited by every child process) — with
// the input hidden when stdin is a terminal. Nothing here ever prints it: status says whether one is
// stored, and where.
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../engine/paths.js';
import { FileSecretStore, HF_TOKEN } from '../engine/secrets/secret-store.js';

export const TOKEN_USAGE = `Usage: npm run cli -- token set | clear | status [--json]
  set       read the Hugging Face token from stdin (hidden when typed; or piped: \`pass hf | npm run cli -- token set\`)
  clear     remove the stored token
  status    say whether a token is stored (never prints it); exit 1 when none is`;

/** stdin, or a stand-in: a terminal has isTTY and setRawMode. */
export type TokenInput = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export interface TokenCommandOptions {
  io: { out(text: string): void; err(text: string): void };
  env: NodeJS.ProcessEnv;
  input?: TokenInput;
}

// The same bound settings.save puts on hfToken; real tokens are ~40 characters.
const MAX_TOKEN = 500;
/** More than any token: a pipe that keeps going is not a token. */
const MAX_PIPED = 64 * 1024;

class TokenUsage extends Error {}
class TokenCancelled extends Error {}

/** Everything piped in, up to EOF (bounded). */
async function readPiped(input: TokenInput): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.length > MAX_PIPED) throw new TokenUsage('stdin holds far more than a token.');
  }
  return text;
}

/** One line typed at a terminal in raw mode, so the terminal echoes nothing; Ctrl-C cancels. */
function readHidden(input: TokenInput & { setRawMode: (raw: boolean) => unknown }): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    input.setRawMode(true);
    input.setEncoding('utf8');
    const finish = (outcome: () => void): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      outcome();
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(() => resolve(value));
        if (ch === '\u0003') return finish(() => reject(new TokenCancelled()));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

function checkToken(raw: string): string {
  const token = raw.trim();
  if (!token) throw new TokenUsage('No token on stdin. Type it when asked, or pipe it in: `… | npm run cli -- token set`.');
  if (/\s/.test(token)) throw new TokenUsage('That is not one token: it has spaces or line breaks inside.');
  if (token.length > MAX_TOKEN) throw new TokenUsage(`A token is at most ${MAX_TOKEN} characters.`);
  return token;
}

export async function tokenCommand(args: string[], opts: TokenCommandOptions): Promise<number> {
  const { io } = opts;
  let sub: string | undefined;
  let json: boolean;
  try {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
    json = values.json === true;
    sub = positionals[0];
    if (sub !== 'set' && sub !== 'clear' && sub !== 'status') throw new TokenUsage(sub ? `Unknown token command "${sub}".` : 'Say what to do with the token.');
    // Never echo an extra argument back: it may well be the token itself.
    if (positionals.length > 1) throw new TokenUsage('The token is read from stdin, never from the command line (it would show in `ps` and your shell history).');
  } catch (e) {
    const message = e instanceof TokenUsage ? e.message : 'Unknown flag (only --json is accepted).';
    io.err(`${message}\n\n${TOKEN_USAGE}`);
    return 2;
  }

  const store = new FileSecretStore(defaultDataDir(opts.env));
  const input = opts.input ?? (process.stdin as TokenInput);
  try {
    switch (sub) {
      case 'set': {
        const raw = input.isTTY && input.setRawMode
          ? (io.err('Paste your Hugging Face token and press Enter (input hidden):'), await readHidden(input as TokenInput & { setRawMode: (raw: boolean) => unknown }))
          : await readPiped(input);
        await store.set(HF_TOKEN, checkToken(raw));
        const after = store.status();
        const moved = after.state === 'unreadable' ? undefined : after.movedAside;
        if (json) io.out(JSON.stringify({ ok: true, stored: true, file: store.file, ...(moved ? { movedAside: moved } : {}) }, null, 2));
        else {
          io.out(`HF token stored in ${store.file} (readable only by your user). The CLI and the web host use it; the desktop app keeps its own in the system keychain.`);
          if (moved) io.out(`The old file could not be read; it was kept as ${moved}.`);
        }
        return 0;
      }
      case 'clear': {
        await store.delete(HF_TOKEN);
        if (json) io.out(JSON.stringify({ ok: true, stored: false }, null, 2));
        else io.out('HF token removed.');
        return 0;
      }
      case 'status': {
        const status = store.status();
        const stored = status.state === 'ok' && (await store.get(HF_TOKEN)) !== undefined;
        if (json) {
          io.out(JSON.stringify({ stored, backend: 'file', file: store.file, ...(status.state === 'unreadable' ? { unreadable: status.reason } : {}) }, null, 2));
        } else if (status.state === 'unreadable') {
          io.out(`${store.file} could not be read (${status.reason}), so no HF token is in use. \`token set\` stores a new one and keeps the damaged file beside it.`);
        } else {
          io.out(stored ? `An HF token is stored (${store.file}).` : 'No HF token is stored. Set one with `npm run cli -- token set`.');
        }
        return stored ? 0 : 1;
      }
    }
  } catch (e) {
    if (e instanceof TokenCancelled) {
      io.err('Cancelled; nothing was stored.');
      return 130;
    }
    if (e instanceof TokenUsage) {
      io.err(e.message);
      return 2;
    }
    // A file-system error names the file and the errno, never the token (it is only ever in `raw`).
    io.err(`Error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  return 2;
}
