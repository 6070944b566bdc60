import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import nestConfig from '../nest/vitest.config.ts';

const nestModules = fileURLToPath(new URL('./node_modules/@nestjs/', import.meta.url));

// A bare import resolves from the importing file's folder, so without this alias the adapter's
// source and tests (in packages/nest) would load packages/nest's own Nest 11.
export default mergeConfig(
  nestConfig,
  defineConfig({
    resolve: { alias: [{ find: /^@nestjs\/([^/]+)(.*)$/, replacement: `${nestModules}$1$2` }] },
    test: { include: ['test/**/*.test.ts', '../nest/test/**/*.test.ts'] },
  }),
);
