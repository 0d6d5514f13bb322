// A newcomer's clone has only the project: README.md and docs/*.md must not send them to files outside it
// (issue #15: the README pointed at `../shared/DESIGN.md`, which exists only beside the authors' checkout).
// Every Markdown link must resolve to a file in the project, and no path — linked or in backticks — may
// climb out of the project or name an absolute location.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const PROJECT = path.resolve(import.meta.dirname, '..');

/** What in `markdown` (a file at `file`) points outside the project or at nothing. */
function badReferences(markdown: string, file: string): string[] {
  const bad: string[] = [];
  const dir = path.dirname(file);
  for (const [, target] of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^(https?:|mailto:|#)/.test(target!)) continue;
    const resolved = path.resolve(dir, target!.replace(/#.*$/, ''));
    if (!resolved.startsWith(PROJECT + path.sep)) bad.push(`link ${target} leaves the project`);
    else if (!fs.existsSync(resolved)) bad.push(`link ${target} names no file`);
  }
  for (const [, code] of markdown.matchAll(/`([^`\n]+)`/g)) {
    if (/(^|\s)\.\.\//.test(code!)) bad.push(`\`${code}\` climbs out of the project`);
    else if (/(^|\s)\/(work|home|Users|tmp)\//.test(code!)) bad.push(`\`${code}\` names a place on someone's machine`);
  }
  return bad;
}

const DOCS = ['README.md', ...fs.readdirSync(path.join(PROJECT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];

describe('the README and docs/ refer only to the project', () => {
  it.each(DOCS)('%s', (name) => {
    const file = path.join(PROJECT, name);
    expect(badReferences(fs.readFileSync(file, 'utf8'), file)).toEqual([]);
  });

  it('catches what the README once said, a link out of the project and a link to nothing', () => {
    const readme = path.join(PROJECT, 'README.md');
    expect(badReferences('See `../shared/DESIGN.md` §2.', readme)).toEqual(['`../shared/DESIGN.md` climbs out of the project']);
    expect(badReferences('See [the design](../shared/DESIGN.md).', readme)).toEqual(['link ../shared/DESIGN.md leaves the project']);
    expect(badReferences('See [the map](docs/no-such-map.md).', readme)).toEqual(['link docs/no-such-map.md names no file']);
    expect(badReferences('Facts live in `/work/shared/reference/`.', readme)).toEqual(["`/work/shared/reference/` names a place on someone's machine"]);
    expect(badReferences('See [the map](docs/architecture.md#2-layers) and `shared/release.ts`.', readme)).toEqual([]);
  });
});
