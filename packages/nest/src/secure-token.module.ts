import { ConfigurableModuleBuilder, Module, type ConfigurableModuleAsyncOptions } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SecureTokenManager } from '@securetoken/core';
import { SECURE_TOKEN_OPTIONS } from './constants';
import { SecureTokenGuard } from './secure-token.guard';
import type { SecureTokenModuleExtras, SecureTokenModuleOptions } from './types';

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<SecureTokenModuleOptions>({
  optionsInjectionToken: SECURE_TOKEN_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<SecureTokenModuleExtras>({ isGlobal: false, globalGuard: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: extras.globalGuard
      ? [...(definition.providers ?? []), { provide: APP_GUARD, useExisting: SecureTokenGuard }]
      : definition.providers,
  }))
  .build();

/** Argument of `SecureTokenModule.forRoot`: the options plus `isGlobal` / `globalGuard`. */
export type SecureTokenModuleRootOptions = SecureTokenModuleOptions & SecureTokenModuleExtras;
/** Argument of `SecureTokenModule.forRootAsync`: `useFactory` + `inject` + `imports` (or `useClass`/`useExisting`). */
export type SecureTokenModuleAsyncOptions = ConfigurableModuleAsyncOptions<SecureTokenModuleOptions> & SecureTokenModuleExtras;

/**
 * Provides `SecureTokenManager` and `SecureTokenGuard`; with `globalGuard: true` every route
 * needs a token unless marked `@Public()`.
 * @throws TypeError at start-up for a missing manager or a malformed option.
 * @example
 * SecureTokenModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: async (config: ConfigService) => ({
 *     manager: await SecureTokenManager.create({ secretKey: config.getOrThrow('SECURE_TOKEN_SECRET_KEY'), salt: config.getOrThrow('SECURE_TOKEN_SALT') }),
 *   }),
 *   globalGuard: true,
 * })
 */
@Module({
  providers: [
    { provide: SecureTokenManager, useFactory: (options: SecureTokenModuleOptions) => options.manager, inject: [SECURE_TOKEN_OPTIONS] },
    SecureTokenGuard,
  ],
  exports: [SecureTokenManager, SecureTokenGuard, SECURE_TOKEN_OPTIONS],
})
export class SecureTokenModule extends ConfigurableModuleClass {}
