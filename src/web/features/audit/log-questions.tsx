import { Alert, Button, Card, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../components/forms';
import { actorText, eventSentence } from './describe';

interface Question {
  id: string;
  citizen: { id: string; name: string };
  question: string;
  askedAt: string;
  answer: string | null;
  answeredAt: string | null;
  event: {
    at: string;
    action: string;
    resourceType: string;
    role: string | null;
    actorName: string | null;
  } | null;
}

function AnswerForm({ q }: { q: Question }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [answer, setAnswer] = useState('');
  const send = useMutation({
    mutationFn: () => post(`/api/audit/questions/${q.id}/answer`, { answer }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['log-questions'] }),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
    >
      <Stack gap="xs">
        <Textarea
          label={t('audit.questions.answer')}
          value={answer}
          onChange={(e) => setAnswer(e.currentTarget.value)}
          autosize
          minRows={2}
          required
        />
        <ErrorAlert error={send.error} />
        <Button
          type="submit"
          size="xs"
          loading={send.isPending}
          disabled={!answer.trim()}
          style={{ alignSelf: 'flex-start' }}
        >
          {t('audit.questions.send')}
        </Button>
      </Stack>
    </form>
  );
}

/** Citizens' questions about events in Min log ("Det her forstår jeg ikke"), open first, for the administrator. */
export function LogQuestions() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['log-questions'],
    queryFn: () => get<{ items: Question[] }>('/api/audit/questions'),
  });
  const open = q.data?.items.filter((x) => !x.answer).length ?? 0;
  return (
    <Card withBorder component="section" aria-labelledby="log-questions">
      <Title order={2} size="h3" id="log-questions">
        {t('audit.questions.title', { count: open })}
      </Title>
      <Text size="sm" mb="sm">
        {t('audit.questions.intro')}
      </Text>
      <ErrorAlert error={q.error} />
      {q.data?.items.length === 0 && <Text>{t('audit.questions.none')}</Text>}
      <Stack>
        {q.data?.items.map((x) => (
          <Card withBorder key={x.id} padding="sm">
            <Text fw={600}>
              {x.citizen.name} · {formatDateTime(x.askedAt)}
            </Text>
            {x.event && (
              <Text size="sm" c="dimmed">
                {t('audit.questions.about', {
                  at: formatDateTime(x.event.at),
                  who: actorText(x.event, t),
                  what: eventSentence(x.event, t),
                })}
              </Text>
            )}
            <Text style={{ whiteSpace: 'pre-wrap' }}>{x.question || t('audit.questions.noText')}</Text>
            {x.answer ? (
              <Alert
                color="green"
                variant="outline"
                mt="xs"
                title={t('audit.questions.answered', { at: formatDateTime(x.answeredAt!) })}
              >
                {x.answer}
              </Alert>
            ) : (
              <AnswerForm q={x} />
            )}
          </Card>
        ))}
      </Stack>
    </Card>
  );
}
