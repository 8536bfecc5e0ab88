import { LineChart } from '@mantine/charts';
import {
  Button,
  Card,
  Group,
  List,
  Loader,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { get, post } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import {
  type FieldErrors,
  formatDate,
  formatNumber,
  serverFieldErrors,
  todayIso,
} from '../../components/forms';
import { AppModal } from '../../components/modal';
import { useSession } from '../auth/session';
import { informantCode, options, useReference } from './hooks';
import { FlagBadges, type OutcomeFlags } from './outcome-flags';

interface TimelineItem {
  id: string;
  on: string;
  kind: string;
  caseId: string | null;
  serviceId: string | null;
  [k: string]: unknown;
}
interface Timeline {
  citizen: { id: string; name: string };
  items: TimelineItem[];
  ladder: { from: string; to: string | null; step: number }[];
  steps: { step: number; name: string }[];
}
interface Outcomes {
  instruments: { key: string; name: string; usable: boolean; licenceRequired: boolean }[];
  series: {
    key: string;
    name: string;
    min: number;
    max: number;
    cutoffs: { value: number; label: string }[];
    reliableChange: number | null;
    points: {
      id: string;
      on: string;
      score: number;
      informant: string | null;
      change: string;
      clinical: boolean | null;
    }[];
    flags: OutcomeFlags;
  }[];
  gas: { followUpId: string; on: string; citizen: number | null; professional: number | null }[];
}

/** A GAS T-score against the first one: the first is the baseline, then higher, lower or the same. */
const gasChange = (score: number, first: number | null) =>
  first === null ? 'baseline' : score > first ? 'higher' : score < first ? 'lower' : 'unchanged';

/** The step-down ladder over time: one point at each change, drawn as steps; the numbers in a table. */
function Ladder({ tl }: { tl: Timeline }) {
  const { t } = useTranslation();
  if (!tl.ladder.length) return <Text>{t('pathway.timeline.ladderNone')}</Text>;
  const name = (step: number) =>
    step === 0
      ? t('pathway.timeline.noService')
      : (tl.steps.find((s) => s.step === step)?.name ?? String(step));
  const today = todayIso();
  const data = [
    ...tl.ladder.map((s) => ({ date: formatDate(s.from), step: s.step })),
    { date: formatDate(today), step: tl.ladder[tl.ladder.length - 1]!.step },
  ];
  const now = tl.ladder[tl.ladder.length - 1]!;
  return (
    <Stack gap="xs">
      <Text fw={600}>{t('pathway.timeline.ladderNow', { step: now.step, name: name(now.step) })}</Text>
      <div
        role="img"
        aria-label={`${t('pathway.timeline.ladder')}: ${tl.ladder.map((s) => `${formatDate(s.from)} ${s.step}`).join(', ')}`}
      >
        <LineChart
          valueFormatter={(v) => formatNumber(v)}
          h={200}
          data={data}
          dataKey="date"
          series={[{ name: 'step', label: t('pathway.timeline.ladderStep'), color: 'blue.9' }]}
          curveType="stepAfter"
          yAxisProps={{ domain: [0, 5], allowDecimals: false }}
        />
      </div>
      <Table>
        <Table.Tbody>
          {tl.ladder.map((s) => (
            <Table.Tr key={s.from}>
              <Table.Td>
                {formatDate(s.from)} – {s.to ? formatDate(s.to) : ''}
              </Table.Td>
              <Table.Td>
                {t('pathway.timeline.ladderStep')} {s.step}: {name(s.step)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** One instrument over time with its cut-off line; reliable changes are marked in the table beside it. */
function SeriesChart({ s }: { s: Outcomes['series'][number] }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm" component="section" aria-label={s.name}>
      <Group justify="space-between">
        <Title order={3} size="h5">
          {s.name}
        </Title>
        <Group gap="xs">
          <FlagBadges instrument={s.key} flags={s.flags} />
        </Group>
      </Group>
      {/* What each line on the chart means, in the instrument's own words (data/instruments). */}
      <List size="sm" spacing={0}>
        {s.cutoffs.map((c) => (
          <List.Item key={c.value}>
            {t('pathway.outcomes.cutoffLine', { value: c.value, label: c.label })}
          </List.Item>
        ))}
        {s.reliableChange !== null && (
          <List.Item>{t('pathway.outcomes.rcBand', { value: s.reliableChange })}</List.Item>
        )}
      </List>
      {s.points.length > 1 && (
        <div
          role="img"
          aria-label={`${s.name}: ${s.points.map((p) => `${formatDate(p.on)} ${formatNumber(p.score)}`).join(', ')}`}
        >
          <LineChart
            valueFormatter={(v) => formatNumber(v)}
            h={200}
            data={s.points.map((p) => ({ date: formatDate(p.on), score: p.score }))}
            dataKey="date"
            series={[{ name: 'score', label: t('pathway.outcomes.score'), color: 'blue.9' }]}
            referenceLines={[
              ...s.cutoffs.map((c) => ({
                y: c.value,
                label: formatNumber(c.value),
                color: 'red.9',
                labelPosition: 'insideTopRight' as const,
              })),
              // The reliable-change band around the first score: a point outside it is a reliable change.
              ...(s.reliableChange !== null
                ? [-1, 1].map((d) => ({
                    // Unlabelled: the list above says what the dashed lines are, and a label here would sit on
                    // a cut-off's label whenever the two lines are close.
                    y: s.points[0]!.score + d * s.reliableChange!,
                    color: 'gray.7',
                    strokeDasharray: '4 4',
                  }))
                : []),
            ]}
            yAxisProps={{ domain: [s.min, s.max] }}
          />
        </div>
      )}
      <Table>
        <Table.Tbody>
          {s.points.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{formatDate(p.on)}</Table.Td>
              <Table.Td>{formatNumber(p.score)}</Table.Td>
              <Table.Td>{t(`pathway.outcomes.changes.${p.change}`)}</Table.Td>
              <Table.Td>{p.informant}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function MeasurementForm({
  citizenId,
  o,
  onClose,
  onSaved,
}: {
  citizenId: string;
  o: Outcomes;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const ref = useReference().data;
  const [key, setKey] = useState<string | null>(o.instruments.find((i) => i.usable)?.key ?? null);
  const [on, setOn] = useState(todayIso());
  const [informant, setInformant] = useState<string | null>(informantCode(ref, 'Borger') || null);
  const [answers, setAnswers] = useState<Record<string, number | string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const def = ref?.instruments.find((i) => i.key === key);
  const save = useMutation({
    mutationFn: () =>
      post(`/api/citizens/${citizenId}/measurements`, {
        instrumentKey: key,
        administeredOn: on,
        informantCode: informant,
        answers: Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, Number(v)])),
      }),
    onSuccess: () => {
      onSaved();
      onClose();
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  return (
    <AppModal opened onClose={onClose} size="lg" title={t('pathway.outcomes.record')}>
      <Stack>
        <ErrorAlert error={save.error} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('pathway.outcomes.instrument')}
            data={o.instruments.map((i) => ({
              value: i.key,
              label: i.usable ? i.name : `${i.name} (${t('pathway.outcomes.licence')})`,
              disabled: !i.usable,
            }))}
            value={key}
            onChange={(k) => {
              setKey(k);
              setAnswers({});
            }}
            data-autofocus
          />
          <TextInput
            type="date"
            label={t('pathway.outcomes.on')}
            value={on}
            onChange={(e) => setOn(e.currentTarget.value)}
            error={errors.administeredOn}
          />
          <Select
            label={t('pathway.outcomes.informant')}
            data={ref ? options(ref.klCaresocial.informants) : []}
            value={informant}
            onChange={setInformant}
          />
        </SimpleGrid>
        {def && <Text size="sm">{def.period}</Text>}
        {def?.items.map((item) =>
          def.scale.step < 1 ? (
            <NumberInput
              key={item.id}
              label={item.text}
              min={def.scale.min}
              max={def.scale.max}
              step={def.scale.step}
              decimalScale={1}
              value={answers[item.id] ?? ''}
              onChange={(v) => setAnswers((a) => ({ ...a, [item.id]: v }))}
              error={errors[`answers.${item.id}`]}
            />
          ) : (
            <Select
              key={item.id}
              label={item.text}
              data={def.scale.labels.map((l) => ({
                value: String(l.value),
                label: `${l.value} · ${l.label}`,
              }))}
              value={answers[item.id] === undefined ? null : String(answers[item.id])}
              onChange={(v) => setAnswers((a) => ({ ...a, [item.id]: v ?? '' }))}
              error={errors[`answers.${item.id}`]}
            />
          ),
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!key}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}

function itemText(t: (k: string, o?: Record<string, unknown>) => string, i: TimelineItem) {
  const k = `pathway.timeline.kinds.${i.kind}`;
  switch (i.kind) {
    case 'case_phase':
      return t(k, { caseNumber: i.caseNumber, to: t(`pathway.phases.${String(i.to)}`) });
    case 'assessment':
      return t(k, { kind: t(`pathway.assessment.kinds.${String(i.assessmentKind)}`) });
    case 'service_status':
      return t(k, {
        paragraph: i.paragraph,
        ydelse: i.ydelse,
        to: t(`pathway.services.status.${String(i.to)}`),
      });
    case 'community':
      return t(k, { offer: i.offer, status: t(`pathway.community.link.status.${String(i.status)}`) });
    default:
      return t(k, i as Record<string, unknown>);
  }
}

/** The whole pathway on one page: the ladder, the measures and everything dated, for reading together. */
export function TimelinePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useSession();
  const qc = useQueryClient();
  const [measuring, setMeasuring] = useState(false);
  const tl = useQuery({
    queryKey: ['timeline', id],
    queryFn: () => get<Timeline>(`/api/citizens/${id}/timeline`),
    retry: false,
  });
  const o = useQuery({
    queryKey: ['outcomes', id],
    queryFn: () => get<Outcomes>(`/api/citizens/${id}/outcomes`),
    retry: false,
  });
  if (tl.isLoading || o.isLoading) return <Loader aria-label={t('app.loading')} />;
  if (tl.error || !tl.data || !o.data) return <ErrorAlert error={tl.error ?? o.error} />;
  const reload = () => {
    void qc.invalidateQueries({ queryKey: ['timeline', id] });
    void qc.invalidateQueries({ queryKey: ['outcomes', id] });
  };
  return (
    <Stack>
      <Title order={1}>{t('pathway.timeline.title', { name: tl.data.citizen.name })}</Title>
      <Text>
        <Link to={`/borgere/${id}`}>{tl.data.citizen.name}</Link>
      </Text>
      <Card withBorder component="section" aria-labelledby="ladder-title">
        <Title order={2} size="h4" id="ladder-title" mb="xs">
          {t('pathway.timeline.ladder')}
        </Title>
        <Ladder tl={tl.data} />
      </Card>
      <section aria-labelledby="outcomes-title">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="outcomes-title">
            {t('pathway.outcomes.title')}
          </Title>
          {can('citizen.update') && (
            <Button onClick={() => setMeasuring(true)}>{t('pathway.outcomes.record')}</Button>
          )}
        </Group>
        {o.data.series.length === 0 && o.data.gas.length === 0 && <Text>{t('pathway.outcomes.none')}</Text>}
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          {o.data.series.map((s) => (
            <SeriesChart key={s.key} s={s} />
          ))}
          {o.data.gas.length > 0 && (
            <SeriesChart
              s={{
                key: 'GAS',
                name: t('pathway.followUp.chartTitle'),
                min: 20,
                max: 80,
                cutoffs: [{ value: 50, label: t('pathway.followUp.gasTHint') }],
                reliableChange: null,
                flags: { deterioration: false, noChangeAfterThree: false, allianceAlert: false },
                points: o.data.gas.map((g, i, all) => ({
                  id: g.followUpId,
                  on: g.on,
                  score: g.citizen ?? g.professional ?? 50,
                  informant:
                    g.citizen !== null
                      ? t('pathway.followUp.byCitizen')
                      : t('pathway.followUp.byProfessional'),
                  // Compared with the first rating, as the other measures are.
                  change: gasChange(
                    g.citizen ?? g.professional ?? 50,
                    i === 0 ? null : (all[0]!.citizen ?? all[0]!.professional ?? 50),
                  ),
                  clinical: null,
                })),
              }}
            />
          )}
        </SimpleGrid>
      </section>
      <Card withBorder component="section" aria-labelledby="items-title">
        <Title order={2} size="h4" id="items-title" mb="xs">
          {t('pathway.timeline.items')}
        </Title>
        {tl.data.items.length === 0 && <Text>{t('pathway.timeline.none')}</Text>}
        <Table>
          <Table.Tbody>
            {tl.data.items.map((i) => (
              <Table.Tr key={`${i.kind}-${i.id}`}>
                <Table.Td w={130}>{formatDate(i.on)}</Table.Td>
                <Table.Td>
                  {i.serviceId ? (
                    <Link to={`/ydelser/${i.serviceId}`}>{itemText(t, i)}</Link>
                  ) : i.caseId ? (
                    <Link to={`/sager/${i.caseId}`}>{itemText(t, i)}</Link>
                  ) : (
                    itemText(t, i)
                  )}
                  {typeof i.body === 'string' && i.body && <Text size="sm">{i.body}</Text>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {measuring && (
        <MeasurementForm citizenId={id} o={o.data} onClose={() => setMeasuring(false)} onSaved={reload} />
      )}
    </Stack>
  );
}
