import {
  Badge,
  Blockquote,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GAS_KINDS, type GoalKind } from '../../../shared/pathway';
import { get, post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, formatDateTime } from '../../components/forms';
import { GoalForm } from './goal-form';
import type { CaseView, Goal } from './types';

const statusColor = (s: string) =>
  s === 'achieved'
    ? STATUS_COLORS.positive
    : s === 'not_achieved' || s === 'cancelled'
      ? STATUS_COLORS.neutral
      : 'blue.9';

function Notes({ goal, canWrite, onSaved }: { goal: Goal; canWrite: boolean; onSaved: () => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [writing, setWriting] = useState(false);
  const add = useMutation({
    mutationFn: () => post(`/api/goals/${goal.id}/notes`, { body }),
    onSuccess: () => {
      setBody('');
      setWriting(false);
      onSaved();
    },
  });
  if (!goal.notes.length && !canWrite) return null;
  if (!goal.notes.length && !writing)
    return (
      <Group mt={4}>
        <Button size="xs" variant="subtle" onClick={() => setWriting(true)}>
          {t('pathway.goals.addNote')}
        </Button>
      </Group>
    );
  return (
    <Stack gap={4} mt="xs">
      <Text fw={600} size="sm">
        {t('pathway.goals.notes')}
      </Text>
      {goal.notes.map((n) => (
        <Text size="sm" key={n.createdAt}>
          {formatDateTime(n.createdAt)} · {n.authorName}: {n.body}
        </Text>
      ))}
      {canWrite && !writing && (
        <Group>
          <Button size="xs" variant="subtle" onClick={() => setWriting(true)}>
            {t('pathway.goals.addNote')}
          </Button>
        </Group>
      )}
      {canWrite && writing && (
        <Group align="flex-end" gap="xs">
          <Textarea
            label={t('pathway.goals.note')}
            autoFocus
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            autosize
            style={{ flex: 1 }}
            size="sm"
          />
          <Button
            size="sm"
            variant="outline"
            disabled={!body.trim()}
            loading={add.isPending}
            onClick={() => add.mutate()}
          >
            {t('pathway.goals.addNote')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={add.error} />
    </Stack>
  );
}

interface GoalEvent {
  id: string;
  kind: string;
  snapshot: { status?: string; title?: string } | null;
  body: string | null;
  authorName: string | null;
  createdAt: string;
}

/** How the goal and its status moved, with who and when (loaded on demand). */
function GoalHistory({ goal }: { goal: Goal }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const q = useQuery({
    queryKey: ['goal-history', goal.id, goal.version],
    queryFn: () => get<{ items: GoalEvent[] }>(`/api/goals/${goal.id}/history`),
    enabled: open,
  });
  return (
    <div>
      <Button size="xs" variant="subtle" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {t('common.history')}
        <span className="visually-hidden">: {goal.title}</span>
      </Button>
      {open &&
        q.data?.items
          .filter((e) => e.kind !== 'note')
          .map((e) => (
            <Text size="xs" key={e.id}>
              {formatDateTime(e.createdAt)} · {e.authorName} ·{' '}
              {e.snapshot?.status ? t(`pathway.goals.status.${e.snapshot.status}`) : ''}
              {e.snapshot?.title && e.snapshot.title !== goal.title ? ` · “${e.snapshot.title}”` : ''}
            </Text>
          ))}
    </div>
  );
}

function OfferLinks({ goal, canWrite, onSaved }: { goal: Goal; canWrite: boolean; onSaved: () => void }) {
  const { t } = useTranslation();
  const [offerId, setOfferId] = useState<string | null>(null);
  const [startedOn, setStartedOn] = useState('');
  const offers = useQuery({
    queryKey: ['community-offers'],
    queryFn: () => get<{ items: { id: string; name: string }[] }>('/api/community-offers'),
    enabled: canWrite,
  });
  const link = useMutation({
    mutationFn: () =>
      post(`/api/goals/${goal.id}/offers`, {
        offerId,
        status: startedOn ? 'started' : 'suggested',
        startedOn: startedOn || null,
      }),
    onSuccess: () => {
      setOfferId(null);
      setStartedOn('');
      onSaved();
    },
  });
  if (!goal.offers.length && !canWrite) return null;
  return (
    <Stack gap={4} mt="xs">
      <Text fw={600} size="sm">
        {t('pathway.goals.offers')}
      </Text>
      {goal.offers.map((o) => (
        <Text size="sm" key={o.id}>
          {o.offerName} · {t(`pathway.community.link.status.${o.status}`)}
          {o.startedOn && ` · ${t('pathway.community.link.startedOn')} ${formatDate(o.startedOn)}`}
        </Text>
      ))}
      {canWrite && (
        <Group align="flex-end" gap="xs">
          <Select
            size="sm"
            label={t('pathway.goals.linkOffer')}
            data={(offers.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            value={offerId}
            onChange={setOfferId}
            searchable
          />
          <TextInput
            size="sm"
            type="date"
            label={t('pathway.community.link.startedOn')}
            value={startedOn}
            onChange={(e) => setStartedOn(e.currentTarget.value)}
          />
          <Button
            size="sm"
            variant="outline"
            disabled={!offerId}
            loading={link.isPending}
            onClick={() => link.mutate()}
          >
            {t('common.save')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={link.error} />
    </Stack>
  );
}

function GoalCard({
  goal,
  children,
  canWrite,
  onEdit,
  onSaved,
}: {
  goal: Goal;
  children?: React.ReactNode;
  canWrite: boolean;
  onEdit: (g: Goal) => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const ownWords = goal.wordsOf === 'citizen' || goal.wordsOf === 'citizen_supported';
  return (
    <Card
      withBorder
      padding="sm"
      component="article"
      aria-label={`${t(`pathway.goals.kinds.${goal.kind}`)}: ${goal.title}`}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} style={{ flex: 1 }}>
          <Text size="xs" fw={700} tt="uppercase">
            {t(`pathway.goals.kinds.${goal.kind}`)}
          </Text>
          {ownWords ? (
            <Blockquote p="xs" color="blue.9" cite={t(`pathway.goals.wordsOf.${goal.wordsOf}`)}>
              {goal.title}
            </Blockquote>
          ) : (
            <Text fw={600}>{goal.title}</Text>
          )}
          <Group gap="xs">
            <Badge color={statusColor(goal.status)}>{t(`pathway.goals.status.${goal.status}`)}</Badge>
            {!ownWords && (
              <Badge variant="outline" color="gray.8">
                {t(`pathway.goals.wordsOf.${goal.wordsOf}`)}
              </Badge>
            )}
            {goal.untraced ? (
              <Badge color={STATUS_COLORS.warning}>{t('pathway.goals.untraced')}</Badge>
            ) : (
              goal.kind !== 'citizen_goal' && (
                <Badge variant="outline" color={STATUS_COLORS.positive}>
                  {t('pathway.goals.traced')}
                </Badge>
              )
            )}
            {GAS_KINDS.includes(goal.kind) && !goal.gas && (
              <Badge color={STATUS_COLORS.warning} title={t('pathway.goals.gas.missing')}>
                {t('pathway.goals.gas.none')}
              </Badge>
            )}
          </Group>
          {goal.subtheme && (
            <Text size="sm">
              {goal.subtheme.display} · {t('pathway.goals.expectedLevel')}: {goal.expectedLevel} ·{' '}
              {goal.goalType?.display}
            </Text>
          )}
          {goal.what && (
            <Text size="sm">
              {t('pathway.goals.what')} {goal.what}
            </Text>
          )}
          {goal.measure && (
            <Text size="sm">
              {t('pathway.goals.measure')} {goal.measure}
            </Text>
          )}
          {(goal.dueOn || goal.helpers) && (
            <Text size="sm">
              {goal.dueOn && `${t('pathway.goals.due')} ${formatDate(goal.dueOn)}`}
              {goal.dueOn && goal.helpers && ' · '}
              {goal.helpers && `${t('pathway.goals.helpers')} ${goal.helpers}`}
            </Text>
          )}
          <Notes goal={goal} canWrite={canWrite} onSaved={onSaved} />
          <GoalHistory goal={goal} />
          {goal.kind === 'citizen_goal' && <OfferLinks goal={goal} canWrite={canWrite} onSaved={onSaved} />}
        </Stack>
        {canWrite && (
          <Button
            size="xs"
            variant="outline"
            onClick={() => onEdit(goal)}
            aria-label={`${t('common.edit')}: ${goal.title}`}
          >
            {t('common.edit')}
          </Button>
        )}
      </Group>
      {children && (
        <Stack gap="xs" mt="sm" ml="lg">
          {children}
        </Stack>
      )}
    </Card>
  );
}

/** The goal hierarchy with the citizen's own goals on top and everything else hanging under them. */
export function GoalsSection({ c, onSaved }: { c: CaseView; onSaved: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<{ kind: GoalKind; goal?: Goal | null; parentGoalId?: string } | null>(
    null,
  );
  const canWrite = c.permissions.write;
  const citizenGoals = c.goals.filter((g) => g.kind === 'citizen_goal');
  const interventions = c.goals.filter((g) => g.kind === 'intervention');
  const purpose = c.goals.filter((g) => g.kind === 'purpose');
  const subsOf = (id: string) => c.goals.filter((g) => g.kind === 'sub' && g.parentGoalId === id);
  const edit = (g: Goal) => setForm({ kind: g.kind, goal: g });
  const renderIntervention = (g: Goal) => (
    <GoalCard key={g.id} goal={g} canWrite={canWrite} onEdit={edit} onSaved={onSaved}>
      {subsOf(g.id).map((s) => (
        <GoalCard key={s.id} goal={s} canWrite={canWrite} onEdit={edit} onSaved={onSaved} />
      ))}
      {canWrite && (
        <Button size="xs" variant="subtle" onClick={() => setForm({ kind: 'sub', parentGoalId: g.id })}>
          {t('pathway.goals.addSub')}
        </Button>
      )}
    </GoalCard>
  );
  const unlinked = interventions.filter((g) => !g.citizenGoalId);
  return (
    <Stack>
      {canWrite && (
        <Group>
          {(['citizen_goal', 'purpose', 'intervention'] as const).map((k) => (
            <Button
              key={k}
              variant={k === 'citizen_goal' ? 'filled' : 'outline'}
              onClick={() => setForm({ kind: k })}
            >
              {t('pathway.goals.add', { kind: t(`pathway.goals.kinds.${k}`).toLowerCase() })}
            </Button>
          ))}
        </Group>
      )}
      {c.goals.length === 0 && <Text>{t('pathway.goals.none')}</Text>}
      {/* The citizen's own goals first, each with what is worked on towards it; then the purpose. */}
      {citizenGoals.map((g) => {
        const towards = interventions.filter((i) => i.citizenGoalId === g.id);
        return (
          <GoalCard key={g.id} goal={g} canWrite={canWrite} onEdit={edit} onSaved={onSaved}>
            {towards.map(renderIntervention)}
            {towards.length === 0 && g.status !== 'cancelled' && (
              <Text size="sm" c="dimmed">
                {t('pathway.goals.needsIntervention')}
              </Text>
            )}
          </GoalCard>
        );
      })}
      {purpose.map((g) => (
        <GoalCard key={g.id} goal={g} canWrite={canWrite} onEdit={edit} onSaved={onSaved} />
      ))}
      {unlinked.length > 0 && (
        <section aria-labelledby="unlinked-title">
          <Title order={3} size="h5" id="unlinked-title" mb="xs">
            {t('pathway.goals.unlinked')}
          </Title>
          <Stack gap="xs">{unlinked.map(renderIntervention)}</Stack>
        </section>
      )}
      {form && (
        <GoalForm
          opened
          onClose={() => setForm(null)}
          onSaved={onSaved}
          kind={form.kind}
          goal={form.goal ?? null}
          caseId={c.id}
          citizenGoals={citizenGoals}
          interventionGoals={interventions}
          parentGoalId={form.parentGoalId ?? null}
        />
      )}
    </Stack>
  );
}
