import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'bench/results/**', 'test-artifacts/**', '**/.hearth/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // Plain JavaScript: the bin entry, example services and test fixtures run under Node.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Tool configs must default-export by convention.
    files: ['*.config.{ts,js}', 'renderer/vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'electron', '**/electron/**'], message: 'renderer/ imports only shared/ (and browser libraries).' },
      ] }],
    },
  },
  {
    // The renderer's build script runs in Node (it copies speedscope's static build beside the page).
    files: ['renderer/vite.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'electron', '**/electron/**', '**/renderer/**', 'react*'], message: 'shared/ is plain TypeScript.' },
      ] }],
    },
  },
  {
    files: ['electron/supervisor/**/*.ts', 'electron/cli/**/*.ts', 'electron/web/**/*.ts', 'electron/control/**/*.ts', 'electron/host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The supervisor and its hosts run in plain Node.' }] }],
    },
  },
);
