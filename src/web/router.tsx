import { Box, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Layout } from './components/layout';
import { CataloguePage } from './features/admin/catalogue-page';
import { UnitsPage } from './features/admin/units-page';
import { UsersPage } from './features/admin/users-page';
import { AuditPage } from './features/audit/audit-page';
import { LoginPage } from './features/auth/login-page';
import { useSession } from './features/auth/session';
import { CitizenCreatePage } from './features/citizens/citizen-create-page';
import { CitizenListPage } from './features/citizens/citizen-list-page';
import { CitizenPage } from './features/citizens/citizen-page';
import { OffersPage } from './features/community/offers-page';
import { DashboardPage } from './features/keyfigures/dashboard-page';
import { GroupsPage } from './features/keyfigures/groups-page';
import { IndicatorPage } from './features/keyfigures/indicator-page';
import { LadderPage } from './features/keyfigures/ladder-page';
import { InboxPage, InboxThreadPage } from './features/messages/inbox-page';
import { PartnerCitizenPage, PartnerListPage } from './features/partner/partner-pages';
import { AssessmentPage } from './features/pathway/assessment-page';
import { CasePage } from './features/pathway/case-page';
import { PlanPrintPage } from './features/pathway/plan-print-page';
import { ServicePage } from './features/pathway/service-page';
import { TimelinePage } from './features/pathway/timeline-page';
import { WorklistPage } from './features/pathway/worklist-page';
import { DirectorPage } from './features/survey/director-page';
import { OutboxPage } from './features/survey/outbox-page';
import { QuestionnairePage } from './features/survey/questionnaire-page';
import { ReportPage } from './features/survey/report-page';
import { RespondPage } from './features/survey/respond-page';
import { RoundPage } from './features/survey/round-page';
import { SurveyPage } from './features/survey/survey-page';

/** The start page a role lands on. */
function home(can: (p: string) => boolean) {
  // Each role lands where its work is: caseworkers on their citizens; provider staff and managers on their
  // units' follow-ups (the worklist opens on "Mine enheder" for them).
  if (can('citizen.create')) return '/borgere';
  if (can('case.read')) return '/opfoelgning';
  if (can('citizen.search')) return '/borgere';
  if (can('partner.read')) return '/partner';
  if (can('survey.manage') || can('survey.progress')) return '/selvevaluering';
  if (can('keyfigures.read') && !can('admin.manage')) return '/noegletal';
  if (can('admin.manage')) return '/admin/brugere';
  if (can('audit.read')) return '/logning';
  if (can('survey.manage') || can('survey.progress') || can('survey.results')) return '/selvevaluering';
  return '/velkommen';
}

/** For roles with nothing to open. */
function Welcome() {
  const { session } = useSession();
  const { t } = useTranslation();
  return (
    <Stack maw={640}>
      <Title order={1}>{t('welcome.title', { name: session?.user.displayName })}</Title>
      <Text>{t('welcome.roles', { roles: session?.roles.map((r) => t(`roles.${r.role}`)).join(', ') })}</Text>
      <Text>{t('welcome.nothingYet')}</Text>
    </Stack>
  );
}

/** Pages opened from a survey link: no account, no navigation; the token is in the URL's fragment. */
function PublicSurvey() {
  const { t } = useTranslation();
  // Another link pasted into the same tab changes only the fragment: start again with its token.
  useEffect(() => {
    const reload = () => window.location.reload();
    window.addEventListener('hashchange', reload);
    return () => window.removeEventListener('hashchange', reload);
  }, []);
  return (
    <BrowserRouter>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Box
        component="header"
        px="md"
        py="sm"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Text fw={700} size="lg" c="blue.9">
          {t('app.name')}
        </Text>
      </Box>
      <Box component="main" id="main" p="md">
        <Routes>
          <Route path="/svar" element={<RespondPage />} />
          <Route path="/svar/kommune" element={<DirectorPage />} />
        </Routes>
      </Box>
    </BrowserRouter>
  );
}

export function AppRouter() {
  const { session, loading, can } = useSession();
  const { t } = useTranslation();
  if (window.location.pathname === '/svar' || window.location.pathname.startsWith('/svar/'))
    return <PublicSurvey />;
  if (loading) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  return (
    <BrowserRouter>
      {!session ? (
        <main>
          <LoginPage />
        </main>
      ) : (
        <Layout>
          <Routes>
            <Route path="/" element={<Navigate to={home(can)} replace />} />
            <Route path="/login" element={<Navigate to={home(can)} replace />} />
            <Route path="/velkommen" element={<Welcome />} />
            <Route path="/borgere" element={<CitizenListPage />} />
            <Route path="/borgere/ny" element={<CitizenCreatePage />} />
            <Route path="/borgere/:id" element={<CitizenPage />} />
            <Route path="/borgere/:id/forloeb" element={<TimelinePage />} />
            <Route path="/sager/:id" element={<CasePage />} />
            <Route path="/udredninger/:id" element={<AssessmentPage />} />
            <Route path="/ydelser/:id" element={<ServicePage />} />
            <Route path="/handleplaner/:id" element={<PlanPrintPage />} />
            <Route path="/opfoelgning" element={<WorklistPage />} />
            <Route path="/beskeder" element={<InboxPage />} />
            <Route path="/beskeder/:id" element={<InboxThreadPage />} />
            <Route path="/faellesskaber" element={<OffersPage />} />
            <Route path="/partner" element={<PartnerListPage />} />
            <Route path="/partner/:id" element={<PartnerCitizenPage />} />
            <Route path="/admin/katalog" element={<CataloguePage />} />
            <Route path="/admin/brugere" element={<UsersPage />} />
            <Route path="/admin/enheder" element={<UnitsPage />} />
            <Route path="/logning" element={<AuditPage />} />
            <Route path="/selvevaluering" element={<SurveyPage />} />
            <Route path="/selvevaluering/skemaer/:id" element={<QuestionnairePage />} />
            <Route path="/selvevaluering/runder/:id" element={<RoundPage />} />
            <Route path="/selvevaluering/runder/:id/rapport" element={<ReportPage />} />
            <Route path="/udbakke" element={<OutboxPage />} />
            <Route path="/noegletal" element={<DashboardPage />} />
            <Route path="/noegletal/trappe" element={<LadderPage />} />
            <Route path="/noegletal/grupper" element={<GroupsPage />} />
            <Route path="/noegletal/:key" element={<IndicatorPage />} />
            <Route path="*" element={<Navigate to={home(can)} replace />} />
          </Routes>
        </Layout>
      )}
    </BrowserRouter>
  );
}
