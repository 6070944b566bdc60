import { defineConfig } from 'tsup';

// An app, not a library: ESM only, no types; dependencies stay external. tsup compiles with SWC
// (installed here) because tsconfig.json sets emitDecoratorMetadata, which esbuild cannot emit.
export default defineConfig({
  entry: ['src/main.ts', 'src/app.ts'],
  format: ['esm'],
  outExtension: () => ({ js: '.mjs' }),
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
