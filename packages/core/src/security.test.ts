import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { manager, T0 } from '../test/managers';
import { InvalidTokenError, type JsonValue } from './index';

const m = manager();
const token = m.generateToken({ userId: 'alice', permissions: ['read'], additionalData: { role: 'user' } });
const inner = Buffer.from(token, 'base64url').toString('latin1');
const bytes = Buffer.from(inner, 'base64url');

const expectInvalid = (candidate: string) => {
  try {
    m.validateToken(candidate);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({ code: 'invalid_token', status: 401, message: 'Invalid token' });
    return;
  }
  expect.unreachable(`accepted a tampered token`);
};
const outer = (innerBytes: Buffer) => {
  const text = innerBytes.toString('base64url');
  const padded = text + '='.repeat((4 - (text.length % 4)) % 4);
  const wrapped = Buffer.from(padded, 'latin1').toString('base64url');
  return wrapped + '='.repeat((4 - (wrapped.length % 4)) % 4);
};

describe('tampering', () => {
  it('sanity: the untouched token and its re-encoding validate', () => {
    expect(outer(bytes)).toBe(token);
    expect(m.validateToken(token).userId).toBe('alice');
  });

  it('refuses a bit flipped in every byte of the Fernet token', () => {
    for (let i = 0; i < bytes.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const copy = Buffer.from(bytes);
        copy[i] = (copy[i] as number) ^ bit;
        expectInvalid(outer(copy));
      }
    }
  });

  it('refuses every character of the outer token changed', () => {
    for (let i = 0; i < token.length; i++) {
      const replacement = token[i] === 'A' ? 'B' : 'A';
      expectInvalid(token.slice(0, i) + replacement + token.slice(i + 1));
    }
  });

  it.each([
    ['appended junk', token + 'AAAA'],
    ['appended padding', token + '='],
    ['missing padding', token.replace(/=+$/, '')],
    ['truncated by one block', token.slice(0, -4)],
    ['truncated to half', token.slice(0, Math.floor(token.length / 2))],
    ['standard alphabet', token.replace(/-/g, '+').replace(/_/g, '/').replace(/^(.)/, '+')],
    ['leading whitespace', ` ${token}`],
    ['trailing newline', `${token}\n`],
    ['non-ASCII', `${token.slice(0, 10)}é${token.slice(11)}`],
    ['emoji', `😀${token.slice(2)}`],
    ['empty', ''],
    ['oversized', 'A'.repeat(5000)],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'],
    ['inner token unwrapped', inner],
    ['Fernet bytes with inner junk', outer(Buffer.concat([bytes, Buffer.from('junk')]))],
  ])('refuses %s', (_, candidate) => expectInvalid(candidate));

  it('refuses non-string input', () => {
    for (const value of [undefined, null, 42, {}, Buffer.from(token)]) expectInvalid(value as never);
  });

  it('refuses a token made with another key or salt', () => {
    expectInvalid(manager({ secretKey: 'Other-Secret#2026-xyz' }).generateToken({ userId: 'alice' }));
    expectInvalid(manager({ salt: 'other-salt-0123456789' }).generateToken({ userId: 'alice' }));
  });

  it('never echoes the token in an error', () => {
    try {
      m.validateToken(token.slice(0, -8));
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(token.slice(0, 20));
      expect(JSON.stringify(error)).not.toContain(token.slice(0, 20));
    }
  });
});

const jsonValue: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme' }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'grapheme' }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('round trips', () => {
  it('random users, permissions and nested unicode data come back unchanged', () => {
    const roundTrip = manager({ maxTokenLength: 64 * 1024 });
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.array(fc.string({ minLength: 2, maxLength: 30 }), { maxLength: 6 }),
        fc.double({ min: 0.001, max: 8760, noNaN: true }),
        fc.dictionary(fc.string({ unit: 'grapheme' }), jsonValue, { maxKeys: 5 }),
        (userId, permissions, hours, additionalData) => {
          const claims = roundTrip.validateToken(roundTrip.generateToken({ userId, permissions, expiresInHours: hours, additionalData }));
          expect(claims.userId).toBe(userId);
          expect(claims.permissions).toEqual(permissions);
          expect(claims.additionalData).toEqual(JSON.parse(JSON.stringify(additionalData)));
          expect(claims.expiresAt.getTime()).toBe(T0 + Math.round(hours * 3_600_000));
        },
      ),
      { numRuns: 200 },
    );
  });
});
