import { Accordion, Alert, Button, Card, Loader, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { portalWordsBody } from '../../../shared/schemas';
import { ApiError, get, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, formatDateTime, serverFieldErrors, validate } from '../../components/forms';

interface Version {
  version: number;
  body: string;
  writtenBy: 'citizen' | 'staff_on_behalf' | 'representative';
  createdAt: string;
}
type Words = Record<'hopes' | 'resources', { current: Version | null; history: Version[] }>;

function WordsCard({ kind, data }: { kind: 'hopes' | 'resources'; data: Words['hopes'] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<'saved' | 'conflict' | null>(null);
  const text = draft ?? data.current?.body ?? '';
  const save = useMutation({
    mutationFn: (body: { body: string; baseVersion: number }) =>
      put<Version>(`/api/portal/words/${kind}`, body),
    onSuccess: async () => {
      setDraft(null);
      setNotice('saved');
      await qc.invalidateQueries({ queryKey: ['portal-words'] });
    },
    onError: async (err) => {
      setErrors(serverFieldErrors(err));
      if (err instanceof ApiError && err.code === 'version_conflict') {
        // Show the newer text to continue from; what was typed is not thrown away silently: it stays in the
        // field until the citizen decides.
        setNotice('conflict');
        await qc.invalidateQueries({ queryKey: ['portal-words'] });
      }
    },
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const v = validate(portalWordsBody, { body: text, baseVersion: data.current?.version ?? 0 });
    setErrors(v.errors);
    if (v.data) save.mutate(v.data);
  };
  const headingId = `words-${kind}`;
  return (
    <Card withBorder padding="lg" component="form" onSubmit={submit} aria-labelledby={headingId}>
      <Stack gap="sm">
        <Title order={2} size="h3" id={headingId}>
          {t(`portal.words.${kind}`)}
        </Title>
        {data.current && (
          <Text size="sm" c="dimmed">
            {t(`portal.words.writtenBy.${data.current.writtenBy}`)} · {formatDateTime(data.current.createdAt)}
          </Text>
        )}
        <Textarea
          label={t(`portal.words.${kind}`)}
          labelProps={{ className: 'visually-hidden' }}
          description={t(`portal.words.${kind}Help`)}
          placeholder={t('portal.words.empty')}
          value={text}
          onChange={(e) => {
            setDraft(e.currentTarget.value);
            setNotice(null);
          }}
          autosize
          minRows={4}
          error={errors.body}
        />
        {notice === 'saved' && (
          <Alert color="green" variant="outline" role="status">
            {t('portal.words.saved')}
          </Alert>
        )}
        {notice === 'conflict' && (
          <Alert color="yellow" variant="outline" role="alert">
            {t('portal.words.conflict')}
          </Alert>
        )}
        {save.error && !(save.error instanceof ApiError && save.error.code === 'version_conflict') && (
          <ErrorAlert error={save.error} />
        )}
        <Button
          type="submit"
          loading={save.isPending}
          disabled={draft === null}
          style={{ alignSelf: 'flex-start' }}
        >
          {t('portal.words.save')}
        </Button>
        {data.history.length > 1 && (
          <Accordion variant="contained">
            <Accordion.Item value="history">
              <Accordion.Control>
                {t('portal.words.history', { count: data.history.length - 1 })}
              </Accordion.Control>
              <Accordion.Panel>
                <Stack gap="sm">
                  {data.history.slice(1).map((v) => (
                    <div key={v.version}>
                      <Text size="sm" c="dimmed">
                        {t('portal.words.version', { version: v.version, date: formatDateTime(v.createdAt) })}{' '}
                        · {t(`portal.words.writtenBy.${v.writtenBy}`)}
                      </Text>
                      <Text style={{ whiteSpace: 'pre-wrap' }}>{v.body}</Text>
                    </div>
                  ))}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        )}
      </Stack>
    </Card>
  );
}

/** Mine ord: the citizen's hopes, wishes and dreams and resources, written by the citizen. */
export function PortalWordsPage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['portal-words'], queryFn: () => get<Words>('/api/portal/words') });
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('portal.words.title')}</Title>
        <Text>{t('portal.words.intro')}</Text>
      </div>
      {q.isLoading && <Loader aria-label={t('portal.loading')} />}
      <ErrorAlert error={q.error} />
      {q.data && (
        <>
          <WordsCard kind="hopes" data={q.data.hopes} />
          <WordsCard kind="resources" data={q.data.resources} />
        </>
      )}
    </Stack>
  );
}
