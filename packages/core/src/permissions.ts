import { PermissionDeniedError, type PermissionMode } from './errors';

/**
 * Whether `granted` satisfies one required permission. Comparison is exact and case-sensitive;
 * the only wildcard is a granted permission ending in `:*`, which grants everything under that
 * prefix (`user:*` grants `user:read` and `user:admin:write`, not `user` itself).
 */
export function grants(granted: readonly string[], required: string): boolean {
  for (const permission of granted) {
    if (permission === required) return true;
    if (
      permission.endsWith(':*') &&
      required.length > permission.length - 1 &&
      required.startsWith(permission.slice(0, -1))
    ) {
      return true;
    }
  }
  return false;
}

/** Whether `granted` satisfies `required`, all of them (`'all'`, the default) or any one (`'any'`). */
export function hasPermissions(
  granted: readonly string[],
  required: readonly string[],
  mode: PermissionMode = 'all',
): boolean {
  if (required.length === 0) return true;
  return mode === 'all'
    ? required.every((permission) => grants(granted, permission))
    : required.some((permission) => grants(granted, permission));
}

/**
 * Throws unless `granted` satisfies `required`.
 * @throws PermissionDeniedError (`permission_denied`, 403) carrying `required` and `mode`.
 */
export function assertPermissions(
  granted: readonly string[],
  required: readonly string[],
  mode: PermissionMode = 'all',
): void {
  if (!hasPermissions(granted, required, mode)) throw new PermissionDeniedError(required, mode);
}
