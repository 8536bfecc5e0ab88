import {
  Alert,
  Button,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GAS_LEVELS, GOAL_STATUSES } from '../../../shared/pathway';
import { post } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, formatDateTime, orNull, serverFieldErrors } from '../../components/forms';
import { AppModal } from '../../components/modal';
import { informantCode, options, useReference } from './hooks';
import { type LifeDraft, LifeFields, lifeBodyOf, lifeDraftOf } from './life-fields';
import type { Goal, ServiceDetail } from './types';

/** A follow-up: GAS per goal by the citizen and the professional, the coded result, notes and the next date. */
export function FollowUpForm({
  s,
  today,
  opened,
  onClose,
  onSaved,
}: {
  s: ServiceDetail;
  today: string;
  opened: boolean;
  onClose: () => void;
  onSaved: (d: ServiceDetail) => void;
}) {
  const { t } = useTranslation();
  const ref = useReference().data;
  const goals = [...s.goals, ...s.subGoals];
  const [heldOn, setHeldOn] = useState(today);
  const [resultCode, setResult] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [citizenView, setCitizenView] = useState('');
  const [nextOn, setNextOn] = useState('');
  const [cadence, setCadence] = useState<string | null>(null);
  const [endReasonCode, setEndReason] = useState<string | null>(null);
  // The life situation starts from the last follow-up's, to be confirmed or changed.
  const [life, setLife] = useState<LifeDraft>(() => lifeDraftOf(s.followUps.at(-1)?.life ?? null));
  // The citizen's own levels from the portal (Før opfølgningen) start the citizen's column.
  const [ratings, setRatings] = useState<
    Record<string, { citizen: string | null; professional: string | null; status: string | null }>
  >(() =>
    Object.fromEntries(
      Object.entries(s.preparation?.ratings ?? {}).map(([goalId, score]) => [
        goalId,
        { citizen: String(score), professional: null, status: null },
      ]),
    ),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const result = ref?.ffb.followUpResults.find((r) => r.code === resultCode);
  const ends = result?.ends === true;
  const informant = (name: string) => informantCode(ref, name);
  const save = useMutation({
    mutationFn: () =>
      post<ServiceDetail>(`/api/services/${s.id}/follow-ups`, {
        heldOn,
        resultCode,
        notes,
        citizenView,
        nextOn: orNull(nextOn),
        cadence: cadence
          ? cadence === 'standard'
            ? { kind: 'standard' }
            : { kind: 'close', months: Number(cadence) }
          : undefined,
        endReasonCode: ends ? endReasonCode : null,
        life: lifeBodyOf(life),
        ratings: Object.entries(ratings).flatMap(([goalId, r]) => [
          ...(r.citizen !== null
            ? [{ goalId, rater: 'citizen', informantCode: informant('Borger'), score: Number(r.citizen) }]
            : []),
          ...(r.professional !== null
            ? [
                {
                  goalId,
                  rater: 'professional',
                  informantCode: informant(s.permissions.write ? 'Sagsbehandler' : 'Udfører'),
                  score: Number(r.professional),
                },
              ]
            : []),
        ]),
        goalStatuses: Object.entries(ratings)
          .filter(([, r]) => r.status)
          .map(([goalId, r]) => ({ goalId, status: r.status })),
      }),
    onSuccess: (d) => {
      onSaved(d);
      onClose();
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const rate = (goalId: string, k: 'citizen' | 'professional' | 'status', v: string | null) =>
    setRatings((x) => ({
      ...x,
      [goalId]: { citizen: null, professional: null, status: null, ...x[goalId], [k]: v },
    }));
  // Each option says what the level means for this goal, in the words written when the goal was set.
  const gasData = (g: Goal) =>
    GAS_LEVELS.map((l) => {
      const sign = Number(l) > 0 ? `+${l}` : l === '0' ? '0' : `−${l.slice(1)}`;
      const words = g.gas?.levels[l];
      return { value: l, label: words ? `${sign} · ${words}` : sign };
    });
  return (
    <AppModal opened={opened} onClose={onClose} size="xl" title={t('pathway.followUp.record')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <ErrorAlert error={save.error} />
          {s.preparation && (
            <Alert
              color="blue"
              variant="light"
              title={t('pathway.followUp.prepared', { date: formatDateTime(s.preparation.updatedAt) })}
            >
              {s.preparation.topics && <Text style={{ whiteSpace: 'pre-wrap' }}>{s.preparation.topics}</Text>}
              {Object.keys(s.preparation.ratings).length > 0 && (
                <Text size="sm">{t('pathway.followUp.preparedRatings')}</Text>
              )}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              type="date"
              label={t('pathway.followUp.heldOn')}
              value={heldOn}
              onChange={(e) => setHeldOn(e.currentTarget.value)}
              error={errors.heldOn}
              required
              data-autofocus
            />
            <Select
              label={t('pathway.followUp.result')}
              data={ref ? options(ref.ffb.followUpResults) : []}
              value={resultCode}
              onChange={setResult}
              error={errors.resultCode}
              required
            />
          </SimpleGrid>
          {ends && (
            <>
              {!s.permissions.write && (
                <Alert color="blue" variant="light">
                  {t('pathway.followUp.recommendEnd')}
                </Alert>
              )}
              <Select
                label={
                  s.permissions.write
                    ? t('pathway.followUp.endReason')
                    : t('pathway.followUp.recommendedReason')
                }
                data={ref ? options(ref.klCaresocial.endReasons) : []}
                value={endReasonCode}
                onChange={setEndReason}
                error={errors.endReasonCode}
                required
              />
            </>
          )}
          <Text size="sm">{t('pathway.followUp.gasIntro')}</Text>
          {goals.map((g) => (
            <fieldset key={g.id} style={{ border: 'none', padding: 0, margin: 0 }}>
              <legend>
                <Title order={3} size="h6">
                  {t(`pathway.goals.kinds.${g.kind}`)}: {g.title}
                </Title>
              </legend>
              {g.gas ? (
                <List size="sm" spacing={0} mb={4}>
                  {[...GAS_LEVELS].reverse().map((l) =>
                    g.gas?.levels[l] ? (
                      <List.Item key={l}>
                        {t(`pathway.goals.gas.short.${l}`)}: {g.gas.levels[l]}
                        {String(g.gas.baseline) === l && ` (${t('pathway.followUp.baseline')})`}
                      </List.Item>
                    ) : null,
                  )}
                </List>
              ) : (
                <Text size="sm" c="dimmed" mb={4}>
                  {t('pathway.goals.gas.missing')}
                </Text>
              )}
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                {g.gas && (
                  <>
                    <Select
                      label={t('pathway.followUp.byCitizen')}
                      data={gasData(g)}
                      value={ratings[g.id]?.citizen ?? null}
                      onChange={(v) => rate(g.id, 'citizen', v)}
                      placeholder={t('pathway.followUp.notRated')}
                      clearable
                    />
                    <Select
                      label={t('pathway.followUp.byProfessional')}
                      data={gasData(g)}
                      value={ratings[g.id]?.professional ?? null}
                      onChange={(v) => rate(g.id, 'professional', v)}
                      placeholder={t('pathway.followUp.notRated')}
                      clearable
                    />
                  </>
                )}
                <Select
                  label={t('pathway.followUp.goalStatus')}
                  data={GOAL_STATUSES.map((x) => ({ value: x, label: t(`pathway.goals.status.${x}`) }))}
                  value={ratings[g.id]?.status ?? null}
                  onChange={(v) => rate(g.id, 'status', v)}
                  placeholder={t(`pathway.goals.status.${g.status}`)}
                  clearable
                />
              </SimpleGrid>
            </fieldset>
          ))}
          <Textarea
            label={t('pathway.followUp.notes')}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Textarea
            label={t('pathway.followUp.citizenView')}
            value={citizenView}
            onChange={(e) => setCitizenView(e.currentTarget.value)}
            autosize
          />
          <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
            <Text component="legend" fw={600} size="sm" mb="xs">
              {t('pathway.followUp.life')}
            </Text>
            <LifeFields value={life} onChange={setLife} />
          </fieldset>
          {!ends && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                type="date"
                label={t('pathway.followUp.next')}
                value={nextOn}
                onChange={(e) => setNextOn(e.currentTarget.value)}
                error={errors.nextOn}
              />
              <Select
                label={t('pathway.followUp.cadence')}
                data={[
                  { value: 'standard', label: t('pathway.services.cadenceStandard') },
                  ...['1', '2', '3'].map((m) => ({
                    value: m,
                    label: t('pathway.services.cadenceClose', { months: m }),
                  })),
                ]}
                value={cadence}
                onChange={setCadence}
                clearable
              />
            </SimpleGrid>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!resultCode}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
