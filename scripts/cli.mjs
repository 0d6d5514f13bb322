// `npm run cli -- …`: runs the CLI as plain bundled JS — several times faster to start than tsx compiling
// the sources, which matters for a re-run of `up` that should be a quick check. The bundle (and the
// port-forward helper the CLI starts) is rebuilt with esbuild only when a source is newer than it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'out', 'cli', 'cli.js');
const helper = path.join(root, 'out', 'forwarder', 'forwarder.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}
const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);
const sources = Math.max(newestSource(path.join(root, 'electron')), newestSource(path.join(root, 'shared')), mtime(path.join(root, 'package.json')));
if (Math.min(mtime(bundle), mtime(helper)) < sources) {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'cli', 'forwarder'], { stdio: 'inherit', env: { ...process.env, LLMD_BUILD_QUIET: '1' } });
}
const { runCli } = await import(pathToFileURL(bundle).href);
try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`Unexpected error: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
}
