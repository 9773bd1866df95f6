// The access rules as pure functions over headers.
import { describe, expect, it } from 'vitest';
import {
  checkRequest,
  cookieName,
  generateToken,
  hostAllowed,
  originAllowed,
  presentedToken,
  readCookie,
  sessionCookie,
  tokenMatches,
} from '../../electron/web/auth';

const PORT = 4321;
const TOKEN = generateToken();
const q = (s = ''): URLSearchParams => new URLSearchParams(s);

describe('tokens', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, generateToken));
    expect(tokens.size).toBe(50);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    }
  });

  it('match only exactly', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN.toUpperCase() === TOKEN ? TOKEN.toLowerCase() : TOKEN.toUpperCase(), TOKEN)).toBe(false);
    expect(tokenMatches(`${TOKEN.slice(0, -1)}${TOKEN.endsWith('a') ? 'b' : 'a'}`, TOKEN)).toBe(false);
    expect(tokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokenMatches(`${TOKEN} `, TOKEN)).toBe(false);
    expect(tokenMatches('', TOKEN)).toBe(false);
    expect(tokenMatches(null, TOKEN)).toBe(false);
    expect(tokenMatches(undefined, TOKEN)).toBe(false);
  });
});

describe('cookies', () => {
  it('are per port, HttpOnly and SameSite=Strict', () => {
    expect(cookieName(PORT)).toBe('hearth_token_4321');
    expect(sessionCookie(PORT, TOKEN)).toBe(`hearth_token_4321=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`);
  });

  it('are read by exact name', () => {
    expect(readCookie('a=1; hearth_token_4321=xyz; b=2', 'hearth_token_4321')).toBe('xyz');
    expect(readCookie('hearth_token_43210=xyz', 'hearth_token_4321')).toBeNull();
    expect(readCookie(undefined, 'x')).toBeNull();
    expect(readCookie('junk', 'x')).toBeNull();
  });
});

describe('presentedToken', () => {
  it('prefers Bearer, then the query, then the cookie of this port', () => {
    const cookie = `hearth_token_${PORT}=c`;
    expect(presentedToken({ authorization: 'Bearer b', cookie }, q('token=t'), PORT)).toEqual({ token: 'b', source: 'bearer' });
    expect(presentedToken({ cookie }, q('token=t'), PORT)).toEqual({ token: 't', source: 'query' });
    expect(presentedToken({ cookie }, q(), PORT)).toEqual({ token: 'c', source: 'cookie' });
    expect(presentedToken({ cookie: 'hearth_token_1=c' }, q(), PORT)).toBeNull();
    expect(presentedToken({ authorization: 'Basic abc' }, q(), PORT)).toBeNull();
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
  const check = (method: string, headers: Record<string, string>, query = '', upgrade = false) =>
    checkRequest({ method, headers, query: q(query), upgrade }, PORT, TOKEN);
  const cookie = `hearth_token_${PORT}=${TOKEN}`;

  it('lets GETs in with the token from anywhere it may come', () => {
    expect(check('GET', { host }, `token=${TOKEN}`)).toEqual({ ok: true, source: 'query' });
    expect(check('GET', { host, cookie })).toEqual({ ok: true, source: 'cookie' });
    expect(check('GET', { host, authorization: `Bearer ${TOKEN}` })).toEqual({ ok: true, source: 'bearer' });
    expect(check('GET', { host })).toEqual({ ok: false, reason: 'bad token' });
    expect(check('GET', { host: 'evil.com:4321', cookie })).toEqual({ ok: false, reason: 'bad host' });
  });

  it('needs our Origin on POST, or Bearer when there is none', () => {
    expect(check('POST', { host, cookie, origin })).toMatchObject({ ok: true });
    expect(check('POST', { host, cookie })).toEqual({ ok: false, reason: 'missing origin' });
    expect(check('POST', { host, cookie, origin: 'http://evil.com' })).toEqual({ ok: false, reason: 'bad origin' });
    expect(check('POST', { host, authorization: `Bearer ${TOKEN}` })).toMatchObject({ ok: true });
    expect(check('POST', { host, authorization: `Bearer ${TOKEN}`, origin: 'http://evil.com' })).toEqual({ ok: false, reason: 'bad origin' });
    expect(check('DELETE', { host, cookie })).toEqual({ ok: false, reason: 'missing origin' });
  });

  it('needs our Origin on every WebSocket upgrade, Bearer or not', () => {
    expect(check('GET', { host, cookie, origin }, '', true)).toMatchObject({ ok: true });
    expect(check('GET', { host, cookie }, '', true)).toEqual({ ok: false, reason: 'bad origin' });
    expect(check('GET', { host, authorization: `Bearer ${TOKEN}` }, '', true)).toEqual({ ok: false, reason: 'bad origin' });
    expect(check('GET', { host, cookie, origin: 'http://evil.com' }, '', true)).toEqual({ ok: false, reason: 'bad origin' });
  });
});
