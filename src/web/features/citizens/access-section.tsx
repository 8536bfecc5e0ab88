import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONSENT_SCOPES } from '../../../shared/enums';
import { staffConsentBody } from '../../../shared/schemas';
import { get, post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, formatDate, serverFieldErrors, todayIso, validate } from '../../components/forms';
import { AppModal } from '../../components/modal';
import { SavedNotice } from '../../components/notice';
import {
  type Representation,
  RepresentationForm,
  RepresentationList,
  useRevoke,
} from '../representatives/representations';

interface Consent {
  id: string;
  partner: { id: string; name: string | null };
  scopes: string[];
  lifeAreas: { code: string; display: string }[];
  purpose: string;
  validFrom: string;
  validUntil: string;
  givenHow: 'portal' | 'paper' | 'meeting' | 'phone';
  status: 'active' | 'upcoming' | 'expired' | 'withdrawn';
}
interface ConsentPage {
  items: Consent[];
  partners: { id: string; name: string }[];
  lifeAreas: { code: string; name: string }[];
  maxUntil: string;
}

const CONSENT_COLOR = {
  active: STATUS_COLORS.positive,
  upcoming: STATUS_COLORS.warning,
  expired: STATUS_COLORS.neutral,
  withdrawn: STATUS_COLORS.neutral,
} as const;

