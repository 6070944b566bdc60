import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The repository carries copies of the shared test vectors; where the originals sit beside the
// checkout (CI lays them there), the copies must not have drifted.
const copies = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const originals = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));

describe('fixture copies', () => {
  it.skipIf(!existsSync(originals))('are byte-identical to the shared originals', () => {
    for (const folder of ['fernet-spec', 'python-secure-token']) {
      const names = readdirSync(originals + folder).sort();
      expect(readdirSync(copies + folder).sort()).toEqual(names);
      for (const name of names) {
        expect(readFileSync(`${copies}${folder}/${name}`).equals(readFileSync(`${originals}${folder}/${name}`)), name).toBe(true);
      }
    }
  });
});
