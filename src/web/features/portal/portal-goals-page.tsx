import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { portalGoalProposalBody } from '../../../shared/schemas';
import { get, post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, formatDate, serverFieldErrors, validate } from '../../components/forms';
import { SavedNotice } from '../../components/notice';
import type { PortalSession } from './portal-app';

interface MyGoals {
  cases: {
    id: string;
    caseNumber: string;
    openedOn: string;
    goals: { id: string; title: string; status: string }[];
  }[];
  proposals: {
    id: string;
    caseId: string;
    goal: { id: string; title: string | null } | null;
    words: string;
    byRepresentative: boolean;
    status: 'open' | 'accepted' | 'answered';
    answer: string | null;
    answeredAt: string | null;
    resultingGoal: { id: string; title: string | null } | null;
    createdAt: string;
  }[];
}

const STATUS_COLOR = {
  open: STATUS_COLORS.warning,
  accepted: STATUS_COLORS.positive,
  answered: STATUS_COLORS.neutral,
} as const;

/** The form: a new goal, or a change to one of my goals, in my own words. */
function ProposeForm({ data, fixedGoal, onDone }: { data: MyGoals; fixedGoal?: string; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [caseId, setCaseId] = useState(data.cases[0]?.id ?? '');
  const [words, setWords] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const send = useMutation({
    mutationFn: (body: unknown) => post('/api/portal/goals/proposals', body),
    onSuccess: async () => {
      setWords('');
      onDone();
      await qc.invalidateQueries({ queryKey: ['portal-goals'] });
    },
    onError: (err) => setErrors(serverFieldErrors(err)),
  });
  const goalCase = fixedGoal ? data.cases.find((c) => c.goals.some((g) => g.id === fixedGoal)) : null;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const v = validate(portalGoalProposalBody, {
      caseId: goalCase?.id ?? caseId,
      goalId: fixedGoal ?? null,
      words,
    });
    setErrors(v.errors);
    if (v.data) send.mutate(v.data);
  };
  return (
    <Stack component="form" onSubmit={submit} gap="sm">
      {!fixedGoal && data.cases.length > 1 && (
        <Select
          label={t('portal.goals.case')}
          data={data.cases.map((c) => ({
            value: c.id,
            label: t('portal.goals.caseLabel', { number: c.caseNumber, date: formatDate(c.openedOn) }),
          }))}
          value={caseId}
          onChange={(v) => setCaseId(v ?? '')}
          allowDeselect={false}
        />
      )}
      <Textarea
        label={fixedGoal ? t('portal.goals.changeLabel') : t('portal.goals.newLabel')}
        description={t('portal.goals.wordsHelp')}
        value={words}
        onChange={(e) => setWords(e.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={500}
        error={errors.words}
      />
      <ErrorAlert error={send.error && !errors.words ? send.error : null} />
      <Group>
        <Button type="submit" loading={send.isPending}>
          {t('portal.goals.send')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Mine mål: my own goals; I propose new ones or changes in my words, and read the caseworker's answers. */
export function PortalGoalsPage({ session }: { session: PortalSession }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['portal-goals'], queryFn: () => get<MyGoals>('/api/portal/goals') });
  const [changing, setChanging] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const mayWrite = !session.representative || session.representative.scopes.includes('write');
  const data = q.data;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('portal.goals.title')}</Title>
        <Text>{t('portal.goals.intro')}</Text>
      </div>
      {q.isLoading && <Loader aria-label={t('portal.loading')} />}
      <ErrorAlert error={q.error} />
      <SavedNotice text={sent ? t('portal.goals.sent') : null} onClose={() => setSent(false)} />
      {data && data.cases.length === 0 && <Text>{t('portal.goals.noCase')}</Text>}
      {data && data.cases.length > 0 && (
        <>
          <Card withBorder padding="lg" component="section" aria-labelledby="my-goals">
            <Title order={2} size="h3" id="my-goals" mb="sm">
              {t('portal.goals.mine', { count: data.cases.reduce((n, c) => n + c.goals.length, 0) })}
            </Title>
            <Stack gap="md">
              {data.cases.flatMap((c) => c.goals).length === 0 && <Text>{t('portal.goals.none')}</Text>}
              {data.cases
                .flatMap((c) => c.goals)
                .map((g) => (
                  <div key={g.id}>
                    <Group justify="space-between" wrap="wrap" gap="xs">
                      <Text fw={600}>{g.title}</Text>
                      {mayWrite && changing !== g.id && (
                        <Button size="xs" variant="subtle" onClick={() => setChanging(g.id)}>
                          {t('portal.goals.change')}
                        </Button>
                      )}
                    </Group>
                    {changing === g.id && (
                      <Card withBorder mt="xs" padding="sm">
                        <ProposeForm
                          data={data}
                          fixedGoal={g.id}
                          onDone={() => {
                            setChanging(null);
                            setSent(true);
                          }}
                        />
                        <Button size="xs" variant="subtle" mt="xs" onClick={() => setChanging(null)}>
                          {t('portal.goals.cancel')}
                        </Button>
                      </Card>
                    )}
                  </div>
                ))}
            </Stack>
          </Card>
          {mayWrite && (
            <Card withBorder padding="lg" component="section" aria-labelledby="new-goal">
              <Title order={2} size="h3" id="new-goal" mb="sm">
                {t('portal.goals.new')}
              </Title>
              <ProposeForm data={data} onDone={() => setSent(true)} />
            </Card>
          )}
        </>
      )}
      {data && data.proposals.length > 0 && (
        <section aria-labelledby="proposals">
          <Title order={2} size="h3" id="proposals" mb="sm">
            {t('portal.goals.proposals', { count: data.proposals.length })}
          </Title>
          <Stack gap="sm">
            {data.proposals.map((p) => (
              <Card key={p.id} withBorder padding="md">
                <Group justify="space-between" wrap="wrap" gap="xs" mb={4}>
                  <Text size="sm" c="dimmed">
                    {p.goal
                      ? t('portal.goals.changeOf', { title: p.goal.title ?? '' })
                      : t('portal.goals.newGoal')}{' '}
                    · {formatDate(p.createdAt)}
                    {p.byRepresentative ? ` · ${t('portal.goals.byRepresentative')}` : ''}
                  </Text>
                  <Badge color={STATUS_COLOR[p.status]} style={{ whiteSpace: 'normal', flexShrink: 0 }}>
                    {t(`portal.goals.status.${p.status}`)}
                  </Badge>
                </Group>
                <Text style={{ whiteSpace: 'pre-wrap' }}>“{p.words}”</Text>
                {p.answer && (
                  <Alert variant="light" color={p.status === 'accepted' ? 'green' : 'blue'} mt="sm" p="sm">
                    <Text size="sm" fw={600}>
                      {t('portal.goals.answer', { date: formatDate(p.answeredAt) })}
                    </Text>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {p.answer}
                    </Text>
                  </Alert>
                )}
                {p.status === 'accepted' && p.resultingGoal && (
                  <Text size="sm" mt="xs">
                    {t('portal.goals.nowGoal', { title: p.resultingGoal.title ?? '' })}
                  </Text>
                )}
              </Card>
            ))}
          </Stack>
        </section>
      )}
    </Stack>
  );
}
