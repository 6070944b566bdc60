import { createParamDecorator, SetMetadata, type CustomDecorator, type ExecutionContext } from '@nestjs/common';
import { assertRequiredPermissions, type PermissionMode, type TokenClaims } from '@securetoken/core';
import { ACCESS_METADATA } from './constants';
import type { SecureTokenRequest } from './types';

/** Route access read by the guard; the handler's rule replaces the class's. */
export type AccessRule =
  | { readonly public: true }
  | { readonly public: false; readonly permissions: readonly string[]; readonly mode: PermissionMode };

function requirement(permissions: readonly string[], mode: PermissionMode): CustomDecorator<symbol> {
  // Checked when the controller is declared, so a typo fails at start-up rather than per request.
  assertRequiredPermissions(permissions);
  return SetMetadata(ACCESS_METADATA, { public: false, permissions: Object.freeze([...permissions]), mode });
}

/**
 * Requires every listed permission (a granted `user:*` covers `user:read`). On a class it applies
 * to each handler; a decorator on the handler replaces the class's.
 * @throws TypeError at declaration for an empty list or a non-string entry. At request time the
 *   guard answers `token_missing` (401) without identity and `permission_denied` (403) when lacking.
 * @example
 * @RequirePermissions('admin')
 * @Get('admin/users') listUsers() {}
 */
export function RequirePermissions(...permissions: string[]): CustomDecorator<symbol> {
  return requirement(permissions, 'all');
}

/**
 * Requires at least one of the listed permissions.
 * @throws TypeError at declaration for an empty list; `permission_denied` (403) when none is held.
 * @example
 * @RequireAnyPermission('user:read', 'admin')
 * @Get('users') listUsers() {}
 */
export function RequireAnyPermission(...permissions: string[]): CustomDecorator<symbol> {
  return requirement(permissions, 'any');
}

/**
 * Lets requests through without a token, under a global guard. On a handler it overrides a
 * class-level requirement; a handler requirement overrides a class-level `@Public()`.
 * @example
 * @Public()
 * @Get('health') health() { return { ok: true }; }
 */
export function Public(): CustomDecorator<symbol> {
  return SetMetadata(ACCESS_METADATA, { public: true });
}

/**
 * The verified identity (`TokenClaims`), or one field of it with `@Auth('userId')`. `undefined`
 * on a public route or for an anonymous request under `optional`.
 * @example
 * @Get('profile') profile(@Auth() auth: TokenClaims, @Auth('userId') userId: string) {}
 */
export const Auth = createParamDecorator((field: keyof TokenClaims | undefined, context: ExecutionContext) => {
  const claims = context.switchToHttp().getRequest<SecureTokenRequest>().auth;
  return field === undefined ? claims : claims?.[field];
});
