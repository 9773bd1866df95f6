import { describe, expect, it } from 'vitest';
import {
  TemplateError,
  renderTemplate,
  scanTemplate,
  templatePortNames,
  templateServiceRefs,
} from '../../../electron/supervisor/config/templates';

describe('templates', () => {
  it('lists own port names and service references, unique and in order', () => {
    const t = 'a {{thermos.ports[http]}} {{ thermos.ports[admin] }} {{thermos.ports[http]}} {{services.db.ports[pg]}} {{services.db.ports[pg]}} {{services.cache.ports[main]}}';
    expect(templatePortNames(t)).toEqual(['http', 'admin']);
    expect(templateServiceRefs(t)).toEqual([
      { service: 'db', port: 'pg' },
      { service: 'cache', port: 'main' },
    ]);
  });

  it('classifies anything else inside {{ }} as invalid', () => {
    const kinds = scanTemplate('{{process.env.HOME}} {{constructor}} {{thermos.ports[a b]}} {{thermos.instance}} {{services.DB.ports[x]}}').map(
      (p) => p.token.kind,
    );
    expect(kinds).toEqual(['invalid', 'invalid', 'invalid', 'instance', 'invalid']);
  });

  it('renders ports, service ports and the instance', () => {
    const out = renderTemplate('node s.js --port {{thermos.ports[http]}} --db 127.0.0.1:{{ services.db.ports[pg] }} -i {{thermos.instance}}', {
      ports: { http: 20001 },
      servicePorts: { db: { pg: 20002 } },
      instance: 3,
    });
    expect(out).toBe('node s.js --port 20001 --db 127.0.0.1:20002 -i 3');
    expect(renderTemplate('{{thermos.instance}}', { ports: {}, servicePorts: {} })).toBe('0');
  });

  it('is a single pass: a substituted value is never scanned again', () => {
    // Values are numbers in practice; the renderer must still not re-expand anything it inserted.
    const ctx = {
      ports: { a: '{{thermos.ports[b]}}' as unknown as number, b: 2 },
      servicePorts: { db: { pg: '{{thermos.instance}}' as unknown as number } },
      instance: 7,
    };
    expect(renderTemplate('{{thermos.ports[a]}}|{{services.db.ports[pg]}}|{{thermos.ports[b]}}', ctx)).toBe(
      '{{thermos.ports[b]}}|{{thermos.instance}}|2',
    );
    // `$&`-style replacement patterns in a value are inserted literally, too.
    expect(renderTemplate('x{{thermos.ports[a]}}', { ports: { a: '$&$1' as unknown as number }, servicePorts: {} })).toBe('x$&$1');
  });

  it('refuses to render unknown tokens, unallocated ports and prototype lookups', () => {
    const ctx = { ports: { http: 1 }, servicePorts: { db: { pg: 2 } } };
    expect(() => renderTemplate('{{process.env.HOME}}', ctx)).toThrow(TemplateError);
    expect(() => renderTemplate('{{thermos.ports[admin]}}', ctx)).toThrow('no port allocated for {{thermos.ports[admin]}}');
    expect(() => renderTemplate('{{thermos.ports[constructor]}}', ctx)).toThrow(TemplateError);
    expect(() => renderTemplate('{{services.toString.ports[x]}}', ctx)).toThrow(TemplateError);
    expect(() => renderTemplate('{{services.db.ports[toString]}}', ctx)).toThrow(TemplateError);
    expect(() => renderTemplate('{{services.api.ports[pg]}}', ctx)).toThrow('unknown service in {{services.api.ports[pg]}}');
  });

  it('leaves text without tokens (and a lone "{{") alone', () => {
    const ctx = { ports: {}, servicePorts: {} };
    expect(renderTemplate('plain $HOME text', ctx)).toBe('plain $HOME text');
    expect(renderTemplate('echo {{ unclosed } {', ctx)).toBe('echo {{ unclosed } {');
    expect(scanTemplate('echo {{ unclosed')).toEqual([]);
  });
});
