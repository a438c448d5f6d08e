import path from 'node:path';

/** Everything Tessera reads from its environment, validated once at start-up. */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  /** PostgreSQL server URL; undefined means the embedded PGlite database in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  seedDemo: boolean;
  trustProxy: boolean;
  signInMaxAttempts: number;
  signInLockoutMinutes: number;
  signInRateLimitPerMinute: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  oidc: OidcConfig | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How often the server sends reminders of assigned learning, in minutes; 0 turns it off. */
  reminderIntervalMinutes: number;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Label on the sign-in button, e.g. "NHS CIS2". */
  displayName: string;
  scopes: string;
}

/** A start-up configuration problem, naming the variable and what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Configuration error in ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `"${raw}" is not allowed; use a whole number from ${min} to ${max}.`);
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `"${raw}" is not allowed; use true or false.`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `"${raw}" is not a URL; expected e.g. ${protocols[0] ?? 'https:'}//host/…`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `the URL must start with ${protocols.map((p) => `${p}//`).join(' or ')}.`);
  }
  return raw;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = text(env, 'HOST') ?? '127.0.0.1';
  const publicUrl = (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/$/, '');
  const origin = new URL(publicUrl);
  if (origin.pathname !== '/' || origin.search !== '' || origin.hash !== '' || origin.username !== '') {
    throw new ConfigError(
      'PUBLIC_URL',
      `"${publicUrl}" is not allowed; use scheme://host[:port] with no path, e.g. https://tessera.example.nhs.uk`,
    );
  }
  const logLevel = text(env, 'LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `"${logLevel}" is not allowed; use one of ${LOG_LEVELS.join(', ')}.`);
  }
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);

  const issuer = url(env, 'OIDC_ISSUER', ['http:', 'https:']);
  let oidc: OidcConfig | undefined;
  if (issuer !== undefined) {
    const clientId = text(env, 'OIDC_CLIENT_ID');
    const clientSecret = text(env, 'OIDC_CLIENT_SECRET');
    if (clientId === undefined) throw new ConfigError('OIDC_CLIENT_ID', 'required when OIDC_ISSUER is set.');
    if (clientSecret === undefined) {
      throw new ConfigError('OIDC_CLIENT_SECRET', 'required when OIDC_ISSUER is set.');
    }
    oidc = {
      issuer,
      clientId,
      clientSecret,
      displayName: text(env, 'OIDC_DISPLAY_NAME') ?? 'single sign-on',
      scopes: text(env, 'OIDC_SCOPES') ?? 'openid email profile',
    };
  }

  return {
    port,
    host,
    publicUrl,
    databaseUrl,
    dataDir: path.resolve(text(env, 'TESSERA_DATA_DIR') ?? './data'),
    logLevel: logLevel as Config['logLevel'],
    seedDemo: bool(env, 'TESSERA_SEED_DEMO', databaseUrl === undefined),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    signInMaxAttempts: integer(env, 'SIGN_IN_MAX_ATTEMPTS', 5, 1, 100),
    signInLockoutMinutes: integer(env, 'SIGN_IN_LOCKOUT_MINUTES', 15, 1, 1440),
    signInRateLimitPerMinute: integer(env, 'SIGN_IN_RATE_LIMIT_PER_MINUTE', 20, 1, 10000),
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 60, 5, 1440),
    sessionAbsoluteHours: integer(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 720),
    oidc,
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: text(env, 'MAIL_FROM') ?? 'Tessera <no-reply@tessera.invalid>',
    reminderIntervalMinutes: integer(env, 'REMINDER_INTERVAL_MINUTES', 60, 0, 1440),
  };
}
