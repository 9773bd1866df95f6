// Hearth templates as Aurora's pystachio reads them. Pystachio parses `{{thermos.ports[http]}}` only
// when written without spaces (`{{ thermos.ports[http] }}` is an invalid reference to it), so every
// token is written again from its parsed form instead of being copied as typed. Thermos names the
// instance `{{mesos.instance}}`; another service's port has no template in Aurora at all.
import { scanTemplate } from '../../supervisor/config/templates';
import type { Notes } from '../notes';

export interface AuroraTemplateOptions {
  /** Where the template is, for notes: "web.cmd". */
  where: string;
  notes: Notes;
  /** The Aurora name of one of the service's own ports (see ./aurora-ports.ts). */
  portName: (port: string) => string;
}

export const auroraPortRef = (name: string): string => `{{thermos.ports[${name}]}}`;

export function auroraTemplate(template: string, opts: AuroraTemplateOptions): string {
  let out = '';
  let at = 0;
  for (const { token, raw, index } of scanTemplate(template)) {
    out += template.slice(at, index);
    at = index + raw.length;
    if (token.kind === 'port') out += auroraPortRef(opts.portName(token.port));
    else if (token.kind === 'instance') out += '{{mesos.instance}}';
    else if (token.kind === 'service-port') {
      const placeholder = `REPLACE_ME_${token.service}_${token.port}_port`.replace(/[^A-Za-z0-9_]/g, '_');
      opts.notes.add(opts.where, `${raw}: Aurora jobs find each other through ServerSets (Announcer), not templates; written as ${placeholder}`);
      out += placeholder;
    } else out += raw; // a loaded stack has none: validation rejects them
  }
  return out + template.slice(at);
}
