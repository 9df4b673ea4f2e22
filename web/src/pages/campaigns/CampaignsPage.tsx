import { useTranslation } from 'react-i18next';

export default function CampaignsPage() {
  const { t } = useTranslation();
  return <div>{t('campaigns.title')}</div>;
}
