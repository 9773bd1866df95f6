// What the supervisor told us: services by name (one object per service, replaced on change so
// narrow selectors re-render only that service's row), their order, the stack and the connection.
import type { StateCreator } from 'zustand';
import type { ServiceStatus, StackInfo, StackSnapshot } from '../../../shared/types';
import type { HearthStore } from './store';

export interface ConnectionState {
  connected: boolean;
  error?: string;
  /** Retrying cannot help: the page must log in again (web host). */
  loggedOut?: boolean;
}

export interface ServicesSlice {
  services: Record<string, ServiceStatus>;
  order: string[];
  stack: StackInfo | null;
  /** A snapshot has arrived (before that the UI shows "connecting…", not "no stack"). */
  loaded: boolean;
  /** Supervisor clock minus local clock, measured at the last snapshot. */
  clockOffsetMs: number;
  connection: ConnectionState;
  applySnapshot(snapshot: StackSnapshot, localNow: number): void;
  upsertService(status: ServiceStatus): void;
  removeService(name: string): void;
  setStack(stack: StackInfo): void;
  setConnection(connection: ConnectionState): void;
}

export const createServicesSlice: StateCreator<HearthStore, [], [], ServicesSlice> = (set) => ({
  services: {},
  order: [],
  stack: null,
  loaded: false,
  clockOffsetMs: 0,
  connection: { connected: true },
  applySnapshot(snapshot, localNow) {
    const services: Record<string, ServiceStatus> = {};
    for (const s of snapshot.services) services[s.name] = s;
    set((st) => ({
      services,
      order: snapshot.services.map((s) => s.name),
      stack: snapshot.stack,
      loaded: true,
      clockOffsetMs: snapshot.now - localNow,
      // A snapshot proves the link works, whatever the last connection event said.
      connection: { connected: true },
      selected: st.selected !== null && !services[st.selected] ? null : st.selected,
    }));
  },
  upsertService(status) {
    set((st) => ({
      services: { ...st.services, [status.name]: status },
      order: st.services[status.name] ? st.order : [...st.order, status.name],
    }));
  },
  removeService(name) {
    set((st) => {
      if (!st.services[name]) return {};
      const services = { ...st.services };
      delete services[name];
      return {
        services,
        order: st.order.filter((n) => n !== name),
        selected: st.selected === name ? null : st.selected,
      };
    });
  },
  setStack(stack) {
    set({ stack });
  },
  setConnection(connection) {
    set({ connection });
  },
});
