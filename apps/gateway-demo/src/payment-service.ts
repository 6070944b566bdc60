import { SecureTokenManager } from '@securetoken/core';
import { buildPaymentService } from './payment-service-app';
import { loggerOptions, serve } from './server';

const env = process.env;
const app = await buildPaymentService({ manager: SecureTokenManager.fromEnv(env), logger: loggerOptions(env) });
await serve(app, 'payment-service', 3002, env);
