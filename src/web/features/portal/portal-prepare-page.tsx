import {
  Alert,
  Button,
  Card,
  Loader,
  NativeSelect,
  Radio,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatNumber, serverFieldErrors } from '../../components/forms';

interface Instrument {
  key: string;
  name: string;
  period: string;
  items: { id: string; text: string }[];
  scale: { min: number; max: number; step: number; labels: { value: number; label: string }[] };
}
interface Preparation {
  preparation: { topics: string; ratings: Record<string, number>; version: number } | null;
  goals: { id: string; kind: string; title: string; gasLevels: Record<string, string> | null }[];
  instruments: Instrument[];
}

const LEVELS = ['-2', '-1', '0', '1', '2'] as const;

type Notice = 'saved' | 'conflict' | null;

/**
 * The form remounts with each saved version (its fields start from the saved text), so what it says about
 * the last save lives in the page above it.
 */
function PrepareForm({
  data,
  notice,
  setNotice,
}: {
  data: Preparation;
  notice: Notice;
  setNotice: (n: Notice) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [topics, setTopics] = useState(data.preparation?.topics ?? '');
  const [ratings, setRatings] = useState<Record<string, string>>(
    Object.fromEntries(Object.entries(data.preparation?.ratings ?? {}).map(([k, v]) => [k, String(v)])),
  );
  const save = useMutation({
    mutationFn: () =>
      put('/api/portal/before-follow-up', {
        topics,
        ratings: Object.fromEntries(Object.entries(ratings).map(([k, v]) => [k, Number(v)])),
        baseVersion: data.preparation?.version ?? 0,
      }),
    onSuccess: async () => {
      setNotice('saved');
      await qc.invalidateQueries({ queryKey: ['portal-prepare'] });
    },
    onError: async (err) => {
      if (err instanceof ApiError && err.code === 'version_conflict') {
        setNotice('conflict');
        await qc.invalidateQueries({ queryKey: ['portal-prepare'] });
      }
    },
  });
  const errors = serverFieldErrors(save.error);
  return (
    <Card
      withBorder
      padding="lg"
      component="form"
      aria-labelledby="prepare-form"
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        setNotice(null);
        save.mutate();
      }}
    >
      <Stack>
        <Title order={2} size="h3" id="prepare-form">
          {t('portal.prepare.topics')}
        </Title>
        <Textarea
          label={t('portal.prepare.topics')}
          labelProps={{ className: 'visually-hidden' }}
          description={t('portal.prepare.topicsHelp')}
          value={topics}
          onChange={(e) => setTopics(e.currentTarget.value)}
          autosize
          minRows={3}
          error={errors.topics}
        />
        <Title order={2} size="h3">
          {t('portal.prepare.rate')}
        </Title>
        <Text size="sm">{t('portal.prepare.rateHelp')}</Text>
        {data.goals.length === 0 && <Text>{t('portal.prepare.noGoals')}</Text>}
        {data.goals.map((g) => (
          <Radio.Group
            key={g.id}
            label={g.title}
            value={ratings[g.id] ?? ''}
            onChange={(v) => setRatings((r) => ({ ...r, [g.id]: v }))}
          >
            <Stack gap={6} mt={6}>
              {LEVELS.map((l) => (
                <Radio
                  key={l}
                  value={l}
                  label={`${l === '0' ? '0' : Number(l) > 0 ? `+${l}` : l}: ${g.gasLevels?.[l] ?? t(`portal.prepare.levels.${l}`)}`}
                />
              ))}
            </Stack>
          </Radio.Group>
        ))}
        {notice === 'saved' && (
          <Alert color="green" variant="outline" role="status">
            {t('portal.prepare.saved')}
          </Alert>
        )}
        {notice === 'conflict' && (
          <Alert color="yellow" variant="outline" role="alert">
            {t('portal.prepare.conflict')}
          </Alert>
        )}
        {save.error && notice !== 'conflict' && <ErrorAlert error={save.error} />}
        <Button type="submit" loading={save.isPending} style={{ alignSelf: 'flex-start' }}>
          {t('portal.prepare.save')}
        </Button>
      </Stack>
    </Card>
  );
}

function Questionnaire({ instrument }: { instrument: Instrument }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const send = useMutation({
    mutationFn: () =>
      post<{ score: number }>('/api/portal/measurements', {
        instrumentKey: instrument.key,
        answers: Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, Number(v)])),
      }),
    onSuccess: async () => {
      setAnswers({});
      await qc.invalidateQueries({ queryKey: ['portal-progress'] });
    },
  });
  const complete = instrument.items.every((i) => answers[i.id] !== undefined);
  const id = `q-${instrument.key}`;
  return (
    <Card
      withBorder
      padding="lg"
      component="form"
      aria-labelledby={id}
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        send.mutate();
      }}
    >
      <Stack>
        <Title order={2} size="h3" id={id}>
          {t('portal.prepare.questionnaire', { name: instrument.name })}
        </Title>
        <Text size="sm">
          {t('portal.prepare.period', {
            period: instrument.period.charAt(0).toLowerCase() + instrument.period.slice(1),
          })}
        </Text>
        {instrument.items.map((item) => (
          <NativeSelect
            key={item.id}
            label={item.text}
            value={answers[item.id] ?? ''}
            onChange={(e) => {
              // Read the value now: React clears currentTarget before a state updater runs.
              const value = e.currentTarget.value;
              setAnswers((a) => ({ ...a, [item.id]: value }));
            }}
            data={[
              { value: '', label: '–', disabled: true },
              ...instrument.scale.labels.map((l) => ({
                value: String(l.value),
                label: `${l.value}: ${l.label}`,
              })),
            ]}
          />
        ))}
        {send.data && (
          <Alert color="green" variant="outline" role="status">
            {t('portal.prepare.questionnaireSaved', { score: formatNumber(send.data.score) })}
          </Alert>
        )}
        <ErrorAlert error={send.error} />
        <Button
          type="submit"
          disabled={!complete}
          loading={send.isPending}
          style={{ alignSelf: 'flex-start' }}
        >
          {t('portal.prepare.submitQuestionnaire')}
        </Button>
      </Stack>
    </Card>
  );
}

/** Før opfølgningen: what I want to talk about, my own level per goal, and my questionnaires. */
export function PortalPreparePage() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['portal-prepare'],
    queryFn: () => get<Preparation>('/api/portal/before-follow-up'),
  });
  const [notice, setNotice] = useState<Notice>(null);
  if (q.isLoading) return <Loader aria-label={t('portal.loading')} />;
  if (!q.data) return <ErrorAlert error={q.error} />;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('portal.prepare.title')}</Title>
        <Text>{t('portal.prepare.intro')}</Text>
      </div>
      <PrepareForm
        key={q.data.preparation?.version ?? 0}
        data={q.data}
        notice={notice}
        setNotice={setNotice}
      />
      {q.data.instruments.map((i) => (
        <Questionnaire key={i.key} instrument={i} />
      ))}
    </Stack>
  );
}
