import {
  Badge,
  Button,
  Card,
  Group,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffRole } from '../../../shared/enums';
import { passwordBody, userCreateBody } from '../../../shared/schemas';
import { del, get, post, put } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, orNull, serverFieldErrors, validate } from '../../components/forms';
import { ListCount } from '../../components/list-count';
import { AppModal } from '../../components/modal';
import { ScrollRegion } from '../../components/scroll-region';
import type { Unit, User } from '../../types';
import { useSession } from '../auth/session';

export function UsersPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const qc = useQueryClient();
  const users = useQuery({
    queryKey: ['admin-users'],
    queryFn: () => get<{ items: User[]; grantableRoles: StaffRole[] }>('/api/admin/users'),
  });
  const units = useQuery({
    queryKey: ['admin-units'],
    queryFn: () => get<{ items: Unit[] }>('/api/admin/units'),
  });
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState({ username: '', displayName: '', email: '', password: '' });
  const [grant, setGrant] = useState<{ role: string | null; unitId: string | null }>({
    role: null,
    unitId: null,
  });
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: ['admin-users'] });
  const mutation = useMutation({
    mutationFn: (f: () => Promise<unknown>) => f(),
    onSuccess: refresh,
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const unitName = (id: string) => units.data?.items.find((u) => u.id === id)?.name ?? '–';
  const user = users.data?.items.find((u) => u.id === selected) ?? null;
  const create = () => {
    const body = { ...draft, email: orNull(draft.email), roles: [] };
    const v = validate(userCreateBody, body);
    setErrors(v.errors);
    if (v.data)
      mutation.mutate(() => post('/api/admin/users', body), { onSuccess: () => setCreating(false) });
  };
  const toggleActive = (u: User) =>
    mutation.mutate(
      () =>
        put(`/api/admin/users/${u.id}`, {
          displayName: u.displayName,
          email: u.email,
          active: !u.active,
          version: u.version,
        }),
      {
        onSuccess: () => setNotice(u.active ? t('admin.sessionsEnded') : ''),
      },
    );
  const setNewPassword = (u: User) => {
    const v = validate(passwordBody, { password });
    setErrors(v.errors);
    if (v.data)
      mutation.mutate(() => post(`/api/admin/users/${u.id}/password`, { password }), {
        onSuccess: () => {
          setPassword('');
          setNotice(t('admin.sessionsEnded'));
        },
      });
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('admin.usersTitle')}</Title>
        <Button
          onClick={() => {
            setDraft({ username: '', displayName: '', email: '', password: '' });
            setErrors({});
            mutation.reset();
            setCreating(true);
          }}
        >
          {t('admin.newUser')}
        </Button>
      </Group>
      {notice && <Text role="status">{notice}</Text>}
      <ErrorAlert error={users.error} />
      {users.data && <ListCount count={users.data.items.length} />}
      <ScrollRegion label={t('admin.usersTable')} minWidth={700}>
        <Table striped captionSide="top">
          <Table.Caption>{t('admin.usersTable')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.displayName')}</Table.Th>
              <Table.Th>{t('admin.username')}</Table.Th>
              <Table.Th>{t('admin.roles')}</Table.Th>
              <Table.Th>{t('admin.status')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(users.data?.items ?? []).map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td>{u.username}</Table.Td>
                <Table.Td>
                  {u.roles.map((r) => `${t(`roles.${r.role}`)} (${unitName(r.unitId)})`).join(', ') || '–'}
                </Table.Td>
                <Table.Td>
                  <Badge variant="filled" color={u.active ? STATUS_COLORS.positive : STATUS_COLORS.neutral}>
                    {u.active ? t('admin.active') : t('admin.inactive')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => {
                        setSelected(u.id);
                        setErrors({});
                        mutation.reset();
                      }}
                      aria-label={`${t('common.edit')}: ${u.displayName}`}
                    >
                      {t('common.edit')}
                    </Button>
                    {u.id !== session?.user.id && (
                      <Button
                        size="xs"
                        variant="subtle"
                        onClick={() => toggleActive(u)}
                        aria-label={`${u.active ? t('admin.deactivate') : t('admin.activate')}: ${u.displayName}`}
                      >
                        {u.active ? t('admin.deactivate') : t('admin.activate')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
      <AppModal opened={creating} onClose={() => setCreating(false)} title={t('admin.newUser')}>
        <Stack>
          <ErrorAlert error={mutation.error} />
          <TextInput
            label={t('admin.username')}
            required
            value={draft.username}
            onChange={(e) => setDraft({ ...draft, username: e.currentTarget.value })}
            error={errors.username}
          />
          <TextInput
            label={t('admin.displayName')}
            required
            value={draft.displayName}
            onChange={(e) => setDraft({ ...draft, displayName: e.currentTarget.value })}
            error={errors.displayName}
          />
          <TextInput
            label={t('admin.email')}
            value={draft.email}
            onChange={(e) => setDraft({ ...draft, email: e.currentTarget.value })}
            error={errors.email}
          />
          <PasswordInput
            label={t('admin.password')}
            required
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.currentTarget.value })}
            error={errors.password}
          />
          <Group justify="flex-end">
            <Button variant="outline" onClick={() => setCreating(false)}>
              {t('common.cancel')}
            </Button>
            <Button loading={mutation.isPending} onClick={create}>
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </AppModal>
      <AppModal
        opened={user !== null}
        onClose={() => setSelected(null)}
        title={user?.displayName ?? ''}
        size="lg"
      >
        {user && (
          <Stack>
            <ErrorAlert error={mutation.error} />
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">
                {t('admin.roles')}
              </Title>
              <Stack gap={4}>
                {user.roles.map((r) => (
                  <Group key={r.id} justify="space-between">
                    <Text>
                      {t(`roles.${r.role}`)} · {unitName(r.unitId)}
                    </Text>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      c="red.9"
                      onClick={() => mutation.mutate(() => del(`/api/admin/users/${user.id}/roles/${r.id}`))}
                      aria-label={`${t('common.remove')}: ${t(`roles.${r.role}`)} · ${unitName(r.unitId)}`}
                    >
                      {t('common.remove')}
                    </Button>
                  </Group>
                ))}
              </Stack>
              <Group align="flex-end" mt="sm">
                <Select
                  label={t('admin.role')}
                  data={(users.data?.grantableRoles ?? []).map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                  value={grant.role}
                  onChange={(v) => setGrant({ ...grant, role: v })}
                />
                <Select
                  label={t('admin.unit')}
                  data={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
                  value={grant.unitId}
                  onChange={(v) => setGrant({ ...grant, unitId: v })}
                />
                <Button
                  disabled={!grant.role || !grant.unitId}
                  onClick={() => mutation.mutate(() => post(`/api/admin/users/${user.id}/roles`, grant))}
                >
                  {t('admin.addRole')}
                </Button>
              </Group>
            </Card>
            <Card withBorder>
              <Group align="flex-end">
                <PasswordInput
                  label={t('admin.newPassword')}
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  error={errors.password}
                />
                <Button variant="outline" onClick={() => setNewPassword(user)}>
                  {t('admin.setPassword')}
                </Button>
              </Group>
            </Card>
          </Stack>
        )}
      </AppModal>
    </Stack>
  );
}
