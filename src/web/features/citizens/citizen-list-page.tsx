import { Anchor, Button, Card, Checkbox, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { citizenSearchBody } from '../../../shared/schemas';
import { post } from '../../api';
import { DataTable } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, validate } from '../../components/forms';
import { ListCount } from '../../components/list-count';
import type { CitizenSummary } from '../../types';
import { useSession } from '../auth/session';

interface Result {
  items: CitizenSummary[];
  hasMore: boolean;
}

export function CitizenListPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [name, setName] = useState('');
  const [cpr, setCpr] = useState('');
  const [mine, setMine] = useState(can('citizen.create'));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [items, setItems] = useState<CitizenSummary[]>([]);
  const [criteria, setCriteria] = useState<Record<string, unknown> | null>(null);
  const search = useMutation({
    // A POST, so a CPR number never lands in a URL, the history or a log line.
    mutationFn: (body: Record<string, unknown>) => post<Result>('/api/citizens/search', body),
  });
  const run = (body: Record<string, unknown>, append = false) => {
    const v = validate(citizenSearchBody, body);
    setErrors(v.errors);
    if (!v.data) return;
    setCriteria(body);
    search.mutate(body, { onSuccess: (r) => setItems((prev) => (append ? [...prev, ...r.items] : r.items)) });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: show "my citizens" once on arrival
  useEffect(() => {
    if (mine) run({ mine: true });
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run({ name: name || undefined, cpr: cpr || undefined, mine: mine || undefined });
  };
  const masked = items.some((c) => c.cprMasked);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('citizens.title')}</Title>
        {can('citizen.create') && (
          <Button component={Link} to="/borgere/ny">
            {t('citizens.new')}
          </Button>
        )}
      </Group>
      <Card withBorder component="form" onSubmit={submit} role="search">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('citizens.searchName')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
          />
          <TextInput
            label={t('citizens.searchCpr')}
            value={cpr}
            onChange={(e) => setCpr(e.currentTarget.value)}
            error={errors.cpr}
            autoComplete="off"
            inputMode="numeric"
          />
          <Checkbox
            label={t('citizens.searchMine')}
            checked={mine}
            onChange={(e) => setMine(e.currentTarget.checked)}
            mb={8}
          />
          <Button type="submit" loading={search.isPending}>
            {t('common.search')}
          </Button>
        </Group>
        <Text size="sm" mt="xs" c="dimmed">
          {t('citizens.searchHint')}
        </Text>
      </Card>
      <ErrorAlert error={search.error} />
      {criteria && !search.isPending && <ListCount count={items.length} more={!!search.data?.hasMore} />}
      {criteria && items.length > 0 && (
        <DataTable
          caption={t('citizens.table')}
          captionHidden={false}
          rows={items}
          rowKey={(c) => c.id}
          columns={[
            {
              key: 'name',
              header: t('citizens.name'),
              cell: (c) => (
                <Anchor component={Link} to={`/borgere/${c.id}`} c="blue.9">
                  {c.firstName} {c.lastName}
                </Anchor>
              ),
            },
            { key: 'cpr', header: t('citizens.cpr'), cell: (c) => c.cpr },
            {
              key: 'caseworker',
              header: t('citizens.caseworker'),
              cell: (c) => c.responsibleCaseworker?.name ?? '–',
            },
            { key: 'unit', header: t('citizens.unit'), cell: (c) => c.responsibleUnit?.name ?? '–' },
          ]}
        />
      )}
      {criteria && items.length === 0 && !search.isPending && <Text>{t('common.noResults')}</Text>}
      {masked && <Text size="sm">{t('citizens.masked')}</Text>}
      {search.data?.hasMore && criteria && (
        <Button variant="outline" onClick={() => run({ ...criteria, offset: items.length }, true)}>
          {t('common.showMore')}
        </Button>
      )}
    </Stack>
  );
}
