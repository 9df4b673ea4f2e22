import { GlobalOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n';

/** Toggles zh-CN ⇄ en-US. The button shows the language it switches to; `data-lang` holds the current one. */
export function LangSwitch({ type = 'text' }: { type?: 'text' | 'default' }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  return (
    <Tooltip title={t('lang.label')}>
      <Button
        type={type}
        icon={<GlobalOutlined />}
        data-testid="lang-switch"
        data-lang={i18n.language}
        aria-label={t('lang.label')}
        onClick={() => void setLanguage(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}
      >
        {t('lang.switchTo')}
      </Button>
    </Tooltip>
  );
}
