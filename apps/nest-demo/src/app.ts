import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { SecureTokenManager } from '@securetoken/core';
import type { DemoLogger } from '@securetoken/demo-shared';
import { AppModule } from './app.module';

/**
 * The demo API on NestJS (Express platform), ready to `listen`. A 500 is told to `logger`.
 * @example
 * const app = await createApp(SecureTokenManager.fromEnv(), { logger: console });
 * await app.listen(3000, '127.0.0.1');
 */
export async function createApp(manager: SecureTokenManager, { logger }: { readonly logger?: DemoLogger } = {}): Promise<INestApplication> {
  // Only warnings and errors: the route map Nest logs at start-up would bury the banner.
  const app = await NestFactory.create(AppModule.forRoot(manager, logger), { logger: ['error', 'warn'] });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  return app;
}
