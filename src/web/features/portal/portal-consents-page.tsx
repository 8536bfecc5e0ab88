import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONSENT_SCOPES } from '../../../shared/enums';
import { portalConsentBody } from '../../../shared/schemas';
import { get, post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, formatDate, serverFieldErrors, todayIso, validate } from '../../components/forms';
import { AppModal } from '../../components/modal';

interface Consent {
  id: string;
  partner: { id: string; name: string | null };
  scopes: string[];
  lifeAreas: { code: string; display: string }[];
  purpose: string;
  validFrom: string;
  validUntil: string;
  givenHow: string;
  status: 'active' | 'upcoming' | 'expired' | 'withdrawn';
}
interface ConsentPage {
  items: Consent[];
  partners: { id: string; name: string; type: string | null }[];
  lifeAreas: { code: string; name: string }[];
  maxUntil: string;
}

const sixMonths = () => {
  const d = new Date(`${todayIso()}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 6);
  return d.toISOString().slice(0, 10);
};

function GiveConsent({ page, onGiven }: { page: ConsentPage; onGiven: (partner: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [partnerUnitId, setPartner] = useState(page.partners[0]?.id ?? '');
  const [scopes, setScopes] = useState<string[]>(['goals']);
  const [lifeAreas, setAreas] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('');
  const [validUntil, setUntil] = useState(sixMonths());
  const [errors, setErrors] = useState<FieldErrors>({});
  const give = useMutation({
    mutationFn: (body: unknown) => post<{ id: string }>('/api/portal/consents', body),
    onSuccess: async () => {
      onGiven(page.partners.find((p) => p.id === partnerUnitId)?.name ?? '');
      setPurpose('');
      await qc.invalidateQueries({ queryKey: ['portal-consents'] });
    },
    onError: (err) => setErrors(serverFieldErrors(err)),
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const v = validate(portalConsentBody, { partnerUnitId, scopes, lifeAreas, purpose, validUntil });
    setErrors(v.errors);
    if (v.data) give.mutate(v.data);
  };
  return (
    <Card withBorder padding="lg" component="form" onSubmit={submit} aria-labelledby="give-consent">
      <Stack gap="sm">
        <Title order={2} size="h3" id="give-consent">
          {t('portal.consents.give')}
        </Title>
        <NativeSelect
          label={t('portal.consents.partner')}
          value={partnerUnitId}
          onChange={(e) => setPartner(e.currentTarget.value)}
          data={page.partners.map((p) => ({ value: p.id, label: p.name }))}
          error={errors.partnerUnitId}
        />
        <Checkbox.Group
          label={t('portal.consents.what')}
          value={scopes}
          onChange={setScopes}
          error={errors.scopes}
        >
          <Stack gap={6} mt={4}>
            {CONSENT_SCOPES.map((s) => (
              <Checkbox key={s} value={s} label={t(`portal.consents.scopes.${s}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
        {scopes.includes('goals') && (
          <Checkbox.Group
            label={t('portal.consents.lifeAreas')}
            description={t('portal.consents.lifeAreasHelp')}
            value={lifeAreas}
            onChange={setAreas}
            error={errors.lifeAreas}
          >
            <Stack gap={6} mt={4}>
              {page.lifeAreas.map((a) => (
                <Checkbox key={a.code} value={a.code} label={a.name} />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <TextInput
          label={t('portal.consents.purpose')}
          description={t('portal.consents.purposeHelp')}
          value={purpose}
          onChange={(e) => setPurpose(e.currentTarget.value)}
          error={errors.purpose}
          required
        />
        <TextInput
          type="date"
          label={t('portal.consents.until')}
          value={validUntil}
          min={todayIso()}
          max={page.maxUntil}
          onChange={(e) => setUntil(e.currentTarget.value)}
          error={errors.validUntil}
          required
        />
        {give.error && !Object.keys(errors).length && <ErrorAlert error={give.error} />}
        <Button type="submit" loading={give.isPending} style={{ alignSelf: 'flex-start' }}>
          {t('portal.consents.submit')}
        </Button>
      </Stack>
    </Card>
  );
}

/** Samtykke: who may see what, why and until when; give, see and withdraw. */
export function PortalConsentsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['portal-consents'],
    queryFn: () => get<ConsentPage>('/api/portal/consents'),
  });
  const [notice, setNotice] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Consent | null>(null);
  const withdraw = useMutation({
    mutationFn: (id: string) => post(`/api/portal/consents/${id}/withdraw`),
    onSuccess: async () => {
      setConfirm(null);
      setNotice(t('portal.consents.withdrawn'));
      await qc.invalidateQueries({ queryKey: ['portal-consents'] });
    },
  });
  if (q.isLoading) return <Loader aria-label={t('portal.loading')} />;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const statusColor = {
    active: STATUS_COLORS.positive,
    upcoming: 'blue.9',
    expired: STATUS_COLORS.neutral,
    withdrawn: STATUS_COLORS.neutral,
  } as const;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('portal.consents.title')}</Title>
        <Text>{t('portal.consents.intro')}</Text>
      </div>
      {notice && (
        <Alert color="green" variant="outline" role="status">
          {notice}
        </Alert>
      )}
      {q.data.items.length === 0 && <Text>{t('portal.consents.none')}</Text>}
      {q.data.items.map((c) => (
        <Card withBorder key={c.id} padding="md">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <div>
              <Title order={2} size="h4">
                {c.partner.name}
              </Title>
              <Text size="sm">{c.purpose}</Text>
            </div>
            <Badge color={statusColor[c.status]} style={{ flexShrink: 0 }}>
              {t(`portal.consents.status.${c.status}`)}
            </Badge>
          </Group>
          <Text size="sm" mt="xs">
            <b>{t('portal.consents.what')}:</b>{' '}
            {c.scopes.map((s) => t(`portal.consents.scopes.${s}`)).join(', ')}
            {c.scopes.includes('goals') &&
              ` (${c.lifeAreas.length ? c.lifeAreas.map((a) => a.display).join(', ') : t('portal.consents.allAreas')})`}
          </Text>
          <Text size="sm" c="dimmed">
            {t('portal.consents.period', { from: formatDate(c.validFrom), until: formatDate(c.validUntil) })}{' '}
            · {t(`portal.consents.givenHow.${c.givenHow}`)}
          </Text>
          {(c.status === 'active' || c.status === 'upcoming') && (
            <Button
              variant="outline"
              color="red"
              size="xs"
              mt="sm"
              onClick={() => setConfirm(c)}
              aria-label={`${t('portal.consents.withdraw')}: ${c.partner.name}`}
            >
              {t('portal.consents.withdraw')}
            </Button>
          )}
        </Card>
      ))}
      {q.data.partners.length > 0 && (
        <GiveConsent
          page={q.data}
          onGiven={(partner) => setNotice(t('portal.consents.given', { partner }))}
        />
      )}
      <AppModal
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={t('portal.consents.withdraw')}
      >
        <Stack>
          <Text>{t('portal.consents.withdrawConfirm', { partner: confirm?.partner.name ?? '' })}</Text>
          <ErrorAlert error={withdraw.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t('portal.consents.cancel')}
            </Button>
            <Button
              color="red"
              loading={withdraw.isPending}
              onClick={() => confirm && withdraw.mutate(confirm.id)}
            >
              {t('portal.consents.withdraw')}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}
