import {
  Alert,
  Button,
  Card,
  Code,
  Container,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, setCsrfToken } from '../../api';
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
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('login.username')}</Table.Th>
                  <Table.Th>{t('admin.displayName')}</Table.Th>
                  <Table.Th>{t('admin.role')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {demoItems.map((d) => (
                  <Table.Tr key={d.username}>
                    <Table.Td>
                      <Code>{d.username}</Code>
                    </Table.Td>
                    <Table.Td>
                      {d.displayName}{' '}
                      <Text span size="sm">
                        ({d.municipality})
                      </Text>
                    </Table.Td>
                    <Table.Td>{t(`roles.${d.role}`)}</Table.Td>
                    <Table.Td>
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
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        )}
      </Stack>
    </Container>
  );
}
