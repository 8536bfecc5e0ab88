import {
  Button,
  Fieldset,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  GAS_KINDS,
  GAS_LEVELS,
  type GasLevel,
  type GasLevels,
  GOAL_STATUSES,
  type GoalKind,
  goalCreateBody,
  WORDS_OF,
} from '../../../shared/pathway';
import { post, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, orNull, serverFieldErrors, validate } from '../../components/forms';
import { AppModal } from '../../components/modal';
import { options, subthemeGroups, useReference } from './hooks';
import type { Goal } from './types';

interface Props {
  opened: boolean;
  onClose: () => void;
  onSaved: () => void;
  kind: GoalKind;
  caseId: string;
  /** Editing an existing goal; otherwise a new one. */
  goal?: Goal | null;
  citizenGoals: Goal[];
  interventionGoals: Goal[];
  /** A provider's delmål go through their service. */
  serviceId?: string;
  parentGoalId?: string | null;
}

const empty = (kind: GoalKind, parentGoalId: string | null) => ({
  title: '',
  wordsOf: kind === 'citizen_goal' ? 'citizen' : kind === 'sub' ? 'provider' : 'caseworker',
  what: '',
  measure: '',
  dueOn: '',
  helpers: '',
  status: 'proposed',
  citizenGoalId: '',
  subthemeCode: '',
  expectedLevel: '',
  goalTypeCode: '',
  gasWeight: 1,
  parentGoalId: parentGoalId ?? '',
  gasLevels: { '-2': '', '-1': '', '0': '', '1': '', '2': '' } as Record<GasLevel, string>,
  gasBaseline: '-1',
});

