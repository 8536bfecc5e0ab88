import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Select,
  Stack,
  Stepper,
  Tabs,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { CASE_PHASES, OPEN_PHASES } from '../../../shared/pathway';
import { ApiError, get, post, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate } from '../../components/forms';
import { AppModal } from '../../components/modal';
import { useSession } from '../auth/session';
import { WriteToCitizen } from '../messages/write-to-citizen';
import { AssessmentsSection } from './assessments-section';
import { CaseProposals } from './goal-proposals';
import { GoalsSection } from './goals-section';
import { options, useReference } from './hooks';
import { PlanSection } from './plan-section';
import { ServicesSection } from './services-section';
import type { CaseView } from './types';

function CloseCase({ c, onDone }: { c: CaseView; onDone: () => void }) {
  const { t } = useTranslation();
  const ref = useReference().data;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const close = useMutation({
    mutationFn: () => post(`/api/cases/${c.id}/close`, { endReasonCode: reason, note, version: c.version }),
    onSuccess: () => {
      setOpen(false);
      onDone();
    },
  });
  return (
    <>
      <Button variant="outline" color="red.9" onClick={() => setOpen(true)}>
        {t('pathway.cases.close')}
      </Button>
      <AppModal opened={open} onClose={() => setOpen(false)} title={t('pathway.cases.close')}>
        <Stack>
          <ErrorAlert error={close.error} />
          <Select
            label={t('pathway.cases.endReason')}
            data={ref ? options(ref.klCaresocial.endReasons) : []}
            value={reason}
            onChange={setReason}
            required
            data-autofocus
          />
          <Textarea
            label={t('pathway.cases.closingNote')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red.9" disabled={!reason} loading={close.isPending} onClick={() => close.mutate()}>
              {t('pathway.cases.close')}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </>
  );
}

/** One case: its phase in VUM 2.0's order, and the goals, assessment, services and plan in tabs. */
export function CasePage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const wide = useMediaQuery('(min-width: 75em)');
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['case', id],
    queryFn: () => get<CaseView>(`/api/cases/${id}`),
    retry: false,
  });
  const reload = () => qc.invalidateQueries({ queryKey: ['case', id] });
  const phase = useMutation({
    mutationFn: (p: string) => put(`/api/cases/${id}/phase`, { phase: p, version: q.data!.version }),
    onSuccess: reload,
  });
  if (q.isLoading) return <Loader aria-label={t('app.loading')} />;
  if (q.error || !q.data) {
    return (
      <Alert color="red" variant="outline" role="alert">
        {q.error instanceof ApiError && q.error.status === 404
          ? t('errors.codes.not_found')
          : t('errors.codes.unknown')}
      </Alert>
    );
  }
  const c = q.data;
  const active = CASE_PHASES.indexOf(c.phase as (typeof CASE_PHASES)[number]);
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>
            {t('pathway.cases.heading', { number: c.caseNumber, name: c.citizen.name })}
          </Title>
          <Text>
            <Link to={`/borgere/${c.citizen.id}`}>{c.citizen.name}</Link> · {c.reason}
          </Text>
          <Text size="sm">
            {t('pathway.cases.caseworker')}: {c.caseworker?.name ?? '–'} · {t('pathway.cases.unit')}:{' '}
            {c.authorityUnit.name} · {t('pathway.cases.openedOn')}: {formatDate(c.openedOn)}
          </Text>
        </div>
        <Group>
          <Button component={Link} to={`/borgere/${c.citizen.id}/forloeb`} variant="outline">
            {t('pathway.cases.timeline')}
          </Button>
          {can('message.handle') && !c.closedOn && <WriteToCitizen citizenId={c.citizen.id} caseId={c.id} />}
          {c.permissions.write && <CloseCase c={c} onDone={reload} />}
        </Group>
      </Group>
      {c.view === 'provider' && (
        <Alert color="blue.9" variant="outline">
          {t('pathway.cases.providerView')}
        </Alert>
      )}
      {c.closedOn && (
        <Badge size="lg" color="gray.8">
          {t('pathway.cases.closed', { date: formatDate(c.closedOn), reason: c.endReason?.display ?? '' })}
        </Badge>
      )}
      <nav aria-label={t('pathway.cases.phaseLabel')}>
        <Stepper
          active={active}
          size="xs"
          allowNextStepsSelect={false}
          // One line on a desktop; on a narrower screen the steps wrap rather than widen the page.
          wrap={!wide}
          styles={{ stepLabel: { fontSize: 13 }, separator: { marginInline: 4 } }}
        >
          {CASE_PHASES.filter((p) => p !== 'closed' || c.closedOn).map((p) => (
            <Stepper.Step
              key={p}
              label={t(`pathway.phases.${p}`)}
              aria-current={p === c.phase ? 'step' : undefined}
            />
          ))}
        </Stepper>
      </nav>
      {c.permissions.write && (
        <Group align="flex-end">
          <Select
            label={t('pathway.cases.setPhase')}
            data={OPEN_PHASES.map((p) => ({ value: p, label: t(`pathway.phases.${p}`) }))}
            value={c.phase}
            onChange={(p) => p && p !== c.phase && phase.mutate(p)}
            allowDeselect={false}
            w={280}
          />
          <ErrorAlert error={phase.error} />
        </Group>
      )}
      <Tabs defaultValue="goals" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="goals">{t('pathway.cases.tabs.goals')}</Tabs.Tab>
          {c.view === 'authority' && (
            <Tabs.Tab value="assessment">{t('pathway.cases.tabs.assessment')}</Tabs.Tab>
          )}
          <Tabs.Tab value="services">{t('pathway.cases.tabs.services')}</Tabs.Tab>
          <Tabs.Tab value="plan">{t('pathway.cases.tabs.plan')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="goals" pt="md">
          <Stack gap="lg">
            <CaseProposals caseId={c.id} canAnswer={c.permissions.write} onChanged={reload} />
            <GoalsSection c={c} onSaved={reload} />
          </Stack>
        </Tabs.Panel>
        {c.view === 'authority' && (
          <Tabs.Panel value="assessment" pt="md">
            <AssessmentsSection c={c} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="services" pt="md">
          <ServicesSection c={c} />
        </Tabs.Panel>
        <Tabs.Panel value="plan" pt="md">
          <PlanSection caseId={c.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
