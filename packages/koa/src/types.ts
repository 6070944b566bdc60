import type { TokenClaims } from '@securetoken/core';

declare module 'koa' {
  interface DefaultState {
    /**
     * The verified identity, set by `authenticate()`. `null` on an excluded path and for an
     * anonymous request when the authenticator is `optional`; check it on those routes.
     */
    auth: TokenClaims;
  }
}

export {};
