import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPythonFixtures, runDemoProcessSuite, sendHttp, startDemoProcess, type DemoProcess } from '@securetoken/testkit';
// The Redis package's own helper: a real redis-server on a free loopback port.
import { startRedis, type RedisServer } from '../../../packages/redis/test/redis-server';

const appDir = fileURLToPath(new URL('..', import.meta.url));
let redis: RedisServer | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.destroy());

runDemoProcessSuite('express-demo', { appDir, redisUrl: () => (redis as RedisServer).url });

describe('express-demo: two instances sharing REDIS_URL', () => {
  const demos: DemoProcess[] = [];
  beforeAll(async () => {
    const { secret_key: secret, salt } = loadPythonFixtures();
    const env = { REDIS_URL: (redis as RedisServer).url, SECURE_TOKEN_SECRET_KEY: secret, SECURE_TOKEN_SALT: salt };
    demos.push(await startDemoProcess({ appDir, env }), await startDemoProcess({ appDir, env }));
  });
  afterAll(() => Promise.all(demos.map((demo) => demo.stop())));

  it('a logout on one instance is seen by the other', async () => {
    const [first, second] = demos as [DemoProcess, DemoProcess];
    const login = await sendHttp(first.url, { method: 'POST', path: '/api/login', body: { username: 'user', password: 'user123' } });
    const { access_token: token } = login.body as { access_token: string };
    const profile = { method: 'GET', path: '/api/profile', headers: { authorization: `Bearer ${token}` } };
    expect((await sendHttp(second.url, profile)).status).toBe(200);

    expect((await sendHttp(first.url, { ...profile, method: 'POST', path: '/api/logout' })).status).toBe(200);
    const refused = await sendHttp(second.url, profile);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'Token has been revoked', code: 'token_revoked' });
  });
});
