import { Badge, Button, Card, Group, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { caseCreateBody } from '../../../shared/pathway';
import { get, post } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, formatDate, serverFieldErrors, validate } from '../../components/forms';
import { AppModal } from '../../components/modal';
import { useSession } from '../auth/session';
import type { CaseSummary, CaseView } from './types';

/** The citizen's cases on the citizen page, with "open case" and the way to the whole pathway. */
export function CasesSection({ citizenId }: { citizenId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [opening, setOpening] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const q = useQuery({
    queryKey: ['citizen-cases', citizenId],
    queryFn: () => get<{ items: CaseSummary[] }>(`/api/citizens/${citizenId}/cases`),
    enabled: can('case.read'),
  });
  const open = useMutation({
    mutationFn: () => post<CaseView>(`/api/citizens/${citizenId}/cases`, { reason }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ['citizen-cases', citizenId] });
      navigate(`/sager/${c.id}`);
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  if (!can('case.read')) return null;
  return (
    <Card withBorder component="section" aria-labelledby="cases-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3" id="cases-title">
          {t('pathway.cases.title')}
        </Title>
        <Group>
          <Button component={Link} to={`/borgere/${citizenId}/forloeb`} variant="outline">
            {t('pathway.cases.timeline')}
          </Button>
          {can('case.write') && <Button onClick={() => setOpening(true)}>{t('pathway.cases.open')}</Button>}
        </Group>
      </Group>
      <ErrorAlert error={q.error} />
      {q.data && q.data.items.length === 0 && <Text>{t('pathway.cases.none')}</Text>}
      {q.data && q.data.items.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pathway.cases.number')}</Table.Th>
              <Table.Th>{t('pathway.cases.reason')}</Table.Th>
              <Table.Th>{t('pathway.cases.phase')}</Table.Th>
              <Table.Th>{t('pathway.cases.openedOn')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Link to={`/sager/${c.id}`} aria-label={t('pathway.cases.go', { number: c.caseNumber })}>
                    {c.caseNumber}
                  </Link>
                </Table.Td>
                <Table.Td>{c.reason}</Table.Td>
                <Table.Td>
                  <Badge color={c.phase === 'closed' ? 'gray.8' : 'blue.9'}>
                    {t(`pathway.phases.${c.phase}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDate(c.openedOn)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <AppModal opened={opening} onClose={() => setOpening(false)} title={t('pathway.cases.open')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const v = validate(caseCreateBody, { reason });
            setErrors(v.errors);
            if (v.data) open.mutate();
          }}
        >
          <Stack>
            <ErrorAlert error={open.error} />
            <Textarea
              label={t('pathway.cases.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={errors.reason}
              autosize
              minRows={3}
              required
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpening(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={open.isPending}>
                {t('common.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      </AppModal>
    </Card>
  );
}
