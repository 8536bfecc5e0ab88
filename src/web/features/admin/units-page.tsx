import { Badge, Button, Group, Select, Stack, Switch, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UNIT_KINDS } from '../../../shared/enums';
import { unitBody } from '../../../shared/schemas';
import { get, post, put } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, orNull, serverFieldErrors, validate } from '../../components/forms';
import { ListCount } from '../../components/list-count';
import { AppModal } from '../../components/modal';
import { SavedNotice } from '../../components/notice';
import { ScrollRegion } from '../../components/scroll-region';
import type { Unit } from '../../types';
import { PortalSettingsCard } from './portal-settings';

type Draft = {
  name: string;
  kind: Unit['kind'];
  parentId: string | null;
  providerType: string;
  active: boolean;
};
const empty: Draft = { name: '', kind: 'tilbud', parentId: null, providerType: '', active: true };

export function UnitsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const units = useQuery({
    queryKey: ['admin-units'],
    queryFn: () => get<{ items: Unit[] }>('/api/admin/units'),
  });
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  const [draft, setDraft] = useState<Draft>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => {
      const body = { ...draft, providerType: orNull(draft.providerType) };
      return editing === 'new' || !editing
        ? post('/api/admin/units', body)
        : put(`/api/admin/units/${editing.id}`, { ...body, version: editing.version });
    },
    onSuccess: async () => {
      setNotice(t('admin.unitSaved', { name: draft.name }));
      setEditing(null);
      await qc.invalidateQueries({ queryKey: ['admin-units'] });
      await qc.invalidateQueries({ queryKey: ['org-options'] });
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const open = (u: Unit | 'new') => {
    setDraft(u === 'new' ? empty : { ...u, providerType: u.providerType ?? '' });
    setErrors({});
    save.reset();
    setEditing(u);
  };
  const submit = () => {
    const v = validate(unitBody, { ...draft, providerType: orNull(draft.providerType) });
    setErrors(v.errors);
    if (v.data) save.mutate();
  };
  const items = units.data?.items ?? [];
  const nameOf = (id: string | null) => items.find((u) => u.id === id)?.name ?? '–';
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('admin.unitsTitle')}</Title>
        <Button onClick={() => open('new')}>{t('admin.newUnit')}</Button>
      </Group>
      <SavedNotice text={notice} onClose={() => setNotice(null)} />
      <PortalSettingsCard />
      <ErrorAlert error={units.error} />
      {units.data && <ListCount count={items.length} />}
      <ScrollRegion label={t('admin.unitsTable')} minWidth={640}>
        <Table striped captionSide="top">
          <Table.Caption>{t('admin.unitsTable')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.displayName')}</Table.Th>
              <Table.Th>{t('admin.kind')}</Table.Th>
              <Table.Th>{t('admin.parent')}</Table.Th>
              <Table.Th>{t('admin.providerType')}</Table.Th>
              <Table.Th>{t('admin.status')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.name}</Table.Td>
                <Table.Td>{t(`unitKinds.${u.kind}`)}</Table.Td>
                <Table.Td>{nameOf(u.parentId)}</Table.Td>
                <Table.Td>{u.providerType ?? '–'}</Table.Td>
                <Table.Td>
                  <Badge variant="filled" color={u.active ? STATUS_COLORS.positive : STATUS_COLORS.neutral}>
                    {u.active ? t('admin.active') : t('admin.inactive')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    onClick={() => open(u)}
                    aria-label={`${t('admin.editUnit')}: ${u.name}`}
                  >
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
      <AppModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('admin.newUnit') : t('admin.editUnit')}
      >
        <Stack>
          <ErrorAlert error={save.error} />
          <TextInput
            label={t('admin.displayName')}
            required
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
            error={errors.name}
          />
          <Select
            label={t('admin.kind')}
            allowDeselect={false}
            data={UNIT_KINDS.map((k) => ({
              value: k,
              label: t(`unitKinds.${k}`),
            }))}
            value={draft.kind}
            onChange={(v) => v && setDraft({ ...draft, kind: v as Unit['kind'] })}
          />
          <Select
            label={t('admin.parent')}
            clearable
            data={items
              .filter((u) => editing === 'new' || u.id !== editing?.id)
              .map((u) => ({ value: u.id, label: u.name }))}
            value={draft.parentId}
            onChange={(v) => setDraft({ ...draft, parentId: v })}
          />
          <TextInput
            label={t('admin.providerType')}
            value={draft.providerType}
            onChange={(e) => setDraft({ ...draft, providerType: e.currentTarget.value })}
          />
          {editing !== 'new' && (
            <Switch
              label={t('admin.active')}
              checked={draft.active}
              onChange={(e) => setDraft({ ...draft, active: e.currentTarget.checked })}
            />
          )}
          <Group justify="flex-end">
            <Button variant="outline" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </Button>
            <Button loading={save.isPending} onClick={submit}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}
