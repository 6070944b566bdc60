/**
 * Injection token of the module options (what `forRoot` received or the async factory returned),
 * for code that needs the same `manager`, `realm` or `exclude` as the guard.
 * @example
 * constructor(@Inject(SECURE_TOKEN_OPTIONS) options: SecureTokenModuleOptions) {}
 */
export const SECURE_TOKEN_OPTIONS = Symbol('SecureTokenModuleOptions');

// Symbol keys keep our route metadata apart from any other library's string keys.
export const ACCESS_METADATA = Symbol('securetoken:access');