/** One form for every level of the FFB goal hierarchy; the fields follow the kind. */
export function GoalForm(p: Props) {
  const { t } = useTranslation();
  const ref = useReference().data;
  const initial = p.goal
    ? {
        ...empty(p.kind, p.goal.parentGoalId),
        ...p.goal,
        dueOn: p.goal.dueOn ?? '',
        citizenGoalId: p.goal.citizenGoalId ?? '',
        subthemeCode: p.goal.subtheme?.code ?? '',
        expectedLevel: p.goal.expectedLevel === null ? '' : String(p.goal.expectedLevel),
        goalTypeCode: p.goal.goalType?.code ?? '',
        parentGoalId: p.goal.parentGoalId ?? '',
        gasLevels: Object.fromEntries(GAS_LEVELS.map((l) => [l, p.goal?.gas?.levels[l] ?? ''])) as Record<
          GasLevel,
          string
        >,
        gasBaseline: String(p.goal.gas?.baseline ?? -1),
      }
    : empty(p.kind, p.parentGoalId ?? null);
  const [v, setV] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = (k: keyof typeof v) => (value: unknown) => setV((x) => ({ ...x, [k]: value }));
  /** Indsatsmål and delmål are rated with GAS, so they carry a scale written for this goal. */
  const scaled = GAS_KINDS.includes(p.kind);
  const setLevel = (l: GasLevel) => (text: string) =>
    setV((x) => ({ ...x, gasLevels: { ...x.gasLevels, [l]: text } }));
  const body = () => ({
    kind: p.kind,
    title: v.title,
    wordsOf: v.wordsOf,
    what: v.what,
    measure: v.measure,
    dueOn: orNull(v.dueOn),
    helpers: v.helpers,
    status: v.status,
    citizenGoalId: p.kind === 'citizen_goal' ? null : orNull(v.citizenGoalId),
    subthemeCode: p.kind === 'intervention' ? orNull(v.subthemeCode) : null,
    expectedLevel: p.kind === 'intervention' && v.expectedLevel !== '' ? Number(v.expectedLevel) : null,
    goalTypeCode: p.kind === 'intervention' ? orNull(v.goalTypeCode) : null,
    gasWeight: Number(v.gasWeight) || 1,
    parentGoalId: p.kind === 'sub' ? orNull(v.parentGoalId) : null,
    gas: scaled
      ? {
          levels: Object.fromEntries(
            GAS_LEVELS.filter((l) => v.gasLevels[l].trim()).map((l) => [l, v.gasLevels[l]]),
          ) as GasLevels,
          baseline: Number(v.gasBaseline),
        }
      : null,
  });
  const save = useMutation({
    mutationFn: () => {
      const b = body();
      if (p.goal) {
        const { kind: _k, parentGoalId: _p, ...rest } = b;
        return put(`/api/goals/${p.goal.id}`, { ...rest, version: p.goal.version });
      }
      return p.serviceId
        ? post(`/api/services/${p.serviceId}/sub-goals`, b)
        : post(`/api/cases/${p.caseId}/goals`, b);
    },
    onSuccess: () => {
      p.onSaved();
      p.onClose();
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const kindLabel = t(`pathway.goals.kinds.${p.kind}`);
  return (
    <AppModal
      opened={p.opened}
      onClose={p.onClose}
      size="xl"
      title={p.goal ? t('pathway.goals.edit') : t('pathway.goals.add', { kind: kindLabel.toLowerCase() })}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const r = validate(goalCreateBody, body());
          setErrors(r.errors);
          if (r.data) save.mutate();
        }}
      >
        <Stack>
          <ErrorAlert error={save.error} />
          <Textarea
            label={p.kind === 'citizen_goal' ? t('pathway.goals.titleCitizen') : t('pathway.goals.title')}
            value={v.title}
            onChange={(e) => set('title')(e.currentTarget.value)}
            error={errors.title}
            required
            autosize
            minRows={2}
            data-autofocus
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('pathway.goals.whose')}
              data={WORDS_OF.map((w) => ({ value: w, label: t(`pathway.goals.wordsOf.${w}`) }))}
              value={v.wordsOf}
              onChange={(x) => set('wordsOf')(x ?? 'citizen')}
              allowDeselect={false}
            />
            <Select
              label={t('pathway.goals.statusLabel')}
              data={GOAL_STATUSES.map((s) => ({ value: s, label: t(`pathway.goals.status.${s}`) }))}
              value={v.status}
              onChange={(x) => set('status')(x ?? 'proposed')}
              allowDeselect={false}
            />
          </SimpleGrid>
          {p.kind !== 'citizen_goal' && p.kind !== 'sub' && (
            <Select
              label={t('pathway.goals.linkCitizen')}
              data={p.citizenGoals.map((g) => ({ value: g.id, label: g.title }))}
              value={v.citizenGoalId || null}
              onChange={(x) => set('citizenGoalId')(x ?? '')}
              error={errors.citizenGoalId}
              clearable
            />
          )}
          {p.kind === 'sub' && (
            <Select
              label={t('pathway.goals.parent')}
              data={p.interventionGoals.map((g) => ({ value: g.id, label: g.title }))}
              value={v.parentGoalId || null}
              onChange={(x) => set('parentGoalId')(x ?? '')}
              error={errors.parentGoalId}
              required
            />
          )}
          {p.kind === 'intervention' && ref && (
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Select
                label={t('pathway.goals.subtheme')}
                data={subthemeGroups(ref, 'activity')}
                value={v.subthemeCode || null}
                onChange={(x) => set('subthemeCode')(x ?? '')}
                error={errors.subthemeCode}
                searchable
                required
              />
              <Select
                label={t('pathway.goals.expectedLevel')}
                data={ref.ffb.functioningLevels.map((l) => ({
                  value: String(l.ordinal),
                  label: `${l.ordinal} · ${l.display}`,
                }))}
                value={v.expectedLevel === '' ? null : String(v.expectedLevel)}
                onChange={(x) => set('expectedLevel')(x ?? '')}
                error={errors.expectedLevel}
                required
              />
              <Select
                label={t('pathway.goals.goalType')}
                data={options(ref.ffb.goalTypes)}
                value={v.goalTypeCode || null}
                onChange={(x) => set('goalTypeCode')(x ?? '')}
                error={errors.goalTypeCode}
                required
              />
            </SimpleGrid>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Textarea
              label={t('pathway.goals.what')}
              value={v.what}
              onChange={(e) => set('what')(e.currentTarget.value)}
              autosize
            />
            <Textarea
              label={t('pathway.goals.measure')}
              value={v.measure}
              onChange={(e) => set('measure')(e.currentTarget.value)}
              autosize
            />
            <TextInput
              type="date"
              label={t('pathway.goals.due')}
              value={v.dueOn}
              onChange={(e) => set('dueOn')(e.currentTarget.value)}
              error={errors.dueOn}
            />
            <TextInput
              label={t('pathway.goals.helpers')}
              value={v.helpers}
              onChange={(e) => set('helpers')(e.currentTarget.value)}
            />
          </SimpleGrid>
          {scaled && (
            <Fieldset legend={t('pathway.goals.gas.legend')}>
              <Text size="sm" mb="xs">
                {t('pathway.goals.gas.help')}
              </Text>
              {errors.gas && (
                <Text size="sm" c="red.8" role="alert" mb="xs">
                  {errors.gas}
                </Text>
              )}
              <Stack gap="xs">
                {[...GAS_LEVELS].reverse().map((l) => (
                  <Textarea
                    key={l}
                    label={t(`pathway.goals.gas.level.${l}`)}
                    value={v.gasLevels[l]}
                    onChange={(e) => setLevel(l)(e.currentTarget.value)}
                    error={errors[`gas.levels.${l}`]}
                    required={l === '-1' || l === '0' || l === '1'}
                    autosize
                    minRows={1}
                  />
                ))}
                <Select
                  label={t('pathway.goals.gas.baseline')}
                  description={t('pathway.goals.gas.baselineHelp')}
                  data={GAS_LEVELS.map((l) => ({ value: l, label: t(`pathway.goals.gas.short.${l}`) }))}
                  value={v.gasBaseline}
                  onChange={(x) => set('gasBaseline')(x ?? '-1')}
                  allowDeselect={false}
                  w={{ base: '100%', sm: 320 }}
                />
              </Stack>
            </Fieldset>
          )}
          {p.kind === 'intervention' && (
            <NumberInput
              label={t('pathway.goals.weight')}
              min={1}
              max={4}
              value={v.gasWeight}
              onChange={set('gasWeight')}
              w={200}
            />
          )}
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
