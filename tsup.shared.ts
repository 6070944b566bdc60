import type { Options } from 'tsup';

/** Dual ESM + CJS build with types per condition (.d.mts / .d.cts), shared by every published package. */
export function libraryBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    outExtension: ({ format }) => (format === 'esm' ? { js: '.mjs' } : { js: '.cjs' }),
    ...overrides,
  };
}

/**
 * An app, not a library: ESM only, no types; dependencies stay external and load from
 * node_modules. Where tsconfig.json sets emitDecoratorMetadata (Nest), tsup compiles with SWC,
 * since esbuild cannot emit it.
 */
export function appBuild(entry: string[] = ['src/main.ts', 'src/app.ts']): Options {
  return {
    entry,
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  };
}
