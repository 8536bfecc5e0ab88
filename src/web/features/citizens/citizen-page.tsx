import { Alert, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ageOn } from '../../../shared/cpr';
import { citizenUpdateBody } from '../../../shared/schemas';
import { ApiError, del, get, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, serverFieldErrors, todayIso, validate } from '../../components/forms';
import { AppModal } from '../../components/modal';
import type { Citizen } from '../../types';
import { CasesSection } from '../pathway/cases-section';
import { AccessSection } from './access-section';
import { CitizenForm, type CitizenFormValues, toBody, valuesOf } from './citizen-form';
import { ConflictDialog } from './conflict-dialog';
import { NetworkSection } from './network-section';
import { OwnWordsEditor } from './own-words';

const CONTACT_FIELDS = [
  'firstName',
  'lastName',
  'cpr',
  'phone',
  'email',
  'address',
  'postalCode',
  'city',
] as const;

function Details({ v }: { v: CitizenFormValues }) {
  const { t } = useTranslation();
  return (
    <Table variant="vertical" withRowBorders={false}>
      <Table.Tbody>
        {CONTACT_FIELDS.map((f) => (
          <Table.Tr key={f}>
            <Table.Th w={{ base: 110, sm: 160 }}>
              {f === 'cpr' ? t('citizens.cpr') : t(`citizen.${f}`)}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{v[f] || '–'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function CitizenPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState<CitizenFormValues | null>(null);
  const [conflict, setConflict] = useState<Citizen | null>(null);
  const q = useQuery({
    queryKey: ['citizen', id],
    queryFn: () => get<Citizen>(`/api/citizens/${id}`),
    retry: false,
  });
  const reload = () => qc.invalidateQueries({ queryKey: ['citizen', id] });
  const update = useMutation({
    mutationFn: (a: { values: CitizenFormValues; version: number }) =>
      put<Citizen>(`/api/citizens/${id}`, { ...toBody(a.values), version: a.version }),
    onSuccess: (c) => {
      qc.setQueryData(['citizen', id], c);
      setEditing(false);
      setConflict(null);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'version_conflict') setConflict(e.body.current as Citizen);
      setErrors(serverFieldErrors(e));
    },
  });
  const remove = useMutation({
    mutationFn: (version: number) => del(`/api/citizens/${id}?version=${version}`),
    onSuccess: () => navigate('/borgere', { replace: true }),
  });
  if (q.isLoading) return <Loader aria-label={t('app.loading')} />;
  if (q.error || !q.data) {
    return (
      <Alert color="red" variant="outline" role="alert">
        {q.error instanceof ApiError && q.error.status === 404
          ? t('citizen.notFound')
          : t('errors.codes.unknown')}
      </Alert>
    );
  }
  const c = q.data;
  const submit = (values: CitizenFormValues) => {
    const v = validate(citizenUpdateBody, { ...toBody(values), version: c.version });
    setErrors(v.errors);
    if (!v.data) return;
    setPending(values);
    update.mutate({ values, version: c.version });
  };
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>
            {c.firstName} {c.lastName}
          </Title>
          <Text>
            {t('citizens.cpr')}: {c.cpr}
            {c.cprMasked && <span className="visually-hidden"> ({t('citizens.masked')})</span>}
            {c.birthDate && ` · ${t('citizen.age', { age: ageOn(c.birthDate, todayIso()) })}`}
          </Text>
          <Text size="sm">
            {t('citizens.caseworker')}: {c.responsibleCaseworker?.name ?? '–'} · {t('citizens.unit')}:{' '}
            {c.responsibleUnit?.name ?? '–'}
          </Text>
        </div>
        <Group>
          {c.permissions.update && (
            <Button
              variant="outline"
              onClick={() => {
                setErrors({});
                setEditing(true);
              }}
            >
              {t('citizen.editTitle')}
            </Button>
          )}
          {c.permissions.delete && (
            <Button
              color="red.9"
              variant="outline"
              onClick={() => window.confirm(t('citizen.deleteConfirm')) && remove.mutate(c.version)}
            >
              {t('citizen.delete')}
            </Button>
          )}
        </Group>
      </Group>
      <ErrorAlert error={remove.error} />
      <CasesSection citizenId={c.id} />
      <section aria-labelledby="own-words-title">
        <Title order={2} size="h3" id="own-words-title">
          {t('citizen.ownWordsTitle')}
        </Title>
        <Text size="sm" mb="sm">
          {t('citizen.ownWordsIntro')}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <OwnWordsEditor
            citizenId={c.id}
            kind="hopes"
            current={c.narratives.hopes}
            canWrite={c.permissions.writeOwnWords}
            onSaved={reload}
          />
          <OwnWordsEditor
            citizenId={c.id}
            kind="resources"
            current={c.narratives.resources}
            canWrite={c.permissions.writeOwnWords}
            onSaved={reload}
          />
        </SimpleGrid>
      </section>
      <NetworkSection
        citizenId={c.id}
        members={c.network}
        canWrite={c.permissions.writeOwnWords}
        onSaved={reload}
      />
      <AccessSection citizenId={c.id} canWrite={c.permissions.update} />
      <Card withBorder component="section" aria-labelledby="contact-title">
        <Title order={2} size="h4" id="contact-title" mb="xs">
          {t('citizen.contact')}
        </Title>
        <Details v={valuesOf(c)} />
      </Card>
      <AppModal
        opened={editing && !conflict}
        onClose={() => setEditing(false)}
        title={t('citizen.editTitle')}
        size="xl"
      >
        <ErrorAlert
          error={update.error instanceof ApiError && update.error.code === 'validation' ? null : update.error}
        />
        <CitizenForm
          initial={valuesOf(c)}
          errors={errors}
          saving={update.isPending}
          onSubmit={submit}
          onCancel={() => setEditing(false)}
        />
      </AppModal>
      <ConflictDialog
        opened={conflict !== null}
        mine={pending ? <Details v={pending} /> : null}
        theirs={conflict ? <Details v={valuesOf(conflict)} /> : null}
        onKeepMine={() =>
          pending && conflict && update.mutate({ values: pending, version: conflict.version })
        }
        onUseTheirs={() => {
          if (conflict) qc.setQueryData(['citizen', id], conflict);
          setConflict(null);
          setEditing(false);
        }}
      />
    </Stack>
  );
}
