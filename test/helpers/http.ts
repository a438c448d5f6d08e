/** A minimal browser for integration tests: keeps cookies, sends forms with the CSRF token, no redirects followed. */
export class HttpSession {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair === undefined || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(this.baseUrl + path, {
      headers: { cookie: this.cookieHeader(), ...headers },
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  /** GET and return the body text, for pages. */
  async page(path: string): Promise<{ status: number; html: string; response: Response }> {
    const response = await this.get(path);
    return { status: response.status, html: await response.text(), response };
  }

  /** POSTs a form; adds the CSRF token from the cookie unless withCsrf is false. */
  async postForm(
    path: string,
    fields: Record<string, string | string[]>,
    options: { withCsrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    if (!this.cookies.has('tessera_csrf')) await this.get('/sign-in');
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    if (options.withCsrf !== false) body.set('_csrf', this.cookies.get('tessera_csrf') ?? '');
    const response = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      body,
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  /** POSTs a multipart form with one file; adds the CSRF token. */
  async postFile(
    path: string,
    fields: Record<string, string>,
    file: { field: string; name: string; type: string; content: string | Buffer },
  ): Promise<Response> {
    if (!this.cookies.has('tessera_csrf')) await this.get('/sign-in');
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append('_csrf', this.cookies.get('tessera_csrf') ?? '');
    const content = typeof file.content === 'string' ? file.content : new Uint8Array(file.content);
    form.append(file.field, new Blob([content], { type: file.type }), file.name);
    const response = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { cookie: this.cookieHeader() },
      body: form,
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  /** Signs in with a local account; throws unless the app redirects (success). */
  async signIn(email: string, password: string): Promise<void> {
    const response = await this.postForm('/sign-in', { email, password });
    if (response.status !== 303) throw new Error(`Sign-in as ${email} failed with ${response.status}`);
  }
}

/** HTTP Basic header value. */
export function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}
