/** An error with an HTTP status and a message safe to show the user; details name fields where relevant. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Input that breaks a rule; details maps each field to what is wrong with it. */
export class Invalid extends AppError {
  constructor(message: string, details: Record<string, string> = {}) {
    super(400, 'invalid', message, details);
  }
}

export class Unauthenticated extends AppError {
  constructor(message = 'Sign in to continue.') {
    super(401, 'unauthenticated', message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You do not have permission to do this.') {
    super(403, 'forbidden', message);
  }
}

export class NotFound extends AppError {
  constructor(message = 'Page not found.') {
    super(404, 'not_found', message);
  }
}

export class Conflict extends AppError {
  constructor(message: string, details: Record<string, string> = {}) {
    super(409, 'conflict', message, details);
  }
}

export class TooManyRequests extends AppError {
  constructor(message: string) {
    super(429, 'too_many_requests', message);
  }
}
