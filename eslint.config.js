// ESLint: typescript-eslint's recommended type-checked rules on every TypeScript file (server,
// migrations, tests, scripts and the admin panel, each with its own tsconfig); formatting is
// Prettier's alone (eslint-config-prettier turns off the rules it owns), except the line limit (max-len, below).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'admin/dist/**', 'node_modules/**', 'uploads/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // `const { secret: _secret, ...rest } = row` is how the code drops a key from a copy, and an interface
    // method's implementation may ignore a parameter (`_mime`): a leading underscore or a rest sibling
    // says "unused on purpose".
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Tests read HTTP answers as supertest's `any` bodies and assert on them: that is their point, so
    // the rules against using `any` values are off there (the server and the admin keep them).
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  prettier,
  {
    // The team's line limit. Prettier wraps code at the same width but never breaks a string, a template literal
    // or a comment, so this catches those; it comes after `prettier`, which would turn max-len off again. A URL
    // is exempt: split in two it can no longer be copied or followed.
    rules: { 'max-len': ['error', { code: 120, ignoreUrls: true }] },
  },
);
