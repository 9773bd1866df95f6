// Bootstrap: pick the host, build the session, mount the App.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app';
import { getHost } from './host';
import { createSession } from './session/session';
import './styles/index.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

try {
  const session = createSession(getHost());
  createRoot(root).render(
    <StrictMode>
      <App session={session} />
    </StrictMode>,
  );
} catch (err) {
  // No host at all (e.g. the page opened from disk): say so instead of a blank window.
  root.textContent = `Hearth could not connect: ${err instanceof Error ? err.message : String(err)}`;
  root.className = 'fatal';
}
