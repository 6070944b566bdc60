import { defineConfig } from 'tsup';
import { appBuild } from '../../tsup.shared';

// One executable per process.
export default defineConfig(appBuild(['src/gateway.ts', 'src/user-service.ts', 'src/payment-service.ts', 'src/issue-token.ts']));
