import { LineChart } from '@mantine/charts';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { get, post } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, formatDateTime, formatMoney, formatNumber, todayIso } from '../../components/forms';
import { AppModal } from '../../components/modal';
import { FollowUpForm } from './follow-up-form';
import { GoalForm } from './goal-form';
import { options, useReference } from './hooks';
import { serviceStatusColor } from './services-section';
import type { ServiceDetail } from './types';

function StatusActions({ s, onSaved }: { s: ServiceDetail; onSaved: (d: ServiceDetail) => void }) {
  const { t } = useTranslation();
  const ref = useReference().data;
  const [ending, setEnding] = useState(false);
  // Ending on the provider's recommendation starts from the reason it gave.
  const [reason, setReason] = useState<string | null>(s.endRecommendation?.reason?.code ?? null);
  const change = useMutation({
    mutationFn: (status: string) =>
      post<ServiceDetail>(`/api/services/${s.id}/status`, {
        status,
        endReasonCode: status === 'ended' ? reason : null,
        version: s.version,
      }),
    onSuccess: (d) => {
      setEnding(false);
      onSaved(d);
    },
  });
  if (!s.permissions.write) return null;
  return (
    <Stack gap="xs">
      {s.endRecommendation && (
        <Alert color="orange" variant="light" title={t('pathway.services.endRecommendedTitle')}>
          {t('pathway.services.endRecommended', {
            on: formatDate(s.endRecommendation.on),
            reason: s.endRecommendation.reason?.display ?? '–',
          })}
        </Alert>
      )}
      <Group>
        {s.status === 'proposed' && (
          <Button onClick={() => change.mutate('granted')}>{t('pathway.services.grant')}</Button>
        )}
        {s.status === 'granted' && (
          <Button onClick={() => change.mutate('active')}>{t('pathway.services.start')}</Button>
        )}
        <Button variant="outline" color="red.9" onClick={() => setEnding(true)}>
          {t('pathway.services.end')}
        </Button>
        <ErrorAlert error={change.error} />
        <AppModal opened={ending} onClose={() => setEnding(false)} title={t('pathway.services.end')}>
          <Stack>
            <Select
              label={t('pathway.services.endReason')}
              data={ref ? options(ref.klCaresocial.endReasons) : []}
              value={reason}
              onChange={setReason}
              required
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEnding(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                color="red.9"
                disabled={!reason}
                onClick={() => change.mutate('ended')}
                loading={change.isPending}
              >
                {t('pathway.services.end')}
              </Button>
            </Group>
          </Stack>
        </AppModal>
      </Group>
    </Stack>
  );
}

function ProviderPlan({ s, onSaved }: { s: ServiceDetail; onSaved: (d: ServiceDetail) => void }) {
  const { t } = useTranslation();
  const ref = useReference().data;
  const catalogue = useQuery({
    queryKey: ['catalogue'],
    queryFn: () =>
      get<{ items: { kind: string; code: string; name: string; active: boolean }[] }>('/api/catalogue'),
  });
  const current = s.plans[0];
  const [editing, setEditing] = useState(false);
  const [approach, setApproach] = useState(current?.approach ?? '');
  const [methods, setMethods] = useState<string[]>(current?.methods.map((m) => m.code) ?? []);
  const save = useMutation({
    mutationFn: () =>
      post<ServiceDetail>(`/api/services/${s.id}/provider-plan`, { approach, methodCodes: methods }),
    onSuccess: (d) => {
      setEditing(false);
      onSaved(d);
    },
  });
  const methodOptions = new Map<string, string>();
  for (const m of ref?.methods.items ?? []) methodOptions.set(m.code, m.display);
  for (const m of catalogue.data?.items ?? [])
    if (m.kind === 'method' && m.active) methodOptions.set(m.code, m.name);
  return (
    <Card withBorder component="section" aria-labelledby="provider-plan-title">
      <Group justify="space-between">
        <Title order={2} size="h4" id="provider-plan-title">
          {t('pathway.services.providerPlan')}
        </Title>
        {s.permissions.provide && !editing && (
          <Button size="xs" variant="outline" onClick={() => setEditing(true)}>
            {t('common.edit')}
          </Button>
        )}
      </Group>
      {editing ? (
        <Stack mt="xs">
          <ErrorAlert error={save.error} />
          <Textarea
            label={t('pathway.services.approach')}
            value={approach}
            onChange={(e) => setApproach(e.currentTarget.value)}
            autosize
            minRows={3}
            required
            data-autofocus
          />
          <MultiSelect
            label={t('pathway.services.methods')}
            data={[...methodOptions].map(([value, label]) => ({ value, label }))}
            value={methods}
            onChange={setMethods}
            searchable
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
            <Button disabled={!approach.trim()} onClick={() => save.mutate()} loading={save.isPending}>
              {t('pathway.services.savePlan')}
            </Button>
          </Group>
        </Stack>
      ) : current ? (
        <Stack gap={4} mt="xs">
          <Text>{current.approach}</Text>
          <Group gap="xs">
            {current.methods.map((m) => (
              <Badge key={m.code} variant="outline" color="blue.9">
                {m.name}
              </Badge>
            ))}
          </Group>
          <Text size="sm">
            {t('common.version', { version: current.version })} · {current.authorName} ·{' '}
            {formatDateTime(current.createdAt)}
          </Text>
        </Stack>
      ) : (
        <Text mt="xs">{t('pathway.services.providerPlanNone')}</Text>
      )}
    </Card>
  );
}

/** The latest follow-up held: the service's own record, or the newest in its list. */
const latestFollowUp = (s: ServiceDetail) =>
  s.lastFollowUpOn ??
  s.followUps
    .map((f) => f.heldOn)
    .sort()
    .at(-1) ??
  null;

/** GAS T-scores over time, by the citizen and by the professional, with the expected level (50). */
function GasChart({ s }: { s: ServiceDetail }) {
  const { t } = useTranslation();
  const points = s.followUps.filter((f) => f.gas.citizen !== null || f.gas.professional !== null);
  if (points.length === 0) return null;
  const citizen = t('pathway.followUp.byCitizen');
  const professional = t('pathway.followUp.byProfessional');
  return (
    <div
      role="img"
      aria-label={`${t('pathway.followUp.chartTitle')}: ${points.map((p) => `${formatDate(p.heldOn)} ${formatNumber(p.gas.citizen)}/${formatNumber(p.gas.professional)}`).join(', ')}`}
    >
      <Title order={3} size="h5" mb="xs">
        {t('pathway.followUp.chartTitle')}
      </Title>
      <LineChart
        valueFormatter={(v) => formatNumber(v)}
        h={220}
        data={points.map((p) => ({
          date: formatDate(p.heldOn),
          [citizen]: p.gas.citizen,
          [professional]: p.gas.professional,
        }))}
        dataKey="date"
        series={[
          { name: citizen, color: 'blue.9' },
          { name: professional, color: 'teal.9' },
        ]}
        referenceLines={[{ y: 50, label: t('pathway.followUp.gasTHint'), color: 'gray.7' }]}
        yAxisProps={{ domain: [20, 80] }}
        connectNulls
        withLegend
      />
    </div>
  );
}

/** One service: the grant, the provider's plan and delmål, and follow-ups with GAS over time. */
export function ServicePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const [following, setFollowing] = useState(false);
  const [addingSub, setAddingSub] = useState(false);
  const q = useQuery({
    queryKey: ['service', id],
    queryFn: () => get<ServiceDetail>(`/api/services/${id}`),
    retry: false,
  });
  const today = todayIso();
  const saved = (d: ServiceDetail) => {
    qc.setQueryData(['service', id], d);
    void qc.invalidateQueries({ queryKey: ['case', d.caseId] });
  };
  if (q.isLoading) return <Loader aria-label={t('app.loading')} />;
  if (q.error || !q.data) return <ErrorAlert error={q.error} />;
  const s = q.data;
  return (
    <Stack>
      <div>
        <Title order={1}>
          {t('pathway.services.heading', { ydelse: s.ydelse.display, paragraph: s.paragraph.code })}
        </Title>
        <Text>
          <Link to={`/sager/${s.caseId}`}>
            {s.citizen.name} · {s.caseNumber}
          </Link>{' '}
          <Badge color={serviceStatusColor(s.status)}>{t(`pathway.services.status.${s.status}`)}</Badge>
        </Text>
      </div>
      <Card withBorder>
        <Table variant="vertical" withRowBorders={false}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={220}>{t('pathway.services.paragraph')}</Table.Th>
              <Table.Td>
                {s.paragraph.code} · {s.paragraph.display}
                {s.paragraph.step !== null && ` · ${t('pathway.services.step', { step: s.paragraph.step })}`}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('pathway.services.provider')}</Table.Th>
              <Table.Td>{s.provider.name}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('pathway.services.targetPrimary')}</Table.Th>
              <Table.Td>
                {s.primaryTargetGroup.display}
                {s.secondaryTargetGroups.length > 0 &&
                  ` (+ ${s.secondaryTargetGroups.map((g) => g.display).join(', ')})`}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>
                {t('pathway.services.startOn')} – {t('pathway.services.endOn')}
              </Table.Th>
              <Table.Td>
                {formatDate(s.startOn)} – {s.endOn ? formatDate(s.endOn) : ''}
                {s.endReason && ` (${s.endReason.display})`}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('pathway.services.supportNeed')}</Table.Th>
              <Table.Td>{s.supportNeed?.display ?? '–'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('pathway.services.hours')}</Table.Th>
              <Table.Td>{formatNumber(s.hoursPerWeek)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('pathway.services.price')}</Table.Th>
              <Table.Td>
                {s.price
                  ? `${formatMoney(s.price.amount)} / ${t(`pathway.services.priceUnits.${s.price.unit}`)}`
                  : '–'}{' '}
                · {t('pathway.services.monthlyCost')}: {formatMoney(s.monthlyCost)}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('pathway.services.cadence')}</Table.Th>
              <Table.Td>
                {s.cadence.kind === 'close'
                  ? t('pathway.services.cadenceClose', { months: s.cadence.months })
                  : t('pathway.services.cadenceStandard')}
              </Table.Td>
            </Table.Tr>
            {s.status === 'ended' ? (
              <Table.Tr>
                <Table.Th>{t('pathway.services.lastFollowUp')}</Table.Th>
                <Table.Td>{formatDate(latestFollowUp(s))}</Table.Td>
              </Table.Tr>
            ) : (
              <Table.Tr>
                <Table.Th>{t('pathway.services.nextFollowUp')}</Table.Th>
                <Table.Td>
                  {formatDate(s.nextFollowUpOn)} · {t('pathway.services.lastFollowUp')}:{' '}
                  {formatDate(latestFollowUp(s))}
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
        <StatusActions s={s} onSaved={saved} />
      </Card>
      <ProviderPlan s={s} onSaved={saved} />
      <Card withBorder component="section" aria-labelledby="sub-goals-title">
        <Group justify="space-between">
          <Title order={2} size="h4" id="sub-goals-title">
            {t('pathway.services.goals')} · {t('pathway.services.subGoals')}
          </Title>
          {s.permissions.provide && s.goals.length > 0 && (
            <Button size="xs" onClick={() => setAddingSub(true)}>
              {t('pathway.goals.addSub')}
            </Button>
          )}
        </Group>
        <Stack gap="xs" mt="xs">
          {s.goals.map((g) => (
            <div key={g.id}>
              <Text fw={600}>
                {g.title}{' '}
                <Badge variant="outline" color="gray.8">
                  {t(`pathway.goals.status.${g.status}`)}
                </Badge>
              </Text>
              {s.subGoals
                .filter((x) => x.parentGoalId === g.id)
                .map((x) => (
                  <Text key={x.id} ml="lg" size="sm">
                    – {x.title} ({t(`pathway.goals.status.${x.status}`)}
                    {x.dueOn && `, ${formatDate(x.dueOn)}`})
                  </Text>
                ))}
            </div>
          ))}
        </Stack>
      </Card>
      <Card withBorder component="section" aria-labelledby="follow-ups-title">
        <Group justify="space-between">
          <Title order={2} size="h4" id="follow-ups-title">
            {t('pathway.services.followUps')}
          </Title>
          {s.permissions.provide && s.status === 'active' && (
            <Button onClick={() => setFollowing(true)}>{t('pathway.followUp.record')}</Button>
          )}
        </Group>
        {s.followUps.length === 0 ? (
          <Text mt="xs">{t('pathway.services.followUpsNone')}</Text>
        ) : (
          <Stack mt="xs">
            <GasChart s={s} />
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('pathway.followUp.heldOn')}</Table.Th>
                  <Table.Th>{t('pathway.followUp.result')}</Table.Th>
                  <Table.Th>
                    {t('pathway.followUp.gasT')}: {t('pathway.followUp.byCitizen')}
                  </Table.Th>
                  <Table.Th>
                    {t('pathway.followUp.gasT')}: {t('pathway.followUp.byProfessional')}
                  </Table.Th>
                  <Table.Th>{t('pathway.followUp.notes')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.followUps.map((f) => (
                  <Table.Tr key={f.id}>
                    <Table.Td>{formatDate(f.heldOn)}</Table.Td>
                    <Table.Td>{f.result?.display}</Table.Td>
                    <Table.Td>{formatNumber(f.gas.citizen)}</Table.Td>
                    <Table.Td>{formatNumber(f.gas.professional)}</Table.Td>
                    <Table.Td>
                      {f.notes}
                      {f.citizenView && (
                        <Text size="sm" fs="italic">
                          “{f.citizenView}”
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </Card>
      {s.status === 'ended' && (
        <Alert variant="outline" color="gray.8">
          {t('pathway.services.status.ended')}
        </Alert>
      )}
      {following && (
        <FollowUpForm s={s} today={today} opened onClose={() => setFollowing(false)} onSaved={saved} />
      )}
      {addingSub && (
        <GoalForm
          opened
          onClose={() => setAddingSub(false)}
          onSaved={() => void qc.invalidateQueries({ queryKey: ['service', id] })}
          kind="sub"
          caseId={s.caseId}
          citizenGoals={[]}
          interventionGoals={s.goals}
          serviceId={s.id}
          parentGoalId={s.goals[0]?.id ?? null}
        />
      )}
    </Stack>
  );
}
