// The access rules as pure functions over headers, and the one-time codes and sessions behind them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkRequest, CODE_TTL_MS, generateToken, hostAllowed, Logins, originAllowed, presentedSession } from '../../electron/web/auth';

const PORT = 4321;

describe('tokens', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, generateToken));
    expect(tokens.size).toBe(50);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    }
  });
});

describe('Logins', () => {
  it('trades each code once for a fresh session; a used code is told apart from an unknown one', () => {
    const logins = new Logins();
    const code = logins.issueCode();
    const first = logins.exchange(code);
    expect(first).toEqual({ ok: true, session: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(logins.exchange(code)).toEqual({ ok: false, reason: 'used' });
    expect(logins.exchange(generateToken())).toEqual({ ok: false, reason: 'unknown' });
    for (const junk of [undefined, null, 42, '', 'short', `${code}x`, { code }]) expect(logins.exchange(junk)).toEqual({ ok: false, reason: 'unknown' });
    expect(logins.isSession(first.ok ? first.session : null)).toBe(true);
    // A code is no session, and a session no code.
    expect(logins.isSession(code)).toBe(false);
    expect(logins.exchange(first.ok ? first.session : '')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('keeps at most 16 unused codes and 64 sessions, dropping the oldest', () => {
    const logins = new Logins();
    const codes = Array.from({ length: 17 }, () => logins.issueCode());
    expect(logins.exchange(codes[0])).toEqual({ ok: false, reason: 'unknown' });
    expect(logins.exchange(codes[1])).toMatchObject({ ok: true });
    const sessions = Array.from({ length: 64 }, () => {
      const r = logins.exchange(logins.issueCode());
      return r.ok ? r.session : '';
    });
    expect(sessions.every((s) => logins.isSession(s))).toBe(true);
    const more = logins.exchange(logins.issueCode());
    expect(more.ok && logins.isSession(more.session)).toBe(true);
    expect(logins.isSession(sessions[0]!)).toBe(false);
  });
});

describe('Logins: codes expire', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a code unused for its lifetime is refused as expired, told apart from a used one, and its holder told at once', () => {
    vi.useFakeTimers();
    const logins = new Logins({ codeTtlMs: 60_000 });
    const settled: string[] = [];
    const late = logins.issueCode(() => settled.push('late'));
    const used = logins.issueCode(() => settled.push('used'));
    vi.advanceTimersByTime(59_999);
    expect(logins.exchange(used)).toMatchObject({ ok: true });
    expect(settled).toEqual(['used']);
    // The timer settles the expired code (its login page goes) without anyone trying it.
    vi.advanceTimersByTime(1);
    expect(settled).toEqual(['used', 'late']);
    expect(logins.exchange(late)).toEqual({ ok: false, reason: 'expired' });
    expect(logins.exchange(used)).toEqual({ ok: false, reason: 'used' });
    expect(settled).toEqual(['used', 'late']); // once each
  });

  it('checks the clock itself at the exchange, should the timer be late (a busy or suspended machine)', () => {
    let now = 1_000;
    const logins = new Logins({ codeTtlMs: 60_000, now: () => now });
    const code = logins.issueCode();
    now += 60_000;
    expect(logins.exchange(code)).toEqual({ ok: false, reason: 'expired' });
    expect(logins.exchange(code)).toEqual({ ok: false, reason: 'expired' });
  });

  it('lasts 15 minutes by default', () => {
    expect(CODE_TTL_MS).toBe(15 * 60_000);
    vi.useFakeTimers();
    const logins = new Logins();
    const [a, b] = [logins.issueCode(), logins.issueCode()];
    vi.advanceTimersByTime(CODE_TTL_MS - 1);
    expect(logins.exchange(a)).toMatchObject({ ok: true });
    vi.advanceTimersByTime(1);
    expect(logins.exchange(b)).toEqual({ ok: false, reason: 'expired' });
  });

  it('runs what each dropped code waited for: past the cap and when the host closes', () => {
    const logins = new Logins();
    const settled: number[] = [];
    const codes = Array.from({ length: 17 }, (_, i) => logins.issueCode(() => settled.push(i)));
    expect(settled).toEqual([0]);
    logins.dropCodes();
    expect(settled).toEqual(Array.from({ length: 17 }, (_, i) => i));
    expect(logins.exchange(codes[5])).toEqual({ ok: false, reason: 'unknown' });
  });
});

describe('presentedSession', () => {
  it('reads Bearer, or the session subprotocol of a WebSocket handshake; never a cookie or the query', () => {
    expect(presentedSession({ authorization: 'Bearer abc' })).toBe('abc');
    expect(presentedSession({ 'sec-websocket-protocol': 'hearth, hearth-session.xyz' })).toBe('xyz');
    expect(presentedSession({ authorization: 'Basic abc' })).toBeNull();
    expect(presentedSession({ cookie: `hearth_token_${PORT}=c` })).toBeNull();
    expect(presentedSession({ 'sec-websocket-protocol': 'hearth' })).toBeNull();
  });
});

describe('host and origin', () => {
  it('allow only loopback names on our port', () => {
    for (const h of ['127.0.0.1:4321', 'localhost:4321', 'LOCALHOST:4321', '[::1]:4321']) expect(hostAllowed(h, PORT), h).toBe(true);
    for (const h of [undefined, '', '127.0.0.1', '127.0.0.1:80', 'evil.com:4321', 'localhost.evil.com:4321', '127.0.0.2:4321', '0.0.0.0:4321']) {
      expect(hostAllowed(h, PORT), String(h)).toBe(false);
    }
  });

  it('allow only our own http origins', () => {
    expect(originAllowed('http://127.0.0.1:4321', PORT)).toBe(true);
    expect(originAllowed('http://localhost:4321', PORT)).toBe(true);
    for (const o of [undefined, 'null', 'https://127.0.0.1:4321', 'http://127.0.0.1:4322', 'http://evil.com', 'http://127.0.0.1:4321.evil.com']) {
      expect(originAllowed(o, PORT), String(o)).toBe(false);
    }
  });
});

describe('checkRequest', () => {
  const host = `127.0.0.1:${PORT}`;
  const origin = `http://127.0.0.1:${PORT}`;
  const logins = new Logins();
  const r = logins.exchange(logins.issueCode());
  const session = r.ok ? r.session : '';
  const auth = `Bearer ${session}`;
  const check = (method: string, headers: Record<string, string>, kind: 'page' | 'login' | 'api' | 'socket') =>
    checkRequest({ method, headers, kind }, PORT, logins);

  it('serves pages to anyone who names our host, and nothing to a foreign Host', () => {
    expect(check('GET', { host }, 'page')).toEqual({ ok: true });
    expect(check('GET', { host: 'evil.com:4321' }, 'page')).toEqual({ ok: false, status: 403, reason: 'bad host' });
    expect(check('GET', { host: 'evil.com:4321', authorization: auth }, 'api')).toEqual({ ok: false, status: 403, reason: 'bad host' });
  });

  it('needs a live session for the API and the socket', () => {
    expect(check('GET', { host, authorization: auth }, 'api')).toEqual({ ok: true });
    expect(check('GET', { host }, 'api')).toEqual({ ok: false, status: 401, reason: 'no session' });
    expect(check('GET', { host, authorization: `Bearer ${generateToken()}` }, 'api')).toEqual({ ok: false, status: 401, reason: 'no session' });
    expect(check('GET', { host, origin, 'sec-websocket-protocol': `hearth, hearth-session.${session}` }, 'socket')).toEqual({ ok: true });
    expect(check('GET', { host, origin }, 'socket')).toEqual({ ok: false, status: 401, reason: 'no session' });
  });

  it('refuses a foreign Origin everywhere it is sent, and needs ours on every WebSocket upgrade', () => {
    expect(check('POST', { host, authorization: auth, origin: 'http://evil.com' }, 'api')).toEqual({ ok: false, status: 403, reason: 'bad origin' });
    expect(check('POST', { host, origin: 'http://evil.com' }, 'login')).toEqual({ ok: false, status: 403, reason: 'bad origin' });
    expect(check('POST', { host, authorization: auth }, 'api')).toEqual({ ok: true }); // a script: no ambient credential to ride on
    expect(check('POST', { host }, 'login')).toEqual({ ok: true });
    expect(check('GET', { host, authorization: auth }, 'socket')).toEqual({ ok: false, status: 403, reason: 'bad origin' });
    expect(check('GET', { host, authorization: auth, origin: 'http://evil.com' }, 'socket')).toEqual({ ok: false, status: 403, reason: 'bad origin' });
  });
});
