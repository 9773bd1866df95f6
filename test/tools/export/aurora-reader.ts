// Reads the Python that `hearth export aurora` writes (assignments of pystachio struct calls, strings,
// numbers, lists, dicts, `N*MB`) into plain values, so tests can apply Aurora's rules to what the
// file really says. Aurora's client evaluates the file as Python; this reader accepts only the subset
// the export uses and throws on anything else, so a file it reads is one Python would read alike.

export type PyValue = number | string | PyValue[] | { [key: string]: PyValue } | PyCall;
export interface PyCall {
  call: string;
  fields: Record<string, PyValue>;
}

export const isCall = (v: PyValue | undefined, name?: string): v is PyCall =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.call === 'string' && (name === undefined || v.call === name);

type Token = { kind: 'name' | 'number' | 'string' | 'punct'; text: string; value?: string | number };

const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t' };

function unescape(body: string): string {
  return body.replace(/\\(.)/gs, (_, c: string) => {
    const out = ESCAPES[c];
    if (out === undefined) throw new Error(`unsupported escape \\${c}`);
    return out;
  });
}

function tokenize(src: string): Token[] {
  const re = /\s+|#[^\n]*|("""[\s\S]*?(?<!\\)""")|('(?:[^'\\\n]|\\.)*')|(\d+(?:\.\d+)?)|([A-Za-z_]\w*)|([()[\]{},=:*])/y;
  const tokens: Token[] = [];
  let at = 0;
  while (at < src.length) {
    re.lastIndex = at;
    const m = re.exec(src);
    if (!m) throw new Error(`cannot read the .aurora file at ${JSON.stringify(src.slice(at, at + 30))}`);
    at = re.lastIndex;
    if (m[1]) tokens.push({ kind: 'string', text: m[1], value: unescape(m[1].slice(3, -3)) });
    else if (m[2]) tokens.push({ kind: 'string', text: m[2], value: unescape(m[2].slice(1, -1)) });
    else if (m[3]) tokens.push({ kind: 'number', text: m[3], value: Number(m[3]) });
    else if (m[4]) tokens.push({ kind: 'name', text: m[4] });
    else if (m[5]) tokens.push({ kind: 'punct', text: m[5] });
  }
  return tokens;
}

/** Every top-level `NAME = expression` of the file, evaluated (names refer to earlier ones, MB and GB built in). */
export function readAurora(src: string): Record<string, PyValue> {
  const tokens = tokenize(src);
  const scope: Record<string, PyValue> = { MB: 1024 ** 2, GB: 1024 ** 3 };
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const take = (text?: string): Token => {
    const t = tokens[i++];
    if (!t || (text !== undefined && t.text !== text)) throw new Error(`expected ${text ?? 'a token'}, got ${t?.text ?? 'the end'}`);
    return t;
  };
  const list = <T>(close: string, item: () => T): T[] => {
    const out: T[] = [];
    while (peek()?.text !== close) {
      out.push(item());
      if (peek()?.text === ',') take(',');
      else break;
    }
    take(close);
    return out;
  };
  const term = (): PyValue => {
    const t = take();
    if (t.kind === 'number' || t.kind === 'string') return t.value!;
    if (t.text === '[') return list(']', expr);
    if (t.text === '{') {
      return Object.fromEntries(list('}', () => {
        const key = take();
        if (key.kind !== 'string') throw new Error('dict keys are strings');
        take(':');
        return [key.value as string, expr()];
      }));
    }
    if (t.kind !== 'name') throw new Error(`unexpected ${t.text}`);
    if (peek()?.text !== '(') {
      if (!Object.hasOwn(scope, t.text)) throw new Error(`unknown name ${t.text}`);
      return scope[t.text]!;
    }
    take('(');
    const fields = Object.fromEntries(list(')', () => {
      const key = take();
      if (key.kind !== 'name') throw new Error(`${t.text}(...) takes keyword arguments only`);
      take('=');
      return [key.text, expr()];
    }));
    return { call: t.text, fields };
  };
  const expr = (): PyValue => {
    let value = term();
    while (peek()?.text === '*') {
      take('*');
      const right = term();
      if (typeof value !== 'number' || typeof right !== 'number') throw new Error('* multiplies numbers only');
      value *= right;
    }
    return value;
  };
  while (i < tokens.length) {
    const name = take();
    if (name.kind !== 'name') throw new Error(`expected an assignment, got ${name.text}`);
    take('=');
    scope[name.text] = expr();
  }
  return scope;
}
