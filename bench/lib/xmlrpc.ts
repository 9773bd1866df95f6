// The little XML-RPC supervisord speaks (its own API; supervisorctl uses it too), over HTTP.
import { request } from 'node:http';

export type XmlValue = number | string | boolean | XmlValue[] | { [key: string]: XmlValue };

function encode(v: XmlValue): string {
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'number') return `<value><int>${v}</int></value>`;
  if (typeof v === 'string') return `<value><string>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string></value>`;
  if (Array.isArray(v)) return `<value><array><data>${v.map(encode).join('')}</data></array></value>`;
  return `<value><struct>${Object.entries(v).map(([k, x]) => `<member><name>${k}</name>${encode(x)}</member>`).join('')}</struct></value>`;
}

const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Parses the first <value> at `pos` (tags only, no attributes: what supervisord sends). */
function parseValue(xml: string, pos: number): { value: XmlValue; end: number } {
  const open = xml.indexOf('<value>', pos);
  let i = skipWs(xml, open + '<value>'.length);
  const tag = /^<(\w+)>/.exec(xml.slice(i, i + 20));
  if (!tag) {
    const start = open + '<value>'.length;
    const end = xml.indexOf('</value>', start);
    return { value: unescape(xml.slice(start, end)), end: end + '</value>'.length };
  }
  const name = tag[1]!;
  i += tag[0].length;
  if (name === 'array') {
    const out: XmlValue[] = [];
    i = xml.indexOf('<data>', i) + '<data>'.length;
    while (xml.startsWith('<value>', skipWs(xml, i))) {
      const r = parseValue(xml, i);
      out.push(r.value);
      i = r.end;
    }
    const end = xml.indexOf('</value>', xml.indexOf('</array>', i)) + '</value>'.length;
    return { value: out, end };
  }
  if (name === 'struct') {
    const out: Record<string, XmlValue> = {};
    while (xml.startsWith('<member>', skipWs(xml, i))) {
      const ns = xml.indexOf('<name>', i) + '<name>'.length;
      const key = xml.slice(ns, xml.indexOf('</name>', ns));
      const r = parseValue(xml, ns);
      out[key] = r.value;
      i = xml.indexOf('</member>', r.end) + '</member>'.length;
    }
    const end = xml.indexOf('</value>', xml.indexOf('</struct>', i)) + '</value>'.length;
    return { value: out, end };
  }
  const close = xml.indexOf(`</${name}>`, i);
  const text = xml.slice(i, close);
  const end = xml.indexOf('</value>', close) + '</value>'.length;
  if (name === 'int' || name === 'i4' || name === 'double') return { value: Number(text), end };
  if (name === 'boolean') return { value: text.trim() === '1', end };
  return { value: unescape(text), end };
}

function skipWs(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i]!)) i++;
  return i;
}

export function xmlRpc(port: number, method: string, params: XmlValue[] = []): Promise<XmlValue> {
  const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params
    .map((p) => `<param>${encode(p)}</param>`)
    .join('')}</params></methodCall>`;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/RPC2', method: 'POST', headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          if (text.includes('<fault>')) return reject(new Error(`${method}: ${text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()}`));
          try {
            resolve(parseValue(text, text.indexOf('<param>')).value);
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
