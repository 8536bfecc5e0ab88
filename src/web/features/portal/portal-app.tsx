import {
  Alert,
  Anchor,
  Box,
  Burger,
  Button,
  Center,
  Container,
  Drawer,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Text,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { PORTAL_MARKER } from '../../../shared/cookies';
import { post, sessionOrNull, setOnUnauthenticated } from '../../api';
import { PortalChoosePage } from './portal-choose-page';
import { PortalConsentsPage } from './portal-consents-page';
import { PortalGoalsPage } from './portal-goals-page';
import { PortalLogPage } from './portal-log-page';
import { PortalLoginPage } from './portal-login-page';
import { PortalMessagesPage, PortalThreadPage } from './portal-messages-page';
import { PortalPlanPage } from './portal-plan-page';
import { PortalPreparePage } from './portal-prepare-page';
import { PortalProgressPage } from './portal-progress-page';
import { PortalRepresentativesPage } from './portal-representatives-page';
import { PortalWordsPage } from './portal-words-page';

export interface PortalSession {
  citizen: { firstName: string; lastName: string };
  /** A relative or representative acting for the citizen, and what they may do. */
  representative: { name: string; scopes: ('read' | 'write' | 'messages')[] } | null;
  municipality: { name: string };
  level: string;
  csrfToken: string;
}

/** The citizen's session, or null when there is none (the login page is shown). */
export function usePortalSession() {
  return useQuery({
    queryKey: ['portal-session'],
    queryFn: () => sessionOrNull<PortalSession>('/api/portal/session', PORTAL_MARKER),
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

/** The portal's pages; some are the citizen's alone, and a representative does not see them. */
function portalTabs(t: (k: string) => string, session: PortalSession) {
  const citizenOnly = session.representative !== null;
  return [
    { to: '/portal', label: t('portal.nav.plan'), show: true },
    { to: '/portal/mine-maal', label: t('portal.nav.goals'), show: true },
    { to: '/portal/mine-ord', label: t('portal.nav.words'), show: true },
    { to: '/portal/foer-opfoelgningen', label: t('portal.nav.prepare'), show: !citizenOnly },
    { to: '/portal/saadan-gaar-det', label: t('portal.nav.progress'), show: true },
    { to: '/portal/beskeder', label: t('portal.nav.messages'), show: true },
    { to: '/portal/samtykke', label: t('portal.nav.consents'), show: !citizenOnly },
    { to: '/portal/paaroerende', label: t('portal.nav.representatives'), show: true },
    { to: '/portal/min-log', label: t('portal.nav.log'), show: true },
  ].filter((x) => x.show);
}

function NavLinks({ session, onNavigate }: { session: PortalSession; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const location = useLocation();
  return portalTabs(t, session).map((tab) => {
    const current =
      tab.to === '/portal' ? location.pathname === tab.to : location.pathname.startsWith(tab.to);
    return (
      <Button
        key={tab.to}
        component={Link}
        to={tab.to}
        size="sm"
        variant={current ? 'filled' : 'subtle'}
        aria-current={current ? 'page' : undefined}
        onClick={onNavigate}
        justify="flex-start"
      >
        {tab.label}
      </Button>
    );
  });
}

/** The portal's frame: a narrow column that reads well on a phone, the pages as tabs (a menu on a phone), log out. */
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
  const [menuOpen, setMenuOpen] = useState(false);
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
            <>
              <Group component="nav" aria-label={t('portal.nav.menu')} gap={4} mt="sm" visibleFrom="sm">
                <NavLinks session={session} />
              </Group>
              <Group hiddenFrom="sm" mt="xs" justify="space-between" wrap="nowrap">
                <Text fw={600} size="sm">
                  {portalTabs(t, session).find((x) =>
                    x.to === '/portal' ? location.pathname === x.to : location.pathname.startsWith(x.to),
                  )?.label ?? ''}
                </Text>
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<Burger opened={menuOpen} size="xs" component="span" aria-hidden />}
                  onClick={() => setMenuOpen(true)}
                  aria-expanded={menuOpen}
                >
                  {t('portal.nav.open')}
                </Button>
              </Group>
              <Drawer
                opened={menuOpen}
                onClose={() => setMenuOpen(false)}
                title={t('portal.nav.menu')}
                position="right"
                size="xs"
                closeButtonProps={{ 'aria-label': t('portal.nav.close') }}
              >
                <Stack component="nav" aria-label={t('portal.nav.menu')} gap={4}>
                  <NavLinks session={session} onNavigate={() => setMenuOpen(false)} />
                </Stack>
              </Drawer>
              {session.representative && (
                <Alert variant="light" color="grape" mt="sm" p="xs" role="note">
                  {t('portal.acting', {
                    name: session.representative.name,
                    citizen: `${session.citizen.firstName} ${session.citizen.lastName}`,
                  })}
                </Alert>
              )}
            </>
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
        <Route path="/portal/vaelg" element={<PortalChoosePage />} />
        {session ? (
          <>
            <Route path="/portal" element={<PortalPlanPage session={session} />} />
            <Route path="/portal/mine-maal" element={<PortalGoalsPage session={session} />} />
            <Route path="/portal/mine-ord" element={<PortalWordsPage />} />
            <Route path="/portal/beskeder" element={<PortalMessagesPage session={session} />} />
            <Route path="/portal/beskeder/:id" element={<PortalThreadPage session={session} />} />
            <Route path="/portal/paaroerende" element={<PortalRepresentativesPage session={session} />} />
            <Route path="/portal/foer-opfoelgningen" element={<PortalPreparePage />} />
            <Route path="/portal/saadan-gaar-det" element={<PortalProgressPage />} />
            <Route path="/portal/samtykke" element={<PortalConsentsPage />} />
            <Route path="/portal/min-log" element={<PortalLogPage session={session} />} />
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
