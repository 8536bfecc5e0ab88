import { Badge, Card, Group, List, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, formatNumber, todayIso } from '../../components/forms';
import type { PortalSession } from './portal-app';

interface Goal {
  id: string;
  kind: string;
  title: string;
  wordsOf: string;
  what: string | null;
  dueOn: string | null;
  status: string;
}
interface Intervention extends Goal {
  subGoals: Goal[];
}
interface MyPlan {
  citizen: { firstName: string; lastName: string };
  plans: {
    caseId: string;
    caseNumber: string;
    plan: {
      version: number;
      sharedAt: string | null;
      purpose: string | null;
      expectedDuration: string | null;
      areas: Record<string, string | null>;
      participants: { kind: string; name: string; responsibility: string }[];
    } | null;
    myGoals: (Goal & { workedOnBy: Intervention[] })[];
    purposes: Goal[];
    otherGoals: Intervention[];
  }[];
  services: {
    id: string;
    what: string;
    paragraph: string;
    provider: string | null;
    status: string;
    hoursPerWeek: number | null;
    since: string | null;
  }[];
  nextFollowUpOn: string | null;
  contacts: { role: 'caseworker' | 'provider'; name: string | null; unit: string | null }[];
}

function GoalStatus({ status }: { status: string }) {
  const { t } = useTranslation();
  const color =
    status === 'achieved' ? STATUS_COLORS.positive : status === 'active' ? 'blue.9' : STATUS_COLORS.neutral;
  return (
    <Badge color={color} style={{ flexShrink: 0 }}>
      {t(`portal.plan.status.${status}`)}
    </Badge>
  );
}

function InterventionItem({ goal }: { goal: Intervention }) {
  const { t } = useTranslation();
  return (
    <List.Item>
      <Text fw={500}>{goal.title}</Text>
      {goal.what && <Text size="sm">{goal.what}</Text>}
      <Text size="sm" c="dimmed">
        {t(`portal.plan.wordsOf.${goal.wordsOf}`)}
        {goal.dueOn ? ` · ${t('portal.plan.due', { date: formatDate(goal.dueOn) })}` : ''}
      </Text>
      {goal.subGoals.length > 0 && (
        <>
          <Text size="sm" fw={500} mt={4}>
            {t('portal.plan.subGoals')}
          </Text>
          <List size="sm" withPadding>
            {goal.subGoals.map((s) => (
              <List.Item key={s.id}>{s.title}</List.Item>
            ))}
          </List>
        </>
      )}
    </List.Item>
  );
}

