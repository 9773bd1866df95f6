import type { MouseEvent } from 'react';
import { portUrl } from '../../../shared/port-url';
import { useSession } from '../session/session-context';

/** Named ports as links; the host opens them (a browser tab / the system browser), never this page. */
export function PortLinks({ ports }: { ports: Record<string, number> }) {
  const { commands } = useSession();
  const entries = Object.entries(ports).sort((a, b) => a[0].localeCompare(b[0]));
  if (entries.length === 0) return null;
  return (
    <span className="ports">
      {entries.map(([name, port]) => {
        const url = portUrl(port);
        const open = (e: MouseEvent) => {
          e.preventDefault();
          e.stopPropagation();
          void commands.openExternal(url);
        };
        return (
          <a key={name} className="port" href={url} title={`Open ${url}`} onClick={open}>
            {name}:{port}
          </a>
        );
      })}
    </span>
  );
}
