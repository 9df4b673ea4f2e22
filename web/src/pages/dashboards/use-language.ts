/** The UI language as the key of the server's localized texts (definitions' names and formulas). */
import { useTranslation } from 'react-i18next';

export function useLanguage(): 'zh-CN' | 'en-US' {
  const { i18n } = useTranslation();
  return i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
}
