import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  type QuestionnaireDefinition,
  SCALE_KINDS,
  SURVEY_ROLES,
  type SurveyItem,
  type SurveyRole,
} from '../../../shared/survey';
import { ApiError, get, post, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import type { Questionnaire } from './types';

type Path = { t: number; p: number; i: number };

/**
 * Editing a copy of a template: texts, which roles each question is asked of, removing and adding scale
 * questions. A questionnaire used by a round is locked; a change is a new version.
 */
export function QuestionnairePage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const q = useQuery({
    queryKey: ['survey', 'questionnaire', id],
    queryFn: () => get<Questionnaire>(`/api/survey/questionnaires/${id}`),
  });
  const [def, setDef] = useState<QuestionnaireDefinition | null>(null);
  const [saved, setSaved] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  useEffect(() => {
    if (q.data) setDef(structuredClone(q.data.definition));
  }, [q.data]);
  const save = useMutation({
    mutationFn: () =>
      put<Questionnaire>(`/api/survey/questionnaires/${id}`, {
        definition: def,
        version: q.data!.rowVersion,
      }),
    onSuccess: () => {
      setSaved(true);
      setProblems([]);
      void qc.invalidateQueries({ queryKey: ['survey'] });
    },
    onError: (e) => {
      setSaved(false);
      if (e instanceof ApiError)
        setProblems(e.fieldErrors.map((f) => `${f.field.replace(/^definition\./, '')}: ${f.message}`));
    },
  });
  const newVersion = useMutation({
    mutationFn: () => post<{ id: string }>('/api/survey/questionnaires', { copyOf: id }),
    onSuccess: (n) => {
      void qc.invalidateQueries({ queryKey: ['survey'] });
      navigate(`/selvevaluering/skemaer/${n.id}`);
    },
  });
  if (!q.data || !def) return <ErrorAlert error={q.error} />;
  const frozen = q.data.status === 'frozen';
  const update = (path: Path, fn: (item: SurveyItem) => SurveyItem | null) =>
    setDef((d) => {
      const next = structuredClone(d!);
      const items = next.themes[path.t]!.pejlemaerker[path.p]!.items;
      const changed = fn(items[path.i]!);
      if (changed) items[path.i] = changed;
      else items.splice(path.i, 1);
      setSaved(false);
      return next;
    });
  const add = (ti: number, pi: number) =>
    setDef((d) => {
      const next = structuredClone(d!);
      const p = next.themes[ti]!.pejlemaerker[pi]!;
      let n = p.items.length + 1;
      while (
        next.themes.some((x) => x.pejlemaerker.some((y) => y.items.some((i) => i.code === `${p.code}_${n}`)))
      )
        n++;
      p.items.push({ code: `${p.code}_${n}`, kind: 'degree', text: '', roles: [...SURVEY_ROLES] });
      return next;
    });
  return (
    <Stack gap="lg" maw={960}>
      <Group justify="space-between">
        <Title order={1}>{t('survey.editor.title')}</Title>
        <Badge color="blue.9">
          {q.data.key} · {t('survey.admin.version')} {q.data.version} · {t(`survey.status.${q.data.status}`)}
        </Badge>
      </Group>
      {frozen && (
        <Alert color="blue">
          <Group justify="space-between">
            <Text>{t('survey.editor.frozen')}</Text>
            <Button size="xs" onClick={() => newVersion.mutate()} loading={newVersion.isPending}>
              {t('survey.editor.newVersion')}
            </Button>
          </Group>
        </Alert>
      )}
      <fieldset disabled={frozen} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack gap="lg">
          <TextInput
            label={t('survey.admin.questionnaire')}
            value={def.title}
            onChange={(e) => {
              const title = e.currentTarget.value;
              setDef((d) => ({ ...d!, title }));
            }}
          />
          {def.themes.map((theme, ti) => (
            <Stack key={theme.code} gap="sm">
              <Title order={2}>{theme.title}</Title>
              {theme.pejlemaerker.map((p, pi) => (
                <Paper key={p.code} withBorder p="md">
                  <Title order={3} size="h4" mb="sm">
                    {p.title}
                  </Title>
                  <Stack gap="md">
                    {p.items.map((item, ii) => {
                      const path = { t: ti, p: pi, i: ii };
                      return (
                        <Paper key={item.code} p="sm" bg="gray.0">
                          <Group align="end" wrap="wrap">
                            <TextInput
                              style={{ flex: 1, minWidth: 260 }}
                              label={`${t('survey.editor.itemText')} (${item.code})`}
                              value={item.text}
                              onChange={(e) => {
                                const text = e.currentTarget.value;
                                update(path, (x) => ({ ...x, text }));
                              }}
                            />
                            {SCALE_KINDS.includes(item.kind as (typeof SCALE_KINDS)[number]) ? (
                              <Select
                                label={t('survey.editor.kind')}
                                data={SCALE_KINDS.map((k) => ({
                                  value: k,
                                  label: t(`survey.editor.kinds.${k}`),
                                }))}
                                value={item.kind}
                                allowDeselect={false}
                                onChange={(k) =>
                                  update(path, (x) =>
                                    x.kind === 'degree' || x.kind === 'agreement'
                                      ? { ...x, kind: k as 'degree' }
                                      : x,
                                  )
                                }
                                w={140}
                              />
                            ) : (
                              <Badge variant="outline">{t(`survey.editor.kinds.${item.kind}`)}</Badge>
                            )}
                            <Button
                              variant="subtle"
                              color="red"
                              size="xs"
                              onClick={() => update(path, () => null)}
                            >
                              {t('survey.editor.remove')}
                            </Button>
                          </Group>
                          <Checkbox.Group
                            mt="xs"
                            label={t('survey.editor.askedOf')}
                            value={item.roles}
                            onChange={(roles) =>
                              update(path, (x) => ({ ...x, roles: roles as SurveyRole[] }))
                            }
                          >
                            <Group gap="md" mt={4}>
                              {SURVEY_ROLES.map((r) => (
                                <Checkbox key={r} value={r} label={t(`survey.roles.${r}`)} />
                              ))}
                            </Group>
                          </Checkbox.Group>
                        </Paper>
                      );
                    })}
                    <Button variant="light" size="xs" onClick={() => add(ti, pi)} w="fit-content">
                      {t('survey.editor.addItem')}
                    </Button>
                  </Stack>
                </Paper>
              ))}
            </Stack>
          ))}
        </Stack>
      </fieldset>
      <ErrorAlert error={save.error ?? newVersion.error} />
      {problems.length > 0 && (
        <Alert color="red" role="alert">
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
      {saved && (
        <Alert color="green" role="status">
          {t('survey.editor.saved')}
        </Alert>
      )}
      {!frozen && (
        <Button onClick={() => save.mutate()} loading={save.isPending} w="fit-content">
          {t('survey.editor.save')}
        </Button>
      )}
    </Stack>
  );
}
