import { SecureTokenManager } from '@securetoken/core';
import { buildGateway } from './gateway-app';
import { loggerOptions, serve, urlFromEnv } from './server';
import { revocationStoreFromEnv } from './store';

const env = process.env;
const app = await buildGateway({
  manager: SecureTokenManager.fromEnv(env, { revocationStore: revocationStoreFromEnv(env) }),
  services: {
    'user-service': urlFromEnv(env, 'USER_SERVICE_URL', 'http://127.0.0.1:3001'),
    'payment-service': urlFromEnv(env, 'PAYMENT_SERVICE_URL', 'http://127.0.0.1:3002'),
  },
  logger: loggerOptions(env),
});
await serve(app, 'gateway', 3000, env);
