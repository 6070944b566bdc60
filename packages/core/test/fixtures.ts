import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const read = <T>(path: string): T => JSON.parse(readFileSync(root + path, 'utf8')) as T;

export interface PythonToken {
  token: string;
  desc?: string;
  payload?: Record<string, unknown>;
}

export interface PythonFixtures {
  secret_key: string;
  salt: string;
  valid_at: string;
  expired_at: string;
  valid: PythonToken[];
  expired: PythonToken[];
  invalid: PythonToken[];
}

export interface FernetVector {
  desc?: string;
  token: string;
  now: string;
  secret: string;
  src?: string;
  iv?: number[];
  ttl_sec?: number;
}

export const python = read<PythonFixtures>('python-secure-token/tokens.json');
export const fernetSpec = {
  generate: read<FernetVector[]>('fernet-spec/generate.json'),
  verify: read<FernetVector[]>('fernet-spec/verify.json'),
  invalid: read<FernetVector[]>('fernet-spec/invalid.json'),
};
