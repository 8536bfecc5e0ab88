import {
  Accordion,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { get, post, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import {
  type FieldErrors,
  formatDate,
  orNull,
  readOnlyField,
  serverFieldErrors,
} from '../../components/forms';
import { informantCode, useReference } from './hooks';
import { type LifeDraft, LifeFields, lifeBodyOf, lifeDraftOf } from './life-fields';
import type { Assessment } from './types';

interface Condition {
  /** '' (not chosen), '0'–'4', or NOT_ASSESSED (FFB "Ikke vurderet"). */
  level: string;
  note: string;
  inFocus: boolean;
}
interface Draft {
  assessedOn: string;
  supportNeedCode: string;
  supportNeedNote: string;
  citizenPerspective: string;
  citizenResources: string;
  professionalJudgement: string;
  life: LifeDraft;
  conditions: Record<string, Condition>;
  /** theme code → informant code → text */
  accounts: Record<string, Record<string, string>>;
}

const NOT_ASSESSED = 'not_assessed';

function draftOf(a: Assessment): Draft {
  const accounts: Draft['accounts'] = {};
  for (const x of a.accounts)
    accounts[x.theme.code] = { ...accounts[x.theme.code], [x.informant.code]: x.body };
  return {
    assessedOn: a.assessedOn,
    supportNeedCode: a.supportNeed?.code ?? '',
    supportNeedNote: a.supportNeedNote,
    citizenPerspective: a.citizenPerspective,
    citizenResources: a.citizenResources,
    professionalJudgement: a.professionalJudgement,
    life: lifeDraftOf(a.life),
    conditions: Object.fromEntries(
      a.conditions.map((c) => [
        c.subtheme.code,
        {
          level: c.notAssessed ? NOT_ASSESSED : c.level === null ? '' : String(c.level),
          note: c.note,
          inFocus: c.inFocus,
        },
      ]),
    ),
    accounts,
  };
}

function bodyOf(d: Draft, version: number) {
  const _num = (v: number | string) => (v === '' ? null : Number(v));
  return {
    version,
    assessedOn: d.assessedOn,
    supportNeedCode: orNull(d.supportNeedCode),
    supportNeedNote: d.supportNeedNote,
    citizenPerspective: d.citizenPerspective,
    citizenResources: d.citizenResources,
    professionalJudgement: d.professionalJudgement,
    life: lifeBodyOf(d.life),
    conditions: Object.entries(d.conditions).map(([subthemeCode, c]) => ({
      subthemeCode,
      level: c.level === '' || c.level === NOT_ASSESSED ? null : Number(c.level),
      notAssessed: c.level === NOT_ASSESSED,
      note: c.note,
      inFocus: c.inFocus,
    })),
    accounts: Object.entries(d.accounts).flatMap(([themeCode, byInformant]) =>
      Object.entries(byInformant)
        .filter(([, body]) => body.trim())
        .map(([informantCode, body]) => ({ themeCode, informantCode, body })),
    ),
  };
}

/** The assessment (udredning) per FFB theme, with the citizen's own account beside the professional's. */
export function AssessmentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const ref = useReference().data;
  const q = useQuery({
    queryKey: ['assessment', id],
    queryFn: () => get<Assessment>(`/api/assessments/${id}`),
    retry: false,
  });
  const [d, setD] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (q.data) setD(draftOf(q.data));
  }, [q.data]);
  const done = (a: Assessment) => {
    qc.setQueryData(['assessment', id], a);
    void qc.invalidateQueries({ queryKey: ['case', a.caseId] });
    setErrors({});
  };
  const save = useMutation({
    mutationFn: () => put<Assessment>(`/api/assessments/${id}`, bodyOf(d!, q.data!.version)),
    onSuccess: done,
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const complete = useMutation({
    mutationFn: async () => {
      const saved = await put<Assessment>(`/api/assessments/${id}`, bodyOf(d!, q.data!.version));
      return post<Assessment>(`/api/assessments/${id}/complete`, { version: saved.version });
    },
    onSuccess: done,
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  if (q.isLoading || !ref) return <Loader aria-label={t('app.loading')} />;
  if (q.error || !q.data) return <ErrorAlert error={q.error} />;
  if (!d) return <Loader aria-label={t('app.loading')} />;
  const a = q.data;
  const ro = !a.permissions.write;
  const citizen = informantCode(ref, 'Borger');
  const caseworker = informantCode(ref, 'Sagsbehandler');
  const set = (patch: Partial<Draft>) => setD({ ...d, ...patch });
  const condition = (code: string) => d.conditions[code];
  const setCondition = (code: string, c: Condition | null) => {
    const next = { ...d.conditions };
    if (c) next[code] = c;
    else delete next[code];
    set({ conditions: next });
  };
  const setAccount = (theme: string, informant: string, body: string) =>
    set({ accounts: { ...d.accounts, [theme]: { ...d.accounts[theme], [informant]: body } } });
  const indexOf = (code: string) => Object.keys(d.conditions).indexOf(code);
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>
            {t('pathway.assessment.title', {
              kind: t(`pathway.assessment.kinds.${a.kind}`),
              number: a.caseNumber,
            })}
          </Title>
          <Text>
            <Link to={`/sager/${a.caseId}`}>{a.citizen.name}</Link> ·{' '}
            {/^\d{8}$/.test(a.ffbVersion)
              ? t('pathway.assessment.ffbVersion', {
                  date: formatDate(
                    `${a.ffbVersion.slice(0, 4)}-${a.ffbVersion.slice(4, 6)}-${a.ffbVersion.slice(6)}`,
                  ),
                })
              : `FFB ${a.ffbVersion}`}{' '}
            <Badge color={a.status === 'completed' ? 'gray.8' : 'blue.9'}>
              {t(`pathway.assessment.status.${a.status}`)}
            </Badge>
          </Text>
        </div>
      </Group>
      {ro && a.completedAt && (
        <Alert variant="outline" color="gray.8">
          {t('pathway.assessment.readOnly', { date: formatDate(a.completedAt) })}
        </Alert>
      )}
      <ErrorAlert error={save.error ?? complete.error} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          type="date"
          label={t('pathway.assessment.assessedOn')}
          value={d.assessedOn}
          onChange={(e) => set({ assessedOn: e.currentTarget.value })}
          {...readOnlyField(ro)}
        />
        <Select
          label={t('pathway.assessment.supportNeed')}
          data={ref.ffb.supportNeeds.map((s) => ({ value: s.code, label: `${s.ordinal} · ${s.display}` }))}
          value={d.supportNeedCode || null}
          onChange={(v) => set({ supportNeedCode: v ?? '' })}
          error={errors.supportNeedCode}
          clearable
          {...readOnlyField(ro)}
        />
      </SimpleGrid>
      <Textarea
        label={t('pathway.assessment.supportNeedNote')}
        value={d.supportNeedNote}
        onChange={(e) => set({ supportNeedNote: e.currentTarget.value })}
        autosize
        {...readOnlyField(ro)}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Textarea
          label={t('pathway.assessment.perspective')}
          value={d.citizenPerspective}
          onChange={(e) => set({ citizenPerspective: e.currentTarget.value })}
          autosize
          minRows={3}
          {...readOnlyField(ro)}
        />
        <Textarea
          label={t('pathway.assessment.resources')}
          value={d.citizenResources}
          onChange={(e) => set({ citizenResources: e.currentTarget.value })}
          autosize
          minRows={3}
          {...readOnlyField(ro)}
        />
      </SimpleGrid>
      <section aria-labelledby="life-title">
        <Title order={2} size="h4" id="life-title" mb="xs">
          {t('pathway.assessment.life')}
        </Title>
        <LifeFields value={d.life} onChange={(life) => set({ life })} readOnly={ro} />
      </section>
      <section aria-labelledby="themes-title">
        <Title order={2} size="h4" id="themes-title">
          {t('pathway.assessment.themes')}
        </Title>
        <Text size="sm" mb="xs">
          {t('pathway.assessment.themeHint')}
        </Text>
        <Accordion multiple variant="separated">
          {ref.ffb.themes.map((theme) => {
            const count = theme.subthemes.filter((s) => condition(s.code)).length;
            return (
              <Accordion.Item key={theme.code} value={theme.code}>
                <Accordion.Control>
                  {theme.display} {count > 0 && <Badge ml="xs">{count}</Badge>}
                </Accordion.Control>
                <Accordion.Panel>
                  <SimpleGrid cols={{ base: 1, md: 2 }} mb="sm">
                    <Textarea
                      label={t('pathway.assessment.citizenAccount')}
                      value={d.accounts[theme.code]?.[citizen] ?? ''}
                      onChange={(e) => setAccount(theme.code, citizen, e.currentTarget.value)}
                      autosize
                      minRows={2}
                      {...readOnlyField(ro)}
                    />
                    <Textarea
                      label={t('pathway.assessment.professionalAccount')}
                      value={d.accounts[theme.code]?.[caseworker] ?? ''}
                      onChange={(e) => setAccount(theme.code, caseworker, e.currentTarget.value)}
                      autosize
                      minRows={2}
                      {...readOnlyField(ro)}
                    />
                  </SimpleGrid>
                  <Stack gap="xs">
                    {theme.subthemes.map((s) => {
                      const c = condition(s.code);
                      const i = indexOf(s.code);
                      return (
                        <Stack key={s.code} gap={4}>
                          <Checkbox
                            label={t('pathway.assessment.include', { name: s.display })}
                            checked={!!c}
                            onChange={(e) =>
                              setCondition(
                                s.code,
                                e.currentTarget.checked ? { level: '', note: '', inFocus: false } : null,
                              )
                            }
                            disabled={ro}
                          />
                          {c && (
                            <Group align="flex-start" grow ml="lg">
                              {theme.category === 'activity' && (
                                <Select
                                  label={`${t('pathway.assessment.level')}: ${s.display}`}
                                  data={[
                                    ...ref.ffb.functioningLevels.map((l) => ({
                                      value: String(l.ordinal),
                                      label: `${l.ordinal} · ${l.display}`,
                                    })),
                                    { value: NOT_ASSESSED, label: t('pathway.assessment.notAssessed') },
                                  ]}
                                  value={c.level || null}
                                  onChange={(v) => setCondition(s.code, { ...c, level: v ?? '' })}
                                  error={errors[`conditions.${i}.level`]}
                                  required
                                  {...readOnlyField(ro)}
                                />
                              )}
                              <Textarea
                                label={`${t('pathway.assessment.note')}: ${s.display}`}
                                value={c.note}
                                onChange={(e) => setCondition(s.code, { ...c, note: e.currentTarget.value })}
                                error={
                                  theme.category === 'activity' ? undefined : errors[`conditions.${i}.level`]
                                }
                                autosize
                                {...readOnlyField(ro)}
                              />
                              <Checkbox
                                mt="xl"
                                label={t('pathway.assessment.focus')}
                                checked={c.inFocus}
                                onChange={(e) =>
                                  setCondition(s.code, { ...c, inFocus: e.currentTarget.checked })
                                }
                                disabled={ro}
                              />
                            </Group>
                          )}
                        </Stack>
                      );
                    })}
                  </Stack>
                </Accordion.Panel>
              </Accordion.Item>
            );
          })}
        </Accordion>
      </section>
      <Textarea
        label={t('pathway.assessment.judgement')}
        value={d.professionalJudgement}
        onChange={(e) => set({ professionalJudgement: e.currentTarget.value })}
        autosize
        minRows={4}
        {...readOnlyField(ro)}
      />
      {!ro && (
        <Group justify="flex-end">
          <Button variant="outline" onClick={() => save.mutate()} loading={save.isPending}>
            {t('pathway.assessment.save')}
          </Button>
          <Button
            onClick={() => window.confirm(t('pathway.assessment.completeConfirm')) && complete.mutate()}
            loading={complete.isPending}
          >
            {t('pathway.assessment.complete')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
