// Argument parsing shared by the simulated tools. The real tools are cobra programs: they accept
// `--flag value` and `--flag=value`, booleans as `--flag` or `--flag=false`, and refuse unknown flags with
// `Error: unknown flag: --x`. node:util parseArgs in strict mode gives the same behaviour.
import { parseArgs } from 'node:util';
import type { Scenario } from '../scenario.js';
import { consumeFault } from '../state.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}
export type Flags = Record<string, FlagSpec>;

export class UsageError extends Error {}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseFlags(args: string[], flags: Flags): Parsed {
  const booleans = new Set(Object.entries(flags).filter(([, f]) => f.type === 'boolean').map(([n]) => n));
  const normalized: string[] = [];
  for (const a of args) {
    const m = /^--([^=]+)=(true|false)$/.exec(a);
    if (m && booleans.has(m[1] ?? '')) normalized.push(m[2] === 'true' ? `--${m[1]}` : `--no-${m[1]}`);
    else normalized.push(a);
  }
  const options: Record<string, FlagSpec> = { ...flags };
  for (const b of booleans) options[`no-${b}`] = { type: 'boolean' };
  try {
    const { values, positionals } = parseArgs({ args: normalized, options, strict: true, allowPositionals: true });
    const out: Parsed['values'] = {};
    for (const [k, v] of Object.entries(values)) {
      if (k.startsWith('no-') && booleans.has(k.slice(3))) out[k.slice(3)] = false;
      else out[k] = v as string | boolean | string[];
    }
    return { values: out, positionals };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) {
      const flag = unknown[1] ?? '';
      throw new UsageError(flag.startsWith('--') ? `unknown flag: ${flag}` : `unknown shorthand flag: '${flag.replace(/^-/, '')}' in ${flag}`);
    }
    const missing = /Option '(?:-\w, )?(--[^ ]+) <value>' argument missing/.exec(msg);
    if (missing) throw new UsageError(`flag needs an argument: ${missing[1]}`);
    throw new UsageError(msg);
  }
}

export const str = (p: Parsed, name: string): string | undefined => {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
};
export const bool = (p: Parsed, name: string): boolean | undefined => {
  const v = p.values[name];
  return typeof v === 'boolean' ? v : undefined;
};
export const list = (p: Parsed, name: string): string[] => {
  const v = p.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
};

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}
// A reader that closes the pipe early (`| head`) must not crash the tool with EPIPE.
process.stdout.on('error', () => undefined);
export const stdio: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * The scenario's `toolFailure` faults: when this tool's arguments contain `match`, print the configured
 * stderr and return the exit code (the tool then does nothing else, like a real tool failing early).
 */
export function injectedFailure(tool: string, args: string[], scenario: Scenario, state: string, io: Io): number | undefined {
  const joined = args.join(' ');
  for (const f of scenario.faults) {
    if (f.kind !== 'toolFailure' || f.tool !== tool || !joined.includes(f.match)) continue;
    if (!consumeFault(state, scenario, f)) continue;
    io.err(f.stderr ?? `Error: simulated failure of "${tool} ${joined}" (scenario fault)`);
    return f.exitCode;
  }
  return undefined;
}

/** The flood's lines: `flood <i>/<n>`, the first with `at=<ms since the epoch>` when it was printed. */
export const floodLine = (i: number, n: number, at?: number): string => `flood ${i}/${n}${at === undefined ? '' : ` at=${at}`} level=debug msg="rendering chart templates" file=templates/deployment.yaml`;

/** The scenario's `toolOutput` for this tool: its lines, printed a thousand at a time. */
export function floodOutput(tool: 'helmfile', args: string[], scenario: Scenario, io: Io): void {
  const joined = args.join(' ');
  for (const o of scenario.toolOutput) {
    if (o.tool !== tool || !joined.includes(o.match)) continue;
    for (let start = 1; start <= o.lines; start += 1000) {
      const part: string[] = [];
      for (let i = start; i < Math.min(start + 1000, o.lines + 1); i++) part.push(floodLine(i, o.lines, i === 1 ? Date.now() : undefined));
      io.out(part.join('\n'));
    }
  }
}
