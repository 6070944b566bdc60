import { defineConfig } from 'tsup';

// An app, not a library: ESM only, no types; dependencies stay external and load from node_modules.
export default defineConfig({
  entry: ['src/main.ts', 'src/app.ts'],
  format: ['esm'],
  outExtension: () => ({ js: '.mjs' }),
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
