import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** Runs loadConfig and returns the ConfigError it throws (fails the test if it does not throw one). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has working defaults: embedded database in ./data, demo data, local URL, no OIDC', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: path.resolve('./data'),
      logLevel: 'info',
      seedDemo: true,
      trustProxy: false,
      signInMaxAttempts: 5,
      sessionIdleMinutes: 60,
      oidc: undefined,
      smtpUrl: undefined,
    });
  });

  it('reads what it is given, and does not seed demo data into PostgreSQL unless asked', () => {
    const config = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://tessera.example/',
      DATABASE_URL: 'postgres://u:p@db:5432/tessera',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'yes',
      TESSERA_DATA_DIR: '/var/lib/tessera',
    });
    expect(config).toMatchObject({
      port: 8080,
      publicUrl: 'https://tessera.example',
      databaseUrl: 'postgres://u:p@db:5432/tessera',
      logLevel: 'warn',
      trustProxy: true,
      seedDemo: false,
      dataDir: '/var/lib/tessera',
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/t', TESSERA_SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '  ', LOG_LEVEL: '' }).port).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'whole number from 0 to 65535'],
    [{ PORT: '70000' }, 'PORT', 'whole number from 0 to 65535'],
    [{ PORT: '-1' }, 'PORT', 'whole number from 0 to 65535'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', 'fatal, error, warn, info, debug, trace, silent'],
    [{ DATABASE_URL: 'mysql://db/tessera' }, 'DATABASE_URL', 'postgres:// or postgresql://'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', 'is not a URL'],
    [{ PUBLIC_URL: 'ftp://tessera.example' }, 'PUBLIC_URL', 'http:// or https://'],
    [{ OIDC_ISSUER: 'https://login.example' }, 'OIDC_CLIENT_ID', 'required when OIDC_ISSUER is set'],
    [{ OIDC_ISSUER: 'https://login.example', OIDC_CLIENT_ID: 'x' }, 'OIDC_CLIENT_SECRET', 'required when OIDC_ISSUER'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY', 'use true or false'],
    [{ SIGN_IN_MAX_ATTEMPTS: '0' }, 'SIGN_IN_MAX_ATTEMPTS', 'from 1 to 100'],
    [{ SMTP_URL: 'http://mail.example' }, 'SMTP_URL', 'smtp:// or smtps://'],
  ])('refuses %j, naming %s and what is allowed', (env, variable, allowed) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toContain(allowed);
  });

  it('accepts OIDC when issuer, client id and secret are all set', () => {
    const config = loadConfig({
      OIDC_ISSUER: 'https://login.example',
      OIDC_CLIENT_ID: 'tessera',
      OIDC_CLIENT_SECRET: 's3cret',
    });
    expect(config.oidc).toMatchObject({
      issuer: 'https://login.example',
      clientId: 'tessera',
      scopes: 'openid email profile',
    });
  });
});

describe('tessera serve with a bad configuration', () => {
  it('exits non-zero and says which variable is wrong, without a stack trace', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-config-'));
    try {
      const env: Record<string, string | undefined> = { ...process.env, PORT: 'abc', TESSERA_DATA_DIR: dataDir };
      delete env.DATABASE_URL;
      const result = spawnSync(process.execPath, ['bin/tessera.js', 'serve'], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status).not.toBe(0);
      expect(result.status).not.toBeNull();
      expect(result.stderr).toContain('Configuration error in PORT');
      expect(result.stderr).toContain('whole number from 0 to 65535');
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stdout).not.toContain('Tessera is running');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
