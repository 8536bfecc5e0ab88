import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** What was just saved or sent, said once above what it concerns, until closed. */
export function SavedNotice({ text, onClose }: { text: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  if (!text) return null;
  return (
    <Alert
      color="green"
      variant="outline"
      role="status"
      withCloseButton
      closeButtonLabel={t('common.close')}
      onClose={onClose}
    >
      {text}
    </Alert>
  );
}
