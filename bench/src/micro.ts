// In-process micro benchmarks: our core against other token libraries on equivalent claims
// (a user id, two permissions, a unique token id, issue and expiry times, 24 h lifetime).
// Prints one JSON array of results on stdout; run.ts renders the table.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { SecureTokenManager } from '@securetoken/core';
import { createSigner, createVerifier } from 'fast-jwt';
import { EncryptJWT, jwtDecrypt, jwtVerify, SignJWT } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import fernet from 'fernet';
import { runInterleaved, type BenchCase } from './harness.ts';
import { CLAIMS, SALT, SECRET } from './setup.ts';

const quick = process.argv.includes('--quick');
const withPython = !process.argv.includes('--no-python');

const manager = await SecureTokenManager.create({ secretKey: SECRET, salt: SALT });
const cachedManager = await SecureTokenManager.create({ secretKey: SECRET, salt: SALT, cache: { maxEntries: 10_000 } });
const ours = manager.generateToken(CLAIMS);
cachedManager.validateToken(ours);
// Cached lookups get a new string object per call, as each HTTP request brings one: V8 caches a
// string's hash in the string, so reusing one object would flatter any string-keyed cache.
const fresh = (token: string) => {
  const base = ` ${token}`;
  return () => base.slice(1);
};
const freshOurs = fresh(ours);

// JWT libraries get the same claims: subject, permissions, a unique id, iat and exp.
const jwtKey = randomBytes(32);
const jwtClaims = () => ({ sub: CLAIMS.userId, permissions: CLAIMS.permissions, jti: randomUUID() });
const fastSign = createSigner({ key: jwtKey, expiresIn: 86_400_000 });
const fastVerify = createVerifier({ key: jwtKey });
const fastVerifyCached = createVerifier({ key: jwtKey, cache: true });
const fastToken = fastSign(jwtClaims());
fastVerifyCached(fastToken);
const freshFast = fresh(fastToken);
// A KeyObject, not raw bytes: jsonwebtoken otherwise tries createPrivateKey on every call (~300 µs).
const joseKey = createSecretKey(jwtKey);
const jwtToken = jsonwebtoken.sign(jwtClaims(), joseKey, { algorithm: 'HS256', expiresIn: '24h' });
const joseSign = () =>
  new SignJWT(jwtClaims()).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('24h').sign(joseKey);
const joseToken = await joseSign();
const joseEncrypt = () =>
  new EncryptJWT(jwtClaims()).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuedAt().setExpirationTime('24h').encrypt(joseKey);
const joseJwe = await joseEncrypt();

// npm `fernet` (a single Fernet layer, CryptoJS inside) over our exact plaintext.
const plaintext = (() => {
  const now = new Date();
  return JSON.stringify({
    token_id: randomBytes(24).toString('base64url'),
    user_id: CLAIMS.userId,
    permissions: CLAIMS.permissions,
    issued_at: now.toISOString().slice(0, -1),
    expires_at: new Date(now.getTime() + 86_400_000).toISOString().slice(0, -1),
    additional_data: {},
    version: '1.0',
  });
})();
const fernetSecret = new fernet.Secret(randomBytes(32).toString('base64'));
const fernetToken = new fernet.Token({ secret: fernetSecret, ttl: 0 }).encode(plaintext);

// The crypto floor: per token, only the HMAC-SHA256 and AES-128-CBC that Fernet prescribes, with
// node:crypto's usual one-object-per-call API; no encoding, no JSON, no time handling.
const signKey = randomBytes(16);
const encKey = randomBytes(16);
const iv = randomBytes(16);
const floorCipher = createCipheriv('aes-128-cbc', encKey, iv);
const cipherText = Buffer.concat([floorCipher.update(plaintext), floorCipher.final()]);
const body = Buffer.concat([Buffer.alloc(25), cipherText]);
const mac = createHmac('sha256', signKey).update(body).digest();
const floorSeal = () => {
  const cipher = createCipheriv('aes-128-cbc', encKey, iv);
  cipher.update(plaintext);
  cipher.final();
  return createHmac('sha256', signKey).update(body).digest();
};
const floorOpen = () => {
  if (!timingSafeEqual(createHmac('sha256', signKey).update(body).digest(), mac)) throw new Error('mac');
  const decipher = createDecipheriv('aes-128-cbc', encKey, iv);
  decipher.update(cipherText);
  return decipher.final();
};

