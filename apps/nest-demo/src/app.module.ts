import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { SecureTokenManager } from '@securetoken/core';
import { createDemoApi, type DemoLogger } from '@securetoken/demo-shared';
import { SecureTokenModule } from '@securetoken/nest';
import { DemoExceptionFilter } from './demo-exception.filter';
import { DEMO_API, DemoController } from './demo.controller';

/** The demo: SecureTokenModule with a global guard, the demo routes and the error filter (500s told to `logger`). */
@Module({})
export class AppModule {
  static forRoot(manager: SecureTokenManager, logger?: DemoLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [SecureTokenModule.forRoot({ manager, globalGuard: true })],
      controllers: [DemoController],
      providers: [
        { provide: DEMO_API, useValue: createDemoApi(manager) },
        { provide: APP_FILTER, useValue: new DemoExceptionFilter(logger) },
      ],
    };
  }
}
