import {
  AppShell,
  Burger,
  Button,
  Group,
  NavLink,
  SegmentedControl,
  Stack,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { post } from '../api';
import { useSession } from '../features/auth/session';

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { session, can } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const qc = useQueryClient();
  const logout = useMutation({
    mutationFn: () => post('/api/auth/logout'),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(['session'], null);
    },
  });
  const links = [
    { to: '/opfoelgning', label: t('pathway.nav.worklist'), show: can('case.read') },
    { to: '/beskeder', label: t('messages.nav'), show: can('message.handle') },
    { to: '/borgere', label: t('nav.citizens'), show: can('citizen.search') },
    { to: '/partner', label: t('partner.nav'), show: can('partner.read') },
    { to: '/faellesskaber', label: t('pathway.nav.community'), show: can('community.read') },
    { to: '/admin/brugere', label: t('nav.users'), show: can('admin.manage') },
    { to: '/admin/enheder', label: t('nav.units'), show: can('admin.manage') },
    { to: '/admin/katalog', label: t('pathway.nav.catalogue'), show: can('catalogue.manage') },
    { to: '/logning', label: t('nav.audit'), show: can('audit.read') },
    { to: '/noegletal', label: t('keyfigures.nav.dashboard'), show: can('keyfigures.read') },
    { to: '/noegletal/grupper', label: t('keyfigures.nav.groups'), show: can('keyfigures.manage') },
    {
      to: '/selvevaluering',
      label: t('survey.nav.survey'),
      show: can('survey.manage') || can('survey.progress') || can('survey.results'),
    },
    { to: '/udbakke', label: t('survey.nav.outbox'), show: can('mail.outbox') && session?.demo === true },
  ].filter((l) => l.show);
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Text fw={700} size="lg" c="blue.9">
              {t('app.name')}
            </Text>
            <Text visibleFrom="sm" size="sm">
              {session?.municipality.name}
            </Text>
          </Group>
          <Group wrap="nowrap" gap="sm">
            <Text visibleFrom="md" size="sm">
              {session?.user.displayName}
            </Text>
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
            <Button size="xs" variant="outline" onClick={() => logout.mutate()}>
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label={t('nav.menu')}>
        <Stack gap={4}>
          {links.map((l) => (
            <NavLink
              key={l.to}
              component={Link}
              to={l.to}
              label={l.label}
              active={
                location.pathname.startsWith(l.to) &&
                // The groups page lives under the dashboard's path but has its own link.
                !(l.to === '/noegletal' && location.pathname.startsWith('/noegletal/grupper'))
              }
              onClick={close}
            />
          ))}
        </Stack>
        <VisuallyHidden>{session?.roles.map((r) => t(`roles.${r.role}`)).join(', ')}</VisuallyHidden>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