/** Min plan: my goals first, then my action plan, my services, the next follow-up and my contacts. */
export function PortalPlanPage({ session }: { session: PortalSession }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['portal-plan'], queryFn: () => get<MyPlan>('/api/portal/plan') });
  if (q.isLoading) return <Loader aria-label={t('portal.loading')} />;
  if (q.error || !q.data) return <ErrorAlert error={q.error} />;
  const d = q.data;
  const caseworkers = d.contacts.filter((c) => c.role === 'caseworker');
  const providers = d.contacts.filter((c) => c.role === 'provider');
  return (
    <Stack gap="lg">
      <div>
        <Text c="dimmed">
          {session.representative
            ? t('portal.plan.helloRepresentative', {
                name: session.representative.name.split(' ')[0],
                citizen: session.citizen.firstName,
                // Danish genitive: "Lines plan", but "Jonas' plan".
                citizenGenitive: /[sxz]$/i.test(session.citizen.firstName)
                  ? `${session.citizen.firstName}'`
                  : `${session.citizen.firstName}s`,
              })
            : t('portal.plan.hello', { name: session.citizen.firstName })}
        </Text>
        <Title order={1}>{t('portal.plan.title')}</Title>
      </div>

      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('portal.plan.nextFollowUp')}
          </Text>
          <Text fw={700} size="xl">
            {d.nextFollowUpOn ? formatDate(d.nextFollowUpOn) : t('portal.plan.noFollowUp')}
          </Text>
          {d.nextFollowUpOn && d.nextFollowUpOn < todayIso() && (
            <Text size="sm">{t('portal.plan.overdue')}</Text>
          )}
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('portal.plan.contacts')}
          </Text>
          <Stack gap={4}>
            {caseworkers.map((c) => (
              <Text key={`cw${c.name}${c.unit}`}>
                <b>{t('portal.plan.caseworker')}:</b> {[c.name, c.unit].filter(Boolean).join(', ')}
              </Text>
            ))}
            {providers.map((c) => (
              <Text key={`p${c.unit}`}>
                <b>{t('portal.plan.provider')}:</b> {c.unit}
              </Text>
            ))}
          </Stack>
        </Card>
      </SimpleGrid>

      {d.plans.map((p) => (
        <Stack key={p.caseId} gap="lg">
          <section aria-labelledby={`goals-${p.caseId}`}>
            <Title order={2} id={`goals-${p.caseId}`} mb={4}>
              {t('portal.plan.myGoals')}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {p.myGoals.length ? t('portal.plan.myGoalsIntro') : t('portal.plan.noGoals')}
            </Text>
            <Stack>
              {p.myGoals.map((g) => (
                <Card withBorder key={g.id} padding="md">
                  <Group justify="space-between" align="flex-start" wrap="nowrap">
                    <div>
                      <Title order={3} size="h4">
                        {g.title}
                      </Title>
                      <Text size="sm" c="dimmed">
                        {t(`portal.plan.wordsOf.${g.wordsOf}`)}
                      </Text>
                    </div>
                    <GoalStatus status={g.status} />
                  </Group>
                  {g.workedOnBy.length > 0 && (
                    <>
                      <Text fw={600} size="sm" mt="sm">
                        {t('portal.plan.workedOn')}
                      </Text>
                      <List spacing="xs" mt={4}>
                        {g.workedOnBy.map((i) => (
                          <InterventionItem key={i.id} goal={i} />
                        ))}
                      </List>
                    </>
                  )}
                </Card>
              ))}
              {p.otherGoals.length > 0 && (
                <Card withBorder padding="md">
                  <Title order={3} size="h4">
                    {t('portal.plan.otherGoals')}
                  </Title>
                  <List spacing="xs" mt={4}>
                    {p.otherGoals.map((i) => (
                      <InterventionItem key={i.id} goal={i} />
                    ))}
                  </List>
                </Card>
              )}
            </Stack>
          </section>

          <section aria-labelledby={`plan-${p.caseId}`}>
            <Title order={2} id={`plan-${p.caseId}`} mb={4}>
              {t('portal.plan.actionPlan')}
            </Title>
            {!p.plan ? (
              <Text>{t('portal.plan.noActionPlan')}</Text>
            ) : (
              <Card withBorder>
                <Text size="sm" c="dimmed" mb="sm">
                  {t('portal.plan.actionPlanMeta', {
                    version: p.plan.version,
                    date: formatDate(p.plan.sharedAt),
                  })}
                  {' · '}
                  {t('portal.plan.caseNumber', { number: p.caseNumber })}
                </Text>
                <Stack gap="sm">
                  {p.plan.purpose && (
                    <div>
                      <Text fw={600}>{t('portal.plan.purpose')}</Text>
                      <Text>{p.plan.purpose}</Text>
                    </div>
                  )}
                  {Object.entries(p.plan.areas)
                    .filter(([, v]) => v)
                    .map(([k, v]) => (
                      <div key={k}>
                        <Text fw={600}>{t(`portal.plan.areas.${k}`)}</Text>
                        <Text>{v}</Text>
                      </div>
                    ))}
                  {p.plan.expectedDuration && (
                    <div>
                      <Text fw={600}>{t('portal.plan.expectedDuration')}</Text>
                      <Text>{p.plan.expectedDuration}</Text>
                    </div>
                  )}
                  {p.plan.participants.length > 0 && (
                    <div>
                      <Text fw={600}>{t('portal.plan.participants')}</Text>
                      <List>
                        {p.plan.participants.map((x) => (
                          <List.Item key={`${x.name}${x.responsibility}`}>
                            <b>{x.name}:</b> {x.responsibility}
                          </List.Item>
                        ))}
                      </List>
                    </div>
                  )}
                </Stack>
              </Card>
            )}
          </section>
        </Stack>
      ))}

      <section aria-labelledby="services">
        <Title order={2} id="services" mb={4}>
          {t('portal.plan.services')}
        </Title>
        {d.services.length === 0 ? (
          <Text>{t('portal.plan.noServices')}</Text>
        ) : (
          <Stack gap="sm">
            {d.services.map((s) => (
              <Card withBorder key={s.id} padding="md">
                <Text fw={600}>{s.what}</Text>
                <Table variant="vertical" withRowBorders={false} mt={4} layout="fixed">
                  <Table.Tbody>
                    <Table.Tr>
                      <Table.Th w="45%">{t('portal.plan.service.who')}</Table.Th>
                      <Table.Td>{s.provider ?? '–'}</Table.Td>
                    </Table.Tr>
                    <Table.Tr>
                      <Table.Th>{t('portal.plan.service.hours')}</Table.Th>
                      <Table.Td>{formatNumber(s.hoursPerWeek)}</Table.Td>
                    </Table.Tr>
                    <Table.Tr>
                      <Table.Th>{t('portal.plan.service.since')}</Table.Th>
                      <Table.Td>
                        {s.status === 'granted' ? t('portal.plan.service.granted') : formatDate(s.since)}
                      </Table.Td>
                    </Table.Tr>
                  </Table.Tbody>
                </Table>
                <Text size="xs" c="dimmed">
                  {s.paragraph}
                </Text>
              </Card>
            ))}
          </Stack>
        )}
      </section>
    </Stack>
  );
}
