import { List, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PLAN_TEXT_FIELDS } from '../../../shared/pathway';
import { formatDate, formatNumber } from '../../components/forms';
import type { PlanView } from './plan-print-page';

/** The §141 plan's content, read the same on the case's plan tab and on the page to print or hand over. */
export function PlanDocument({ p, level = 2 }: { p: PlanView; level?: 2 | 3 | 4 }) {
  const { t } = useTranslation();
  return (
    <>
      {PLAN_TEXT_FIELDS.map((f) =>
        p[f] ? (
          <section key={f}>
            <Title order={level} size="h4">
              {t(`pathway.plan.fields.${f}`)}
            </Title>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{p[f]}</Text>
          </section>
        ) : null,
      )}
      <section>
        <Title order={level} size="h4">
          {t('pathway.plan.goals')}
        </Title>
        {(p.goalsSnapshot ?? []).length === 0 && <Text>{t('pathway.plan.noGoals')}</Text>}
        <List>
          {(p.goalsSnapshot ?? []).map((g) => (
            <List.Item key={g.id}>
              <strong>{t(`pathway.goals.kinds.${g.kind}`)}:</strong> {g.title}
              {[g.wordsOf && t(`pathway.goals.wordsOf.${g.wordsOf}`), g.subtheme].filter(Boolean).length >
                0 &&
                ` (${[g.wordsOf && t(`pathway.goals.wordsOf.${g.wordsOf}`), g.subtheme].filter(Boolean).join(', ')})`}
              {g.measure && ` · ${t('pathway.goals.measure')} ${g.measure}`}
              {g.dueOn && ` · ${formatDate(g.dueOn)}`}
            </List.Item>
          ))}
        </List>
      </section>
      <section>
        <Title order={level} size="h4">
          {t('pathway.plan.services')}
        </Title>
        {(p.servicesSnapshot ?? []).length === 0 && <Text>{t('pathway.plan.noServices')}</Text>}
        <List>
          {(p.servicesSnapshot ?? []).map((s) => (
            <List.Item key={s.id}>
              {s.paragraph} {s.ydelse} · {s.provider} · {t(`pathway.services.status.${s.status}`)}
              {s.hoursPerWeek &&
                ` · ${formatNumber(Number(s.hoursPerWeek))} ${t('pathway.services.hours').toLowerCase()}`}
            </List.Item>
          ))}
        </List>
      </section>
      {p.participants.length > 0 && (
        <section>
          <Title order={level} size="h4">
            {t('pathway.plan.participants')}
          </Title>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pathway.plan.participantKind')}</Table.Th>
                <Table.Th>{t('pathway.plan.participantName')}</Table.Th>
                <Table.Th>{t('pathway.plan.participantResponsibility')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.participants.map((x) => (
                <Table.Tr key={`${x.kind}-${x.name}`}>
                  <Table.Td>{t(`pathway.plan.kinds.${x.kind}`)}</Table.Td>
                  <Table.Td>{x.name}</Table.Td>
                  <Table.Td>{x.responsibility}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      )}
      <Text>
        {t('pathway.plan.fields.offer')}: {t(`pathway.plan.offer.${p.offer}`)}
        {p.agreementOn && ` · ${t('pathway.plan.agreementOn')}: ${formatDate(p.agreementOn)}`}
        {p.agreementHow && ` (${t(`pathway.plan.how.${p.agreementHow}`)})`}
        {p.agreementNote && ` · ${p.agreementNote}`}
      </Text>
    </>
  );
}
