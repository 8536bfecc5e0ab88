import { Button, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { serviceCreateBody } from '../../../shared/pathway';
import { get, post } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, orNull, serverFieldErrors, validate } from '../../components/forms';
import { AppModal } from '../../components/modal';
import { options, useReference } from './hooks';
import type { Goal, ServiceDetail } from './types';

interface CatalogueItem {
  id: string;
  kind: string;
  name: string;
  paragraphCode: string | null;
  ydelseCode: string | null;
  providerUnitId: string | null;
  priceAmount: number | null;
  priceUnit: string | null;
  active: boolean;
}

/** Propose or grant a service: FFB ydelse, paragraph, provider, target groups, hours, price and cadence. */
export function ServiceForm(p: {
  caseId: string;
  goals: Goal[];
  opened: boolean;
  onClose: () => void;
  onSaved: (s: ServiceDetail) => void;
}) {
  const { t } = useTranslation();
  const ref = useReference().data;
  const org = useQuery({
    queryKey: ['org-options'],
    queryFn: () => get<{ units: { id: string; name: string; kind: string }[] }>('/api/org/options'),
  });
  const catalogue = useQuery({
    queryKey: ['catalogue'],
    queryFn: () => get<{ items: CatalogueItem[] }>('/api/catalogue'),
  });
  const [v, setV] = useState({
    catalogueItemId: '',
    ydelseCode: '',
    paragraphCode: '',
    providerUnitId: '',
    primaryTargetGroupCode: '',
    secondaryTargetGroupCodes: [] as string[],
    supportNeedCode: '',
    status: 'granted',
    startOn: '',
    endOn: '',
    hoursPerWeek: '' as number | string,
    priceAmount: '' as number | string,
    priceUnit: '',
    cadenceKind: 'standard',
    cadenceMonths: '3',
    goalIds: p.goals.filter((g) => g.kind === 'intervention').map((g) => g.id),
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = (k: keyof typeof v) => (value: unknown) => setV((x) => ({ ...x, [k]: value }));
  const body = () => ({
    ydelseCode: v.ydelseCode,
    paragraphCode: v.paragraphCode,
    providerUnitId: v.providerUnitId,
    catalogueItemId: orNull(v.catalogueItemId),
    primaryTargetGroupCode: v.primaryTargetGroupCode,
    secondaryTargetGroupCodes: v.secondaryTargetGroupCodes,
    supportNeedCode: orNull(v.supportNeedCode),
    status: v.status,
    startOn: orNull(v.startOn),
    endOn: orNull(v.endOn),
    hoursPerWeek: v.hoursPerWeek === '' ? null : Number(v.hoursPerWeek),
    priceAmount: v.priceAmount === '' ? null : Number(v.priceAmount),
    priceUnit: orNull(v.priceUnit),
    cadence:
      v.cadenceKind === 'close' ? { kind: 'close', months: Number(v.cadenceMonths) } : { kind: 'standard' },
    goalIds: v.goalIds,
  });
  const save = useMutation({
    mutationFn: () => post<ServiceDetail>(`/api/cases/${p.caseId}/services`, body()),
    onSuccess: (s) => {
      p.onSaved(s);
      p.onClose();
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  if (!ref) return null;
  const localServices = (catalogue.data?.items ?? []).filter((i) => i.kind === 'local_service' && i.active);
  const pickLocal = (id: string | null) => {
    const item = localServices.find((i) => i.id === id);
    setV((x) => ({
      ...x,
      catalogueItemId: id ?? '',
      ...(item
        ? {
            ydelseCode: item.ydelseCode ?? x.ydelseCode,
            paragraphCode: item.paragraphCode ?? x.paragraphCode,
            providerUnitId: item.providerUnitId ?? x.providerUnitId,
            priceAmount: item.priceAmount ?? x.priceAmount,
            priceUnit: item.priceUnit ?? x.priceUnit,
          }
        : {}),
    }));
  };
  // A paragraph grants only some FFB ydelser (data/serviceloven): offer those, and a paragraph that fits.
  const paragraphOf = (code: string) => ref.serviceloven.paragraphs.find((x) => x.code === code);
  const fits = (ydelse: string, paragraph: string) => {
    const allowed = paragraphOf(paragraph)?.ydelser ?? null;
    return allowed === null || allowed.includes(ydelse);
  };
  const ydelser = v.paragraphCode
    ? ref.ffb.ydelser.filter((y) => fits(y.code, v.paragraphCode))
    : ref.ffb.ydelser;
  const pickYdelse = (code: string | null) =>
    setV((x) => ({
      ...x,
      ydelseCode: code ?? '',
      paragraphCode:
        x.paragraphCode ||
        ref.serviceloven.paragraphs.find((p) => code && p.ydelser?.includes(code))?.code ||
        '',
    }));
  const pickParagraph = (code: string | null) =>
    setV((x) => ({
      ...x,
      paragraphCode: code ?? '',
      ydelseCode: code && x.ydelseCode && !fits(x.ydelseCode, code) ? '' : x.ydelseCode,
    }));
  return (
    <AppModal opened={p.opened} onClose={p.onClose} size="xl" title={t('pathway.services.add')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const r = validate(serviceCreateBody, body());
          setErrors(r.errors);
          if (r.data) save.mutate();
        }}
      >
        <Stack>
          <ErrorAlert error={save.error} />
          {localServices.length > 0 && (
            <Select
              label={t('pathway.services.localService')}
              data={localServices.map((i) => ({ value: i.id, label: i.name }))}
              value={v.catalogueItemId || null}
              onChange={pickLocal}
              clearable
            />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('pathway.services.ydelse')}
              data={options(ydelser)}
              value={v.ydelseCode || null}
              onChange={pickYdelse}
              error={errors.ydelseCode}
              searchable
              required
              data-autofocus
            />
            <Select
              label={t('pathway.services.paragraph')}
              data={ref.serviceloven.paragraphs.map((x) => ({
                value: x.code,
                label: `${x.code} · ${x.display}`,
              }))}
              value={v.paragraphCode || null}
              onChange={pickParagraph}
              error={errors.paragraphCode}
              required
            />
            <Select
              label={t('pathway.services.provider')}
              data={(org.data?.units ?? [])
                .filter((u) => u.kind === 'tilbud')
                .map((u) => ({ value: u.id, label: u.name }))}
              value={v.providerUnitId || null}
              onChange={(x) => set('providerUnitId')(x ?? '')}
              error={errors.providerUnitId}
              required
            />
            <Select
              label={t('pathway.goals.statusLabel')}
              data={(['proposed', 'granted'] as const).map((s) => ({
                value: s,
                label: t(`pathway.services.status.${s}`),
              }))}
              value={v.status}
              onChange={(x) => set('status')(x ?? 'granted')}
              allowDeselect={false}
            />
            <Select
              label={t('pathway.services.targetPrimary')}
              data={options(ref.ffb.targetGroups)}
              value={v.primaryTargetGroupCode || null}
              onChange={(x) => set('primaryTargetGroupCode')(x ?? '')}
              error={errors.primaryTargetGroupCode}
              searchable
              required
            />
            <Select
              label={t('pathway.services.supportNeed')}
              description={t('pathway.services.supportNeedHelp')}
              data={ref.ffb.supportNeeds.map((l) => ({
                value: l.code,
                label: `${l.ordinal} · ${l.display}`,
              }))}
              value={v.supportNeedCode || null}
              onChange={(x) => set('supportNeedCode')(x ?? '')}
              error={errors.supportNeedCode}
              required={v.status === 'granted'}
            />
            <MultiSelect
              label={t('pathway.services.targetSecondary')}
              data={options(ref.ffb.targetGroups)}
              value={v.secondaryTargetGroupCodes}
              onChange={set('secondaryTargetGroupCodes')}
              searchable
            />
            <TextInput
              type="date"
              label={t('pathway.services.startOn')}
              value={v.startOn}
              onChange={(e) => set('startOn')(e.currentTarget.value)}
              error={errors.startOn}
              required={v.status === 'granted'}
            />
            <TextInput
              type="date"
              label={t('pathway.services.endOn')}
              value={v.endOn}
              onChange={(e) => set('endOn')(e.currentTarget.value)}
              error={errors.endOn}
            />
            <NumberInput
              label={t('pathway.services.hours')}
              min={0}
              max={168}
              decimalScale={2}
              value={v.hoursPerWeek}
              onChange={set('hoursPerWeek')}
            />
            <Group grow align="flex-start">
              <NumberInput
                label={t('pathway.services.price')}
                min={0}
                decimalScale={2}
                value={v.priceAmount}
                onChange={set('priceAmount')}
                error={errors.priceAmount}
              />
              <Select
                label={t('pathway.services.priceUnit')}
                data={(['hour', 'month'] as const).map((u) => ({
                  value: u,
                  label: t(`pathway.services.priceUnits.${u}`),
                }))}
                value={v.priceUnit || null}
                onChange={(x) => set('priceUnit')(x ?? '')}
                error={errors.priceUnit}
                clearable
              />
            </Group>
            <Select
              label={t('pathway.services.cadence')}
              data={[
                { value: 'standard', label: t('pathway.services.cadenceStandard') },
                { value: 'close', label: t('pathway.services.cadenceClose', { months: v.cadenceMonths }) },
              ]}
              value={v.cadenceKind}
              onChange={(x) => set('cadenceKind')(x ?? 'standard')}
              allowDeselect={false}
            />
            {v.cadenceKind === 'close' && (
              <Select
                label={t('pathway.services.cadenceMonths')}
                data={['1', '2', '3']}
                value={v.cadenceMonths}
                onChange={(x) => set('cadenceMonths')(x ?? '3')}
                allowDeselect={false}
              />
            )}
          </SimpleGrid>
          <MultiSelect
            label={t('pathway.services.goals')}
            data={p.goals
              .filter((g) => g.kind === 'intervention')
              .map((g) => ({ value: g.id, label: g.title }))}
            value={v.goalIds}
            onChange={set('goalIds')}
            error={errors.goalIds}
            required={v.status === 'granted'}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={p.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
