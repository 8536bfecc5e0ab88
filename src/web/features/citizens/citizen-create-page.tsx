import { Card, Stack, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { citizenCreateBody } from '../../../shared/schemas';
import { ApiError, post } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, serverFieldErrors, validate } from '../../components/forms';
import type { Citizen } from '../../types';
import { CitizenForm, type CitizenFormValues, emptyCitizen, toBody } from './citizen-form';

export function CitizenCreatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (v: CitizenFormValues) => post<Citizen>('/api/citizens', toBody(v)),
    onSuccess: (c) => navigate(`/borgere/${c.id}`),
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const submit = (v: CitizenFormValues) => {
    const r = validate(citizenCreateBody, toBody(v));
    setErrors(r.errors);
    if (r.data) create.mutate(v);
  };
  return (
    <Stack>
      <Title order={1}>{t('citizen.createTitle')}</Title>
      <Card withBorder>
        <ErrorAlert
          error={create.error instanceof ApiError && create.error.code === 'validation' ? null : create.error}
        />
        <CitizenForm
          initial={emptyCitizen}
          errors={errors}
          saving={create.isPending}
          onSubmit={submit}
          onCancel={() => navigate(-1)}
        />
      </Card>
    </Stack>
  );
}
