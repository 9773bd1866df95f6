import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Profiler } from 'react';
import { renderApp } from './render-app';
import { line, lines, service, snapshot } from './fixtures';
import { ServiceList } from '../../renderer/src/components/service-list';
import { LogsPanel } from '../../renderer/src/components/logs-panel';

afterEach(cleanup);

const logBox = () => screen.getByRole('log');
const rowTexts = () => [...logBox().querySelectorAll('.log-row .log-text')].map((e) => e.textContent);

describe('logs panel', () => {
  it('appends log batches to the plain store without re-rendering the service list', () => {
    let listCommits = 0;
    const { emit, session } = renderApp(
      <>
        <Profiler id="list" onRender={() => listCommits++}>
          <ServiceList />
        </Profiler>
        <LogsPanel />
      </>,
    );
    emit('snapshot', snapshot([service('api'), service('worker')]));
    const afterSnapshot = listCommits;
    expect(afterSnapshot).toBeGreaterThan(0);
    for (let batch = 0; batch < 20; batch++) {
      emit('logs', { lines: lines(batch % 2 ? 'api' : 'worker', 100, (i) => `batch ${batch} line ${i}`) });
    }
    expect(session.logs.view(null).length).toBe(2000);
    expect(listCommits).toBe(afterSnapshot);
    // …while the log panel did render the new lines.
    expect(rowTexts().length).toBeGreaterThan(10);
    // Following: the tail is what is rendered (jsdom does not scroll, so this is the view's own windowing).
    expect(rowTexts().at(-1)).toBe('batch 19 line 99');
    // A service update does re-render the list.
    emit('service', service('api', { restarts: 1 }));
    expect(listCommits).toBeGreaterThan(afterSnapshot);
  });

  it('renders ANSI colours as spans (no HTML injection), collapses \\r and marks stderr/system lines', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api')], {
      logs: [
        line('api', '\u001b[31mERROR\u001b[0m <b>not bold</b>'),
        line('api', 'progress 10%\rprogress 55%\rprogress 100%'),
        line('api', 'boom', { stream: 'stderr' }),
        line('api', 'started pid 4242', { stream: 'system' }),
      ],
    }));
    const rows = logBox().querySelectorAll('.log-row');
    const red = rows[0]?.querySelector('.ansi-red-fg');
    expect(red?.textContent).toBe('ERROR');
    expect(rows[0]?.querySelector('b')).toBeNull();
    expect(rows[0]?.textContent).toContain('<b>not bold</b>');
    expect(rows[1]?.querySelector('.log-text')?.textContent).toBe('progress 100%');
    expect(rows[2]?.classList.contains('stream-stderr')).toBe(true);
    expect(rows[3]?.classList.contains('stream-system')).toBe(true);
    // All-services view prefixes the service name with a stable colour class.
    expect(rows[0]?.querySelector('.log-svc')?.textContent).toBe('api');
    expect(rows[0]?.querySelector('.log-svc')?.className).toMatch(/svc-\d/);
  });

  it('puts a line’s unstyled text straight into the row as text, and only coloured runs and matches in elements', async () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api')], { logs: [line('api', 'GET /api/items/9 200 \u001b[32mok\u001b[0m done')] }));
    const text = () => logBox().querySelector('.log-row .log-text')!;
    const nodes = () => [...text().childNodes].map((n) => (n.nodeType === 3 ? `text:${n.textContent}` : `${(n as Element).tagName.toLowerCase()}.${(n as Element).className}:${n.textContent}`));
    expect(nodes()).toEqual(['text:GET /api/items/9 200 ', 'span.ansi-green-fg:ok', 'text: done']);
    // A search splits the text around a <mark>, still without wrapping spans; a match inside a coloured run stays in its span.
    await userEvent.type(screen.getByLabelText('Search logs'), 'items/9');
    expect(nodes()).toEqual(['text:GET /api/', 'mark.:items/9', 'text: 200 ', 'span.ansi-green-fg:ok', 'text: done']);
    await userEvent.clear(screen.getByLabelText('Search logs'));
    await userEvent.type(screen.getByLabelText('Search logs'), 'ok');
    expect(nodes()).toEqual(['text:GET /api/items/9 200 ', 'span.ansi-green-fg:ok', 'text: done']);
    expect(text().querySelector('span.ansi-green-fg > mark')?.textContent).toBe('ok');
  });

  it('shows one service when selected', async () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api'), service('db')], { logs: [line('api', 'from api'), line('db', 'from db')] }));
    expect(rowTexts()).toEqual(['from api', 'from db']);
    await userEvent.click(screen.getByRole('button', { name: 'db' }));
    expect(rowTexts()).toEqual(['from db']);
    expect(logBox().querySelector('.log-svc')).toBeNull();
    emit('logs', { lines: [line('api', 'more api'), line('db', 'more db')] });
    expect(rowTexts()).toEqual(['from db', 'more db']);
  });

  it('highlights every match, steps through them, and filters to matching lines', async () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api')], {
      logs: [line('api', 'GET /health 200'), line('api', 'error: db down, error again'), line('api', 'ok'), line('api', 'Error twice')],
    }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search logs' }), 'error');
    expect([...logBox().querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['error', 'error', 'Error']);
    expect(rowTexts()).toHaveLength(4);
    // Enter (previous) lands on the newest match first.
    fireEvent.keyDown(screen.getByRole('searchbox'), { key: 'Enter' });
    expect(screen.getByText('2 / 2')).toBeTruthy();
    expect(logBox().querySelector('.log-row.current')?.textContent).toContain('Error twice');
    await userEvent.click(screen.getByRole('button', { name: 'Previous match' }));
    expect(screen.getByText('1 / 2')).toBeTruthy();
    expect(logBox().querySelector('.log-row.current')?.textContent).toContain('db down');

    await userEvent.click(screen.getByRole('button', { name: 'Filter' }));
    expect(rowTexts()).toEqual(['error: db down, error again', 'Error twice']);
    emit('logs', { lines: [line('api', 'fine'), line('api', 'late ERROR')] });
    expect(rowTexts()).toEqual(['error: db down, error again', 'Error twice', 'late ERROR']);
    fireEvent.keyDown(screen.getByRole('searchbox'), { key: 'Escape' });
    expect(rowTexts()).toHaveLength(6);
  });

  it('stepping to a match while following renders the rows around it', () => {
    const { emit } = renderApp();
    const many = lines('api', 300, (i) => (i === 100 ? 'the only needle' : `line ${i}`));
    emit('snapshot', snapshot([service('api')], { logs: many }));
    // Following renders the tail only.
    expect(rowTexts()).not.toContain('the only needle');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search logs' }), { target: { value: 'needle' } });
    fireEvent.keyDown(screen.getByRole('searchbox'), { key: 'Enter' });
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
    expect(logBox().querySelector('.log-row.current')?.textContent).toContain('the only needle');
  });

  it('clears through the host and empties when the host says so', async () => {
    const { emit, host } = renderApp();
    emit('snapshot', snapshot([service('api')], { logs: [line('api', 'x')] }));
    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(host.calls('clear_logs')).toEqual([{}]);
    emit('logs_cleared', { service: null });
    expect(rowTexts()).toEqual([]);
    expect(screen.getByText('No log lines yet.')).toBeTruthy();
  });

  it('copies the shown lines as plain text', async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api')], { logs: [line('api', '\u001b[32mgreen\u001b[0m'), line('api', 'two')] }));
    await userEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith('api | green\napi | two');
  });

  it('pauses following when scrolled up and offers "Resume following (N new)"', async () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api')], { logs: lines('api', 50) }));
    const follow = screen.getByRole('button', { name: 'Follow' });
    expect(follow.getAttribute('aria-pressed')).toBe('true');
    const box = logBox();
    Object.defineProperty(box, 'scrollHeight', { value: 1000, configurable: true });
    Object.defineProperty(box, 'clientHeight', { value: 400, configurable: true });
    act(() => {
      box.scrollTop = 100;
      fireEvent.scroll(box);
    });
    expect(follow.getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByRole('button', { name: 'Resume following (0 new)' })).toBeTruthy();
    emit('logs', { lines: lines('api', 7) });
    await userEvent.click(screen.getByRole('button', { name: 'Resume following (7 new)' }));
    expect(follow.getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByRole('button', { name: /Resume following/ })).toBeNull();
  });

  it('jumps to the first line of the selected service\'s current run', async () => {
    const { emit } = renderApp();
    const logs = [...lines('api', 30).map((l) => ({ ...l, run: 1 })), line('api', 'run 2 begins', { run: 2 }), line('api', 'run 2 more', { run: 2 })];
    emit('snapshot', snapshot([service('api', { run: 2 })], { logs }));
    await userEvent.click(screen.getByRole('button', { name: 'api' }));
    const box = logBox();
    Object.defineProperty(box, 'clientHeight', { value: 200, configurable: true });
    await userEvent.click(screen.getByRole('button', { name: 'Jump to run start' }));
    // Row 30 centred in a 200px viewport with 20px rows.
    expect(box.scrollTop).toBe(30 * 20 - 100 + 10);
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('renders only a window of a 100,000-line view', async () => {
    const { emit, session } = renderApp();
    emit('snapshot', snapshot([service('api')]));
    for (let b = 0; b < 10; b++) emit('logs', { lines: lines('api', 10_000) });
    // Batches this big are applied a chunk per task (log-store.ts).
    expect(session.logs.view(null).length).toBeLessThan(100_000);
    await vi.waitFor(() => expect(session.logs.view(null).length).toBe(100_000), { timeout: 15_000 });
    const rendered = logBox().querySelectorAll('.log-row').length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(200);
    expect(within(logBox()).queryAllByText(/line/).length).toBe(rendered);
  });
});
