import {
  Alert,
  Badge,
  Button,
  CopyButton,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SURVEY_ROLES, type SurveyRole } from '../../../shared/survey';
import { ApiError, api } from '../../api';
import { STATUS_COLORS } from '../../components/colors';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate } from '../../components/forms';
import { ScrollRegion } from '../../components/scroll-region';
import { linkToken } from './respond-page';

interface DirectorView {
  round: { title: string; closesOn: string };
  municipality: string;
  links: { id: string; role: SurveyRole; status: string; email: string | null; url: string | null }[];
}

/** The director's page (link-lancering): hands a personal link to each role; no account needed. */
export function DirectorPage() {
  const { t } = useTranslation();
  const token = useMemo(linkToken, []);
  const [view, setView] = useState<DirectorView | null>(null);
  const [role, setRole] = useState<SurveyRole>('direktoer');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [emailError, setEmailError] = useState<string | undefined>();
  const [created, setCreated] = useState(false);

  const load = () =>
    api<DirectorView>('POST', '/api/survey/director/open', { token }).then(setView, setError);
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per token
  useEffect(() => {
    if (token) void load();
  }, [token]);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setEmailError(undefined);
    setCreated(false);
    try {
      await api('POST', '/api/survey/director/links', {
        token,
        role,
        ...(email.trim() ? { email: email.trim() } : {}),
      });
      setEmail('');
      setCreated(true);
      await load();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setEmailError(err.fieldErrors.find((f) => f.field === 'email')?.message);
    }
  }

  if (!token) return <Alert color="red">{t('survey.respond.missingToken')}</Alert>;
  if (!view) return <ErrorAlert error={error} />;
  return (
    <Stack maw={900} gap="lg">
      <div>
        <Title order={1}>{t('survey.director.title')}</Title>
        <Text fw={600} mt="xs">
          {view.round.title} · {formatDate(view.round.closesOn)}
        </Text>
        <Text mt="xs">{t('survey.director.intro', { municipality: view.municipality })}</Text>
      </div>
      <form onSubmit={create} aria-label={t('survey.director.create')}>
        <Group align="end" wrap="wrap">
          <Select
            label={t('survey.director.role')}
            data={SURVEY_ROLES.map((r) => ({ value: r, label: t(`survey.roles.${r}`) }))}
            value={role}
            onChange={(v) => v && setRole(v as SurveyRole)}
            allowDeselect={false}
          />
          <TextInput
            label={t('survey.director.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={emailError}
            miw={280}
          />
          <Button type="submit">{t('survey.director.create')}</Button>
        </Group>
      </form>
      <ErrorAlert error={error} />
      {created && (
        <Alert color="green" role="status">
          {t('survey.director.created')}
        </Alert>
      )}
      <Title order={2}>{t('survey.director.links')}</Title>
      <ScrollRegion label={t('survey.director.links')} minWidth={600}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('survey.director.role')}</Table.Th>
              <Table.Th>{t('survey.director.status')}</Table.Th>
              <Table.Th>{t('survey.director.link')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.links.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td>
                  {t(`survey.roles.${l.role}`)}
                  {l.email && (
                    <Text size="xs" c="dimmed">
                      {l.email}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={l.status === 'submitted' ? STATUS_COLORS.positive : STATUS_COLORS.neutral}>
                    {t(`survey.status.${l.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {l.url && (
                    <Group gap="xs" wrap="nowrap">
                      <Text
                        size="sm"
                        ff="monospace"
                        style={{ wordBreak: 'break-all' }}
                        data-testid="role-link"
                      >
                        {l.url}
                      </Text>
                      <CopyButton value={l.url}>
                        {({ copied, copy }) => (
                          <Button size="xs" variant="light" onClick={copy}>
                            {copied ? t('survey.director.copied') : t('survey.director.copy')}
                          </Button>
                        )}
                      </CopyButton>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
    </Stack>
  );
}
