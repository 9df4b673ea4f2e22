/** Small renderers shared by the calendar pages. */
import { WarningOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Calendar } from '../../api/calendars';

export function RegionTag({ calendar }: { calendar: Pick<Calendar, 'holidayRegion'> }) {
  const { t } = useTranslation();
  return calendar.holidayRegion === 'CN' ? (
    <Tooltip title={t('calendars.regionCNHint')}>
      <Tag color="volcano" data-testid="calendar-region-tag" data-region="CN">
        {t('calendars.regionCNShort')}
      </Tag>
    </Tooltip>
  ) : (
    <Tooltip title={t('calendars.regionNoneHint')}>
      <Tag color="purple" data-testid="calendar-region-tag" data-region="none">
        {t('calendars.regionNoneShort')}
      </Tag>
    </Tooltip>
  );
}

/** "缺少 2027 年节假日数据": the product never silently counts a year without data as ordinary weekdays. */
export function MissingYearsTag({ calendar }: { calendar: Pick<Calendar, 'missingHolidayYears'> }) {
  const { t } = useTranslation();
  if (calendar.missingHolidayYears.length === 0) return null;
  return (
    <Tooltip title={t('calendars.missingYearsHint')}>
      <Tag color="warning" icon={<WarningOutlined />} data-testid="calendar-missing-years" style={{ marginInlineEnd: 0 }}>
        {t('calendars.missingYears', { years: calendar.missingHolidayYears.join(t('calendars.sep')) })}
      </Tag>
    </Tooltip>
  );
}
