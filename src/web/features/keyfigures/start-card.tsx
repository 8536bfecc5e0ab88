import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keyFigureSettingsBody } from '../../../shared/keyfigures';
import { get, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, orNull, serverFieldErrors, validate } from '../../components/forms';

interface Settings {
  from: string | null;
  publishedFrom: string | null;
}

/**
 * Where the municipality's key figures start: the day its data became complete (go-live with the running
 * caseload brought over). Earlier periods would count only the citizens still served at go-live.
 */
export function KeyFigureStartCard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['keyfigures', 'settings'],
    queryFn: () => get<Settings>('/api/keyfigures/settings'),
  });
  const [draft, setDraft] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (from: string | null) => put<Settings>('/api/keyfigures/settings', { from }),
    onSuccess: (r) => {
      qc.setQueryData(['keyfigures', 'settings'], r);
      setDraft(null);
      void qc.invalidateQueries({ queryKey: ['keyfigures'] });
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const value = draft ?? q.data?.from ?? '';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="keyfigure-start">
      <Stack gap="xs">
        <Title order={2} size="h4" id="keyfigure-start">
          {t('keyfigures.start.title')}
        </Title>
        <Text size="sm">{t('keyfigures.start.intro')}</Text>
        {q.data && (
          <Text size="sm">
            {q.data.publishedFrom
              ? t('keyfigures.start.publishedFrom', { date: formatDate(q.data.publishedFrom) })
              : t('keyfigures.start.nothingPublished')}
          </Text>
        )}
        <Group
          align="flex-end"
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            const v = validate(keyFigureSettingsBody, { from: orNull(value) });
            setErrors(v.errors);
            if (v.data) save.mutate(v.data.from);
          }}
        >
          <TextInput
            type="date"
            label={t('keyfigures.start.from')}
            description={t('keyfigures.start.fromHelp')}
            value={value}
            onChange={(e) => setDraft(e.currentTarget.value)}
            error={errors.from}
            disabled={!q.data}
            w={300}
          />
          <Button type="submit" loading={save.isPending} disabled={!q.data}>
            {t('keyfigures.start.save')}
          </Button>
        </Group>
        {save.isSuccess && (
          <Alert color="teal" role="status">
            {save.data.from
              ? t('keyfigures.start.saved', { date: formatDate(save.data.from) })
              : t('keyfigures.start.savedAll')}
          </Alert>
        )}
        <ErrorAlert error={q.error ?? (save.error && !errors.from ? save.error : null)} />
      </Stack>
    </Paper>
  );
}
