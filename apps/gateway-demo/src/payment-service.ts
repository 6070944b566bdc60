import { SecureTokenManager } from '@securetoken/core';
import { buildPaymentService } from './payment-service-app';
import { loggerOptions, serve } from './server';
import { revocationStoreFromEnv } from './store';

const env = process.env;
const manager = SecureTokenManager.fromEnv(env, { revocationStore: revocationStoreFromEnv(env) });
const app = await buildPaymentService({ manager, logger: loggerOptions(env) });
await serve(app, 'payment-service', 3002, env);
