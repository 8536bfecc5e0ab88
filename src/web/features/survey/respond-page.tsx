import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Progress,
  Radio,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Answers,
  type AnswerValue,
  DONT_KNOW,
  itemsOf,
  type QuestionnaireDefinition,
  SCALES,
  type SurveyItem,
  type SurveyRole,
} from '../../../shared/survey';
import { ApiError, api } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate } from '../../components/forms';

interface Opened {
  round: { title: string; closesOn: string };
  municipality: string;
  role: SurveyRole;
  questionnaire: QuestionnaireDefinition;
  answers: Answers;
}

/** The link's secret, after '#': never sent to the server in a URL. */
export const linkToken = () => window.location.hash.replace(/^#/, '');

/** One question, as a fieldset a keyboard and a screen reader can use; works on a phone. */
function ItemField({
  item,
  value,
  error,
  onChange,
}: {
  item: SurveyItem;
  value: AnswerValue | null | undefined;
  error?: string | undefined;
  onChange: (v: AnswerValue | null) => void;
}) {
  const { t } = useTranslation();
  if (item.kind === 'degree' || item.kind === 'agreement')
    return (
      <Radio.Group
        label={item.text}
        description={item.help}
        value={typeof value === 'string' ? value : ''}
        onChange={(v) => onChange(v)}
        error={error}
      >
        <Stack gap={6} mt="xs">
          {SCALES[item.kind].map((o) => (
            <Radio key={o.code} value={o.code} label={o.label} />
          ))}
          <Radio value={DONT_KNOW} label={t('survey.respond.dontKnow')} />
        </Stack>
      </Radio.Group>
    );
  if (item.kind === 'choice') {
    const v = value && typeof value === 'object' ? value : { selected: [] as string[] };
    const options = [
      ...item.options,
      ...(item.other ? [{ code: 'andet', label: t('survey.respond.other') }] : []),
    ];
    return (
      <Stack gap={6}>
        {item.multiple ? (
          <Checkbox.Group
            label={item.text}
            value={v.selected}
            onChange={(selected) => onChange({ ...v, selected })}
            error={error}
          >
            <Stack gap={6} mt="xs">
              {options.map((o) => (
                <Checkbox key={o.code} value={o.code} label={o.label} />
              ))}
            </Stack>
          </Checkbox.Group>
        ) : (
          <Radio.Group
            label={item.text}
            value={v.selected[0] ?? ''}
            onChange={(s) => onChange({ ...v, selected: [s] })}
            error={error}
          >
            <Stack gap={6} mt="xs">
              {options.map((o) => (
                <Radio key={o.code} value={o.code} label={o.label} />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {v.selected.includes('andet') && (
          <TextInput
            label={t('survey.respond.otherText')}
            value={v.other ?? ''}
            onChange={(e) => onChange({ ...v, other: e.currentTarget.value })}
          />
        )}
      </Stack>
    );
  }
  if (item.kind === 'number')
    return (
      <NumberInput
        label={item.text}
        description={item.unit}
        min={item.min}
        max={item.max}
        value={typeof value === 'number' ? value : ''}
        onChange={(n) => onChange(typeof n === 'number' ? n : null)}
        error={error}
        maw={240}
      />
    );
  if (item.kind !== 'text') return null;
  return (
    <Textarea
      label={item.text}
      autosize
      minRows={3}
      maxLength={item.maxLength}
      value={typeof value === 'string' ? value : ''}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
    />
  );
}

/** Answering from a personal link: no account, a draft to resume, one submission. */
export function RespondPage() {
  const { t } = useTranslation();
  const token = useMemo(linkToken, []);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [answers, setAnswers] = useState<Answers>({});
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    api<Opened>('POST', '/api/survey/respond/open', { token }).then((o) => {
      setOpened(o);
      setAnswers(o.answers);
    }, setError);
  }, [token]);

  const items = opened ? itemsOf(opened.questionnaire) : [];
  const answered = items.filter(({ item }) => {
    const v = answers[item.code];
    return v !== undefined && v !== null && v !== '' && !(typeof v === 'object' && v.selected.length === 0);
  }).length;

  async function send(kind: 'draft' | 'submit') {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    setNotice(null);
    try {
      await api(kind === 'draft' ? 'PUT' : 'POST', `/api/survey/respond/${kind}`, { token, answers });
      if (kind === 'draft') setNotice(t('survey.respond.draftSaved'));
      else setDone(true);
    } catch (e) {
      setError(e);
      if (e instanceof ApiError)
        setFieldErrors(Object.fromEntries(e.fieldErrors.map((f) => [f.field, f.message])));
    } finally {
      setBusy(false);
    }
  }

  if (!token) return <Alert color="red">{t('survey.respond.missingToken')}</Alert>;
  if (done)
    return (
      <Alert color="green" role="status" title={t('survey.respond.title')}>
        {t('survey.respond.submitted')}
      </Alert>
    );
  if (!opened) return <ErrorAlert error={error} />;
  return (
    <Stack maw={760} gap="lg">
      <div>
        <Title order={1}>{opened.round.title}</Title>
        <Text mt="xs">
          {t('survey.respond.intro', {
            role: t(`survey.roles.${opened.role}`).toLowerCase(),
            municipality: opened.municipality,
            closesOn: formatDate(opened.round.closesOn),
          })}
        </Text>
        <Text size="sm" c="dimmed" mt={4}>
          {t('survey.respond.anonymous')}
        </Text>
      </div>
      <div>
        <Text size="sm" id="progress-label">
          {t('survey.respond.progress', { answered, total: items.length })}
        </Text>
        <Progress.Root>
          <Progress.Section
            value={items.length ? (100 * answered) / items.length : 0}
            aria-label={t('survey.respond.progress', { answered, total: items.length })}
          />
        </Progress.Root>
      </div>
      {opened.questionnaire.themes.map((theme) => (
        <Stack key={theme.code} gap="md">
          <Title order={2}>{theme.title}</Title>
          {theme.pejlemaerker.map((p) => (
            <Paper key={p.code} withBorder p="md">
              <Title order={3} size="h4" mb="sm">
                {p.title}
              </Title>
              <Stack gap="lg">
                {p.items.map((item) => (
                  <ItemField
                    key={item.code}
                    item={item}
                    value={answers[item.code]}
                    error={fieldErrors[item.code]}
                    onChange={(v) => setAnswers((a) => ({ ...a, [item.code]: v }))}
                  />
                ))}
              </Stack>
            </Paper>
          ))}
        </Stack>
      ))}
      <ErrorAlert error={error} />
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      <Group>
        <Button variant="default" onClick={() => send('draft')} loading={busy}>
          {t('survey.respond.saveDraft')}
        </Button>
        <Button onClick={() => send('submit')} loading={busy}>
          {t('survey.respond.submit')}
        </Button>
      </Group>
    </Stack>
  );
}
