import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { roundCreateBody } from '../../../shared/survey';
import { get, post } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, formatDate, serverFieldErrors, validate } from '../../components/forms';
import { ScrollRegion } from '../../components/scroll-region';
import { useSession } from '../auth/session';
import type { DirectorLink, QuestionnaireSummary, RoundSummary } from './types';

/** "kode;navn;e-mail" per line, as the round form takes participants. */
export function parseParticipants(text: string) {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [code = '', name = '', email = ''] = l.split(/[;,\t]/).map((x) => x.trim());
      return { code, name, ...(email ? { contactEmail: email } : {}) };
    });
}

function NewRound({ questionnaires }: { questionnaires: QuestionnaireSummary[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [values, setValues] = useState({
    questionnaireId: '',
    title: '',
    opensOn: '',
    closesOn: '',
    participants: '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (body: unknown) =>
      post<{ round: { id: string }; directorLinks: DirectorLink[] }>('/api/survey/rounds', body),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['survey'] });
      navigate(`/selvevaluering/runder/${r.round.id}`, { state: { directorLinks: r.directorLinks } });
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const set = (k: keyof typeof values) => (v: string) => setValues((x) => ({ ...x, [k]: v }));
  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = { ...values, participants: parseParticipants(values.participants) };
    const r = validate(roundCreateBody, body);
    setErrors(r.errors);
    if (r.data) create.mutate(r.data);
  }
  const participantError = Object.entries(errors).find(([k]) => k.startsWith('participants'))?.[1];
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="new-round">
      <Title order={2} id="new-round" mb="sm">
        {t('survey.admin.newRound')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('survey.admin.questionnaire')}
          data={questionnaires.map((q) => ({ value: q.id, label: `${q.title} (v${q.version})` }))}
          value={values.questionnaireId || null}
          onChange={(v) => set('questionnaireId')(v ?? '')}
          error={errors.questionnaireId}
          required
        />
        <TextInput
          label={t('survey.admin.roundTitle')}
          value={values.title}
          onChange={(e) => set('title')(e.currentTarget.value)}
          error={errors.title}
          required
        />
        <TextInput
          type="date"
          label={t('survey.admin.opensOn')}
          value={values.opensOn}
          onChange={(e) => set('opensOn')(e.currentTarget.value)}
          error={errors.opensOn}
          required
        />
        <TextInput
          type="date"
          label={t('survey.admin.closesOn')}
          value={values.closesOn}
          onChange={(e) => set('closesOn')(e.currentTarget.value)}
          error={errors.closesOn}
          required
        />
      </SimpleGrid>
      <Textarea
        mt="sm"
        label={t('survey.admin.participants')}
        description={t('survey.admin.participantsHelp')}
        placeholder={'999;Demo Kommune;direktoer@demo.kommune.dk'}
        autosize
        minRows={3}
        value={values.participants}
        onChange={(e) => set('participants')(e.currentTarget.value)}
        error={participantError}
        required
      />
      <ErrorAlert error={create.error} />
      <Button type="submit" mt="md" loading={create.isPending}>
        {t('survey.admin.create')}
      </Button>
    </Paper>
  );
}

