import { Badge, Card, Group, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate } from '../../components/forms';
import { useSession } from '../auth/session';
import { WorklistProposals } from './goal-proposals';
import { FlagBadges, type OutcomeFlags, WRAPPING } from './outcome-flags';

interface Item {
  serviceId: string;
  citizen: { id: string; name: string };
  case: { id: string; caseNumber: string; caseworkerName: string | null };
  paragraph: string;
  ydelse: string | null;
  provider: { id: string; name: string };
  nextFollowUpOn: string;
  state: 'overdue' | 'due_soon' | 'later';
  flags: ({ instrument: string } & OutcomeFlags)[];
  /** The provider recommends ending the service; the caseworker decides. */
  endRecommended: { reason: string | null } | null;
}

const STATE_COLOR = {
  overdue: STATUS_COLORS.negative,
  due_soon: STATUS_COLORS.warning,
  later: STATUS_COLORS.neutral,
};

/** A follow-up's flags: the provider's recommendation to end it, and each instrument's outcome flags. */
function WorklistFlags({ i }: { i: Item }) {
  const { t } = useTranslation();
  return (
    <div>
      {i.endRecommended && (
        <Badge
          color={STATUS_COLORS.warning}
          mr={4}
          title={i.endRecommended.reason ?? undefined}
          {...WRAPPING}
        >
          {t('pathway.services.endRecommendedBadge')}
        </Badge>
      )}
      {i.flags.map((f) => (
        <FlagBadges key={f.instrument} instrument={f.instrument} flags={f} />
      ))}
    </div>
  );
}

/** Due and overdue follow-ups for the caseworker's cases, or the provider unit's services. */
export function WorklistPage() {
  const { t } = useTranslation();
  const { session, can } = useSession();
  const providerOnly = !!session && session.roles.every((r) => r.role === 'udfoerer');
  // Only caseworkers have cases of their own; everyone else starts with their units'.
  const [scope, setScope] = useState<'mine' | 'units'>(can('citizen.create') ? 'mine' : 'units');
  const q = useQuery({
    queryKey: ['worklist', scope],
    queryFn: () => get<{ today: string; items: Item[] }>(`/api/worklist?scope=${scope}`),
  });
  const items = q.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('pathway.worklist.title')}</Title>
        {!providerOnly && (
          <SegmentedControl
            aria-label={t('pathway.worklist.title')}
            value={scope}
            onChange={(v) => setScope(v as 'mine' | 'units')}
            data={[
              { value: 'mine', label: t('pathway.worklist.mine') },
              { value: 'units', label: t('pathway.worklist.units') },
            ]}
          />
        )}
      </Group>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loader aria-label={t('app.loading')} />}
      {q.data && (
        <Text>
          {t('pathway.worklist.counts', {
            overdue: items.filter((i) => i.state === 'overdue').length,
            soon: items.filter((i) => i.state === 'due_soon').length,
          })}
        </Text>
      )}
      {can('case.write') && <WorklistProposals scope={scope} />}
      {q.data && items.length === 0 && <Text>{t('pathway.worklist.none')}</Text>}
      {items.length > 0 && (
        <Table striped visibleFrom="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pathway.worklist.due')}</Table.Th>
              <Table.Th>{t('pathway.worklist.citizen')}</Table.Th>
              <Table.Th>{t('pathway.worklist.service')}</Table.Th>
              <Table.Th>{t('pathway.services.provider')}</Table.Th>
              <Table.Th>{t('pathway.worklist.flags')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.serviceId}>
                <Table.Td>
                  {formatDate(i.nextFollowUpOn)}{' '}
                  <Badge color={STATE_COLOR[i.state]}>{t(`pathway.worklist.state.${i.state}`)}</Badge>
                </Table.Td>
                <Table.Td>
                  <Link to={`/sager/${i.case.id}`}>{i.citizen.name}</Link>
                  <Text size="xs">
                    {i.case.caseNumber} · {i.case.caseworkerName}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Link to={`/ydelser/${i.serviceId}`}>
                    {i.paragraph} {i.ydelse}
                  </Link>
                </Table.Td>
                <Table.Td>{i.provider.name}</Table.Td>
                <Table.Td>
                  <WorklistFlags i={i} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {items.length > 0 && (
        // On a phone: one card per follow-up, everything readable without scrolling sideways.
        <Stack gap="xs" hiddenFrom="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((i) => (
            <Card key={i.serviceId} withBorder padding="sm" component="li">
              <Group justify="space-between" wrap="wrap" gap={4}>
                <Text fw={600}>{formatDate(i.nextFollowUpOn)}</Text>
                <Badge color={STATE_COLOR[i.state]}>{t(`pathway.worklist.state.${i.state}`)}</Badge>
              </Group>
              <Link to={`/sager/${i.case.id}`}>{i.citizen.name}</Link>
              <Text size="sm">
                <Link to={`/ydelser/${i.serviceId}`}>
                  {i.paragraph} {i.ydelse}
                </Link>{' '}
                · {i.provider.name}
              </Text>
              <Text size="xs" c="dimmed">
                {i.case.caseNumber} · {i.case.caseworkerName}
              </Text>
              <WorklistFlags i={i} />
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