const cases: BenchCase[] = [
  { library: '@securetoken/core', operation: 'generate', tokenLength: ours.length, run: () => manager.generateToken(CLAIMS) },
  { library: '@securetoken/core', operation: 'validate', tokenLength: ours.length, run: () => manager.validateToken(ours) },
  { library: '@securetoken/core', operation: 'verify (+ memory revocation store)', tokenLength: ours.length, async: true, run: () => manager.verify(ours) },
  { library: '@securetoken/core', operation: 'validate (cache)', tokenLength: ours.length, run: () => cachedManager.validateToken(freshOurs()) },
  { library: 'fast-jwt HS256', operation: 'sign', tokenLength: fastToken.length, run: () => fastSign(jwtClaims()) },
  { library: 'fast-jwt HS256', operation: 'verify', tokenLength: fastToken.length, run: () => fastVerify(fastToken) },
  { library: 'fast-jwt HS256', operation: 'verify (cache)', tokenLength: fastToken.length, run: () => fastVerifyCached(freshFast()) },
  { library: 'jsonwebtoken HS256', operation: 'sign', tokenLength: jwtToken.length, run: () => jsonwebtoken.sign(jwtClaims(), joseKey, { algorithm: 'HS256', expiresIn: '24h' }) },
  { library: 'jsonwebtoken HS256', operation: 'verify', tokenLength: jwtToken.length, run: () => jsonwebtoken.verify(jwtToken, joseKey) },
  { library: 'jose JWS HS256', operation: 'sign', tokenLength: joseToken.length, async: true, run: joseSign },
  { library: 'jose JWS HS256', operation: 'verify', tokenLength: joseToken.length, async: true, run: () => jwtVerify(joseToken, joseKey) },
  { library: 'jose JWE dir+A256GCM', operation: 'encrypt', tokenLength: joseJwe.length, async: true, run: joseEncrypt },
  { library: 'jose JWE dir+A256GCM', operation: 'decrypt', tokenLength: joseJwe.length, async: true, run: () => jwtDecrypt(joseJwe, joseKey) },
  { library: 'fernet (npm)', operation: 'encode', tokenLength: fernetToken.length, run: () => new fernet.Token({ secret: fernetSecret, ttl: 0 }).encode(plaintext) },
  { library: 'fernet (npm)', operation: 'decode', tokenLength: fernetToken.length, run: () => JSON.parse(new fernet.Token({ secret: fernetSecret, token: fernetToken, ttl: 0 }).decode()) },
  { library: 'crypto floor', operation: 'AES-CBC + HMAC', tokenLength: undefined, run: floorSeal },
  { library: 'crypto floor', operation: 'HMAC + AES-CBC', tokenLength: undefined, run: floorOpen },
];

// The Python secure-token path runs in its own process (same core: affinity is inherited) and
// is sampled in turn with the rest, so machine load hits it alike.
async function pythonCases(): Promise<BenchCase[]> {
  if (!withPython || spawnSync('python3', ['-c', 'import cryptography']).status !== 0) {
    process.stderr.write('python3 with `cryptography` not available: skipping the Python path\n');
    return [];
  }
  const script = fileURLToPath(new URL('./python-bench.py', import.meta.url));
  const child = spawn('python3', [script, SECRET, SALT, ours], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.unref();
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value);
  const { tokenLength } = JSON.parse(await next()) as { tokenLength: number };
  const sample = (operation: string) => async (sliceMs: number) => {
    child.stdin.write(`${operation} ${sliceMs / 1000}\n`);
    return Number(await next());
  };
  const library = 'Python secure-token (cryptography)';
  return [
    { library, operation: 'generate', tokenLength, sample: sample('generate') },
    { library, operation: 'validate', tokenLength, sample: sample('validate') },
  ];
}
cases.push(...(await pythonCases()));

const results = await runInterleaved(cases, quick ? { rounds: 3, sliceMs: 60, warmupMs: 100 } : { rounds: 9, sliceMs: 150, warmupMs: 300 });
process.stdout.write(JSON.stringify(results));
process.exit(0);
