import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { SecureTokenManager } from '@securetoken/core';
import { AppModule } from './app.module';

/**
 * The demo API on NestJS (Express platform), ready to `listen`.
 * @example
 * const app = await createApp(SecureTokenManager.fromEnv());
 * await app.listen(3000, '127.0.0.1');
 */
export async function createApp(manager: SecureTokenManager): Promise<INestApplication> {
  // Only warnings and errors: the route map Nest logs at start-up would bury the banner.
  const app = await NestFactory.create(AppModule.forRoot(manager), { logger: ['error', 'warn'] });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  return app;
}
