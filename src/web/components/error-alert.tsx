import { Alert } from '@mantine/core';
import { errorMessage } from '../i18n';

/** An API error as a Danish (or English) message, announced to screen readers. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" variant="outline" role="alert" mb="md">
      {errorMessage(error)}
    </Alert>
  );
}
