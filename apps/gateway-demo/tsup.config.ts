import { defineConfig } from 'tsup';

// One executable per process; @securetoken/* and fastify stay external (workspace packages, built first).
export default defineConfig({
  entry: ['src/gateway.ts', 'src/user-service.ts', 'src/payment-service.ts', 'src/issue-token.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: true,
  outExtension: () => ({ js: '.mjs' }),
});
