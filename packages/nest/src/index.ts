export { SECURE_TOKEN_OPTIONS } from './constants';
export { Auth, Public, RequireAnyPermission, RequirePermissions } from './secure-token.decorators';
export { SecureTokenException } from './secure-token.exception';
export { SecureTokenGuard } from './secure-token.guard';
export { SecureTokenModule } from './secure-token.module';
export type { SecureTokenModuleAsyncOptions, SecureTokenModuleRootOptions } from './secure-token.module';
export type { AuthenticatedRequest, SecureTokenModuleExtras, SecureTokenModuleOptions, SecureTokenRequest } from './types';
