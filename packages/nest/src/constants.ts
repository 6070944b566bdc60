/** Injection token of the module options (what `forRoot` received or the async factory returned). */
export const SECURE_TOKEN_OPTIONS = Symbol('SecureTokenModuleOptions');

// Symbol keys keep our route metadata apart from any other library's string keys.
export const ACCESS_METADATA = Symbol('securetoken:access');