/** Staff record a consent the citizen gave on paper, at a meeting or by phone, with the date and how. */
function RecordConsent({
  citizenId,
  page,
  onDone,
}: {
  citizenId: string;
  page: ConsentPage;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [partnerUnitId, setPartner] = useState(page.partners[0]?.id ?? '');
  const [scopes, setScopes] = useState<string[]>(['goals']);
  const [lifeAreas, setAreas] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('');
  const [givenHow, setHow] = useState('paper');
  const [givenOn, setGivenOn] = useState(todayIso());
  const [validUntil, setUntil] = useState(page.maxUntil);
  const [errors, setErrors] = useState<FieldErrors>({});
  const record = useMutation({
    mutationFn: (body: unknown) => post(`/api/citizens/${citizenId}/consents`, body),
    onSuccess: onDone,
    onError: (err) => setErrors(serverFieldErrors(err)),
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const v = validate(staffConsentBody, {
      partnerUnitId,
      scopes,
      lifeAreas,
      purpose,
      validUntil,
      givenHow,
      givenOn,
    });
    setErrors(v.errors);
    if (v.data) record.mutate(v.data);
  };
  return (
    <Stack component="form" onSubmit={submit} gap="sm">
      <NativeSelect
        label={t('staffConsents.partner')}
        data={page.partners.map((p) => ({ value: p.id, label: p.name }))}
        value={partnerUnitId}
        onChange={(e) => setPartner(e.currentTarget.value)}
        error={errors.partnerUnitId}
      />
      <Checkbox.Group
        label={t('staffConsents.scopes')}
        value={scopes}
        onChange={setScopes}
        error={errors.scopes}
      >
        <Group gap="md" mt={6}>
          {CONSENT_SCOPES.map((s) => (
            <Checkbox key={s} value={s} label={t(`staffConsents.scope.${s}`)} />
          ))}
        </Group>
      </Checkbox.Group>
      {scopes.includes('goals') && (
        <Checkbox.Group label={t('staffConsents.lifeAreas')} value={lifeAreas} onChange={setAreas}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt={6} spacing={6}>
            {page.lifeAreas.map((a) => (
              <Checkbox key={a.code} value={a.code} label={a.name} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
      )}
      <TextInput
        label={t('staffConsents.purpose')}
        value={purpose}
        onChange={(e) => setPurpose(e.currentTarget.value)}
        maxLength={300}
        error={errors.purpose}
      />
      <NativeSelect
        label={t('staffConsents.givenHow')}
        data={(['paper', 'meeting', 'phone'] as const).map((h) => ({
          value: h,
          label: t(`staffConsents.how.${h}`),
        }))}
        value={givenHow}
        onChange={(e) => setHow(e.currentTarget.value)}
      />
      <Group grow wrap="wrap">
        <TextInput
          type="date"
          label={t('staffConsents.givenOn')}
          value={givenOn}
          onChange={(e) => setGivenOn(e.currentTarget.value)}
          error={errors.givenOn}
        />
        <TextInput
          type="date"
          label={t('staffConsents.until')}
          value={validUntil}
          onChange={(e) => setUntil(e.currentTarget.value)}
          error={errors.validUntil}
        />
      </Group>
      <ErrorAlert error={record.error && Object.keys(errors).length === 0 ? record.error : null} />
      <Group>
        <Button type="submit" loading={record.isPending}>
          {t('staffConsents.record')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * Who besides the municipality may see or act: the citizen's consents to partners and the relatives who act
 * for them in Min Retning. Caseworkers record what was given outside the portal.
 */
export function AccessSection({ citizenId, canWrite }: { citizenId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [modal, setModal] = useState<'consent' | 'representation' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reps = useQuery({
    queryKey: ['citizen-representatives', citizenId],
    queryFn: () => get<{ items: Representation[] }>(`/api/citizens/${citizenId}/representatives`),
  });
  const consents = useQuery({
    queryKey: ['citizen-consents', citizenId],
    queryFn: () => get<ConsentPage>(`/api/citizens/${citizenId}/consents`),
  });
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['citizen-representatives', citizenId] });
    await qc.invalidateQueries({ queryKey: ['citizen-consents', citizenId] });
  };
  const revoke = useRevoke((r) => `/api/citizens/${citizenId}/representatives/${r.id}/revoke`, refresh);
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Card withBorder component="section" aria-labelledby="consents-title">
        <Group justify="space-between" wrap="wrap" gap="xs" mb="xs">
          <Title order={2} size="h4" id="consents-title">
            {t('staffConsents.title')} ({consents.data?.items.length ?? 0})
          </Title>
          {canWrite && consents.data && consents.data.partners.length > 0 && (
            <Button size="xs" variant="outline" onClick={() => setModal('consent')}>
              {t('staffConsents.record')}
            </Button>
          )}
        </Group>
        <Text size="sm" c="dimmed" mb="sm">
          {t('staffConsents.intro')}
        </Text>
        <ErrorAlert error={consents.error} />
        {consents.data?.items.length === 0 && <Text size="sm">{t('staffConsents.none')}</Text>}
        <Stack gap="xs">
          {consents.data?.items.map((c) => (
            <Card key={c.id} withBorder padding="xs">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Text fw={600} size="sm">
                  {c.partner.name}
                </Text>
                <Badge color={CONSENT_COLOR[c.status]} size="sm">
                  {t(`staffConsents.status.${c.status}`)}
                </Badge>
              </Group>
              <Text size="sm">
                {c.scopes.map((s) => t(`staffConsents.scope.${s}`)).join(' · ')}
                {c.scopes.includes('goals') &&
                  ` (${c.lifeAreas.length ? c.lifeAreas.map((a) => a.display).join(', ') : t('staffConsents.allAreas')})`}
              </Text>
              <Text size="sm" c="dimmed">
                {c.purpose} · {t(`staffConsents.how.${c.givenHow}`)} · {formatDate(c.validFrom)} –{' '}
                {formatDate(c.validUntil)}
              </Text>
            </Card>
          ))}
        </Stack>
      </Card>
      <Card withBorder component="section" aria-labelledby="representatives-title">
        <Group justify="space-between" wrap="wrap" gap="xs" mb="xs">
          <Title order={2} size="h4" id="representatives-title">
            {t('staffRepresentatives.title')} ({reps.data?.items.length ?? 0})
          </Title>
          {canWrite && (
            <Button size="xs" variant="outline" onClick={() => setModal('representation')}>
              {t('staffRepresentatives.record')}
            </Button>
          )}
        </Group>
        <Text size="sm" c="dimmed" mb="sm">
          {t('staffRepresentatives.intro')}
        </Text>
        <ErrorAlert error={reps.error ?? revoke.error} />
        <SavedNotice text={notice} onClose={() => setNotice(null)} />
        {reps.data && (
          <RepresentationList
            items={reps.data.items}
            voice="staff"
            onRevoke={canWrite ? (r) => revoke.mutate(r) : undefined}
            revoking={revoke.isPending ? (revoke.variables?.id ?? null) : null}
          />
        )}
      </Card>
      <AppModal
        opened={modal === 'consent'}
        onClose={() => setModal(null)}
        title={t('staffConsents.record')}
        size="lg"
      >
        {consents.data && (
          <RecordConsent
            citizenId={citizenId}
            page={consents.data}
            onDone={async () => {
              setModal(null);
              setNotice(t('staffConsents.recorded'));
              await refresh();
            }}
          />
        )}
      </AppModal>
      <AppModal
        opened={modal === 'representation'}
        onClose={() => setModal(null)}
        title={t('staffRepresentatives.record')}
        size="lg"
      >
        <RepresentationForm
          url={`/api/citizens/${citizenId}/representatives`}
          staff
          onDone={async (name) => {
            setModal(null);
            setNotice(t('staffRepresentatives.recorded', { name }));
            await refresh();
          }}
        />
      </AppModal>
    </SimpleGrid>
  );
}
