import { Badge, Button, Card, Checkbox, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { portalRepresentationBody, staffRepresentationBody } from '../../../shared/schemas';
import { post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, formatDate, serverFieldErrors, todayIso, validate } from '../../components/forms';

/** Relatives and representatives, shared by the portal (the citizen gives access) and staff (fuldmagt). */

export interface Representation {
  id: string;
  name: string;
  relation: string | null;
  scopes: ('read' | 'write' | 'messages')[];
  validFrom: string;
  validUntil: string;
  givenHow: 'portal' | 'power_of_attorney';
  status: 'active' | 'expired' | 'revoked' | 'future';
  revokedAt: string | null;
}

const oneYear = () => {
  const d = new Date(`${todayIso()}T12:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
};

/** Gives access (the citizen, in the portal) or records a power of attorney (staff: with the date given). */
export function RepresentationForm({
  url,
  staff,
  onDone,
}: {
  url: string;
  staff?: boolean;
  onDone: (name: string) => void;
}) {
  const { t } = useTranslation();
  const scope = scopeLabel(t, staff ? 'staff' : 'citizen');
  const [name, setName] = useState('');
  const [cpr, setCpr] = useState('');
  const [relation, setRelation] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read', 'write']);
  const [validUntil, setUntil] = useState(oneYear());
  const [givenOn, setGivenOn] = useState(todayIso());
  const [errors, setErrors] = useState<FieldErrors>({});
  const give = useMutation({
    mutationFn: (body: unknown) => post<{ id: string }>(url, body),
    onSuccess: () => {
      onDone(name);
      setName('');
      setCpr('');
      setRelation('');
    },
    onError: (err) => setErrors(serverFieldErrors(err)),
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body = { name, cpr, relation, scopes, validUntil, ...(staff ? { givenOn } : {}) };
    const v = staff ? validate(staffRepresentationBody, body) : validate(portalRepresentationBody, body);
    setErrors(v.errors);
    if (v.data) give.mutate(v.data);
  };
  return (
    <Stack component="form" onSubmit={submit} gap="sm">
      <TextInput
        label={t('representatives.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        autoComplete="off"
        error={errors.name}
      />
      <TextInput
        label={t('representatives.cpr')}
        description={t('representatives.cprHelp')}
        value={cpr}
        onChange={(e) => setCpr(e.currentTarget.value)}
        inputMode="numeric"
        autoComplete="off"
        maxLength={11}
        error={errors.cpr}
      />
      <TextInput
        label={t('representatives.relation')}
        description={t('representatives.relationHelp')}
        value={relation}
        onChange={(e) => setRelation(e.currentTarget.value)}
        maxLength={100}
        error={errors.relation}
      />
      <Checkbox.Group
        label={t('representatives.scopes')}
        value={scopes}
        onChange={(v) => setScopes([...new Set(['read', ...v])])}
        error={errors.scopes}
      >
        <Stack gap={6} mt={6}>
          <Checkbox value="read" label={scope('read')} disabled checked />
          <Checkbox value="write" label={scope('write')} />
          <Checkbox value="messages" label={scope('messages')} />
        </Stack>
      </Checkbox.Group>
      {staff && (
        <TextInput
          type="date"
          label={t('representatives.givenOn')}
          value={givenOn}
          onChange={(e) => setGivenOn(e.currentTarget.value)}
          error={errors.givenOn}
        />
      )}
      <TextInput
        type="date"
        label={t('representatives.until')}
        description={t('representatives.untilHelp')}
        value={validUntil}
        onChange={(e) => setUntil(e.currentTarget.value)}
        error={errors.validUntil}
      />
      <ErrorAlert error={give.error && Object.keys(errors).length === 0 ? give.error : null} />
      <Group>
        <Button type="submit" loading={give.isPending}>
          {staff ? t('representatives.record') : t('representatives.give')}
        </Button>
      </Group>
    </Stack>
  );
}

const STATUS_COLOR = {
  active: STATUS_COLORS.positive,
  future: STATUS_COLORS.warning,
  expired: STATUS_COLORS.neutral,
  revoked: STATUS_COLORS.neutral,
} as const;

/** What an access allows, in the citizen's voice ("my plan") in the portal, in the caseworker's on the citizen page. */
const scopeLabel = (t: (k: string) => string, voice: 'citizen' | 'staff') => (s: string) =>
  t(voice === 'staff' ? `representatives.scopeStaff.${s}` : `representatives.scope.${s}`);

/** The accesses, each with what it allows, until when, how it was given, and (where allowed) revoke. */
export function RepresentationList({
  items,
  onRevoke,
  revoking,
  voice = 'citizen',
}: {
  items: Representation[];
  onRevoke?: (r: Representation) => void;
  revoking?: string | null;
  voice?: 'citizen' | 'staff';
}) {
  const { t } = useTranslation();
  const scope = scopeLabel(t, voice);
  if (items.length === 0) return <Text>{t('representatives.none')}</Text>;
  return (
    <Stack gap="sm">
      {items.map((r) => (
        <Card key={r.id} withBorder padding="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Text fw={600}>
              {r.name}
              {r.relation ? ` (${r.relation})` : ''}
            </Text>
            <Badge color={STATUS_COLOR[r.status]}>{t(`representatives.status.${r.status}`)}</Badge>
          </Group>
          <List size="sm" spacing={2} mt={4}>
            {r.scopes.map((s) => (
              <List.Item key={s}>{scope(s)}</List.Item>
            ))}
          </List>
          <Text size="sm" c="dimmed">
            {t(`representatives.givenHow.${r.givenHow}`)} ·{' '}
            {t('representatives.period', { from: formatDate(r.validFrom), until: formatDate(r.validUntil) })}
          </Text>
          {onRevoke && (r.status === 'active' || r.status === 'future') && (
            <Group mt="xs">
              <Button
                size="xs"
                color="red"
                variant="outline"
                loading={revoking === r.id}
                onClick={() =>
                  window.confirm(t('representatives.revokeConfirm', { name: r.name })) && onRevoke(r)
                }
              >
                {t('representatives.revoke')}
              </Button>
            </Group>
          )}
        </Card>
      ))}
    </Stack>
  );
}

/** Revokes one access (portal or staff URL); the caller refreshes its list. */
export function useRevoke(urlOf: (r: Representation) => string, onDone: () => Promise<void>) {
  return useMutation({
    mutationFn: (r: Representation) => post(urlOf(r)),
    onSuccess: onDone,
  });
}
