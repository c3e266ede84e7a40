import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { redactUri } from './domain/redact-uri.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function problemWith(env: Record<string, string>): string {
  try {
    loadConfig(env, '/srv/depesza');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig', () => {
  it('needs no configuration at all', () => {
    const config = loadConfig({}, '/srv/depesza');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('/srv/depesza', 'data'),
      publicUrl: null,
      logLevel: 'info',
      demoDirectory: true,
      mongodbUri: null,
      redisUrl: null,
    });
    expect(config.sms).toMatchObject({ token: null, baseUrl: 'https://api.smsapi.pl', sender: null, test: false, maxParts: 3 });
  });

  it('reads good values and resolves DATA_DIR against the working folder', () => {
    const config = loadConfig(
      {
        PORT: ' 8080 ',
        HOST: '0.0.0.0',
        DATA_DIR: 'var/db',
        PUBLIC_URL: 'https://chat.example.pl/',
        LOG_LEVEL: 'WARN',
        DEMO_DIRECTORY: 'off',
        MONGODB_URI: 'mongodb+srv://user:pw@cluster.example.net/depesza',
        SMSAPI_SENDER: 'Depesza',
        SMS_MAX_PARTS: '10',
      },
      '/srv/depesza',
    );
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.dataDir).toBe('/srv/depesza/var/db');
    expect(config.publicUrl).toBe('https://chat.example.pl');
    expect(config.logLevel).toBe('warn');
    expect(config.demoDirectory).toBe(false);
    expect(config.mongodbUri).toBe('mongodb+srv://user:pw@cluster.example.net/depesza');
    expect(config.sms.sender).toBe('Depesza');
    expect(config.sms.maxParts).toBe(10);
  });

  it('takes a METRICS_TOKEN of 16 or more printable characters and never echoes a refused one', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'a-long-enough-token' }).metricsToken).toBe('a-long-enough-token');
    for (const bad of ['short-secret', 'has a space inside it']) {
      expect(() => loadConfig({ METRICS_TOKEN: bad })).toThrow(/^METRICS_TOKEN must be at least 16 printable characters/);
      expect(() => loadConfig({ METRICS_TOKEN: bad })).not.toThrow(bad);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DEMO_DIRECTORY: ' ', PUBLIC_URL: '' }).port).toBe(3000);
    expect(loadConfig({ DEMO_DIRECTORY: ' ' }).demoDirectory).toBe(true);
  });

  it('names PORT and what was given when it is not a number', () => {
    expect(problemWith({ PORT: 'abc' })).toBe('PORT must be a number from 1 to 65535, got "abc"');
  });

  it.each(['0', '70000', '-1', '80.5', '1e3'])('refuses PORT %s', (port) => {
    expect(problemWith({ PORT: port })).toBe(`PORT must be a number from 1 to 65535, got "${port}"`);
  });

  it('refuses an unknown LOG_LEVEL and lists the allowed ones', () => {
    const message = problemWith({ LOG_LEVEL: 'loud' });
    expect(message).toMatch(/^LOG_LEVEL must be one of /);
    expect(message).toContain('debug');
    expect(message).toContain('"loud"');
  });

  it('refuses DEMO_DIRECTORY other than on/off', () => {
    expect(problemWith({ DEMO_DIRECTORY: 'maybe' })).toBe('DEMO_DIRECTORY must be on or off, got "maybe"');
  });

  it('refuses a PUBLIC_URL that is not http(s)', () => {
    expect(problemWith({ PUBLIC_URL: 'ftp://x' })).toBe('PUBLIC_URL must be an http or https URL, got "ftp://x"');
    expect(problemWith({ PUBLIC_URL: 'not a url' })).toMatch(/^PUBLIC_URL must be an http or https URL/);
  });

  it('refuses SMS_MAX_PARTS above 10', () => {
    expect(problemWith({ SMS_MAX_PARTS: '11' })).toBe('SMS_MAX_PARTS must be a number from 1 to 10, got "11"');
  });

  it('reads the "SMS if unread" choices: 5, 15 and 60 minutes by default, fractions allowed, sorted', () => {
    expect(loadConfig({}).sms.ifUnreadMinutes).toEqual([5, 15, 60]);
    expect(loadConfig({ SMS_IF_UNREAD_MINUTES: ' 30, 0.05 ,2.5' }).sms.ifUnreadMinutes).toEqual([0.05, 2.5, 30]);
    for (const bad of ['0', '5,5', 'abc', '5,,15', '-1', '1e3', '1441', '1,2,3,4,5,6,7']) {
      expect(problemWith({ SMS_IF_UNREAD_MINUTES: bad })).toMatch(/^SMS_IF_UNREAD_MINUTES must be a comma list of up to 6 different minute counts/);
    }
  });

  it('reads ACK_REMINDER_MINUTES (5 by default, fractions allowed, at most an hour)', () => {
    expect(loadConfig({}).ackReminderMinutes).toBe(5);
    expect(loadConfig({ ACK_REMINDER_MINUTES: '0.1' }).ackReminderMinutes).toBe(0.1);
    for (const bad of ['0', '61', 'five', '-2']) {
      expect(problemWith({ ACK_REMINDER_MINUTES: bad })).toMatch(/^ACK_REMINDER_MINUTES must be a number of minutes above 0 and at most 60/);
    }
  });

  it('refuses an SMSAPI_SENDER longer than 11 characters', () => {
    expect(problemWith({ SMSAPI_SENDER: 'DepeszaSender' })).toMatch(/^SMSAPI_SENDER must be 1 to 11 characters/);
  });

  it('refuses a MONGODB_URI without its scheme and never repeats its password', () => {
    const message = problemWith({ MONGODB_URI: 'admin:Tajne-Haslo-42@db.example.net/depesza' });
    expect(message).toMatch(/^MONGODB_URI must start with mongodb:\/\/ or mongodb\+srv:\/\//);
    expect(message).not.toContain('Tajne-Haslo-42');
  });

  it('never repeats the password of a MONGODB_URI with the wrong scheme', () => {
    const message = problemWith({ MONGODB_URI: 'postgres://admin:Tajne-Haslo-42@db.example.net/depesza' });
    expect(message).toMatch(/^MONGODB_URI /);
    expect(message).not.toContain('Tajne-Haslo-42');
    expect(message).toContain('db.example.net');
  });

  it('redacts credentials in any shape of URI', () => {
    expect(redactUri('mongodb://u:pw@host:27017/db')).toBe('mongodb://***@host:27017/db');
    expect(redactUri('u:pw@host/db')).toBe('***@host/db');
    expect(redactUri('mongodb://u:p@ss/w@host/db')).toBe('mongodb://***@host/db');
    expect(redactUri('mongodb://host/db')).toBe('mongodb://host/db');
    expect(problemWith({ REDIS_URL: 'u:Tajne-Haslo-42@cache:6379' })).not.toContain('Tajne-Haslo-42');
  });

  it('trusts no proxy by default and reads TRUSTED_PROXIES as addresses and CIDR ranges', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.1, 172.16.0.0/12 ,::1,fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.1',
      '172.16.0.0/12',
      '::1',
      'fd00::/8',
    ]);
  });

  it.each(['loadbalancer', '10.0.0.0/33', '10.0.0.1/8/2', '10.0.0.1,', '300.1.1.1', '::1/129', '10.0.0.0/x'])(
    'refuses TRUSTED_PROXIES %s naming the bad entry',
    (value) => {
      expect(problemWith({ TRUSTED_PROXIES: value })).toMatch(/^TRUSTED_PROXIES must be a comma list of IP addresses or CIDR ranges .*, got "/);
    },
  );

  it('reads the per-employee caps and the sign-in hashing cap, with defaults', () => {
    expect(loadConfig({})).toMatchObject({ socketsPerEmployee: 20, groupsPerEmployee: 300, signInMaxPendingChecks: 16 });
    const config = loadConfig({ MAX_SOCKETS_PER_EMPLOYEE: '5', MAX_GROUPS_PER_EMPLOYEE: '50', SIGNIN_MAX_PENDING_CHECKS: '4' });
    expect(config).toMatchObject({ socketsPerEmployee: 5, groupsPerEmployee: 50, signInMaxPendingChecks: 4 });
    expect(problemWith({ MAX_SOCKETS_PER_EMPLOYEE: '0' })).toBe('MAX_SOCKETS_PER_EMPLOYEE must be a number from 1 to 100000, got "0"');
    expect(problemWith({ MAX_GROUPS_PER_EMPLOYEE: 'many' })).toMatch(/^MAX_GROUPS_PER_EMPLOYEE must be a number from 1 to /);
    expect(problemWith({ SIGNIN_MAX_PENDING_CHECKS: '-3' })).toMatch(/^SIGNIN_MAX_PENDING_CHECKS must be a number from 1 to /);
  });

  it('puts every message on one line', () => {
    const envs: Array<Record<string, string>> = [{ PORT: 'abc' }, { LOG_LEVEL: 'x' }, { DEMO_DIRECTORY: 'maybe' }, { HOST: 'a b' }];
    for (const env of envs) {
      expect(problemWith(env)).not.toContain('\n');
    }
  });
});

describe('main.ts with a bad variable', () => {
  it('exits non-zero with one line naming the variable', async () => {
    const child = spawn('npx', ['tsx', 'server/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'abc', DATA_DIR: '/nonexistent/depesza-must-not-be-created', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT must be a number from 1 to 65535, got "abc"');
    expect(stdout).toBe('');
  }, 120_000);
});
