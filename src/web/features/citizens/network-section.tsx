import { Badge, Button, Card, Group, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { networkCreateBody } from '../../../shared/schemas';
import { ApiError, get, post, put } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { DataTable } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import {
  type FieldErrors,
  formatDateTime,
  orNull,
  serverFieldErrors,
  validate,
} from '../../components/forms';
import { AppModal } from '../../components/modal';
import type { NetworkMember } from '../../types';
import { ConflictDialog } from './conflict-dialog';
import { WrittenByChoice } from './own-words';

type Draft = Pick<NetworkMember, 'name' | 'relation' | 'helpsWith' | 'contactConsent' | 'writtenBy'> & {
  phone: string;
};
const emptyDraft: Draft = {
  name: '',
  relation: '',
  helpsWith: '',
  phone: '',
  contactConsent: 'not_asked',
  writtenBy: 'citizen',
};

function ConsentBadge({ value }: { value: NetworkMember['contactConsent'] }) {
  const { t } = useTranslation();
  const color =
    value === 'yes'
      ? STATUS_COLORS.positive
      : value === 'no'
        ? STATUS_COLORS.negative
        : STATUS_COLORS.neutral;
  return (
    <Badge color={color} variant="filled">
      {t(`consent.${value}`)}
    </Badge>
  );
}

function MemberSummary({
  m,
}: {
  m: Pick<NetworkMember, 'name' | 'relation' | 'helpsWith' | 'contactConsent'>;
}) {
  return (
    <Stack gap={4}>
      <Text fw={600}>
        {m.name} ({m.relation})
      </Text>
      <Text size="sm">{m.helpsWith}</Text>
      <ConsentBadge value={m.contactConsent} />
    </Stack>
  );
}

/** The citizen's network: who they are, what they help with, and whether the citizen agrees to contact. */
export function NetworkSection(props: {
  citizenId: string;
  members: NetworkMember[];
  canWrite: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<NetworkMember | 'new' | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<{ current: NetworkMember; removed: boolean } | null>(null);
  const [historyOf, setHistoryOf] = useState<NetworkMember | null>(null);
  const history = useQuery({
    queryKey: ['network-history', historyOf?.id],
    queryFn: () =>
      get<{ items: NetworkMember[] }>(`/api/citizens/${props.citizenId}/network/${historyOf!.id}/history`),
    enabled: historyOf !== null,
  });
  const save = useMutation({
    mutationFn: (a: { member: NetworkMember | 'new'; removed: boolean; baseRevision?: number }) => {
      const body = { ...draft, phone: orNull(draft.phone) };
      return a.member === 'new'
        ? post(`/api/citizens/${props.citizenId}/network`, body)
        : put(`/api/citizens/${props.citizenId}/network/${a.member.id}`, {
            ...body,
            removed: a.removed,
            baseRevision: a.baseRevision ?? a.member.revision,
          });
    },
    onSuccess: () => {
      setEditing(null);
      setConflict(null);
      props.onSaved();
    },
    onError: (e, a) => {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        setConflict({ current: e.body.current as NetworkMember, removed: a.removed });
      }
      setErrors(serverFieldErrors(e));
    },
  });
  const open = (m: NetworkMember | 'new') => {
    setDraft(m === 'new' ? emptyDraft : { ...m, phone: m.phone ?? '' });
    setErrors({});
    save.reset();
    setEditing(m);
  };
  const submit = () => {
    const v = validate(networkCreateBody, { ...draft, phone: orNull(draft.phone) });
    setErrors(v.errors);
    if (v.data && editing) save.mutate({ member: editing, removed: false });
  };
  const remove = (m: NetworkMember) => {
    if (!window.confirm(t('citizen.removeConfirm', { name: m.name }))) return;
    setDraft({ ...m, phone: m.phone ?? '' });
    save.mutate({ member: m, removed: true });
  };
  const set = (k: keyof Draft) => (e: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [k]: e.currentTarget.value });
  return (
    <Card withBorder component="section" aria-labelledby="network-title">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="network-title">
          {t('citizen.network')}
        </Title>
        {props.canWrite && (
          <Button size="xs" variant="outline" onClick={() => open('new')}>
            {t('citizen.addPerson')}
          </Button>
        )}
      </Group>
      {editing === null && <ErrorAlert error={save.error} />}
      {props.members.length === 0 ? (
        <Text>{t('citizen.networkEmpty')}</Text>
      ) : (
        <DataTable
          caption={t('citizen.network')}
          rows={props.members}
          rowKey={(m) => m.id}
          columns={[
            {
              key: 'name',
              header: t('citizen.personName'),
              cell: (m) => (
                <>
                  {m.name}
                  {m.phone && <Text size="sm">{m.phone}</Text>}
                </>
              ),
            },
            { key: 'relation', header: t('citizen.relation'), cell: (m) => m.relation },
            { key: 'helps', header: t('citizen.helpsWith'), cell: (m) => m.helpsWith },
            {
              key: 'consent',
              header: t('consent.label'),
              cell: (m) => <ConsentBadge value={m.contactConsent} />,
            },
            {
              key: 'actions',
              header: t('common.actions'),
              cell: (m) => (
                <Group gap={4} wrap="wrap">
                  {props.canWrite && (
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => open(m)}
                      aria-label={`${t('citizen.editPerson')}: ${m.name}`}
                    >
                      {t('common.edit')}
                    </Button>
                  )}
                  {props.canWrite && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      c="red.9"
                      onClick={() => remove(m)}
                      aria-label={`${t('citizen.removePerson')}: ${m.name}`}
                    >
                      {t('common.remove')}
                    </Button>
                  )}
                  {m.revision > 1 && (
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => setHistoryOf(m)}
                      aria-label={`${t('common.history')}: ${m.name}`}
                    >
                      {t('common.history')}
                    </Button>
                  )}
                </Group>
              ),
            },
          ]}
        />
      )}
      <AppModal
        opened={editing !== null && !conflict}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('citizen.addPerson') : t('citizen.editPerson')}
        size="lg"
      >
        <Stack>
          <ErrorAlert
            error={
              save.error && !(save.error instanceof ApiError && save.error.code === 'validation')
                ? save.error
                : null
            }
          />
          <TextInput
            label={t('citizen.personName')}
            required
            value={draft.name}
            onChange={set('name')}
            error={errors.name}
          />
          <TextInput
            label={t('citizen.relation')}
            required
            value={draft.relation}
            onChange={set('relation')}
            error={errors.relation}
          />
          <Textarea
            label={t('citizen.helpsWith')}
            autosize
            minRows={2}
            value={draft.helpsWith}
            onChange={set('helpsWith')}
            error={errors.helpsWith}
          />
          <TextInput
            label={t('citizen.phone')}
            value={draft.phone}
            onChange={set('phone')}
            error={errors.phone}
          />
          <Select
            label={t('consent.label')}
            allowDeselect={false}
            data={(['yes', 'no', 'not_asked'] as const).map((v) => ({ value: v, label: t(`consent.${v}`) }))}
            value={draft.contactConsent}
            onChange={(v) => v && setDraft({ ...draft, contactConsent: v as Draft['contactConsent'] })}
          />
          <WrittenByChoice value={draft.writtenBy} onChange={(v) => setDraft({ ...draft, writtenBy: v })} />
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
      <ConflictDialog
        opened={conflict !== null}
        mine={<MemberSummary m={draft} />}
        theirs={conflict ? <MemberSummary m={conflict.current} /> : null}
        onKeepMine={() =>
          conflict &&
          save.mutate({
            member: conflict.current,
            removed: conflict.removed,
            baseRevision: conflict.current.revision,
          })
        }
        onUseTheirs={() => {
          setConflict(null);
          setEditing(null);
          props.onSaved();
        }}
      />
      <AppModal
        opened={historyOf !== null}
        onClose={() => setHistoryOf(null)}
        title={`${t('common.history')}: ${historyOf?.name ?? ''}`}
        size="lg"
      >
        <Stack>
          {(history.data?.items ?? []).map((r) => (
            <Card withBorder key={r.revision}>
              <Text size="sm" c="dimmed">
                {t('common.version', { version: r.revision })} · {t(`writtenByShort.${r.writtenBy}`)} ·{' '}
                {r.authorName ?? '–'} · {formatDateTime(r.updatedAt)}
                {r.removed ? ` · ${t('citizen.removePerson')}` : ''}
              </Text>
              <MemberSummary m={r} />
            </Card>
          ))}
        </Stack>
      </AppModal>
    </Card>
  );
}
