// Lint rules that encode the project's layering (docs/architecture.md §2) and security rules (§5).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import { lintZones } from './scripts/lint-zones-rule.mjs';

/** Test files and their kits may use the simulated world; product code may not. */
const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/*.testkit.ts'];

/** A relative import that reaches a folder named one of `names` (e.g. '../../../main/x.js'), from any depth. */
const RELATIVE_TO = (names) => `^\\.{1,2}/(?:.*/)?(?:${names})(?:/|$)`;

const NO_SIM = {
  regex: RELATIVE_TO('sim'),
  message: 'Product code never imports sim/: the simulated world stands in for the tools in tests and rehearsal only (docs/architecture.md §6).',
};

/** Node's built-in modules by their bare names ('fs', 'path', …); 'node:*' is a pattern of its own. */
const nodeBuiltins = (why) => builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: `${why}: no Node built-ins.` }));

/**
 * A folder's import rule: `patterns` everywhere in it; `product` and "never sim/" outside tests. The test
 * block comes first; the product block (which ignores tests) overrides it for every other file.
 */
function zone(files, { paths, patterns, product = [] }) {
  const rule = (extra) => ({ 'no-restricted-imports': ['error', { paths, patterns: [...patterns, ...extra] }] });
  return [
    { files: [files], rules: rule([]) },
    { files: [files], ignores: TESTS, rules: rule([...product, NO_SIM]) },
  ];
}

/** The engine's layers as project-relative paths: the composition root and the handlers, the services over the context, the bottom. */
const ENGINE_TOP = '^electron/engine/(handlers/|(api|dispatch)\\.ts$)';
const ENGINE_SERVICES = '^electron/engine/(context|services|plan-service|runs|diagnostics|prereq-installs|settings/service)\\.ts$';
const ENGINE_BOTTOM = '^electron/engine/(kube|process)/';

const INNER_ORDER = [
  {
    files: '^electron/engine/', except: ENGINE_TOP,
    forbid: [{ target: ENGINE_TOP, message: 'Only api.ts composes the handlers: services, steps and the modules below them never import a handler, dispatch.ts or api.ts (handlers → services → steps → kube/process, docs/architecture.md §2).' }],
  },
  {
    files: '^electron/engine/', except: `${ENGINE_TOP}|${ENGINE_SERVICES}`,
    forbid: [{ target: ENGINE_SERVICES, message: 'Steps and the modules below the services never import a service or the engine context: services call steps, not the other way round (docs/architecture.md §2).' }],
  },
  {
    // The CLI, the web host and the desktop shell are transports over createEngine (api.ts) and its
    // dispatcher, not composition roots of their own (issue #15: the CLI once built the engine by hand).
    files: '^electron/(main|preload|web|cli)/',
    forbid: [{ target: `^electron/engine/(handlers/|dispatch\\.ts$)|${ENGINE_SERVICES}`, allowTypes: true, message: 'A transport builds the engine with createEngine (electron/engine/api.ts) and calls it through its dispatcher: it never composes handlers, services or an engine context itself (docs/architecture.md §2).' }],
  },
  {
    files: ENGINE_BOTTOM,
    forbid: [{ target: '^electron/engine/(steps|plan)/', message: 'kube/ and process/ are the bottom of the engine: they import no step and nothing of plan/ (docs/architecture.md §2).' }],
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layer zones (docs/architecture.md §2). One no-restricted-imports per file: ESLint replaces a rule's
  // options when a later block sets it again, so each zone lists all of its own restrictions. Patterns
  // are regexes over the import string, so they catch a relative path however deep the importing file is.
  // scripts/lint-zones.test.ts plants a violation for each.
  ...zone('electron/engine/**/*.ts', {
    paths: [{ name: 'electron', message: 'electron/engine must run under plain Node: do not import electron here (docs/architecture.md §2).' }],
    patterns: [
      { regex: '^electron/', message: 'electron/engine must run under plain Node: do not import a part of electron here (docs/architecture.md §2).' },
      { regex: RELATIVE_TO('main|preload|web|renderer'), message: 'The engine may import only shared/ and its own modules (not the Electron shell, the web host or the renderer).' },
    ],
    // Integration tests drive the engine through the CLI; the engine itself never imports it.
    product: [{ regex: RELATIVE_TO('cli'), message: 'The engine may import only shared/ and its own modules: the CLI is a transport over it.' }],
  }),
  ...zone('renderer/**/*.{ts,tsx}', {
    paths: [{ name: 'electron', message: 'The renderer never touches Electron; use the Api client.' }, ...nodeBuiltins('The renderer runs in a browser page')],
    patterns: [{ group: ['**/electron/**', 'node:*'], message: 'The renderer may import only shared/ and its own modules.' }],
  }),
  ...zone('shared/**/*.ts', {
    paths: [{ name: 'electron', message: 'shared/ is the contract: it imports no Electron.' }, ...nodeBuiltins('shared/ runs in the engine and in the browser page')],
    patterns: [
      { group: ['node:*'], message: 'shared/ runs in the engine and in the browser page: no Node built-ins.' },
      { regex: RELATIVE_TO('electron|renderer'), message: 'shared/ is the contract between the engine and the renderer: it imports neither.' },
    ],
  }),
  {
    // The simulated world stands in for minikube, helm, the API server and vLLM (docs/architecture.md §6): it
    // shares the contract's facts (shared/) but never the app's logic, or a bug in a parser the app and the
    // sim both used would be mirrored by the sim instead of caught. Its tests may drive the engine.
    files: ['sim/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: RELATIVE_TO('electron|renderer'), message: 'sim/ never imports the engine, the transports or the renderer: it stands in for the real tools, so it must not share the app\'s logic (docs/architecture.md §6).' }] }],
    },
  },
  // The Electron shell, the web host and the CLI: no restriction of their own besides the simulated world.
  ...zone('electron/{main,preload,web,cli}/**/*.ts', { paths: [], patterns: [] }),
  // The engine's inner order (docs/architecture.md §2): handlers → services → steps → kube/process, and the
  // transports over createEngine only. Judged
  // by the file an import resolves to (scripts/lint-zones-rule.mjs), since the services are engine-root
  // files whose names (runs, context, …) a module in a subfolder may also use for a sibling of its own.
  {
    files: ['electron/**/*.ts'],
    ignores: TESTS,
    plugins: { zones: lintZones },
    rules: { 'zones/import-targets': ['error', INNER_ORDER] },
  },
  {
    // No shell strings anywhere (docs/architecture.md §5): forbid `shell: true` in process options.
    files: ['**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "Property[key.name='shell'][value.value=true]",
        message: 'Never spawn through a shell; pass an argument array (docs/architecture.md §5).',
      }],
    },
  },
  {
    // React's rules of hooks: hooks only at the top level of components and custom hooks, and effects,
    // callbacks and memos list what they read (a stale closure is a bug the journeys rarely catch).
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
