// Lint rules that encode the project's layering (DESIGN.md §2) and security rules (§5).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
  {
    // The engine is pure Node: everything the product does must run under plain Node in tests.
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'electron/engine must run under plain Node: do not import electron here (DESIGN.md §2).' }],
        patterns: [{ group: ['electron/*', '../main/*', '../preload/*', '../../renderer/*'], message: 'The engine may import only shared/ and its own modules.' }],
      }],
    },
  },
  {
    // The renderer talks to the engine only through the shared contract.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer never touches Electron; use the Api client.' }],
        patterns: [{ group: ['**/electron/**', 'node:*'], message: 'The renderer may import only shared/ and its own modules.' }],
      }],
    },
  },
  {
    // No shell strings anywhere (DESIGN.md §5): forbid `shell: true` in process options.
    files: ['**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "Property[key.name='shell'][value.value=true]",
        message: 'Never spawn through a shell; pass an argument array (DESIGN.md §5).',
      }],
    },
  },
);
