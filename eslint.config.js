// Lint: typescript-eslint recommended, sorted imports, TSDoc on every exported function.
import js from '@eslint/js';
import jsdoc from 'eslint-plugin-jsdoc';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {ignores: ['**/*.d.ts', 'dist/', 'node_modules/', '.tools/', 'data/', 'src/generated/', 'coverage/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: {'simple-import-sort': simpleImportSort, jsdoc},
    languageOptions: {
      globals: {process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', globalThis: 'readonly',
        TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly',
        AbortSignal: 'readonly', fetch: 'readonly', structuredClone: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly',
        performance: 'readonly', window: 'readonly', document: 'readonly'}
    },
    rules: {
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_',
        caughtErrors: 'none'}],
      'no-empty': ['error', {allowEmptyCatch: true}],
      'max-len': ['error', {code: 110, ignoreStrings: true, ignoreTemplateLiterals: true,
        ignoreRegExpLiterals: true, ignoreUrls: true, ignoreComments: false}],
      'no-warning-comments': ['error', {terms: ['todo', 'fixme'], location: 'start'}]
    }
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.d.ts'],
    rules: {
      'jsdoc/require-jsdoc': ['error', {publicOnly: true, require: {FunctionDeclaration: true},
        contexts: ['ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > ArrowFunctionExpression']}]
    }
  }
);
