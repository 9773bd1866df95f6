// Dev page: the real App over a fake stack. Query parameters pick the scenario, e.g.
// harness.html?select=api&tab=health&search=error&errors=1&offline=1&lines=100000&live=2000&help=1
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../src/components/app';
import { createSession } from '../src/session/session';
import { createFakeHost } from './fake-stack';
import '../src/styles/index.css';

const q = new URLSearchParams(location.search);
const host = createFakeHost({
  lines: Number(q.get('lines') ?? 2000),
  configErrors: q.get('errors') === '1',
  disconnected: q.get('offline') === '1',
  liveRate: q.get('live') ? Number(q.get('live')) : undefined,
  killing: q.get('killing') ?? undefined,
});
const session = createSession(host);
const st = session.store.getState();
if (q.get('select')) st.select(q.get('select'));
const tab = q.get('tab');
if (tab === 'logs' || tab === 'health' || tab === 'captures') st.setDetailTab(tab);
if (q.get('search')) st.setSearch(q.get('search') ?? '');
if (q.get('filter') === '1') st.setFilter(true);
if (q.get('help') === '1') st.setHelp(true);
if (q.get('menu')) st.setSnoozeMenu(q.get('menu'));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App session={session} />
    </StrictMode>,
  );
}
// For the screenshot script: the page is ready once the first rows are in.
(window as { hearthSession?: unknown }).hearthSession = session;
