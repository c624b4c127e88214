// ESLint 9 (flat config) with typescript-eslint 8: the VS Code extension generator's set-up
// (naming-convention for imports, curly, eqeqeq) on top of typescript-eslint's recommended rules,
// plus no-floating-promises with type information (a promise nobody awaits loses its error).
// `npm run lint`; `npm test` counts it as one check (any finding fails it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/host/**', '.vscode-test/**', '**/*.d.ts', '**/*.d.mts'] },
  {
    files: ['src/**/*.ts', 'media/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/naming-convention': ['error', { selector: 'import', format: ['camelCase', 'PascalCase'] }],
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-throw-literal': 'error',
      // `const { a: _a, ...rest } = x` leaves a out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
      // The modules read on first use (src/core/lazy.ts): esbuild.mjs turns exactly these require()
      // calls into bundles of their own.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^\\./sandbox$', '^\\./core/(access-log|import|woo-routes|explain/probes)$', '^\\./(explain|handler-sandbox|xpath|runner-html|store-dialogs|token-sign-in|access-log-report-panel|sandbox-picks)$'] }],
    },
  },
);
