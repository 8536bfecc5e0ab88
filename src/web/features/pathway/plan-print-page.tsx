import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { get } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../components/forms';
import { PlanDocument } from './plan-document';
import type { Plan } from './plan-section';

export interface PlanView extends Plan {
  caseId: string;
  caseNumber: string;
  citizen: { id: string; name: string };
  caseworker: string | null;
  authorityUnit: string;
  previousVersion: number | null;
  goalsSnapshot:
    | {
        id: string;
        kind: string;
        title: string;
        wordsOf: string;
        what: string;
        measure: string;
        dueOn: string | null;
        helpers: string;
        status: string;
        subtheme: string | null;
      }[]
    | null;
  servicesSnapshot:
    | {
        id: string;
        paragraph: string;
        ydelse: string;
        provider: string;
        status: string;
        startOn: string | null;
        hoursPerWeek: string | null;
      }[]
    | null;
  diff: {
    fields: { field: string; before: string; after: string }[];
    participants: { added: string[]; removed: string[] };
    goals: { added: string[]; removed: string[]; changed: string[] };
    services: { added: string[]; removed: string[] };
  } | null;
}

/** One version of the §141 plan, laid out to print or hand to the citizen, with what changed since the last. */
export function PlanPrintPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useQuery({
    queryKey: ['plan-view', id],
    queryFn: () => get<PlanView>(`/api/plans/${id}`),
    retry: false,
  });
  if (q.isLoading) return <Loader aria-label={t('app.loading')} />;
  if (q.error || !q.data) return <ErrorAlert error={q.error} />;
  const p = q.data;
  const d = p.diff;
  const changes = d
    ? d.fields.length +
      d.participants.added.length +
      d.participants.removed.length +
      d.goals.added.length +
      d.goals.removed.length +
      d.goals.changed.length +
      d.services.added.length +
      d.services.removed.length
    : 0;
  return (
    <Stack className="print-page" maw={820}>
      <Group justify="space-between" className="no-print">
        <Link to={`/sager/${p.caseId}`}>{t('common.back')}</Link>
        <Button variant="outline" onClick={() => window.print()}>
          {t('pathway.plan.print')}
        </Button>
      </Group>
      <Title order={1}>{t('pathway.plan.printTitle')}</Title>
      <Text>
        {p.citizen.name} · {t('pathway.cases.number')} {p.caseNumber} ·{' '}
        {t('common.version', { version: p.version })} ·{' '}
        {p.sharedAt
          ? t('pathway.plan.sharedOn', { date: formatDateTime(p.sharedAt) })
          : t(`pathway.plan.status.${p.status}`)}
      </Text>
      <Text size="sm">
        {t('pathway.cases.caseworker')}: {p.caseworker ?? '–'} · {p.authorityUnit}
      </Text>
      <PlanDocument p={p} />
      {d && p.previousVersion !== null && (
        <Alert
          variant="outline"
          color="blue.9"
          title={changes ? t('pathway.plan.diff', { version: p.previousVersion }) : undefined}
        >
          {changes === 0 && t('pathway.plan.diffNone', { version: p.previousVersion })}
          {d.fields.map((f) => (
            <Text key={f.field} size="sm">
              <strong>{t(`pathway.plan.fields.${f.field}`)}</strong> · {t('pathway.plan.before')}:{' '}
              <del>{f.before || '–'}</del> · {t('pathway.plan.after')}: <ins>{f.after || '–'}</ins>
            </Text>
          ))}
          {[
            [t('pathway.plan.participants'), d.participants],
            [t('pathway.plan.goals'), d.goals],
            [t('pathway.plan.services'), d.services],
          ].map(([label, x]) => {
            const c = x as { added: string[]; removed: string[]; changed?: string[] };
            return (
              <div key={label as string}>
                {c.added.map((a) => (
                  <Text size="sm" key={`a-${a}`}>
                    {label as string} · {t('pathway.plan.added')}: <ins>{a}</ins>
                  </Text>
                ))}
                {c.removed.map((a) => (
                  <Text size="sm" key={`r-${a}`}>
                    {label as string} · {t('pathway.plan.removed')}: <del>{a}</del>
                  </Text>
                ))}
                {(c.changed ?? []).map((a) => (
                  <Text size="sm" key={`c-${a}`}>
                    {label as string} · {t('pathway.plan.changed')}: {a}
                  </Text>
                ))}
              </div>
            );
          })}
        </Alert>
      )}
    </Stack>
  );
}
