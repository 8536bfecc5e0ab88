import {
  Alert,
  Button,
  Card,
  Code,
  Container,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, setCsrfToken } from '../../api';
import { DataTable } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';

interface DemoLogin {
  username: string;
  password: string;
  displayName: string;
  role: string;
  municipality: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const demo = useQuery({
    queryKey: ['demo-logins'],
    queryFn: () =>
      get<{ items: DemoLogin[] }>('/api/auth/demo-logins').catch(() => ({ items: [] as DemoLogin[] })),
  });
  const login = useMutation({
    mutationFn: (body: { username: string; password: string }) =>
      post<{ csrfToken: string }>('/api/auth/login', body),
    onSuccess: async (r) => {
      setCsrfToken(r.csrfToken);
      await qc.invalidateQueries({ queryKey: ['session'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ username, password });
  };
  const demoItems = demo.data?.items ?? [];
  return (
    <Container size={demoItems.length ? 760 : 420} py="xl">
      <Stack>
        <div>
          <Title order={1}>{t('login.title')}</Title>
          <Text c="dimmed">{t('app.tagline')}</Text>
        </div>
        <Card withBorder padding="lg" component="form" onSubmit={submit} aria-labelledby="login-heading">
          <Title order={2} size="h3" id="login-heading" mb="sm">
            {t('login.submit')}
          </Title>
          <ErrorAlert error={login.error} />
          <Stack>
            <TextInput
              label={t('login.username')}
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={login.isPending}>
              {t('login.submit')}
            </Button>
          </Stack>
        </Card>
        {demoItems.length > 0 && (
          <Card withBorder padding="lg">
            <Title order={2} size="h3" mb="xs">
              {t('login.demoTitle')}
            </Title>
            <Alert variant="outline" color="blue" mb="sm">
              {t('login.demoIntro')} <Code>{demoItems[0]!.password}</Code>
            </Alert>
            <DataTable
              caption={t('login.demoTitle')}
              rows={demoItems}
              rowKey={(d) => d.username}
              columns={[
                { key: 'username', header: t('login.username'), cell: (d) => <Code>{d.username}</Code> },
                {
                  key: 'name',
                  header: t('admin.displayName'),
                  cell: (d) => (
                    <>
                      {d.displayName}{' '}
                      <Text span size="sm">
                        ({d.municipality})
                      </Text>
                    </>
                  ),
                },
                { key: 'role', header: t('admin.role'), cell: (d) => t(`roles.${d.role}`) },
                {
                  key: 'use',
                  header: t('common.actions'),
                  cell: (d) => (
                    <Button
                      size="xs"
                      variant="outline"
                      aria-label={`${t('login.demoUse')} ${d.username}`}
                      onClick={() => {
                        setUsername(d.username);
                        setPassword(d.password);
                      }}
                    >
                      {t('login.demoUse')}
                    </Button>
                  ),
                },
              ]}
            />
          </Card>
        )}
      </Stack>
    </Container>
  );
}
