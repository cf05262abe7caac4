// Lint: typescript-eslint's recommended rules on the TypeScript sources, and the design's dependency
// rules below. Formatting is Prettier's job: no stylistic rule is on, so the two never disagree.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Extensions of the code ESLint reads; globs below name them so a README under libs/ is not linted. */
const CODE = '{ts,mts,cts,js,mjs,cjs}';

/**
 * The libs that stay plain TypeScript (DESIGN.md §2): no framework, no database, no Redis. The
 * api-client is what consumers outside the service import: nothing of the server may leak into it.
 */
const PLAIN_LIBS = ['api-client', 'random', 'scan-engine', 'sentiment'];

const MESSAGES = {
  alias:
    'Import a lib through its #alias (package.json "imports"), not a relative path into libs/.',
  libsToApps: 'libs never import apps: move what both need into a lib.',
  appToApp: 'api and worker never import each other: move what both need into a lib.',
  plain:
    `libs/{${PLAIN_LIBS.join(',')}} are plain TypeScript: no Nest, TypeORM, Redis, BullMQ or pg, ` +
    'nor a lib that wraps them; the apps pass them what they need.',
  env: 'Only libs/config and src/bootstrap read process.env: take the typed AppConfig from #config.',
};

const up = (count) => `(?:\\.\\./){${count}}`;

/**
 * The relative imports that leave a lib or an app, for a file `depth` folders below its root
 * (depth 0: libs/jobs/queues.ts). `depth + 1` times `../` lands beside it, in another lib or app;
 * `depth + 2` times lands at the repository's root, where libs/ and apps/ are off limits while
 * migrations/ stays reachable (libs/database lists the migrations).
 */
function escapes(kind, depth) {
  const intoApps = kind === 'libs' ? MESSAGES.libsToApps : MESSAGES.appToApp;
  return [
    { regex: `^${up(depth + 1)}(?!\\.\\./)`, message: kind === 'libs' ? MESSAGES.alias : intoApps },
    { regex: `^${up(depth + 2)}libs(?:/|$)`, message: MESSAGES.alias },
    { regex: `^${up(depth + 2)}apps(?:/|$)`, message: intoApps },
  ];
}

const PLAIN_IMPORTS = [
  { regex: '^@nestjs/', message: MESSAGES.plain },
  { regex: '^(?:typeorm|ioredis|bullmq|redis|pg|pg-[a-z-]+)(?:/|$)', message: MESSAGES.plain },
  // Every other lib is assumed to wrap one of those: a new lib is covered without an edit.
  { regex: `^#(?!(?:${PLAIN_LIBS.join('|')})$)`, message: MESSAGES.plain },
];

/** One config object per file set: ESLint keeps only the last matching options of a rule. */
const restrictImports = (files, patterns) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: patterns.map((pattern) => ({ ...pattern, caseSensitive: true })) },
    ],
  },
});

/** Depths 0..3 below a lib's or an app's root; STYLE.md keeps every file within three folders. */
const DEPTHS = [0, 1, 2, 3];
const atDepth = (root, depth) => [`${root}/${'*/'.repeat(depth)}*.${CODE}`];

const boundaries = [
  // Outside libs/ and apps/ (src, test, bench, examples, migrations, deploy): libs through #alias.
  // Tests and benches may reach into apps/, which have no public API to import instead.
  restrictImports(
    [`**/*.${CODE}`],
    [{ regex: '^\\.{1,2}/(?:.*/)?libs/', message: MESSAGES.alias }],
  ),
  ...DEPTHS.flatMap((depth) => [
    restrictImports(atDepth('libs/*', depth), escapes('libs', depth)),
    restrictImports(atDepth(`libs/{${PLAIN_LIBS.join(',')}}`, depth), [
      ...escapes('libs', depth),
      ...PLAIN_IMPORTS,
    ]),
    restrictImports(atDepth('apps/*', depth), escapes('apps', depth)),
  ]),
  // Production code takes its settings from #config. test/, bench/, examples/ and deploy/ are
  // harnesses and clients: they read their own knobs and hand an environment to the processes
  // they start, so they stay outside this rule.
  {
    files: [`{apps,libs,src,migrations}/**/*.${CODE}`],
    ignores: ['libs/config/**', 'src/bootstrap/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: MESSAGES.env },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name='env']",
          message: MESSAGES.env,
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.local/**', 'deploy/aws/cdk.out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        Buffer: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  // Parsed JSON bodies in tests and examples are loosely typed on purpose.
  { files: ['test/**', 'examples/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  ...boundaries,
);
