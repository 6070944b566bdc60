import type * as NodeCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { fernetVectors } from '../test/fernet-vectors';

// Node < 20.12 has no crypto.hash: the HMAC falls back to createHmac, and must agree byte for byte.
const createHmac = vi.hoisted(() => ({ calls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof NodeCrypto>();
  return {
    ...original,
    hash: undefined,
    createHmac: (...args: Parameters<typeof original.createHmac>) => {
      createHmac.calls++;
      return original.createHmac(...args);
    },
  };
});

const fernet = await import('./fernet');

describe('Fernet without crypto.hash', () => {
  fernetVectors(fernet);

  it('went through createHmac', () => {
    expect(createHmac.calls).toBeGreaterThan(0);
  });
});
