// The renderer's host in a plain browser (`hearth serve`): web-host-core bound to the real window.
import type { HearthApi } from '../../../shared/contract';
import { createWebHostWith } from './web-host-core';

export function createWebHost(): HearthApi {
  return createWebHostWith({
    location: window.location,
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
    openWindow: (url) => {
      // noopener/noreferrer: the stack's page gets no handle on this one and no Referer.
      window.open(url, '_blank', 'noopener,noreferrer');
    },
    request: async (method, path, { headers = {}, json }) => {
      // Same origin, no cookies exist: the session goes in the header only when asked for.
      const response = await fetch(path, {
        method,
        headers: { ...headers, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        body: json !== undefined ? JSON.stringify(json) : undefined,
        credentials: 'omit',
        cache: 'no-store',
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    storage: {
      get: (key) => window.sessionStorage.getItem(key),
      set: (key, value) => window.sessionStorage.setItem(key, value),
      remove: (key) => window.sessionStorage.removeItem(key),
    },
    connect: (url, protocols, handlers) => {
      // Same-origin page: the browser adds the Origin header; the session rides in the subprotocol list.
      const ws = new WebSocket(url, protocols);
      ws.onopen = () => handlers.open();
      ws.onmessage = (event) => {
        if (typeof event.data === 'string') handlers.message(event.data);
      };
      ws.onclose = (event) => handlers.close(event.code);
      return { send: (data) => ws.send(data), close: () => ws.close() };
    },
  });
}
