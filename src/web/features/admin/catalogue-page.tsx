import {
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, formatMoney, orNull, serverFieldErrors } from '../../components/forms';
import { AppModal } from '../../components/modal';
import { SavedNotice } from '../../components/notice';
import { useReference } from '../pathway/hooks';

interface Item {
  id: string;
  kind: 'method' | 'local_service';
  code: string;
  name: string;
  description: string;
  paragraphCode: string | null;
  ydelseCode: string | null;
  providerUnitId: string | null;
  priceAmount: number | null;
  priceUnit: string | null;
  active: boolean;
  version: number;
}

const blank = (kind: Item['kind']) => ({
  kind,
  code: '',
  name: '',
  description: '',
  paragraphCode: '',
  ydelseCode: '',
  providerUnitId: '',
  priceAmount: '' as number | string,
  priceUnit: '',
  active: true,
});

/** The municipality's own catalogue: methods, local services with prices, and licensed instruments. */
export function CataloguePage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const ref = useReference().data;
  const q = useQuery({
    queryKey: ['catalogue'],
    queryFn: () => get<{ items: Item[]; instruments: string[] }>('/api/catalogue'),
  });
  const org = useQuery({
    queryKey: ['org-options'],
    queryFn: () => get<{ units: { id: string; name: string; kind: string }[] }>('/api/org/options'),
  });
  const [editing, setEditing] = useState<Item | Item['kind'] | null>(null);
  const [v, setV] = useState(blank('method'));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const reload = () => qc.invalidateQueries({ queryKey: ['catalogue'] });
  const imported = useMutation({
    mutationFn: () => post<{ added: number }>('/api/admin/catalogue/import-methods'),
    onSuccess: reload,
  });
  const toggle = useMutation({
    mutationFn: (x: { key: string; enabled: boolean }) =>
      put(`/api/admin/instruments/${x.key}`, { enabled: x.enabled }),
    onSuccess: reload,
  });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        ...v,
        paragraphCode: orNull(v.paragraphCode),
        ydelseCode: orNull(v.ydelseCode),
        providerUnitId: orNull(v.providerUnitId),
        priceAmount: v.priceAmount === '' ? null : Number(v.priceAmount),
        priceUnit: orNull(v.priceUnit),
      };
      return typeof editing === 'object' && editing
        ? put(`/api/admin/catalogue/${editing.id}`, { ...body, version: editing.version })
        : post('/api/admin/catalogue', body);
    },
    onSuccess: () => {
      setNotice(t('pathway.catalogue.saved', { name: v.name }));
      setEditing(null);
      void reload();
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const open = (x: Item | Item['kind']) => {
    setErrors({});
    setV(
      typeof x === 'string'
        ? blank(x)
        : {
            ...x,
            paragraphCode: x.paragraphCode ?? '',
            ydelseCode: x.ydelseCode ?? '',
            providerUnitId: x.providerUnitId ?? '',
            priceAmount: x.priceAmount ?? '',
            priceUnit: x.priceUnit ?? '',
          },
    );
    setEditing(x);
  };
  const items = q.data?.items ?? [];
  const list = (kind: Item['kind']) => (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('pathway.catalogue.code')}</Table.Th>
          <Table.Th>{t('pathway.catalogue.name')}</Table.Th>
          {kind === 'local_service' && <Table.Th>{t('pathway.services.price')}</Table.Th>}
          <Table.Th>{t('pathway.community.active')}</Table.Th>
          <Table.Th>{t('common.actions')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items
          .filter((i) => i.kind === kind)
          .map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>{i.code}</Table.Td>
              <Table.Td>
                {i.name}
                {i.paragraphCode && <Text size="xs">{i.paragraphCode}</Text>}
              </Table.Td>
              {kind === 'local_service' && (
                <Table.Td>
                  {i.priceAmount === null
                    ? '–'
                    : `${formatMoney(i.priceAmount)} / ${t(`pathway.services.priceUnits.${i.priceUnit}`)}`}
                </Table.Td>
              )}
              <Table.Td>{i.active ? t('common.yes') : t('common.no')}</Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="outline"
                  onClick={() => open(i)}
                  aria-label={`${t('common.edit')}: ${i.name}`}
                >
                  {t('common.edit')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
      </Table.Tbody>
    </Table>
  );
  return (
    <Stack>
      <Title order={1}>{t('pathway.catalogue.title')}</Title>
      <SavedNotice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={q.error ?? imported.error ?? toggle.error} />
      <Card withBorder component="section" aria-labelledby="methods-title">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="methods-title">
            {t('pathway.catalogue.methods')}
          </Title>
          <Group>
            <Button variant="outline" onClick={() => imported.mutate()} loading={imported.isPending}>
              {t('pathway.catalogue.importMethods')}
            </Button>
            <Button onClick={() => open('method')}>{t('pathway.catalogue.add')}</Button>
          </Group>
        </Group>
        {imported.data && (
          <Text role="status">{t('pathway.catalogue.imported', { count: imported.data.added })}</Text>
        )}
        {list('method')}
      </Card>
      <Card withBorder component="section" aria-labelledby="local-title">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="local-title">
            {t('pathway.catalogue.localServices')}
          </Title>
          <Button onClick={() => open('local_service')}>{t('pathway.catalogue.add')}</Button>
        </Group>
        {list('local_service')}
      </Card>
      <Card withBorder component="section" aria-labelledby="instruments-title">
        <Title order={2} size="h4" id="instruments-title" mb="xs">
          {t('pathway.catalogue.instruments')}
        </Title>
        <Text size="sm" mb="xs">
          {t('pathway.catalogue.licenceNote')}
        </Text>
        {(ref?.instruments ?? [])
          .filter((i) => i.licence.required)
          .map((i) => (
            <Switch
              key={i.key}
              label={`${i.name} · ${t('pathway.catalogue.enabled')}`}
              checked={q.data?.instruments.includes(i.key) ?? false}
              onChange={(e) => toggle.mutate({ key: i.key, enabled: e.currentTarget.checked })}
              mb="xs"
            />
          ))}
      </Card>
      <AppModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={t('pathway.catalogue.add')}
        size="lg"
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Stack>
            <ErrorAlert error={save.error} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('pathway.catalogue.code')}
                value={v.code}
                onChange={(e) => setV({ ...v, code: e.currentTarget.value.toUpperCase() })}
                error={errors.code}
                required
                data-autofocus
              />
              <TextInput
                label={t('pathway.catalogue.name')}
                value={v.name}
                onChange={(e) => setV({ ...v, name: e.currentTarget.value })}
                error={errors.name}
                required
              />
            </SimpleGrid>
            <TextInput
              label={t('pathway.catalogue.description')}
              value={v.description}
              onChange={(e) => setV({ ...v, description: e.currentTarget.value })}
            />
            {v.kind === 'local_service' && ref && (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select
                  label={t('pathway.services.paragraph')}
                  data={ref.serviceloven.paragraphs.map((p) => ({
                    value: p.code,
                    label: `${p.code} · ${p.display}`,
                  }))}
                  value={v.paragraphCode || null}
                  onChange={(x) => setV({ ...v, paragraphCode: x ?? '' })}
                  error={errors.paragraphCode}
                  clearable
                />
                <Select
                  label={t('pathway.services.ydelse')}
                  data={ref.ffb.ydelser.map((y) => ({ value: y.code, label: y.display }))}
                  value={v.ydelseCode || null}
                  onChange={(x) => setV({ ...v, ydelseCode: x ?? '' })}
                  searchable
                  clearable
                />
                <Select
                  label={t('pathway.services.provider')}
                  data={(org.data?.units ?? [])
                    .filter((u) => u.kind === 'tilbud')
                    .map((u) => ({ value: u.id, label: u.name }))}
                  value={v.providerUnitId || null}
                  onChange={(x) => setV({ ...v, providerUnitId: x ?? '' })}
                  clearable
                />
                <Group grow align="flex-start">
                  <NumberInput
                    label={t('pathway.services.price')}
                    min={0}
                    decimalScale={2}
                    value={v.priceAmount}
                    onChange={(x) => setV({ ...v, priceAmount: x })}
                  />
                  <Select
                    label={t('pathway.services.priceUnit')}
                    data={(['hour', 'month'] as const).map((u) => ({
                      value: u,
                      label: t(`pathway.services.priceUnits.${u}`),
                    }))}
                    value={v.priceUnit || null}
                    onChange={(x) => setV({ ...v, priceUnit: x ?? '' })}
                    error={errors.priceUnit}
                    clearable
                  />
                </Group>
              </SimpleGrid>
            )}
            <Switch
              label={t('pathway.community.active')}
              checked={v.active}
              onChange={(e) => setV({ ...v, active: e.currentTarget.checked })}
            />
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
