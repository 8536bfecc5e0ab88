import {
  Badge,
  Button,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OFFER_CATEGORIES, offerBody } from '../../../shared/pathway';
import { get, post, put } from '../../api';
import { DataTable } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, serverFieldErrors, validate } from '../../components/forms';
import { ListCount } from '../../components/list-count';
import { AppModal } from '../../components/modal';
import { SavedNotice } from '../../components/notice';
import { useSession } from '../auth/session';

interface Offer {
  id: string;
  name: string;
  organiser: string;
  category: string;
  location: string;
  schedule: string;
  contact: string;
  tags: string[];
  active: boolean;
  version: number;
}

const empty = {
  name: '',
  organiser: '',
  category: 'community',
  location: '',
  schedule: '',
  contact: '',
  tags: '',
  active: true,
};

/** The municipality's directory of civil-society and community offers (bridge-building). */
export function OffersPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Offer | 'new' | null>(null);
  const [v, setV] = useState(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const q = useQuery({
    queryKey: ['community-offers', 'all'],
    queryFn: () => get<{ items: Offer[] }>('/api/community-offers?all=true'),
  });
  const body = () => ({
    ...v,
    tags: v.tags
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  });
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      editing === 'new' || !editing
        ? post('/api/community-offers', body())
        : put(`/api/community-offers/${editing.id}`, { ...body(), version: editing.version }),
    onSuccess: () => {
      setNotice(t('pathway.community.saved', { name: v.name }));
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['community-offers'] });
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const open = (o: Offer | 'new') => {
    setErrors({});
    setV(o === 'new' ? empty : { ...o, tags: o.tags.join(', ') });
    setEditing(o);
  };
  const canManage = can('community.manage');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('pathway.community.title')}</Title>
        {canManage && <Button onClick={() => open('new')}>{t('pathway.community.add')}</Button>}
      </Group>
      <Text>{t('pathway.community.intro')}</Text>
      <SavedNotice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={q.error} />
      {q.data && <ListCount count={q.data.items.length} />}
      <DataTable
        caption={t('pathway.community.title')}
        rows={q.data?.items ?? []}
        rowKey={(o) => o.id}
        columns={[
          {
            key: 'name',
            header: t('pathway.community.name'),
            cell: (o) => (
              <>
                {o.name}{' '}
                {!o.active && (
                  <Badge color="gray.8">
                    {t('pathway.community.active')}: {t('common.no')}
                  </Badge>
                )}
                <Text size="xs" fw={400}>
                  {o.organiser}
                  {o.tags.length > 0 && ` · ${o.tags.join(', ')}`}
                </Text>
              </>
            ),
          },
          {
            key: 'category',
            header: t('pathway.community.category'),
            cell: (o) => t(`pathway.community.categories.${o.category}`),
          },
          { key: 'schedule', header: t('pathway.community.schedule'), cell: (o) => o.schedule },
          { key: 'location', header: t('pathway.community.location'), cell: (o) => o.location },
          { key: 'contact', header: t('pathway.community.contact'), cell: (o) => o.contact },
          ...(canManage
            ? [
                {
                  key: 'edit',
                  header: t('common.actions'),
                  cell: (o: Offer) => (
                    <Button
                      size="xs"
                      variant="outline"
                      onClick={() => open(o)}
                      aria-label={`${t('common.edit')}: ${o.name}`}
                    >
                      {t('common.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <AppModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={t('pathway.community.add')}
        size="lg"
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const r = validate(offerBody, body());
            setErrors(r.errors);
            if (r.data) save.mutate();
          }}
        >
          <Stack>
            <ErrorAlert error={save.error} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('pathway.community.name')}
                value={v.name}
                onChange={(e) => setV({ ...v, name: e.currentTarget.value })}
                error={errors.name}
                required
                data-autofocus
              />
              <TextInput
                label={t('pathway.community.organiser')}
                value={v.organiser}
                onChange={(e) => setV({ ...v, organiser: e.currentTarget.value })}
              />
              <Select
                label={t('pathway.community.category')}
                data={OFFER_CATEGORIES.map((c) => ({
                  value: c,
                  label: t(`pathway.community.categories.${c}`),
                }))}
                value={v.category}
                onChange={(c) => setV({ ...v, category: c ?? 'other' })}
                allowDeselect={false}
              />
              <TextInput
                label={t('pathway.community.schedule')}
                value={v.schedule}
                onChange={(e) => setV({ ...v, schedule: e.currentTarget.value })}
              />
              <TextInput
                label={t('pathway.community.location')}
                value={v.location}
                onChange={(e) => setV({ ...v, location: e.currentTarget.value })}
              />
              <TextInput
                label={t('pathway.community.contact')}
                value={v.contact}
                onChange={(e) => setV({ ...v, contact: e.currentTarget.value })}
              />
              <TextInput
                label={t('pathway.community.tags')}
                value={v.tags}
                onChange={(e) => setV({ ...v, tags: e.currentTarget.value })}
              />
              <Switch
                mt="xl"
                label={t('pathway.community.active')}
                checked={v.active}
                onChange={(e) => setV({ ...v, active: e.currentTarget.checked })}
              />
            </SimpleGrid>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(null)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </AppModal>
    </Stack>
  );
}
