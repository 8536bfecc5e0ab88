import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_GROUP_MEMBERS } from '../../../shared/keyfigures';
import { ApiError, del, get, post, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { ScrollRegion } from '../../components/scroll-region';
import { KeyFigureStartCard } from './start-card';
import type { ComparisonGroup, DirectoryEntry } from './types';

/** The administrator's comparison groups: at least five municipalities of the deployment each. */
export function GroupsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const groups = useQuery({
    queryKey: ['keyfigures', 'groups'],
    queryFn: () => get<{ items: ComparisonGroup[] }>('/api/keyfigures/groups'),
  });
  const directory = useQuery({
    queryKey: ['keyfigures', 'municipalities'],
    queryFn: () => get<{ items: DirectoryEntry[] }>('/api/keyfigures/municipalities'),
  });
  const [editing, setEditing] = useState<{ id?: string; name: string; members: string[] } | null>(null);
  const [notice, setNotice] = useState('');
  const save = useMutation({
    mutationFn: (g: { id?: string; name: string; members: string[] }) =>
      g.id
        ? put(`/api/keyfigures/groups/${g.id}`, { name: g.name, members: g.members })
        : post('/api/keyfigures/groups', { name: g.name, members: g.members }),
    onSuccess: () => {
      setEditing(null);
      setNotice(t('keyfigures.groups.saved'));
      void qc.invalidateQueries({ queryKey: ['keyfigures'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/keyfigures/groups/${id}`),
    onSuccess: () => {
      setNotice(t('keyfigures.groups.deleted'));
      void qc.invalidateQueries({ queryKey: ['keyfigures'] });
    },
  });
  const all = directory.data?.items ?? [];
  const names = new Map(all.map((m) => [m.id, m.name]));
  /** The own municipality and the nine nearest in size (citizens with support, latest year). */
  const suggest = () => {
    const own = all.find((m) => m.own);
    const size = own?.citizens ?? 0;
    // A municipality whose size is withheld comes after those whose size is published.
    const distance = (m: { citizens: number | null }) =>
      m.citizens === null ? Number.POSITIVE_INFINITY : Math.abs(m.citizens - size);
    const nearest = all
      .filter((m) => !m.own)
      .sort((a, b) => distance(a) - distance(b))
      .slice(0, 9)
      .map((m) => m.id);
    setEditing((e) => (e ? { ...e, members: [...(own ? [own.id] : []), ...nearest] } : e));
  };
  return (
    <Stack maw={900}>
      <Title order={1}>{t('keyfigures.groups.title')}</Title>
      <Text size="sm">{t('keyfigures.groups.intro')}</Text>
      <ErrorAlert error={groups.error ?? directory.error ?? remove.error} />
      {notice && (
        <Alert color="teal" role="status">
          {notice}
        </Alert>
      )}
      {groups.data && groups.data.items.length === 0 && <Text>{t('keyfigures.groups.empty')}</Text>}
      {groups.data && groups.data.items.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('keyfigures.groups.name')}</Table.Th>
              <Table.Th>{t('keyfigures.groups.members')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.data.items.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>{g.name}</Table.Td>
                <Table.Td>{g.members.map((m) => names.get(m) ?? m).join(', ')}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="wrap">
                    <Button
                      size="xs"
                      variant="outline"
                      onClick={() => setEditing({ id: g.id, name: g.name, members: g.members })}
                    >
                      {t('keyfigures.groups.edit')}
                    </Button>
                    <Button size="xs" variant="outline" color="red.9" onClick={() => remove.mutate(g.id)}>
                      {t('keyfigures.groups.delete')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {!editing && (
        <Group>
          <Button
            onClick={() => setEditing({ name: '', members: all.filter((m) => m.own).map((m) => m.id) })}
          >
            {t('keyfigures.groups.create')}
          </Button>
        </Group>
      )}
      <KeyFigureStartCard />
      <ExchangeUpload />
      {editing && (
        <Paper
          withBorder
          p="md"
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(editing);
          }}
        >
          <Stack>
            <ErrorAlert error={save.error} />
            <TextInput
              label={t('keyfigures.groups.name')}
              required
              value={editing.name}
              onChange={(e) => setEditing({ ...editing, name: e.currentTarget.value })}
            />
            <Group justify="space-between">
              <Text fw={600} id="members-label">
                {t('keyfigures.groups.members')} (
                {t('keyfigures.groups.chosen', { n: editing.members.length })})
              </Text>
              <Button variant="outline" size="xs" onClick={suggest}>
                {t('keyfigures.groups.suggest')}
              </Button>
            </Group>
            <ScrollRegion label={t('keyfigures.groups.members')} minWidth={420}>
              <Table aria-labelledby="members-label">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('keyfigures.groups.members')}</Table.Th>
                    <Table.Th>{t('keyfigures.groups.citizens')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {all.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td>
                        <Checkbox
                          label={`${m.name} (${m.code})`}
                          checked={editing.members.includes(m.id)}
                          onChange={(e) =>
                            setEditing({
                              ...editing,
                              members: e.currentTarget.checked
                                ? [...editing.members, m.id]
                                : editing.members.filter((x) => x !== m.id),
                            })
                          }
                        />
                      </Table.Td>
                      <Table.Td>{m.citizens ?? '–'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
            <Group>
              <Button
                type="submit"
                loading={save.isPending}
                disabled={editing.members.length < MIN_GROUP_MEMBERS}
              >
                {t('keyfigures.groups.save')}
              </Button>
              <Button variant="outline" onClick={() => setEditing(null)}>
                {t('keyfigures.groups.cancel')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

/**
 * Loading another installation's exchange file (docs/benchmark-exchange.md): its municipality's published
 * totals then count in the country and can join comparison groups.
 */
function ExchangeUpload() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: async (f: File) => {
      let body: unknown;
      try {
        body = JSON.parse(await f.text());
      } catch {
        throw new ApiError(400, 'exchange_not_json', {});
      }
      return post<{ figures: number }>('/api/keyfigures/exchange', body);
    },
    onSuccess: () => {
      setFile(null);
      void qc.invalidateQueries({ queryKey: ['keyfigures'] });
    },
  });
  const problems = upload.error instanceof ApiError ? upload.error.fieldErrors : [];
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('keyfigures.exchange.title')}
        </Title>
        <Text size="sm">{t('keyfigures.exchange.intro')}</Text>
        <Group align="flex-end">
          <FileInput
            label={t('keyfigures.exchange.file')}
            accept="application/json,.json"
            value={file}
            onChange={setFile}
            clearable
            w={320}
          />
          <Button disabled={!file} loading={upload.isPending} onClick={() => file && upload.mutate(file)}>
            {t('keyfigures.exchange.load')}
          </Button>
        </Group>
        <ErrorAlert error={upload.error} />
        {problems.length > 0 && (
          <ul>
            {problems.slice(0, 10).map((p) => (
              <li key={p.field}>
                <Text size="sm">{p.message}</Text>
              </li>
            ))}
          </ul>
        )}
        {upload.data && (
          <Alert color="teal" role="status">
            {t('keyfigures.exchange.loaded', { n: upload.data.figures })}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
