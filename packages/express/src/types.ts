import type { TokenClaims } from '@securetoken/core';

declare global {
  // Express exposes its request type for augmentation only through this global namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * The verified identity, set by `authenticate()`. `null` on an excluded path and for an
       * anonymous request when the authenticator is `optional`; check it on those routes.
       */
      auth: TokenClaims;
    }
  }
}

export {};
