// Thermos-style templates. Only three tokens exist; anything else inside {{ }} is a config error
// (so `{{process.env.HOME}}` or `{{constructor}}` can never mean something). Rendering is a single
// regex pass: substituted values are never scanned again, so a value cannot inject a token.

// `__proto__` is excluded: as a key of a plain object it would set the prototype, not a port.
export const PORT_NAME_PATTERN = /^(?!__proto__$)[A-Za-z0-9_][A-Za-z0-9_-]*$/;

const TOKEN_RE = /\{\{([\s\S]*?)\}\}/g;
const NAME = '(?!__proto__\\])[A-Za-z0-9_][A-Za-z0-9_-]*';
const PORT_RE = new RegExp(`^\\s*thermos\\.ports\\[(${NAME})\\]\\s*$`);
// The optional `.i` is an instance (`api.1`): stack files never write it (validation only knows file
// keys), but resolving points `services.api` at instance 0 by rewriting it to `services.api.0`.
const SERVICE_PORT_RE = new RegExp(`^\\s*services\\.([a-z0-9][a-z0-9_-]*(?:\\.[0-9]{1,2})?)\\.ports\\[(${NAME})\\]\\s*$`);
const INSTANCE_RE = /^\s*thermos\.instance\s*$/;

export type TemplateToken =
  | { kind: 'port'; port: string }
  | { kind: 'service-port'; service: string; port: string }
  | { kind: 'instance' }
  | { kind: 'invalid' };

export interface TemplatePart {
  token: TemplateToken;
  /** The whole `{{...}}` text. */
  raw: string;
  /** Offset of `raw` in the template. */
  index: number;
}

export interface RenderContext {
  /** The service's own ports, by name. */
  ports: Record<string, number>;
  /** Every service's ports, by service then port name. */
  servicePorts: Record<string, Record<string, number>>;
  instance?: number;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

function classify(inner: string): TemplateToken {
  let m = PORT_RE.exec(inner);
  if (m) return { kind: 'port', port: m[1]! };
  m = SERVICE_PORT_RE.exec(inner);
  if (m) return { kind: 'service-port', service: m[1]!, port: m[2]! };
  if (INSTANCE_RE.test(inner)) return { kind: 'instance' };
  return { kind: 'invalid' };
}

/** Every `{{...}}` in the template, valid or not, in order. */
export function scanTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  for (const m of template.matchAll(TOKEN_RE)) {
    parts.push({ token: classify(m[1]!), raw: m[0], index: m.index });
  }
  return parts;
}

/** Names used as `{{thermos.ports[NAME]}}`, unique, in order of first use. */
export function templatePortNames(template: string): string[] {
  const names = new Set<string>();
  for (const { token } of scanTemplate(template)) if (token.kind === 'port') names.add(token.port);
  return [...names];
}

/** `{{services.OTHER.ports[NAME]}}` references, unique, in order of first use. */
export function templateServiceRefs(template: string): Array<{ service: string; port: string }> {
  const seen = new Set<string>();
  const refs: Array<{ service: string; port: string }> = [];
  for (const { token } of scanTemplate(template)) {
    if (token.kind !== 'service-port') continue;
    const key = `${token.service}\0${token.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push({ service: token.service, port: token.port });
  }
  return refs;
}

function lookup(table: Record<string, number>, name: string, what: string): number {
  // hasOwn: a port named "constructor" must not find Object.prototype.constructor.
  if (!Object.hasOwn(table, name)) throw new TemplateError(`no port allocated for ${what}`);
  return table[name]!;
}

/**
 * Substitute the tokens in one pass. Throws TemplateError for a token that validation would have
 * rejected or a port that was not allocated: rendering never guesses.
 */
export function renderTemplate(template: string, ctx: RenderContext): string {
  return template.replace(TOKEN_RE, (raw: string, inner: string) => {
    const token = classify(inner);
    switch (token.kind) {
      case 'port':
        return String(lookup(ctx.ports, token.port, raw));
      case 'service-port': {
        if (!Object.hasOwn(ctx.servicePorts, token.service)) throw new TemplateError(`unknown service in ${raw}`);
        return String(lookup(ctx.servicePorts[token.service]!, token.port, raw));
      }
      case 'instance':
        return String(ctx.instance ?? 0);
      case 'invalid':
        throw new TemplateError(`unsupported template ${raw}`);
    }
  });
}
