import { describe, expect, it } from 'vitest';
import { clock, manager, T0 } from '../test/managers';
import { ConfigurationError, InvalidTokenError, TokenExpiredError, type GenerateTokenInput } from './index';

const HOUR = 3_600_000;

describe('batch operations', () => {
  it('generateTokens issues per input and reports each refusal in place', () => {
    const m = manager();
    const inputs: GenerateTokenInput[] = [
      { userId: 'alice', permissions: ['read'] },
      { userId: '' },
      { userId: 'bob', permissions: ['x'] },
      { userId: 'carol', expiresInHours: 0 },
      { userId: 'dave', additionalData: { n: 1n } as never },
      { userId: 'erin', expiresInHours: 2 },
    ];
    const results = m.generateTokens(inputs);
    expect(results.map((result) => result.ok)).toEqual([true, false, false, false, false, true]);
    for (const result of results) {
      if (result.ok) continue;
      expect(result.error).toBeInstanceOf(ConfigurationError);
      expect(result.error).toMatchObject({ code: 'configuration_error', status: 500 });
    }
    const [alice, , , , , erin] = results;
    expect(alice?.ok && m.validateToken(alice.token)).toMatchObject({ userId: 'alice', permissions: ['read'] });
    expect(erin?.ok && m.validateToken(erin.token).expiresAt).toEqual(new Date(T0 + 2 * HOUR));
  });

  it('validateTokens checks per token, in order, never throwing for one bad item', () => {
    const time = clock();
    const m = manager({ now: time.now });
    const good = m.generateToken({ userId: 'alice', expiresInHours: 2 });
    const short = m.generateToken({ userId: 'bob', expiresInHours: 1 });
    const tampered = `${good.slice(0, 20)}${good[20] === 'A' ? 'B' : 'A'}${good.slice(21)}`;
    const foreign = manager({ secretKey: 'Other-Secret#2026-abc' }).generateToken({ userId: 'eve' });
    time.advance(HOUR + 1);
    const results = m.validateTokens([good, short, tampered, foreign, '', 'not a token', 42 as unknown as string]);
    expect(results.map((result) => (result.ok ? result.claims.userId : result.error.code))).toEqual([
      'alice',
      'token_expired',
      'invalid_token',
      'invalid_token',
      'invalid_token',
      'invalid_token',
      'invalid_token',
    ]);
    const [, expired, invalid] = results;
    expect(expired?.ok === false && expired.error).toBeInstanceOf(TokenExpiredError);
    expect(invalid?.ok === false && invalid.error).toBeInstanceOf(InvalidTokenError);
    expect(m.validateTokens([])).toEqual([]);
  });

  it('uses the validation cache when it is on', () => {
    const m = manager({ cache: true });
    const token = m.generateToken({ userId: 'alice' });
    const [first, second] = m.validateTokens([token, token]);
    expect(first).toEqual(second);
    expect(first?.ok && first.claims.userId).toBe('alice');
  });
});