/** The survey's home: templates and questionnaires (administrator), and rounds (everyone with access). */
export function SurveyPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const manage = can('survey.manage');
  const rounds = useQuery({
    queryKey: ['survey', 'rounds'],
    queryFn: () => get<{ items: RoundSummary[] }>('/api/survey/rounds'),
  });
  const templates = useQuery({
    queryKey: ['survey', 'templates'],
    queryFn: () => get<{ items: { key: string; title: string; source?: string }[] }>('/api/survey/templates'),
    enabled: manage,
  });
  const questionnaires = useQuery({
    queryKey: ['survey', 'questionnaires'],
    queryFn: () => get<{ items: QuestionnaireSummary[] }>('/api/survey/questionnaires'),
    enabled: manage,
  });
  const copy = useMutation({
    mutationFn: (template: string) => post<{ id: string }>('/api/survey/questionnaires', { template }),
    onSuccess: (q) => {
      void qc.invalidateQueries({ queryKey: ['survey', 'questionnaires'] });
      navigate(`/selvevaluering/skemaer/${q.id}`);
    },
  });
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('survey.admin.title')}</Title>
        <Text c="dimmed" maw={760}>
          {t('survey.admin.intro')}
        </Text>
      </div>
      <ErrorAlert error={rounds.error ?? copy.error} />
      <section aria-labelledby="rounds">
        <Title order={2} id="rounds" mb="sm">
          {t('survey.admin.rounds')}
          {rounds.data && ` (${rounds.data.items.length})`}
        </Title>
        {rounds.data?.items.length === 0 && <Text>{t('survey.admin.noRounds')}</Text>}
        {!!rounds.data?.items.length && (
          <ScrollRegion label={t('survey.admin.rounds')} minWidth={560}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('survey.admin.roundTitle')}</Table.Th>
                  <Table.Th>{t('survey.admin.opensOn')}</Table.Th>
                  <Table.Th>{t('survey.admin.closesOn')}</Table.Th>
                  <Table.Th>{t('survey.director.status')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rounds.data.items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      {can('survey.progress') || (r.status === 'closed' && can('survey.results')) ? (
                        <Anchor
                          component={Link}
                          to={
                            can('survey.progress')
                              ? `/selvevaluering/runder/${r.id}`
                              : `/selvevaluering/runder/${r.id}/rapport`
                          }
                        >
                          {r.title}
                        </Anchor>
                      ) : (
                        r.title
                      )}{' '}
                      <Badge variant="outline" size="xs">
                        {r.own ? t('survey.admin.own') : t('survey.admin.participating')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDate(r.opensOn)}</Table.Td>
                    <Table.Td>{formatDate(r.closesOn)}</Table.Td>
                    <Table.Td>
                      <Badge color={r.status === 'open' ? STATUS_COLORS.positive : STATUS_COLORS.neutral}>
                        {t(`survey.status.${r.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {can('survey.progress') && (
                          <Button
                            component={Link}
                            to={`/selvevaluering/runder/${r.id}`}
                            size="xs"
                            variant="light"
                          >
                            {t('survey.admin.progress')}
                          </Button>
                        )}
                        {r.status === 'closed' && can('survey.results') && (
                          <Button component={Link} to={`/selvevaluering/runder/${r.id}/rapport`} size="xs">
                            {t('survey.admin.report')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        )}
      </section>
      {manage && (
        <>
          <NewRound questionnaires={questionnaires.data?.items ?? []} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <section aria-labelledby="questionnaires">
              <Title order={2} id="questionnaires" mb="sm">
                {t('survey.admin.questionnaires')}
                {questionnaires.data && ` (${questionnaires.data.items.length})`}
              </Title>
              <Stack gap="xs">
                {questionnaires.data?.items.map((q) => (
                  <Group key={q.id} justify="space-between" wrap="nowrap">
                    <Text>
                      {q.title} · {t('survey.admin.version')} {q.version}{' '}
                      <Badge size="xs" color={q.status === 'draft' ? 'blue.9' : STATUS_COLORS.neutral}>
                        {t(`survey.status.${q.status}`)}
                      </Badge>
                    </Text>
                    <Button
                      component={Link}
                      to={`/selvevaluering/skemaer/${q.id}`}
                      size="xs"
                      variant="light"
                      style={{ flexShrink: 0 }}
                    >
                      {t('survey.admin.edit')}
                    </Button>
                  </Group>
                ))}
              </Stack>
            </section>
            <section aria-labelledby="templates">
              <Title order={2} id="templates" mb="sm">
                {t('survey.admin.templates')}
              </Title>
              <Stack gap="sm">
                {templates.data?.items.map((tpl) => (
                  <Paper key={tpl.key} withBorder p="sm">
                    <Text fw={600}>{tpl.title}</Text>
                    <Text size="sm" c="dimmed" lineClamp={3}>
                      {tpl.source}
                    </Text>
                    <Button
                      size="xs"
                      mt="xs"
                      variant="light"
                      onClick={() => copy.mutate(tpl.key)}
                      loading={copy.isPending}
                    >
                      {t('survey.admin.copy')}
                    </Button>
                  </Paper>
                ))}
              </Stack>
            </section>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
