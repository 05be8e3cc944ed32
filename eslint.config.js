// Lint rules: correctness first; formatting is left to the authors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.tools/**', 'bench/results/**', 'api/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Enums are not erasable syntax; use a union of string literals.' }],
    },
  },
  {
    // The domain is pure: no clock, no randomness, no imports from outer layers.
    files: ['domain/**/*.ts'],
    ignores: ['domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../../*', '**/adapters/**', '**/api/**', '**/projections/**', '**/infra/**', '**/bench/**', 'node:*', 'pg', 'kysely', 'fastify', 'modesl'] }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Time arrives in commands.' },
        { object: 'Math', property: 'random', message: 'Randomness arrives in commands (seeded).' },
        { object: 'crypto', property: 'randomUUID', message: 'Ids arrive in commands.' }],
      'no-restricted-syntax': ['error',
        { selector: 'TSEnumDeclaration', message: 'Enums are not erasable syntax.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time arrives in commands.' }],
    },
  },
);
