// Fixed container ports and Kubernetes-safe names, the pure parts shared by the exports.
import { describe, expect, it } from 'vitest';
import { parseStack } from '../../../electron/supervisor/config/load';
import { containerPorts, renderForContainer, allContainerPorts } from '../../../electron/tools/export/container-ports';
import { k8sObjectNames, k8sPortNames, labelValue } from '../../../electron/tools/export/k8s-names';
import { Notes } from '../../../electron/tools/notes';

function stackOf(yaml: string) {
  const loaded = parseStack(yaml, '/tmp/cp/hearth.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.stack;
}

describe('containerPorts', () => {
  it('keeps preferred ports and gives the others 8080, 8081… skipping taken numbers', () => {
    const stack = stackOf(`
services:
  a:
    cmd: run {{thermos.ports[x]}} {{thermos.ports[y]}} {{thermos.ports[z]}}
    ports: { y: 8080, z: null, w: 9000 }
`);
    expect(containerPorts(stack.services.a!)).toEqual({ y: 8080, w: 9000, z: 8081, x: 8082 });
  });

  it('renders own ports, loopback references as host:port, and notes bare references', () => {
    const stack = stackOf(`
services:
  db:
    cmd: db {{thermos.ports[pg]}}
    ports: { pg: 5432 }
  app:
    cmd: app --db localhost:{{services.db.ports[pg]}} --peer [::1]:{{services.db.ports[pg]}} --raw {{services.db.ports[pg]}} --me {{thermos.ports[http]}} --i {{thermos.instance}}
`);
    const notes = new Notes();
    const out = renderForContainer(stack.services.app!.cmd, stack.services.app!, allContainerPorts(stack), { hostOf: (s) => `${s}-svc`, notes, where: 'app.cmd' });
    expect(out).toBe('app --db db-svc:5432 --peer db-svc:5432 --raw 5432 --me 8080 --i 0');
    expect(notes.list.map((n) => n.message)).toEqual([
      expect.stringContaining('{{services.db.ports[pg]}} without a 127.0.0.1/localhost host'),
      expect.stringContaining('{{thermos.instance}} written as 0'),
    ]);
  });
});

describe('Kubernetes names', () => {
  it('makes DNS-1035 object names, unique, and notes renames', () => {
    const notes = new Notes();
    expect(k8sObjectNames(['api', 'db_main', '1api', '9', 'web-'], notes)).toEqual({ api: 'api', db_main: 'db-main', '1api': 'api-2', '9': 'svc-9', 'web-': 'web' });
    expect(notes.list.map((n) => n.where)).toEqual(['db_main', '1api', '9', 'web-']);
  });

  it('makes IANA port names: 15 characters at most, a letter, no double dash', () => {
    const notes = new Notes();
    expect(k8sPortNames('s', ['http', 'Admin_Port', '8080', 'a__b', 'a_very_long_port_name', 'a-very-long-port'], notes)).toEqual({
      http: 'http',
      Admin_Port: 'admin-port',
      '8080': 'p-8080',
      a__b: 'a-b',
      a_very_long_port_name: 'a-very-long-por',
      'a-very-long-port': 'a-very-long-p-2',
    });
    expect(labelValue('my stack!')).toBe('my-stack');
    expect(labelValue('___')).toBe('hearth');
  });
});
