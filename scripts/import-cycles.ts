// "No import cycles" across the whole project (issue #15, docs/architecture.md §2): the import graph of every
// source under the given folders — tests and kits included, `import type` and dynamic `import()` included (a
// type-only cycle is how api.ts ↔ *-handlers.ts began; a lazy page importing the page table is a cycle too)
// — and the cycles in it. ts.preProcessFile lists imports without type-checking, so this is quick.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SOURCE = /\.(ts|tsx|mts|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', 'test-results', 'playwright-report']);

/** The file a relative import names: './x.js' is x.ts or x.tsx beside the importer (ESM names the output). */
function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  const candidates = /\.js$/.test(base) ? [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base]
    : /\.mjs$/.test(base) ? [base.replace(/\.mjs$/, '.mts'), base]
      : [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

/** Every source file under `roots` (absolute folders) with the project files it imports. */
export function importGraph(roots: readonly string[]): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(path.join(dir, e.name));
      } else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts') && !e.name.endsWith('.d.mts')) files.push(path.join(dir, e.name));
    }
  };
  for (const root of roots) walk(root);
  files.sort(); // a cycle is reported from the same file on every machine
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const deps = importedFiles.map((i) => i.fileName).filter((n) => n.startsWith('./') || n.startsWith('../'))
      .map((n) => resolveImport(file, n)).filter((n): n is string => n !== undefined);
    graph.set(file, [...new Set(deps)]);
  }
  return graph;
}

/** Each cycle as the chain of files that closes it ('a.ts → b.ts → a.ts'), relative to `base`. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>, base: string): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => path.relative(base, f)).join(' → '));
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}
