// Shared by every benchmark: one secret, one salt, one set of claims.
export const SECRET = 'Bench-Secret#2026-abc';
export const SALT = 'bench-salt-0123456789';
export const CLAIMS = { userId: 'user_123', permissions: ['read', 'write'] } as const satisfies {
  userId: string;
  permissions: readonly string[];
};
/** HS256 key for the JWT libraries (32 bytes of text). */
export const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef';

/** The HTTP benchmark's servers: each framework bare, behind our adapter (without and with the validation cache), and behind its JWT plugin. */
export const HTTP_CASES = [
  'fastify',
  'fastify + @securetoken/fastify',
  'fastify + @securetoken/fastify (cache)',
  'fastify + @fastify/jwt',
  'express',
  'express + @securetoken/express',
  'express + @securetoken/express (cache)',
  'express + express-jwt',
] as const;
export type HttpCase = (typeof HTTP_CASES)[number];
