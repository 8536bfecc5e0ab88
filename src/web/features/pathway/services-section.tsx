import { Badge, Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { STATUS_COLORS } from '../../components/colors';
import { formatDate, formatMoney } from '../../components/forms';
import { ServiceForm } from './service-form';
import type { CaseView, Service } from './types';

export const serviceStatusColor = (s: string) =>
  s === 'active' ? STATUS_COLORS.positive : s === 'ended' ? STATUS_COLORS.neutral : 'blue.9';

/** One service in short: status, paragraph and ladder step, provider, hours, cost and the next follow-up. */
export function ServiceCard({ s }: { s: Service }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm" component="article" aria-label={`${s.paragraph.code} ${s.ydelse.display}`}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Text fw={600}>
            {s.paragraph.code} · {s.ydelse.display}
          </Text>
          <Text size="sm">
            {s.provider.name} ·{' '}
            {s.paragraph.step !== null && t('pathway.services.step', { step: s.paragraph.step })}
          </Text>
          <Text size="sm">
            {formatDate(s.startOn)} – {s.endOn ? formatDate(s.endOn) : ''} · {s.hoursPerWeek ?? '–'}{' '}
            {t('pathway.services.hours').toLowerCase()} · {t('pathway.services.monthlyCost')}:{' '}
            {formatMoney(s.monthlyCost)}
          </Text>
          {s.nextFollowUpOn && (
            <Text size="sm">
              {t('pathway.services.nextFollowUp')}: {formatDate(s.nextFollowUpOn)}
            </Text>
          )}
        </Stack>
        <Stack align="flex-end" gap="xs">
          <Badge color={serviceStatusColor(s.status)}>{t(`pathway.services.status.${s.status}`)}</Badge>
          <Button component={Link} to={`/ydelser/${s.id}`} size="xs" variant="outline">
            {t('pathway.services.open')}
            <span className="visually-hidden"> {s.ydelse.display}</span>
          </Button>
        </Stack>
      </Group>
    </Card>
  );
}

export function ServicesSection({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  return (
    <Stack>
      {c.permissions.write && (
        <Group>
          <Button onClick={() => setAdding(true)}>{t('pathway.services.add')}</Button>
        </Group>
      )}
      {c.services.length === 0 && <Text>{t('pathway.services.none')}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {c.services.map((s) => (
          <ServiceCard key={s.id} s={s} />
        ))}
      </SimpleGrid>
      {adding && (
        <ServiceForm
          caseId={c.id}
          goals={c.goals}
          opened
          onClose={() => setAdding(false)}
          onSaved={(s) => navigate(`/ydelser/${s.id}`)}
        />
      )}
    </Stack>
  );
}
