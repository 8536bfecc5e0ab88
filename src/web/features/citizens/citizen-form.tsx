import { Button, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api';
import { type FieldErrors, orNull } from '../../components/forms';
import type { Citizen, OrgOptions } from '../../types';

export interface CitizenFormValues {
  cpr: string;
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  address: string;
  postalCode: string;
  city: string;
  responsibleCaseworkerId: string | null;
  responsibleUnitId: string | null;
}

export const emptyCitizen: CitizenFormValues = {
  cpr: '',
  firstName: '',
  lastName: '',
  phone: '',
  email: '',
  address: '',
  postalCode: '',
  city: '',
  responsibleCaseworkerId: null,
  responsibleUnitId: null,
};

export function valuesOf(c: Citizen): CitizenFormValues {
  return {
    cpr: c.cpr,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone ?? '',
    email: c.email ?? '',
    address: c.address ?? '',
    postalCode: c.postalCode ?? '',
    city: c.city ?? '',
    responsibleCaseworkerId: c.responsibleCaseworker?.id ?? null,
    responsibleUnitId: c.responsibleUnit?.id ?? null,
  };
}

/** Form values as the API wants them: empty optional fields become null. */
export const toBody = (v: CitizenFormValues) => ({
  ...v,
  phone: orNull(v.phone),
  email: orNull(v.email),
  address: orNull(v.address),
  postalCode: orNull(v.postalCode),
  city: orNull(v.city),
});

/** The citizen's core data; used to create and to edit. */
export function CitizenForm(props: {
  initial: CitizenFormValues;
  errors: FieldErrors;
  saving: boolean;
  onSubmit: (v: CitizenFormValues) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [v, setV] = useState(props.initial);
  const options = useQuery({ queryKey: ['org-options'], queryFn: () => get<OrgOptions>('/api/org/options') });
  const field = (k: keyof CitizenFormValues) => ({
    value: (v[k] as string) ?? '',
    onChange: (e: { currentTarget: { value: string } }) => setV({ ...v, [k]: e.currentTarget.value }),
    error: props.errors[k],
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit(v);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('citizen.firstName')} required autoComplete="off" {...field('firstName')} />
          <TextInput label={t('citizen.lastName')} required autoComplete="off" {...field('lastName')} />
          <TextInput
            label={t('citizens.cpr')}
            required
            autoComplete="off"
            inputMode="numeric"
            {...field('cpr')}
          />
          <TextInput label={t('citizen.phone')} autoComplete="off" {...field('phone')} />
          <TextInput label={t('citizen.email')} autoComplete="off" {...field('email')} />
          <TextInput label={t('citizen.address')} autoComplete="off" {...field('address')} />
          <TextInput label={t('citizen.postalCode')} autoComplete="off" {...field('postalCode')} />
          <TextInput label={t('citizen.city')} autoComplete="off" {...field('city')} />
          <Select
            label={t('citizens.caseworker')}
            clearable
            data={(options.data?.caseworkers ?? []).map((c) => ({ value: c.id, label: c.displayName }))}
            value={v.responsibleCaseworkerId}
            onChange={(x) => setV({ ...v, responsibleCaseworkerId: x })}
            error={props.errors.responsibleCaseworkerId}
          />
          <Select
            label={t('citizens.unit')}
            clearable
            data={(options.data?.units ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={v.responsibleUnitId}
            onChange={(x) => setV({ ...v, responsibleUnitId: x })}
            error={props.errors.responsibleUnitId}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          {props.onCancel && (
            <Button variant="outline" onClick={props.onCancel}>
              {t('common.cancel')}
            </Button>
          )}
          <Button type="submit" loading={props.saving}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
