import { Anchor, Box, Button, Center, Container, Group, Loader, SegmentedControl, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { post, sessionOrNull, setOnUnauthenticated } from '../../api';
import { PortalConsentsPage } from './portal-consents-page';
import { PortalLogPage } from './portal-log-page';
import { PortalLoginPage } from './portal-login-page';
import { PortalPlanPage } from './portal-plan-page';
import { PortalPreparePage } from './portal-prepare-page';
import { PortalProgressPage } from './portal-progress-page';
import { PortalWordsPage } from './portal-words-page';

export interface PortalSession {
  citizen: { firstName: string; lastName: string };
  municipality: { name: string };
  level: string;
  csrfToken: string;
}

/** The citizen's session, or null when there is none (the login page is shown). */
export function usePortalSession() {
  return useQuery({
    queryKey: ['portal-session'],
    queryFn: () => sessionOrNull<PortalSession>('/api/portal/session'),
    staleTime: 60_000,
    retry: false,
  });
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('nav.language')}
      value={i18n.language}
      onChange={(v) => void i18n.changeLanguage(v)}
      data={[
        { value: 'da', label: 'DA' },
        { value: 'en', label: 'EN' },
      ]}
    />
  );
}

/** The portal's frame: a narrow column that reads well on a phone, two tabs, log out. */
function PortalFrame({ session, children }: { session: PortalSession | null; children: React.ReactNode }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const logout = useMutation({
    mutationFn: () => post('/api/portal/logout'),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(['portal-session'], null);
      navigate('/portal/logind?ud=1');
    },
  });
  const tabs = [
    { to: '/portal', label: t('portal.nav.plan') },
    { to: '/portal/mine-ord', label: t('portal.nav.words') },
    { to: '/portal/foer-opfoelgningen', label: t('portal.nav.prepare') },
    { to: '/portal/saadan-gaar-det', label: t('portal.nav.progress') },
    { to: '/portal/samtykke', label: t('portal.nav.consents') },
    { to: '/portal/min-log', label: t('portal.nav.log') },
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Box component="header" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size={760} py="sm">
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <div>
              <Text fw={700} size="lg" c="blue.9">
                {t('portal.name')}
              </Text>
              {session && (
                <Text size="sm" c="dimmed">
                  {session.municipality.name}
                </Text>
              )}
            </div>
            <Group gap="xs" wrap="nowrap">
              <LanguageSwitch />
              {session && (
                <Button size="xs" variant="outline" onClick={() => logout.mutate()}>
                  {t('portal.logout')}
                </Button>
              )}
            </Group>
          </Group>
          {session && (
            <Group component="nav" aria-label={t('portal.nav.menu')} gap="xs" mt="sm">
              {tabs.map((tab) => {
                const current = location.pathname === tab.to;
                return (
                  <Button
                    key={tab.to}
                    component={Link}
                    to={tab.to}
                    size="sm"
                    variant={current ? 'filled' : 'subtle'}
                    aria-current={current ? 'page' : undefined}
                  >
                    {tab.label}
                  </Button>
                );
              })}
            </Group>
          )}
        </Container>
      </Box>
      <Container size={760} component="main" id="main" tabIndex={-1} py="md">
        {children}
      </Container>
    </>
  );
}

function PortalRoutes() {
  const { t } = useTranslation();
  const q = usePortalSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  useEffect(() => {
    // The server ended the session (idle timeout): forget what was shown and go to the login page.
    setOnUnauthenticated(() => {
      qc.clear();
      qc.setQueryData(['portal-session'], null);
      navigate('/portal/logind?udloebet=1');
    });
  }, [qc, navigate]);
  if (q.isLoading)
    return (
      <Center h="60vh">
        <Loader aria-label={t('portal.loading')} />
      </Center>
    );
  const session = q.data ?? null;
  return (
    <PortalFrame session={session}>
      <Routes>
        <Route
          path="/portal/logind"
          element={session ? <Navigate to="/portal" replace /> : <PortalLoginPage />}
        />
        {session ? (
          <>
            <Route path="/portal" element={<PortalPlanPage session={session} />} />
            <Route path="/portal/mine-ord" element={<PortalWordsPage />} />
            <Route path="/portal/foer-opfoelgningen" element={<PortalPreparePage />} />
            <Route path="/portal/saadan-gaar-det" element={<PortalProgressPage />} />
            <Route path="/portal/samtykke" element={<PortalConsentsPage />} />
            <Route path="/portal/min-log" element={<PortalLogPage />} />
            <Route path="*" element={<Navigate to="/portal" replace />} />
          </>
        ) : (
          <Route path="*" element={<Navigate to="/portal/logind" replace />} />
        )}
      </Routes>
      {!session && (
        <Text size="sm" mt="xl" ta="center">
          <Anchor href="/">{t('portal.login.staff')}</Anchor>
        </Text>
      )}
    </PortalFrame>
  );
}

/** The citizen's own Retning, apart from the staff app: its own session, its own frame. */
export function PortalApp() {
  return (
    <BrowserRouter>
      <PortalRoutes />
    </BrowserRouter>
  );
}
