// An ESLint rule for layers whose names are not unique folder names: the engine's inner order
// (docs/architecture.md §2). no-restricted-imports only sees the import string, so '../runs.js' from
// steps/ (the runs service) and from doctor/rules/ (a sibling module) look alike; this rule resolves each
// relative import against the importing file and judges the file it names, at any depth.
//
// Options: one list of layers, each { files, except?, forbid: [{ target, message, allowTypes? }] } — regexes
// over project-relative paths with '/' separators ('.js' in an import names the '.ts' beside it);
// `allowTypes` lets an `import type` through (a transport may name the engine's types). A file is
// checked against every layer whose `files` matches it and whose `except` does not, so a file can belong
// to several layers (a kube/ module is both "below the services" and "the bottom").
import path from 'node:path';

/** The project-relative path (with '/') of the source a relative import names; undefined for a package. */
function importedFile(cwd, filename, source) {
  if (!source.startsWith('./') && !source.startsWith('../')) return undefined;
  const abs = path.resolve(path.dirname(filename), source.replace(/\.js$/, '.ts').replace(/\.jsx$/, '.tsx'));
  return path.relative(cwd, abs).split(path.sep).join('/');
}

/** @type {import('eslint').Rule.RuleModule} */
const importTargets = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid imports of the files of a higher layer, judged by the resolved path of each relative import.' },
    schema: [{
      type: 'array',
      items: {
        type: 'object',
        properties: {
          files: { type: 'string' },
          except: { type: 'string' },
          forbid: {
            type: 'array',
            items: { type: 'object', properties: { target: { type: 'string' }, message: { type: 'string' }, allowTypes: { type: 'boolean' } }, required: ['target', 'message'], additionalProperties: false },
          },
        },
        required: ['files', 'forbid'],
        additionalProperties: false,
      },
    }],
  },
  create(context) {
    const cwd = context.cwd;
    const self = path.relative(cwd, context.filename).split(path.sep).join('/');
    const forbid = (context.options[0] ?? [])
      .filter((layer) => new RegExp(layer.files).test(self) && !(layer.except && new RegExp(layer.except).test(self)))
      .flatMap((layer) => layer.forbid.map((f) => ({ target: new RegExp(f.target), message: f.message, allowTypes: f.allowTypes === true })));
    if (forbid.length === 0) return {};
    /** `import type { A }`, `import { type A, type B }`, `export type { A } from`: erased at build time. */
    const typesOnly = (node) => node.importKind === 'type' || node.exportKind === 'type' ||
      (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
    const check = (node, sourceNode) => {
      if (!sourceNode || sourceNode.type !== 'Literal' || typeof sourceNode.value !== 'string') return;
      const target = importedFile(cwd, context.filename, sourceNode.value);
      if (target === undefined) return;
      for (const f of forbid) {
        if (f.target.test(target) && !(f.allowTypes && typesOnly(node))) context.report({ node, message: `${f.message} (${self} imports ${target})` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export const lintZones = { rules: { 'import-targets': importTargets } };
