import { describe, expect, it } from 'vitest';
import { hashPassword, makeDecoyHash, OWASP_SCRYPT, verifyPassword, type ScryptParams } from './password.js';

const SMALL: ScryptParams = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the password it hashed', async () => {
    const hash = await hashPassword('correct horse battery', SMALL);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
  });

  it('refuses a wrong password', async () => {
    const hash = await hashPassword('correct horse battery', SMALL);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('never stores the password and salts every hash', async () => {
    const a = await hashPassword('zażółć-gęślą', SMALL);
    const b = await hashPassword('zażółć-gęślą', SMALL);
    expect(a).not.toContain('zażółć');
    expect(a).not.toBe(b);
    expect(await verifyPassword('zażółć-gęślą', b)).toBe(true);
  });

  it('encodes its parameters in the hash, so verifying needs no configuration', async () => {
    const hash = await hashPassword('secret-one', { N: 2048, r: 4, p: 2 });
    const [scheme, n, r, p, salt, key] = hash.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '2048', '4', '2']);
    expect(Buffer.from(salt ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(32);
    expect(await verifyPassword('secret-one', hash)).toBe(true);
  });

  it('defaults to the OWASP parameters', async () => {
    expect(OWASP_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const hash = await hashPassword('secret-one');
    expect(hash.startsWith(`scrypt$${2 ** 17}$8$1$`)).toBe(true);
  });

  it('refuses a tampered hash', async () => {
    const hash = await hashPassword('secret-one', SMALL);
    const parts = hash.split('$');
    const key = Buffer.from(parts[5] ?? '', 'base64url');
    key[0] = (key[0] ?? 0) ^ 0xff;
    const tamperedKey = [...parts.slice(0, 5), key.toString('base64url')].join('$');
    expect(await verifyPassword('secret-one', tamperedKey)).toBe(false);
    const tamperedSalt = [...parts.slice(0, 4), Buffer.alloc(16, 7).toString('base64url'), parts[5]].join('$');
    expect(await verifyPassword('secret-one', tamperedSalt)).toBe(false);
    const tamperedParams = hash.replace('$1024$', '$2048$');
    expect(await verifyPassword('secret-one', tamperedParams)).toBe(false);
  });

  it('refuses something that is not one of its hashes', async () => {
    expect(await verifyPassword('secret-one', 'secret-one')).toBe(false);
    expect(await verifyPassword('secret-one', '')).toBe(false);
    expect(await verifyPassword('secret-one', 'bcrypt$1024$8$1$abc$def')).toBe(false);
  });

  it('makes decoy hashes that no likely password matches', async () => {
    const decoy = await makeDecoyHash(SMALL);
    expect(decoy.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('', decoy)).toBe(false);
    expect(await verifyPassword('password', decoy)).toBe(false);
  });
});
