import { ConfigurableModuleBuilder, Module, type ConfigurableModuleAsyncOptions, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SecureTokenManager } from '@securetoken/core';
import { SECURE_TOKEN_OPTIONS } from './constants';
import { SecureTokenGuard } from './secure-token.guard';
import type { SecureTokenModuleExtras, SecureTokenModuleOptions } from './types';

const MANAGER_PROVIDER: Provider = {
  provide: SecureTokenManager,
  useFactory: ({ manager }: SecureTokenModuleOptions) => {
    // Registering a resolver under the manager's token would hand a function to whoever injects it.
    if (typeof manager === 'function') {
      throw new TypeError('options.manager is a per-request resolver, not a SecureTokenManager: set provideManager: false');
    }
    return manager;
  },
  inject: [SECURE_TOKEN_OPTIONS],
};

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<SecureTokenModuleOptions>({
  optionsInjectionToken: SECURE_TOKEN_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<SecureTokenModuleExtras>({ isGlobal: false, globalGuard: false, provideManager: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [
      ...(definition.providers ?? []),
      ...(extras.provideManager ? [MANAGER_PROVIDER] : []),
      ...(extras.globalGuard ? [{ provide: APP_GUARD, useExisting: SecureTokenGuard }] : []),
    ],
    exports: extras.provideManager ? [SecureTokenManager] : [],
  }))
  .build();

/** Argument of `SecureTokenModule.forRoot`: the options plus `isGlobal` / `globalGuard` / `provideManager`. */
export type SecureTokenModuleRootOptions = SecureTokenModuleOptions & SecureTokenModuleExtras;
/** Argument of `SecureTokenModule.forRootAsync`: `useFactory` + `inject` + `imports` (or `useClass`/`useExisting`). */
export type SecureTokenModuleAsyncOptions = ConfigurableModuleAsyncOptions<SecureTokenModuleOptions> & SecureTokenModuleExtras;

/**
 * Provides `SecureTokenGuard`, and `SecureTokenManager` when `manager` is one (not a per-request
 * resolver); with `globalGuard: true` every route needs a token unless marked `@Public()`.
 * @throws TypeError at start-up for a missing manager, a malformed option, or a `forRootAsync`
 *   factory returning a resolver without `provideManager: false`.
 * @example
 * SecureTokenModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: async (config: ConfigService) => ({
 *     manager: await SecureTokenManager.create({ secretKey: config.getOrThrow('SECURE_TOKEN_SECRET_KEY'), salt: config.getOrThrow('SECURE_TOKEN_SALT') }),
 *   }),
 *   globalGuard: true,
 * })
 * // One manager per tenant, chosen from a header:
 * SecureTokenModule.forRoot({ manager: keyring.resolver((req) => req.headers['x-tenant-id']), globalGuard: true })
 */
@Module({
  providers: [SecureTokenGuard],
  exports: [SecureTokenGuard, SECURE_TOKEN_OPTIONS],
})
export class SecureTokenModule extends ConfigurableModuleClass {
  /**
   * The module for options known at start-up; `provideManager` defaults to whether `manager` is a
   * manager rather than a resolver.
   * @throws TypeError at start-up, as for the class.
   * @example
   * SecureTokenModule.forRoot({ manager, globalGuard: true })
   */
  static override forRoot(options: SecureTokenModuleRootOptions): DynamicModule {
    // Known here, unlike in forRootAsync: only a concrete manager is worth injecting.
    return super.forRoot({ ...options, provideManager: options.provideManager ?? typeof options.manager !== 'function' });
  }
}
