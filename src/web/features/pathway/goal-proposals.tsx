import { Anchor, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate } from '../../components/forms';
import { SavedNotice } from '../../components/notice';

/** A citizen's proposal from Mine mål (issue 14), as staff see it. */
export interface Proposal {
  id: string;
  caseId: string;
  goal: { id: string; title: string | null } | null;
  words: string;
  representative: string | null;
  status: 'open' | 'accepted' | 'answered';
  answer: string | null;
  answeredAt: string | null;
  resultingGoal: { id: string; title: string | null } | null;
  createdAt: string;
  citizen?: { id: string; name: string };
  caseNumber?: string;
}

const STATUS_COLOR = {
  open: STATUS_COLORS.warning,
  accepted: STATUS_COLORS.positive,
  answered: STATUS_COLORS.neutral,
} as const;

/** One proposal with the caseworker's two answers: take it into the plan, or answer without. */
function ProposalCard({
  p,
  canAnswer,
  onDone,
}: {
  p: Proposal;
  canAnswer: boolean;
  /** Told what was done, in words; the list shows it (the card may leave the list). */
  onDone: (message: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState('');
  const [mode, setMode] = useState<'accept' | 'answer' | null>(null);
  const act = useMutation({
    mutationFn: (kind: 'accept' | 'answer') => post(`/api/goal-proposals/${p.id}/${kind}`, { answer }),
    onSuccess: async (_r, kind) => {
      setMode(null);
      await onDone(t(`pathway.proposals.done.${kind}`));
    },
  });
  return (
    <Card withBorder padding="sm">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed">
          {p.citizen && (
            <>
              <Anchor component={Link} to={`/sager/${p.caseId}`} size="sm" underline="always">
                {p.citizen.name} · {p.caseNumber}
              </Anchor>{' '}
              ·{' '}
            </>
          )}
          {p.goal ? t('pathway.proposals.change', { title: p.goal.title ?? '' }) : t('pathway.proposals.new')}{' '}
          · {formatDate(p.createdAt)}
          {p.representative
            ? ` · ${t('pathway.proposals.byRepresentative', { name: p.representative })}`
            : ''}
        </Text>
        <Badge color={STATUS_COLOR[p.status]}>{t(`pathway.proposals.status.${p.status}`)}</Badge>
      </Group>
      <Text fw={600} style={{ whiteSpace: 'pre-wrap' }}>
        “{p.words}”
      </Text>
      {p.answer && (
        <Text size="sm" mt={4}>
          {t('pathway.proposals.answered', { date: formatDate(p.answeredAt), answer: p.answer })}
        </Text>
      )}
      {canAnswer && p.status === 'open' && (
        <Stack gap="xs" mt="xs">
          {mode && (
            <Textarea
              label={
                mode === 'accept' ? t('pathway.proposals.acceptNote') : t('pathway.proposals.answerLabel')
              }
              description={mode === 'accept' ? t('pathway.proposals.acceptHelp') : undefined}
              value={answer}
              onChange={(e) => setAnswer(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={2000}
            />
          )}
          <ErrorAlert error={act.error} />
          <Group gap="xs">
            {mode === null ? (
              <>
                <Button size="xs" onClick={() => setMode('accept')}>
                  {p.goal ? t('pathway.proposals.acceptChange') : t('pathway.proposals.accept')}
                </Button>
                <Button size="xs" variant="outline" onClick={() => setMode('answer')}>
                  {t('pathway.proposals.answer')}
                </Button>
              </>
            ) : (
              <>
                <Button
                  size="xs"
                  loading={act.isPending}
                  disabled={mode === 'answer' && !answer.trim()}
                  onClick={() => act.mutate(mode)}
                >
                  {mode === 'accept' ? t('pathway.proposals.confirmAccept') : t('pathway.proposals.send')}
                </Button>
                <Button size="xs" variant="subtle" onClick={() => setMode(null)}>
                  {t('common.cancel')}
                </Button>
              </>
            )}
          </Group>
        </Stack>
      )}
    </Card>
  );
}

/** The citizen's proposals on one case (the case page); nothing is shown when there are none. */
export function CaseProposals({
  caseId,
  canAnswer,
  onChanged,
}: {
  caseId: string;
  canAnswer: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['case-proposals', caseId],
    queryFn: () => get<{ items: Proposal[] }>(`/api/cases/${caseId}/goal-proposals`),
  });
  const [notice, setNotice] = useState<string | null>(null);
  const items = q.data?.items ?? [];
  if (!q.error && items.length === 0) return null;
  const open = items.filter((p) => p.status === 'open').length;
  return (
    <section aria-labelledby="case-proposals">
      <Title order={2} size="h4" id="case-proposals" mb="xs">
        {t('pathway.proposals.caseTitle', { count: items.length, open })}
      </Title>
      <ErrorAlert error={q.error} />
      <SavedNotice text={notice} onClose={() => setNotice(null)} />
      <Stack gap="xs">
        {items.map((p) => (
          <ProposalCard
            key={p.id}
            p={p}
            canAnswer={canAnswer}
            onDone={async (message) => {
              setNotice(message);
              await qc.invalidateQueries({ queryKey: ['case-proposals', caseId] });
              onChanged();
            }}
          />
        ))}
      </Stack>
    </section>
  );
}

/** The worklist's proposals waiting for an answer (mine or my units'). */
export function WorklistProposals({ scope }: { scope: 'mine' | 'units' }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['open-proposals', scope],
    queryFn: () => get<{ items: Proposal[] }>(`/api/goal-proposals?scope=${scope}`),
  });
  const [notice, setNotice] = useState<string | null>(null);
  const items = q.data?.items ?? [];
  return (
    <section aria-labelledby="worklist-proposals">
      <Title order={2} size="h3" id="worklist-proposals" mb="xs">
        {t('pathway.proposals.worklistTitle', { count: items.length })}
      </Title>
      <ErrorAlert error={q.error} />
      <SavedNotice text={notice} onClose={() => setNotice(null)} />
      {q.data && items.length === 0 && <Text size="sm">{t('pathway.proposals.none')}</Text>}
      <Stack gap="xs">
        {items.map((p) => (
          <ProposalCard
            key={p.id}
            p={p}
            canAnswer
            onDone={async (message) => {
              setNotice(message);
              await qc.invalidateQueries({ queryKey: ['open-proposals'] });
            }}
          />
        ))}
      </Stack>
    </section>
  );
}
