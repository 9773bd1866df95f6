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
    connect: (url, handlers) => {
      // Same-origin page: the browser adds the Origin header and the HttpOnly session cookie itself.
      const ws = new WebSocket(url);
      ws.onopen = () => handlers.open();
      ws.onmessage = (event) => {
        if (typeof event.data === 'string') handlers.message(event.data);
      };
      ws.onclose = (event) => handlers.close(event.code);
      return { send: (data) => ws.send(data), close: () => ws.close() };
    },
  });
}
