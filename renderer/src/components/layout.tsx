import { useShortcuts } from '../keyboard/use-shortcuts';
import { useHearth, useSession } from '../session/session-context';
import { useAppliedTheme } from '../theme/use-theme';
import { ConfigErrorsBanner } from './config-errors-banner';
import { ConnectionBanner } from './connection-banner';
import { EmptyState } from './empty-state';
import { FlameGraphDialog } from './flame-graph-dialog';
import { Header } from './header';
import { HelpOverlay } from './help-overlay';
import { LogsPanel } from './logs-panel';
import { NoticeToast } from './notice-toast';
import { ServiceList } from './service-list';

export function Layout() {
  const session = useSession();
  useShortcuts(session);
  useAppliedTheme(useHearth((s) => s.theme));
  const loaded = useHearth((s) => s.loaded);
  const hasStack = useHearth((s) => s.stack !== null);
  const empty = useHearth((s) => s.order.length === 0);
  const loggedOut = useHearth((s) => s.connection.loggedOut === true);
  return (
    <div className="app">
      <Header />
      <ConnectionBanner />
      <ConfigErrorsBanner />
      {!loaded ? (
        <EmptyState kind={loggedOut ? 'logged-out' : 'connecting'} />
      ) : !hasStack ? (
        <EmptyState kind="no-stack" />
      ) : (
        <div className="main">
          {empty ? <EmptyState kind="no-services" /> : <ServiceList />}
          <LogsPanel />
        </div>
      )}
      <HelpOverlay />
      <FlameGraphDialog />
      <NoticeToast />
    </div>
  );
}
