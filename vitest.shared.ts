import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string, folder = 'packages') => fileURLToPath(new URL(`./${folder}/${name}/src/index.ts`, import.meta.url));

/** Tests resolve sibling packages to their source, so a change in core (or demo-shared) is seen without a rebuild. */
export const sharedConfig = defineConfig({
  resolve: {
    alias: {
      '@securetoken/core': pkg('core'),
      '@securetoken/express': pkg('express'),
      '@securetoken/fastify': pkg('fastify'),
      '@securetoken/koa': pkg('koa'),
      '@securetoken/nest': pkg('nest'),
      '@securetoken/redis': pkg('redis'),
      '@securetoken/testkit': pkg('testkit'),
      '@securetoken/demo-shared': pkg('demo-shared', 'apps'),
    },
  },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
