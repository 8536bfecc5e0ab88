import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import './app.css';
import { Badge, Button, type CSSVariablesResolver, createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import { SessionProvider } from './features/auth/session';
import { PortalApp } from './features/portal/portal-app';
import { AppRouter } from './router';

// Shade 9 keeps white text on filled buttons above WCAG AA contrast (4.5:1).
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 9,
  respectReducedMotion: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  components: {
    // A badge's text wraps instead of being cut off with "…": a status or a flag must be readable whole,
    // on a phone too (issue 15, items 6 and 16).
    // Long labels wrap instead of being cut off or pushing the page wider than a phone.
    Badge: Badge.extend({
      defaultProps: { radius: 'sm' },
      styles: {
        root: { height: 'auto', minHeight: 'var(--badge-height)', paddingBlock: 2, maxWidth: '100%' },
        label: { whiteSpace: 'normal', overflow: 'visible', textOverflow: 'clip' },
      },
    }),
    Button: Button.extend({
      styles: {
        root: { height: 'auto', minHeight: 'var(--button-height)', paddingBlock: 4, maxWidth: '100%' },
        label: { whiteSpace: 'normal', textAlign: 'center', overflow: 'visible' },
      },
    }),
  },
});
// Mantine's dimmed grey (gray.6) and its error red (red.6, every field's error text) are below 4.5:1 on
// white; gray.7 and red.9 pass.
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
// Personal data stays in memory only: no persistence, no refetch on focus of stale pages.
const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        {/* The citizen portal has its own session (MitID) and never asks for a staff session. */}
        {window.location.pathname === '/portal' || window.location.pathname.startsWith('/portal/') ? (
          <PortalApp />
        ) : (
          <SessionProvider>
            <AppRouter />
          </SessionProvider>
        )}
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
